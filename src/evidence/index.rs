//! `index.html` of a bundle: opens offline (no network, no script, its
//! style inline), links every file, and maps each clause of ISO 9001 (the
//! rows of [`CLAUSES`]) to the files that evidence it, saying plainly where
//! there is none. In the export's language.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDateTime;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tera::escape_html as esc;

use super::clauses::CLAUSES;
use super::export::{ExportScope, IndexEntry, rows_of};
use super::{AUDIT_EVENTS, AUDIT_SEGMENT, MANIFEST};
use crate::i18n::{self, t, t_args};

/// What a path segment may not hold unescaped in an `href`.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// A bundle path as a relative link (each segment percent-encoded).
pub fn href(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The style of the index and of every page of the bundle, inline.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;line-height:1.45;color:#1a1a1a}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#f2f2f2}td ul{margin:0;padding-left:1.1rem}.none{color:#8a1c1c;font-style:italic}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\
code{overflow-wrap:anywhere}a{color:#0b5394;overflow-wrap:anywhere}\
.scroll{overflow-x:auto}\
@media (max-width:40rem){th,td{padding:.3rem}body{padding:.6rem}\
table.clauses,table.clauses tbody,table.clauses tr,table.clauses td{display:block;width:auto}\
table.clauses thead{display:none}table.clauses tr{border:1px solid #ccc;margin-bottom:.6rem}\
table.clauses td{border:none}table.clauses td:first-child{font-weight:600;padding-bottom:0}}";

/// A whole page of the bundle around `body`, titled `title`.
pub fn page(lang: i18n::Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>\n",
        lang.code(),
        esc(title)
    )
}

fn link(from_root: &str, title: &str) -> String {
    format!("<a href=\"{}\">{}</a>", href(from_root), esc(title))
}

/// Renders `index.html` for the files of `index`, exported by `who` at `at`.
pub fn render(scope: &ExportScope, index: &[IndexEntry], who: &str, at: NaiveDateTime) -> String {
    let lang = scope.lang;
    let mut b = String::new();
    let title = t(lang, "evidence-index-title");
    let _ = write!(b, "<h1>{}</h1>", esc(&title));
    let all = t(lang, "evidence-all");
    let clauses = if scope.clauses.is_empty() {
        all.clone()
    } else {
        scope.clauses.join(", ")
    };
    let processes = if scope.processes.is_empty() {
        all
    } else {
        scope
            .processes
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        b,
        "<dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} – {}</dd><dt>{}</dt><dd>{}</dd>\
<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        esc(&t(lang, "evidence-as-of")),
        esc(&i18n::format_day(lang, scope.as_of)),
        esc(&t(lang, "evidence-period")),
        esc(&i18n::format_day(lang, scope.from)),
        esc(&i18n::format_day(lang, scope.to)),
        esc(&t(lang, "evidence-clauses")),
        esc(&clauses),
        esc(&t(lang, "evidence-processes")),
        esc(&processes),
        esc(&t(lang, "evidence-exported-by")),
        esc(who),
        esc(&t(lang, "evidence-exported-at")),
        esc(&i18n::format_datetime(lang, scope.tz, &at)),
    );
    let _ = write!(
        b,
        "<p>{}</p>",
        esc(&t_args(
            lang,
            "evidence-index-verify",
            &[("manifest", MANIFEST.to_string())]
        ))
    );
    // Clause by clause.
    let mut by_clause: BTreeMap<&str, Vec<&IndexEntry>> = BTreeMap::new();
    for e in index {
        for row in rows_of(&e.clauses) {
            by_clause.entry(row.id).or_default().push(e);
        }
    }
    let _ = write!(
        b,
        "<h2 id=\"clauses\">{}</h2><div class=\"scroll\"><table class=\"clauses\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&t(lang, "evidence-by-clause")),
        esc(&t(lang, "evidence-clause")),
        esc(&t(lang, "evidence-what")),
        esc(&t(lang, "evidence-files")),
    );
    for c in CLAUSES {
        if !scope.wants(&[c.id]) {
            continue;
        }
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>",
            esc(c.id),
            esc(&t(lang, c.key))
        );
        match by_clause.get(c.id) {
            None => {
                let _ = write!(
                    b,
                    "<span class=\"none\">{}</span>",
                    esc(&t(lang, "evidence-none"))
                );
            }
            Some(files) => {
                b.push_str("<ul>");
                for e in files {
                    let _ = write!(b, "<li>{}</li>", link(&e.path, &e.title));
                }
                b.push_str("</ul>");
            }
        }
        b.push_str("</td></tr>");
    }
    b.push_str("</tbody></table></div>");
    // Every file, by section.
    let _ = write!(
        b,
        "<h2 id=\"files\">{}</h2>",
        esc(&t(lang, "evidence-all-files"))
    );
    let mut sections: Vec<&'static str> = Vec::new();
    for e in index {
        if !sections.contains(&e.section) {
            sections.push(e.section);
        }
    }
    for s in sections {
        let _ = write!(b, "<h3>{}</h3><ul>", esc(&t(lang, s)));
        for e in index.iter().filter(|e| e.section == s) {
            let _ = write!(b, "<li>{}</li>", link(&e.path, &e.title));
        }
        b.push_str("</ul>");
    }
    let _ = write!(
        b,
        "<h3>{}</h3><ul><li>{}</li><li>{}</li><li>{}</li></ul>",
        esc(&t(lang, "evidence-section-integrity")),
        link(AUDIT_EVENTS, &t(lang, "evidence-file-audit-events")),
        link(AUDIT_SEGMENT, &t(lang, "evidence-file-audit-segment")),
        link(MANIFEST, &t(lang, "evidence-file-manifest")),
    );
    page(lang, &title, &b)
}
