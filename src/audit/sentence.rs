//! The audit trail as a person reads it: each event as a sentence in the
//! reader's language ("Laura Laatikainen approved QP-003 rev. 2"), and its
//! changed fields as before/after rows with readable values.
//!
//! Every action has a catalog message `audit-sentence-<action>` (and a short
//! label `audit-action-<action>` for the filter), called with `actor` (the
//! display name, or "Laatu (scheduled check)" for the system), `entity` (the
//! thing's number, code or name) and each top-level field of the event's
//! changes as a fact (its value after the change, readable). A test scans
//! the sources for the actions written and fails when one has no message.
//!
//! Names are looked up once for a page of events ([`Directory::load`]: one
//! query per kind of entity on the page, never one per event), because the
//! trail keeps ids and usernames, not what a reader recognises.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::AuditEvent;
use crate::db::DbConn;
use crate::db::schema::{
    api_tokens, certifications, competences, documents, kpis, processes, record_schedules,
    record_versions, records, trainings, users,
};
use crate::error::AppResult;
use crate::i18n::{self, Lang};
use crate::records::form::FormDef;
use crate::store::DocStore;

/// Facts a sentence may name even when an event lacks them (they are then
/// empty), so that no message shows a bare `{$name}`.
const DEFAULT_FACTS: &[&str] = &[
    "meaning",
    "disposition",
    "filename",
    "document",
    "name",
    "owner",
    "user",
    "period",
    "value",
    "responsible",
    "competence",
    "step",
];

/// Fields whose values are usernames.
const PERSON_FIELDS: &[&str] = &[
    "owner",
    "user",
    "trainer",
    "accepted_by",
    "verified_by",
    "assignee",
    "members",
];

/// Catalog prefixes that name a field's coded values, tried in order.
fn value_prefixes(entity_type: &str, field: &str) -> &'static [&'static str] {
    match (entity_type, field) {
        ("nonconformity", "status") => &["nc-status-"],
        ("document", "status") => &["revstatus-", "docstatus-"],
        ("training", "status") => &["training-"],
        ("process", "status") => &["pstatus-"],
        ("competence", "status") => &["comp-status-"],
        ("record", "meaning") => &["records-meaning-", "meaning-"],
        (_, "meaning") => &["meaning-", "records-meaning-", "audit-meaning-"],
        (_, "disposition") => &["nc-disposition-"],
        (_, "cause_category") => &["nc-cause-"],
        ("nonconformity", "kind") => &["nc-kind-"],
        (_, "kind") => &["kind-"],
        (_, "severity") => &["nc-severity-"],
        (_, "result") => &["nc-check-"],
        (_, "action_status") => &["nc-action-"],
        (_, "roles" | "reader_roles") => &["role-"],
        (_, "direction" | "frequency" | "indicator") => &["kpi-"],
        (_, "scale") => &["scale-"],
        (_, "scope") => &["scope-"],
        (_, "source") => &["kpisource-"],
        (_, "source_measure") => &["kpimeasure-"],
        _ => &[],
    }
}

/// One value as shown: text, and whether it is a code or data block that
/// is set in a monospace font (a hash, a JSON document).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// What the reader sees.
    pub text: String,
    /// The full value when `text` is shortened (a hash), for a tooltip.
    pub full: Option<String>,
    /// Whether it is a block of data (JSON) rather than words.
    pub block: bool,
}

impl Shown {
    fn text(text: String) -> Shown {
        Shown {
            text,
            full: None,
            block: false,
        }
    }
}

/// One changed field: its name and its values before and after.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// The field's name through the catalog (`audit-field-<name>`), or the
    /// name itself (a form's own field, say).
    pub field: String,
    /// The value before; `None` for a detail that has no before (a fact).
    pub before: Option<Shown>,
    /// The value after (or the fact).
    pub after: Shown,
}

