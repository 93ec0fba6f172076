//! Every UI string is in both catalogs: the catalogs have the same keys,
//! every key a template uses exists, and every error code has a message.

use std::collections::BTreeSet;
use std::path::Path;

use laatu::competence::acknowledge::AckState;
use laatu::competence::model::{
    CellState, CompetenceStatus, Scale, Scope, Standing, TrainingStatus,
};
use laatu::documents::model::DocumentKind;
use laatu::nonconformities::model::{
    ActionStatus, CauseCategory, Disposition, Effectiveness, NcKind, NcStatus, Severity,
};

/// The catalog keys `prefix<value>` of a closed set.
fn set<T: std::fmt::Display>(prefix: &str, all: &[T]) -> Vec<String> {
    all.iter().map(|v| format!("{prefix}{v}")).collect()
}

fn catalog_keys(lang: &str) -> BTreeSet<String> {
    let dir = format!("{}/src/i18n/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(Path::new(&dir), "ftl", &mut paths);
    let mut keys = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        keys.extend(
            text.lines()
                .filter_map(|l| l.split_once(" ="))
                .map(|(k, _)| k.trim().to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' ')),
        );
    }
    keys
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// The string literals that follow `marker` in `text`.
fn literals_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &text[i + marker.len()..];
            let start = rest.find('"')?;
            if !rest[..start].trim().is_empty() {
                return None;
            }
            let rest = &rest[start + 1..];
            Some(&rest[..rest.find('"')?])
        })
        .collect()
}

#[test]
fn catalogs_have_the_same_keys() {
    let en = catalog_keys("en");
    let fi = catalog_keys("fi");
    assert!(en.len() > 50);
    let only_en: Vec<_> = en.difference(&fi).collect();
    let only_fi: Vec<_> = fi.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_fi.is_empty(),
        "only en: {only_en:?}; only fi: {only_fi:?}"
    );
}

