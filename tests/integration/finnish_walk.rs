//! Finnish all the way: a real browser walks the main pages of the demo in
//! Finnish as the quality manager, a process owner, a staff member and an
//! auditor, and fails, naming the page and the text, when something shown
//! is English or an internal code: a text node (or a button, an option, a
//! placeholder, a tooltip) that is an English catalog message whose Finnish
//! message differs, or an English sentence of the catalog with its values
//! filled in, a snake_case code (`use_as_is`), an audit action
//! (`document.created`), an actor as recorded (`system:scheduler`), a
//! period or date as the code writes it ("2026-05"), or a number with a
//! decimal point before a unit ("97.4 %", "2.3 h").
//!
//! Screenshots of every page, wide and narrow, are saved under the target
//! folder's `screenshots/fi-walk-*`.

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, TestApp, changes, spawn_demo_app};

/// Words that read the same to a Finnish quality manager, or that are
/// names of formats, so an English message made of them alone is fine.
const TECHNICAL: &[&str] = &[
    "ID", "CSV", "XLSX", "SVG", "KPI", "NC", "OK", "PDF", "API", "JSON", "URL", "SMTP", "ISO",
    "Laatu", "Git", "git", "E-mail", "–", "—", "·", "#",
];

/// The messages of one language's catalog: `key = value` lines only
/// (continuations, attributes and comments are left out).
fn catalog(lang: &str) -> BTreeMap<String, String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/i18n/locales")
        .join(lang);
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("catalog folder") {
        let path = entry.expect("catalog file").path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("catalog text");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with([' ', '\t', '#', '.']) {
                continue;
            }
            let Some((key, value)) = line.split_once(" = ") else {
                continue;
            };
            let continued = lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with([' ', '\t']));
            if continued || value.trim().is_empty() {
                continue;
            }
            out.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    out
}

/// What gives English away: exact messages, and the sentences with values
/// (as JavaScript regular expressions built from their literal parts).
struct English {
    exact: BTreeMap<String, String>,
    sentences: Vec<(String, String)>,
    /// Coded values (`closed`, `use_as_is`, `pcs`) by the message that
    /// names them: the part of its key after a prefix of coded values.
    codes: BTreeMap<String, String>,
    /// Units as English writes them where Finnish writes them otherwise
    /// ("pcs", not "kpl").
    units: Vec<String>,
}

/// Catalog prefixes of messages that name a coded value.
const CODED: &[&str] = &[
    "nc-status-",
    "nc-kind-",
    "nc-severity-",
    "nc-disposition-",
    "nc-cause-",
    "nc-check-",
    "nc-action-",
    "docstatus-",
    "revstatus-",
    "kind-",
    "role-",
    "pstatus-",
    "training-",
    "comp-status-",
    "meaning-",
    "records-meaning-",
    "unit-",
];

fn escape_regex(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The literal parts of a message with `{ $variables }`, or `None` for a
/// message with selectors or message references.
fn literal_parts(value: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        parts.push(rest[..open].to_string());
        let close = rest[open..].find('}')? + open;
        let inner = rest[open + 1..close].trim();
        if !inner.starts_with('$') || inner.contains("->") {
            return None;
        }
        rest = &rest[close + 1..];
    }
    parts.push(rest.to_string());
    Some(parts)
}