/// An event as the audit trail page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReadableEvent {
    /// Position in the chain.
    pub seq: i64,
    /// When it happened (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub occurred_at: NaiveDateTime,
    /// Who acted, as people know them.
    pub actor: String,
    /// The actor as recorded, for the person filter.
    pub actor_name: String,
    /// The area (entity type) through the catalog.
    pub area: String,
    /// The entity type as recorded, for the area filter.
    pub entity_type: String,
    /// The entity id as recorded, for the "this one only" link.
    pub entity_id: String,
    /// The event as a sentence in the reader's language.
    pub sentence: String,
    /// The changed fields.
    pub changes: Vec<ChangeRow>,
    /// The event's hash.
    pub hash: String,
}

/// The names a page of events needs: people by id and username, and labels
/// of things the trail knows only by id (KPIs, trainings, certifications,
/// tokens, record schedules).
#[derive(Debug, Default)]
pub struct Directory {
    by_id: HashMap<String, String>,
    by_username: HashMap<String, String>,
    labels: HashMap<(String, String), String>,
    /// The form each record on the page was filled on, by record number,
    /// so its fields read as the form names them.
    forms: HashMap<String, Arc<FormDef>>,
    /// The value promise in force, so that the target experiences a
    /// process serves or a KPI measures read as their sentences.
    promise: Option<crate::experience::promise::Promise>,
}

fn shown_name(username: String, display_name: String) -> String {
    if display_name.trim().is_empty() {
        username
    } else {
        display_name
    }
}