#[test]
fn every_template_key_is_in_both_catalogs() {
    let mut templates = Vec::new();
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        "html",
        &mut templates,
    );
    let (en, fi) = (catalog_keys("en"), catalog_keys("fi"));
    let in_both = |k: &str| en.contains(k) && fi.contains(k);
    let mut missing = Vec::new();
    let mut used = 0;
    for path in templates {
        let text = std::fs::read_to_string(&path).unwrap();
        for key in literals_after(&text, "t(key=") {
            used += 1;
            // `"role-" ~ r` style keys are completed at run time; checked below.
            let complete: Vec<String> = match key {
                "role-" => laatu::auth::model::Role::ALL
                    .iter()
                    .map(|r| format!("role-{r}"))
                    .collect(),
                "lang-" => laatu::i18n::Lang::ALL
                    .iter()
                    .map(|l| format!("lang-{}", l.code()))
                    .collect(),
                "kind-" => DocumentKind::ALL
                    .iter()
                    .map(|k| format!("kind-{}", k.as_str()))
                    .collect(),
                "docstatus-" => ["draft", "effective", "obsolete"]
                    .iter()
                    .map(|s| format!("docstatus-{s}"))
                    .collect(),
                "revstatus-" => [
                    "draft",
                    "in_review",
                    "approved",
                    "effective",
                    "superseded",
                    "obsolete",
                ]
                .iter()
                .map(|s| format!("revstatus-{s}"))
                .collect(),
                "meaning-" => ["reviewed", "approved", "rejected"]
                    .iter()
                    .map(|s| format!("meaning-{s}"))
                    .collect(),
                "purpose-" => set(
                    "purpose-",
                    &laatu::documents::model::SignaturePurpose::ALL
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>(),
                ),
                "pstatus-" => ["active", "retired"]
                    .iter()
                    .map(|s| format!("pstatus-{s}"))
                    .collect(),
                "kpi-" => [
                    "higher_is_better",
                    "lower_is_better",
                    "leading",
                    "lagging",
                    "weekly",
                    "monthly",
                    "quarterly",
                    "yearly",
                ]
                .iter()
                .map(|s| format!("kpi-{s}"))
                .collect(),
                "nc-status-" => NcStatus::ALL
                    .iter()
                    .map(|s| format!("nc-status-{s}"))
                    .collect(),
                "nc-kind-" => NcKind::ALL.iter().map(|k| format!("nc-kind-{k}")).collect(),
                "nc-severity-" => Severity::ALL
                    .iter()
                    .map(|s| format!("nc-severity-{s}"))
                    .collect(),
                "nc-disposition-" => Disposition::ALL
                    .iter()
                    .map(|d| format!("nc-disposition-{d}"))
                    .collect(),
                "nc-cause-" => CauseCategory::ALL
                    .iter()
                    .map(|c| format!("nc-cause-{c}"))
                    .collect(),
                "nc-action-" => ActionStatus::ALL
                    .iter()
                    .map(|a| format!("nc-action-{a}"))
                    .collect(),
                "nc-check-" => Effectiveness::ALL
                    .iter()
                    .map(|e| format!("nc-check-{e}"))
                    .collect(),
                "kpimeasure-" => set(
                    "kpimeasure-",
                    laatu::processes::kpi_sources::RecordMeasure::ALL,
                ),
                "sched-freq-" => set(
                    "sched-freq-",
                    laatu::records::schedule::ScheduleFrequency::ALL,
                ),
                "kpisource-" => laatu::processes::kpi_sources::KpiSource::ALL
                    .iter()
                    .map(|s| format!("kpisource-{s}"))
                    .collect(),
                "field-type-" => set("field-type-", laatu::records::form::FieldType::ALL),
                "cx-status-" => set("cx-status-", laatu::experience::service::CxStatus::ALL),
                "cx-filter-" => set("cx-filter-", laatu::experience::service::CxStatus::ALL),
                "promise-lang-" => vec!["promise-lang-en".into(), "promise-lang-fi".into()],
                "promise-" => ["basic_task", "promise", "sentence", "measured"]
                    .iter()
                    .map(|p| format!("promise-{p}"))
                    .collect(),
                "records-meaning-" => {
                    set("records-meaning-", laatu::records::form::RecordMeaning::ALL)
                }
                "builder-needs-" => set("builder-needs-", laatu::records::form::RecordMeaning::ALL),
                "standing-" => set("standing-", Standing::ALL),
                "cell-" => set("cell-", CellState::ALL),
                "cell-mark-" => set("cell-mark-", CellState::ALL),
                "scale-" => set("scale-", Scale::ALL),
                "scope-" => set("scope-", Scope::ALL),
                "training-" => set("training-", TrainingStatus::ALL),
                "comp-status-" => set("comp-status-", CompetenceStatus::ALL),
                "comp-ack-" => set("comp-ack-", AckState::ALL),
                "mail-choice-" => set("mail-choice-", laatu::mail::MailChoice::ALL),
                "iluo-" => (1..=4).map(|n| format!("iluo-{n}")).collect(),
                "ratings-quality-" => (1..=5).map(|n| format!("ratings-quality-{n}")).collect(),
                "task-" => laatu::tasks::kinds()
                    .iter()
                    .map(|t| format!("task-{t}"))
                    .collect(),
                k => vec![k.to_string()],
            };
            for k in complete {
                if !in_both(&k) {
                    missing.push(format!("{}: {k}", path.display()));
                }
            }
        }
    }
    assert!(used > 50, "found only {used} keys");
    assert!(
        missing.is_empty(),
        "keys missing from a catalog: {missing:?}"
    );
}

#[test]
fn every_error_code_has_a_message_in_both_languages() {
    let codes = laatu::error::Code::ALL;
    assert!(codes.len() > 100, "only {} codes", codes.len());
    let (en, fi) = (catalog_keys("en"), catalog_keys("fi"));
    let missing: Vec<String> = codes
        .iter()
        .map(|c| format!("error-{c}"))
        .filter(|k| !(en.contains(k) && fi.contains(k) && laatu::i18n::has_key_in_all(k)))
        .collect();
    assert!(
        missing.is_empty(),
        "error codes without messages: {missing:?}"
    );
}

#[test]
fn dates_follow_the_language() {
    use laatu::i18n::{Lang, format_date, format_datetime};
    let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
        .unwrap()
        .and_hms_opt(14, 7, 0)
        .unwrap();
    let hki: chrono_tz::Tz = "Europe/Helsinki".parse().unwrap();
    assert_eq!(format_date(Lang::Fi, hki, &t), "5.3.2026");
    assert_eq!(format_datetime(Lang::Fi, hki, &t), "5.3.2026 klo 16.07");
    assert_eq!(
        format_datetime(Lang::En, chrono_tz::UTC, &t),
        "5 Mar 2026 14:07"
    );
}