fn english() -> English {
    let en = catalog("en");
    let fi = catalog("fi");
    let mut exact = BTreeMap::new();
    let mut sentences = Vec::new();
    let mut codes = BTreeMap::new();
    let mut units = Vec::new();
    for (key, value) in &en {
        let Some(finnish) = fi.get(key) else {
            continue;
        };
        if key.starts_with("unit-") && finnish != value {
            units.push(value.clone());
        }
        let code = CODED.iter().find_map(|p| key.strip_prefix(p));
        if let Some(code) = code
            && code.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && finnish != code
        {
            codes.insert(code.to_string(), key.clone());
        }
        // A text that some Finnish message also is (the language picker's
        // "English") is not English left over.
        if finnish == value
            || TECHNICAL.contains(&value.as_str())
            || fi.values().any(|f| f == value)
        {
            continue;
        }
        if !value.contains('{') {
            exact.insert(value.clone(), key.clone());
            continue;
        }
        // A sentence with values: its literal words, in order, with
        // anything between them. Only sentences with enough words of their
        // own to be recognised (not "{ $n } ({ $code })").
        let Some(parts) = literal_parts(value) else {
            continue;
        };
        let letters: usize = parts
            .iter()
            .map(|p| p.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        let words = parts
            .iter()
            .flat_map(|p| p.split_whitespace())
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            .count();
        if letters < 8 || words < 2 {
            continue;
        }
        let pattern = parts
            .iter()
            .map(|p| escape_regex(p))
            .collect::<Vec<_>>()
            .join(".+");
        sentences.push((format!("^{pattern}$"), key.clone()));
    }
    English {
        exact,
        sentences,
        codes,
        units,
    }
}

/// The texts a person sees on the page, and which of them match a pattern
/// of something left untranslated, as `[text, why]`.
const COLLECT: &str = r#"
const sentences = arguments[0].map(([p, key]) => [new RegExp(p), key]);
const units = arguments[1].map(u => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const skip = el => el && el.closest('script, style, pre, code, textarea, noscript, .doc-content, .markdown');
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode())) {
  const t = node.nodeValue.replace(/\s+/g, ' ').trim();
  if (t && !skip(node.parentElement)) texts.push(t);
}
// A placeholder shows what to type, in the form the input takes
// ("2026-05"): only words are checked in it.
const typed = [];
for (const el of document.querySelectorAll('[placeholder]')) {
  const v = el.getAttribute('placeholder').replace(/\s+/g, ' ').trim();
  if (v && !skip(el)) typed.push(v);
}
for (const el of document.querySelectorAll('[title], [aria-label], input[type=submit], input[type=button]')) {
  if (skip(el)) continue;
  for (const a of ['title', 'aria-label']) {
    const v = (el.getAttribute(a) || '').replace(/\s+/g, ' ').trim();
    if (v) texts.push(v);
  }
  if (el.matches('input[type=submit], input[type=button]') && el.value.trim()) texts.push(el.value.trim());
}
if (document.title.trim()) texts.push(document.title.trim());
const codes = [
  [/\b[a-z]+(?:_[a-z0-9]+)+\b/, 'a snake_case code'],
  [/\b(?:document|nonconformity|kpi|process|record|record_schedule|training|certification|competence|user|session|api_token|form|mail|acknowledgement|login|audit)\.[a-z_]+\b/, 'an audit action code'],
  [/\bsystem:[a-z]+\b/, 'an actor as recorded'],
  [/\d+\.\d+\s?(?:%|(?:h|pcs|kpl|d|pv|min|mm|kg)\b)/, 'a decimal point'],
  // A value with its unit: a text of its own, or after a label ("Tavoite: 1 kpl").
  [new RegExp('(?:^|: )[\u2212-]?\\d[\\d\\s.,]*(?:' + units.join('|') + ')(?![\\p{L}])', 'u'), 'a unit in English'],
  [/\b\d{4}-(?:\d{2}|Q\d|W\d{2})\b/, 'a period or date as code'],
  [/Unknown localization|^[a-z]+(?:-[a-z0-9_]+){2,}$/, 'a catalog key'],
];
const found = [];
for (const t of typed) {
  for (const [re, why] of codes) if (why !== 'a period or date as code' && re.test(t)) found.push([t, why]);
}
texts.push(...typed);
for (const t of texts.slice(0, texts.length - typed.length)) {
  for (const [re, why] of codes) if (re.test(t)) found.push([t, why]);
  for (const [re, key] of sentences) if (re.test(t)) found.push([t, 'the English sentence ' + key]);
}
return { texts, found };
"#;

/// What the demo's people and processes are called: data, which may be
/// English ("Johtaminen / Management") without the page being so.
struct Data {
    /// Names of processes and people, and any part of them a line break
    /// may leave alone in a text node.
    names: Vec<String>,
    /// Usernames of people whose display name is another, with that name.
    usernames: BTreeMap<String, String>,
}

impl Data {
    fn is_data(&self, text: &str) -> bool {
        self.names.iter().any(|n| n.contains(text))
    }

    /// The usernames in `text` that stand for a person: words alone, not
    /// in an e-mail address, nor after the person's name to tell two
    /// people apart ("Pekka Virtanen (pekka)").
    fn usernames_in<'t>(&self, text: &'t str) -> Vec<&'t str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '@' || c == '.' || c == '_'))
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| {
                self.usernames
                    .get(*w)
                    .is_some_and(|name| !text.contains(&format!("{name} ({w})")))
            })
            .collect()
    }
}