impl Directory {
    /// Looks up the names `events` refer to: every user (one query), and one
    /// query for each kind of id-only entity among the events.
    ///
    /// # Errors
    /// A database fault.
    pub fn load(conn: &mut DbConn, events: &[AuditEvent]) -> AppResult<Directory> {
        let mut d = Directory::default();
        let people: Vec<(String, String, String)> = users::table
            .select((users::id, users::username, users::display_name))
            .load(conn)?;
        for (id, username, display) in people {
            let name = shown_name(username.clone(), display);
            d.by_id.insert(id, name.clone());
            d.by_username.insert(username, name);
        }
        let ids = |kind: &str| -> Vec<String> {
            events
                .iter()
                .filter(|e| e.entity_type == kind)
                .map(|e| e.entity_id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let kpi_ids = ids("kpi");
        if !kpi_ids.is_empty() {
            let rows: Vec<(String, String, String)> = kpis::table
                .inner_join(processes::table)
                .filter(kpis::id.eq_any(&kpi_ids))
                .select((kpis::id, processes::code, kpis::name))
                .load(conn)?;
            for (id, code, name) in rows {
                d.label("kpi", id, format!("{code}: {name}"));
            }
        }
        let training_ids = ids("training");
        if !training_ids.is_empty() {
            let rows: Vec<(String, String, String)> = trainings::table
                .inner_join(competences::table)
                .filter(trainings::id.eq_any(&training_ids))
                .select((trainings::id, competences::code, trainings::user_id))
                .load(conn)?;
            for (id, code, user) in rows {
                let who = d.person_by_id(&user);
                d.label("training", id, format!("{code} ({who})"));
            }
        }
        let cert_ids = ids("certification");
        if !cert_ids.is_empty() {
            let rows: Vec<(String, String, String)> = certifications::table
                .inner_join(competences::table)
                .filter(certifications::id.eq_any(&cert_ids))
                .select((
                    certifications::id,
                    competences::code,
                    certifications::user_id,
                ))
                .load(conn)?;
            for (id, code, user) in rows {
                let who = d.person_by_id(&user);
                d.label("certification", id, format!("{code} ({who})"));
            }
        }
        let token_ids = ids("api_token");
        if !token_ids.is_empty() {
            let rows: Vec<(String, String)> = api_tokens::table
                .filter(api_tokens::id.eq_any(&token_ids))
                .select((api_tokens::id, api_tokens::name))
                .load(conn)?;
            for (id, name) in rows {
                d.label("api_token", id, name);
            }
        }
        let schedule_ids = ids("record_schedule");
        if !schedule_ids.is_empty() {
            let rows: Vec<(String, String, String)> = record_schedules::table
                .inner_join(processes::table)
                .filter(record_schedules::id.eq_any(&schedule_ids))
                .select((
                    record_schedules::id,
                    record_schedules::template_id,
                    processes::code,
                ))
                .load(conn)?;
            let templates: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
            let numbers: HashMap<String, String> = documents::table
                .filter(documents::id.eq_any(&templates))
                .select((documents::id, documents::number))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect();
            for (id, template, code) in rows {
                let number = numbers.get(&template).cloned().unwrap_or(template);
                d.label("record_schedule", id, format!("{number} ({code})"));
            }
        }
        Ok(d)
    }

    /// Reads the forms the records among `events` were filled on (one
    /// query, and each form's definition from git once), so that their
    /// fields and choices read as the form writes them, not as keys.
    ///
    /// # Errors
    /// A database or git fault.
    pub fn load_forms(
        &mut self,
        conn: &mut DbConn,
        store: &DocStore,
        events: &[AuditEvent],
    ) -> AppResult<()> {
        if events.iter().any(|e| e.changes.contains("\"experience")) {
            self.promise = crate::experience::service::in_force(conn, store)?.map(|p| p.promise);
        }
        let numbers: BTreeSet<&str> = events
            .iter()
            .filter(|e| e.entity_type == "record")
            .map(|e| e.entity_id.as_str())
            .collect();
        if numbers.is_empty() {
            return Ok(());
        }
        let rows: Vec<(String, String, String)> = records::table
            .inner_join(documents::table)
            .inner_join(
                record_versions::table.on(record_versions::id.eq(records::current_version_id)),
            )
            .filter(records::number.eq_any(&numbers))
            .select((
                records::number,
                documents::number,
                record_versions::template_commit,
            ))
            .load(conn)?;
        for (record, template, commit) in rows {
            if let Some(form) = crate::records::service::form_at(store, &template, &commit)? {
                self.forms.insert(record, form);
            }
        }
        Ok(())
    }

    fn label(&mut self, kind: &str, id: String, label: String) {
        self.labels.insert((kind.to_string(), id), label);
    }

    fn person_by_id(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The display name of a username (the username itself when unknown).
    pub fn person(&self, username: &str) -> String {
        self.by_username
            .get(username)
            .cloned()
            .unwrap_or_else(|| username.to_string())
    }

    /// Who acted, as the reader knows them: a display name, or Laatu itself
    /// ("Laatu (scheduled check)") for `system:<what>`.
    pub fn actor(&self, lang: Lang, e: &AuditEvent) -> String {
        actor_label(lang, &e.actor_name, |u| {
            e.actor_id
                .as_deref()
                .and_then(|id| self.by_id.get(id).cloned())
                .unwrap_or_else(|| self.person(u))
        })
    }

    /// The thing an event is about, as the reader knows it.
    fn entity(&self, lang: Lang, e: &AuditEvent, changes: &Value) -> String {
        let key = (e.entity_type.clone(), e.entity_id.clone());
        if let Some(l) = self.labels.get(&key) {
            return l.clone();
        }
        match e.entity_type.as_str() {
            "user" => self.person_by_id(&e.entity_id),
            "login" => self.person(&e.entity_id),
            "document" => match revision_of(e, changes) {
                Some(rev) => i18n::t_args(
                    lang,
                    "audit-document-revision",
                    &[("number", e.entity_id.clone()), ("rev", rev.to_string())],
                ),
                None => e.entity_id.clone(),
            },
            _ => e.entity_id.clone(),
        }
    }
}

/// The actor label of a recorded actor name; `person` names a username.
pub fn actor_label(lang: Lang, actor_name: &str, person: impl FnOnce(&str) -> String) -> String {
    match actor_name.strip_prefix("system:") {
        Some(what) => i18n::try_t(lang, &format!("audit-system-{what}"))
            .unwrap_or_else(|| i18n::t(lang, "audit-system")),
        None => person(actor_name),
    }
}

/// The revision of a document event: from its changes, else from the
/// summary the code wrote ("... QP-003 r2 ...").
fn revision_of(e: &AuditEvent, changes: &Value) -> Option<i64> {
    for key in ["rev", "effective_revision"] {
        if let Some(n) = after(changes.get(key)).and_then(Value::as_i64) {
            return Some(n);
        }
    }
    let marker = format!("{} r", e.entity_id);
    let (_, rest) = e.summary.split_once(&marker)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The value after a change (`{"before":..,"after":..}`), or the value itself.
fn after(v: Option<&Value>) -> Option<&Value> {
    let v = v?;
    match v.as_object() {
        Some(o) if is_diff(o) => o.get("after"),
        _ => Some(v),
    }
}

fn is_diff(o: &serde_json::Map<String, Value>) -> bool {
    o.contains_key("after") && o.keys().all(|k| k == "before" || k == "after")
}

fn is_hex_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// Formats a number the way the reader's language writes it.
fn number(lang: Lang, n: &serde_json::Number) -> String {
    let s = n.to_string();
    match lang {
        Lang::Fi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A value as the reader sees it.
pub fn readable(
    lang: Lang,
    tz: chrono_tz::Tz,
    dir: &Directory,
    entity_type: &str,
    field: &str,
    v: &Value,
) -> Shown {
    match v {
        Value::Null => Shown::text("—".into()),
        Value::Bool(b) => Shown::text(i18n::t(lang, if *b { "audit-yes" } else { "audit-no" })),
        Value::Number(n) => Shown::text(number(lang, n)),
        Value::String(s) => readable_text(lang, tz, dir, entity_type, field, s),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if items.is_empty() {
                return Shown::text("—".into());
            }
            let parts: Vec<String> = items
                .iter()
                .map(|i| readable(lang, tz, dir, entity_type, field, i).text)
                .collect();
            Shown::text(parts.join(", "))
        }
        other => Shown {
            // Pretty-printed, so that it wraps between values, never mid-word.
            text: serde_json::to_string_pretty(other).unwrap_or_default(),
            full: None,
            block: true,
        },
    }
}

fn readable_text(
    lang: Lang,
    tz: chrono_tz::Tz,
    dir: &Directory,
    entity_type: &str,
    field: &str,
    s: &str,
) -> Shown {
    if PERSON_FIELDS.contains(&field) {
        return Shown::text(dir.person(s));
    }
    if field == "value" && lang == Lang::Fi && s.parse::<f64>().is_ok() {
        return Shown::text(s.replace('.', ","));
    }
    if (field == "experiences" || field == "experience")
        && let Some(e) = dir.promise.as_ref().and_then(|p| p.experience(s))
    {
        return Shown::text(crate::experience::promise::in_lang(&e.sentence, lang).to_string());
    }
    if field == "period" {
        // A KPI's period as people write it (touko 2026, Q2 2026).
        return Shown::text(crate::charts::period_text(lang, s));
    }
    if is_hex_id(s) {
        return Shown {
            text: s[..12].to_string(),
            full: Some(s.to_string()),
            block: false,
        };
    }
    for prefix in value_prefixes(entity_type, field) {
        if let Some(t) = i18n::try_t(lang, &format!("{prefix}{s}")) {
            return Shown::text(t);
        }
    }
    if s.len() == 10
        && let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
    {
        return Shown::text(i18n::format_day(lang, d));
    }
    if s.len() >= 19
        && s.as_bytes().get(10) == Some(&b'T')
        && let Some(t) = crate::time::parse(s)
    {
        return Shown::text(i18n::format_datetime(lang, tz, &t));
    }
    Shown::text(s.to_string())
}

/// The name of a field through the catalog, or the name itself.
pub fn field_name(lang: Lang, field: &str) -> String {
    i18n::try_t(lang, &format!("audit-field-{field}")).unwrap_or_else(|| field.to_string())
}

/// The area (entity type) through the catalog.
pub fn area_name(lang: Lang, entity_type: &str) -> String {
    i18n::try_t(lang, &format!("audit-area-{entity_type}"))
        .unwrap_or_else(|| i18n::t(lang, "audit-area-other"))
}

/// The catalog key of an action's message: `prefix` and the action with
/// its dot as a dash (Fluent names have no dots): `audit-sentence-document-signed`.
pub fn action_key(prefix: &str, action: &str) -> String {
    format!("{prefix}{}", action.replace('.', "-"))
}

/// The short label of an action, for the filter.
pub fn action_name(lang: Lang, action: &str) -> String {
    i18n::try_t(lang, &action_key("audit-action-", action))
        .unwrap_or_else(|| i18n::t(lang, "audit-action-other"))
}

/// A value of a record's field as the form writes it: a choice by its
/// label, the deviations by their fields' labels.
fn record_value(
    lang: Lang,
    tz: chrono_tz::Tz,
    dir: &Directory,
    form: &FormDef,
    field: &str,
    v: &Value,
) -> Shown {
    let label_of = |key: &str| -> Option<String> {
        if field == "deviations" {
            return form
                .field(key)
                .map(|f| f.label.get(lang.code()).to_string());
        }
        let option = form.field(field)?.option(key)?;
        Some(option.label.get(lang.code()).to_string())
    };
    match v {
        Value::String(key) => label_of(key)
            .map(Shown::text)
            .unwrap_or_else(|| readable(lang, tz, dir, "record", field, v)),
        Value::Array(items) if items.iter().all(Value::is_string) && !items.is_empty() => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|k| label_of(k).unwrap_or_else(|| k.to_string()))
                .collect();
            Shown::text(parts.join(", "))
        }
        _ => readable(lang, tz, dir, "record", field, v),
    }
}

/// The changed fields of an event as rows.
pub fn change_rows(
    lang: Lang,
    tz: chrono_tz::Tz,
    dir: &Directory,
    e: &AuditEvent,
    changes: &Value,
) -> Vec<ChangeRow> {
    let entity_type = e.entity_type.as_str();
    let form = match entity_type {
        "record" => dir.forms.get(&e.entity_id).map(|f| f.as_ref()),
        _ => None,
    };
    let Some(fields) = changes.as_object() else {
        if changes.is_null() {
            return Vec::new();
        }
        return vec![ChangeRow {
            field: i18n::t(lang, "audit-field-detail"),
            before: None,
            after: readable(lang, tz, dir, entity_type, "", changes),
        }];
    };
    fields
        .iter()
        .map(|(name, v)| {
            let show = |v: &Value| match form {
                Some(f) => record_value(lang, tz, dir, f, name, v),
                None => readable(lang, tz, dir, entity_type, name, v),
            };
            let (before, after) = match v.as_object() {
                Some(o) if is_diff(o) => (
                    Some(show(o.get("before").unwrap_or(&Value::Null))),
                    show(o.get("after").unwrap_or(&Value::Null)),
                ),
                _ => (None, show(v)),
            };
            let own = form
                .and_then(|f| f.field(name))
                .map(|f| f.label.get(lang.code()).to_string());
            ChangeRow {
                field: own.unwrap_or_else(|| field_name(lang, name)),
                before,
                after,
            }
        })
        .collect()
}

/// The event as a sentence in `lang`.
pub fn sentence(lang: Lang, tz: chrono_tz::Tz, dir: &Directory, e: &AuditEvent) -> String {
    let changes: Value = serde_json::from_str(&e.changes).unwrap_or(Value::Null);
    let mut args: Vec<(&'static str, String)> =
        DEFAULT_FACTS.iter().map(|k| (*k, String::new())).collect();
    if let Some(fields) = changes.as_object() {
        for (name, v) in fields {
            let Some(key) = DEFAULT_FACTS.iter().find(|k| **k == name.as_str()) else {
                continue;
            };
            let value = after(Some(v)).unwrap_or(&Value::Null);
            let text = match value {
                // A fact left open ("no disposition yet") may have words of its own.
                Value::Null => {
                    i18n::try_t(lang, &format!("audit-fact-none-{name}")).unwrap_or_default()
                }
                v => readable(lang, tz, dir, &e.entity_type, name, v).text,
            };
            if let Some(slot) = args.iter_mut().find(|(k, _)| k == key) {
                slot.1 = text;
            }
        }
    }
    args.push(("actor", dir.actor(lang, e)));
    args.push(("entity", dir.entity(lang, e, &changes)));
    let key = action_key("audit-sentence-", &e.action);
    let text = i18n::try_t_args(lang, &key, &args);
    match text {
        // A message naming a fact the event lacks would show `{$fact}`.
        Some(t) if !t.contains("{$") => t,
        _ => {
            args.push(("action", action_name(lang, &e.action)));
            i18n::t_args(lang, "audit-sentence-other", &args)
        }
    }
}

/// A page of events made readable in `lang`.
pub fn readable_events(
    lang: Lang,
    tz: chrono_tz::Tz,
    dir: &Directory,
    events: &[AuditEvent],
) -> Vec<ReadableEvent> {
    events
        .iter()
        .map(|e| {
            let changes: Value = serde_json::from_str(&e.changes).unwrap_or(Value::Null);
            ReadableEvent {
                seq: e.seq,
                occurred_at: e.occurred_at,
                actor: dir.actor(lang, e),
                actor_name: e.actor_name.clone(),
                area: area_name(lang, &e.entity_type),
                entity_type: e.entity_type.clone(),
                entity_id: e.entity_id.clone(),
                sentence: sentence(lang, tz, dir, e),
                changes: change_rows(lang, tz, dir, e, &changes),
                hash: e.hash.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        action: &str,
        entity_type: &str,
        id: &str,
        summary: &str,
        changes: &str,
    ) -> AuditEvent {
        AuditEvent {
            seq: 1,
            occurred_at: chrono::NaiveDateTime::default(),
            actor_id: None,
            actor_name: "system:scheduler".into(),
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id: id.into(),
            summary: summary.into(),
            changes: changes.into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_revision_comes_from_the_changes_or_the_summary() {
        let e = event(
            "document.signed",
            "document",
            "QP-003",
            "olli signed QP-003 r12 as approved",
            "{}",
        );
        assert_eq!(revision_of(&e, &Value::Null), Some(12));
        let e = event(
            "document.acknowledged",
            "document",
            "QP-003",
            "",
            r#"{"rev":{"before":null,"after":2}}"#,
        );
        let c: Value = serde_json::from_str(&e.changes).unwrap();
        assert_eq!(revision_of(&e, &c), Some(2));
        let e = event(
            "document.created",
            "document",
            "QP-003",
            "created QP-003 Rules",
            "{}",
        );
        assert_eq!(revision_of(&e, &Value::Null), None);
    }

    #[test]
    fn the_scheduler_reads_as_laatu() {
        let dir = Directory::default();
        let e = event(
            "nonconformity.overdue",
            "nonconformity",
            "NC-2026-013",
            "",
            "{}",
        );
        assert_eq!(dir.actor(Lang::En, &e), "Laatu (scheduled check)");
        assert_eq!(dir.actor(Lang::Fi, &e), "Laatu (ajastettu tarkistus)");
    }

    #[test]
    fn values_are_readable() {
        let dir = Directory::default();
        let tz = chrono_tz::UTC;
        let hash = "0df0e68fee0961a82e486f682d2887985e7faca56d8cdeb00f189233a44e9883";
        let s = readable(Lang::Fi, tz, &dir, "kpi", "value", &serde_json::json!(97.4));
        assert_eq!(s.text, "97,4");
        let s = readable(
            Lang::En,
            tz,
            &dir,
            "x",
            "sha256",
            &Value::String(hash.into()),
        );
        assert_eq!(
            (s.text.as_str(), s.full.as_deref()),
            ("0df0e68fee09", Some(hash))
        );
        let s = readable(
            Lang::Fi,
            tz,
            &dir,
            "x",
            "due_on",
            &Value::String("2026-12-13".into()),
        );
        assert_eq!(s.text, "13.12.2026");
        let s = readable(
            Lang::En,
            tz,
            &dir,
            "x",
            "route",
            &serde_json::json!([{"n": 1}]),
        );
        assert!(s.block && s.text.contains("\"n\": 1"), "{s:?}");
    }
}
