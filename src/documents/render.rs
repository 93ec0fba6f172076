//! Markdown to sanitised HTML: what a document shows in the browser.
//! Scripts, event handlers, `javascript:` and `data:` URLs never pass.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// A heading's anchor: lower-case ASCII letters, digits and hyphens
/// (Finnish ä, ö, å become a, o, a), unique within the document.
fn slug(text: &str, seen: &mut HashSet<String>) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ä' | 'å' | 'á' | 'à' => 'a',
            'ö' | 'ó' | 'ò' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let base = s.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 1;
    while !seen.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Renders Markdown to HTML that is safe to show: sanitised with ammonia,
/// headings carrying `id="h-<slug>"` anchors.
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut seen = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[i] {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let anchor = slug(&text, &mut seen);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor));
            }
        }
        i += 1;
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let mut cleaner = ammonia::Builder::default();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        cleaner.add_tag_attributes(h, &["id"]);
    }
    cleaner
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tags(&["input"])
        .id_prefix(Some("h-"))
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    cleaner.clean(&html).to_string()
}

/// The words of a Markdown text without markup, for the search index.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for e in Parser::new_ext(markdown, options()) {
        match e {
            Event::Text(t) | Event::Code(t) => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let html = markdown_to_safe_html(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) [y](data:text/html,hi)\n\n<iframe src=\"https://e.x\"></iframe><style>p{}</style>",
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "<style",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("Hi"));
    }

    #[test]
    fn tables_links_and_heading_anchors() {
        let html = markdown_to_safe_html(
            "# Pääotsikko Ö\n\n## Scope\n\n## Scope\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.fi)",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains(r#"id="h-paaotsikko-o""#), "{html}");
        assert!(
            html.contains(r#"id="h-scope""#) && html.contains(r#"id="h-scope-2""#),
            "{html}"
        );
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
    }

    #[test]
    fn plain_text_has_no_markup() {
        assert_eq!(
            plain_text("# Title\n\nSome *emphasis* and `code`.\n\n- item"),
            "Title Some emphasis and code . item"
        );
    }
}