/// One page walked: its path, and a short name for its screenshots.
struct Stop {
    name: String,
    path: String,
}

fn stop(name: &str, path: &str) -> Stop {
    Stop {
        name: name.into(),
        path: path.into(),
    }
}

/// What was found on one page, as lines of a report.
async fn look(
    browser: &fantoccini::Client,
    app: &TestApp,
    who: &str,
    s: &Stop,
    english: &English,
    sentences: &Value,
    data: &Data,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    browser.goto(&app.url(&s.path)).await?;
    browser.wait().for_element(Locator::Css("footer")).await?;
    let lang = browser
        .find(Locator::Css("html"))
        .await?
        .attr("lang")
        .await?;
    let mut report = Vec::new();
    if lang.as_deref() != Some("fi") {
        report.push(format!("{who} {}: the page is not in Finnish", s.path));
    }
    let seen = browser
        .execute(COLLECT, vec![sentences.clone(), json!(english.units)])
        .await?;
    let texts: Vec<String> = serde_json::from_value(seen["texts"].clone()).unwrap_or_default();
    // What was read, for a person to look over next to the screenshots.
    let dump = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dump).expect("screenshot folder");
    std::fs::write(
        dump.join(format!("fi-walk-{who}-{}.txt", s.name)),
        texts.join("\n"),
    )
    .expect("texts written");
    let mut lines = BTreeSet::new();
    for t in &texts {
        if let Some(key) = english.exact.get(t)
            && !data.is_data(t)
        {
            lines.insert(format!("{who} {}: `{t}` is the English `{key}`", s.path));
        }
        if let Some(key) = english.codes.get(t) {
            lines.insert(format!("{who} {}: `{t}` is the code of `{key}`", s.path));
        }
        {
            for u in data.usernames_in(t) {
                lines.insert(format!("{who} {}: `{t}` names `{u}` by username", s.path));
            }
        }
    }
    for hit in seen["found"].as_array().into_iter().flatten() {
        let text = hit[0].as_str().unwrap_or_default();
        let why = hit[1].as_str().unwrap_or_default();
        if why.starts_with("the English sentence") && data.is_data(text) {
            continue;
        }
        lines.insert(format!("{who} {}: `{text}` has {why}", s.path));
    }
    report.extend(lines);
    assert!(
        texts.len() > 10,
        "{who} {}: the page shows hardly anything",
        s.path
    );
    for (w, h, size) in [(1400, 1000, "wide"), (390, 844, "narrow")] {
        browser.set_window_size(w, h).await?;
        let png = browser.screenshot().await?;
        screenshot(&format!("fi-walk-{who}-{}-{size}.png", s.name), png);
    }
    Ok(report)
}

/// Switches the language selector to Finnish and waits for the page to be
/// in Finnish.
async fn to_finnish(browser: &fantoccini::Client) -> Result<(), fantoccini::error::CmdError> {
    browser
        .find(Locator::Css("#lang-select"))
        .await?
        .select_by_value("fi")
        .await?;
    browser
        .find(Locator::Css("form.lang button"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::Css("html[lang=fi]"))
        .await?;
    Ok(())
}

async fn api(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.expect("request");
    assert!(res.status().is_success(), "GET {path}: {}", res.status());
    res.json().await.expect("json")
}

/// The names of the demo's processes and people.
async fn data(app: &TestApp) -> Data {
    let admin = app.admin().await;
    let processes = api(app, &admin, "/api/v1/processes?per_page=200").await;
    let users = api(app, &admin, "/api/v1/users?per_page=200").await;
    let mut names = Vec::new();
    let mut usernames = BTreeMap::new();
    for p in processes["items"].as_array().expect("processes") {
        names.push(p["name"].as_str().unwrap_or_default().to_string());
    }
    for u in users["items"].as_array().expect("users") {
        let username = u["username"].as_str().unwrap_or_default();
        let display = u["display_name"].as_str().unwrap_or_default();
        names.push(display.to_string());
        if !display.is_empty() && display != username {
            usernames.insert(username.to_string(), display.to_string());
        }
    }
    assert!(
        usernames.contains_key("pekka"),
        "the demo's people: {usernames:?}"
    );
    Data { names, usernames }
}

/// The cases whose history has the most to translate: a disposition used
/// as is, a case marked late by the scheduler, and one closed.
async fn cases(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    let decided = app
        .audit_events("action=nonconformity.disposition_decided")
        .await;
    let as_is = decided.iter().find(|e| {
        let c = changes(e);
        c["disposition"]["after"] == "use_as_is" || c["disposition"] == "use_as_is"
    });
    if let Some(e) = as_is.or(decided.first()) {
        out.push(e["entity_id"].as_str().unwrap().to_string());
    }
    for action in ["nonconformity.overdue", "nonconformity.closed"] {
        let events = app.audit_events(&format!("action={action}")).await;
        if let Some(e) = events.first() {
            out.push(e["entity_id"].as_str().unwrap().to_string());
        }
    }
    out.dedup();
    assert!(
        !out.is_empty(),
        "the demo has nonconformities with a history"
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_are_finnish_all_the_way() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let password = laatu::demo::DEMO_PASSWORD;
    let laura = app.login("laura", password).await;

    let docs = api(
        &app,
        &laura,
        "/api/v1/documents?status=effective&per_page=50",
    )
    .await;
    let document = docs["items"]
        .as_array()
        .and_then(|items| items.iter().find(|d| d["kind"] != "form").or(items.first()))
        .and_then(|d| d["number"].as_str())
        .expect("an effective document")
        .to_string();
    // The calibration record (decimals, °C) and the final inspection (a
    // quantity in pieces).
    let mut records = Vec::new();
    for form in ["FORM-002", "FORM-005"] {
        let list = api(
            &app,
            &laura,
            &format!("/api/v1/forms/{form}/records?per_page=1"),
        )
        .await;
        let number = list["items"][0]["number"]
            .as_str()
            .unwrap_or_else(|| panic!("a record of {form}"))
            .to_string();
        records.push((form, number));
    }
    let ncs = cases(&app).await;
    let data = data(&app).await;

    let mut common = vec![
        stop("home", "/"),
        stop("documents", "/documents"),
        stop("document", &format!("/documents/{document}")),
        stop("processes", "/processes"),
        stop("process", "/processes/PROD"),
        stop("map", "/processes/map"),
        stop("ncs", "/nonconformities"),
    ];
    for (i, n) in ncs.iter().enumerate() {
        common.push(stop(&format!("nc-{i}"), &format!("/nonconformities/{n}")));
    }
    common.push(stop("forms", "/forms"));
    for (form, record) in &records {
        common.push(stop(&format!("register-{form}"), &format!("/forms/{form}")));
        common.push(stop(
            &format!("record-{form}"),
            &format!("/records/{record}"),
        ));
    }
    common.extend([
        stop("fill", "/forms/FORM-005/fill?process=PROD"),
        stop("tasks", "/tasks"),
        stop("competence", "/competence"),
        stop("account", "/account"),
    ]);
    let managers = [
        stop("nc-stats", "/nonconformities/stats"),
        stop("audit", "/audit"),
    ];
    let walks: Vec<(&str, Vec<&Stop>)> = vec![
        ("laura", common.iter().chain(managers.iter()).collect()),
        ("aino", common.iter().chain(managers.iter()).collect()),
        ("pekka", common.iter().collect()),
        ("emma", common.iter().collect()),
    ];

    let english = english();
    assert!(
        english.exact.len() > 300 && english.sentences.len() > 50,
        "the catalogs are read: {} messages, {} sentences",
        english.exact.len(),
        english.sentences.len()
    );
    let sentences = json!(english.sentences);
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        let mut report = Vec::new();
        for (who, stops) in &walks {
            browser.set_window_size(1400, 1000).await?;
            browser_login(&browser, &app, who, password).await?;
            to_finnish(&browser).await?;
            for s in stops {
                report.extend(look(&browser, &app, who, s, &english, &sentences, &data).await?);
            }
            browser.set_window_size(1400, 1000).await?;
            browser
                .find(Locator::Css("form[action='/logout'] button"))
                .await?
                .click()
                .await?;
            browser
                .wait()
                .for_element(Locator::Css("input[name=username]"))
                .await?;
        }
        Ok::<_, fantoccini::error::CmdError>(report)
    }
    .await;
    browser.close().await.ok();
    let report = result.expect("browser steps");
    assert!(
        report.is_empty(),
        "English or codes on Finnish pages:\n{}",
        report.join("\n")
    );
}
