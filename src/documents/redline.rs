//! Word-level redlines between two revisions' Markdown.

use similar::{ChangeTag, TextDiff};

/// HTML of the new text with deletions in `<del>` and additions in `<ins>`,
/// word by word. All text is escaped; newlines are kept, so show the result
/// inside `<pre class="redline">`.
pub fn redline_html(old: &str, new: &str) -> String {
    let diff = TextDiff::configure().diff_unicode_words(old, new);
    let mut out = String::with_capacity(new.len() + new.len() / 4);
    let mut run: Option<ChangeTag> = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        if run != Some(tag) {
            close(&mut out, run);
            match tag {
                ChangeTag::Delete => out.push_str("<del>"),
                ChangeTag::Insert => out.push_str("<ins>"),
                ChangeTag::Equal => {}
            }
            run = Some(tag);
        }
        escape_into(&mut out, change.value());
    }
    close(&mut out, run);
    out
}

fn close(out: &mut String, run: Option<ChangeTag>) {
    match run {
        Some(ChangeTag::Delete) => out.push_str("</del>"),
        Some(ChangeTag::Insert) => out.push_str("</ins>"),
        _ => {}
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// How many words a redline adds and removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedlineStats {
    /// Words the new text adds.
    pub words_added: usize,
    /// Words the new text removes.
    pub words_removed: usize,
}

/// Counts the words `new` adds to and removes from `old`.
pub fn redline_stats(old: &str, new: &str) -> RedlineStats {
    let diff = TextDiff::configure().diff_unicode_words(old, new);
    let mut stats = RedlineStats {
        words_added: 0,
        words_removed: 0,
    };
    for c in diff.iter_all_changes() {
        if c.value().trim().is_empty() {
            continue;
        }
        match c.tag() {
            ChangeTag::Insert => stats.words_added += 1,
            ChangeTag::Delete => stats.words_removed += 1,
            ChangeTag::Equal => {}
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_insertions_deletions_and_replacements() {
        let html = redline_html("buy from suppliers", "buy from approved suppliers");
        assert_eq!(html, "buy from <ins>approved </ins>suppliers");
        let html = redline_html("check each lot twice", "check each lot");
        assert!(
            html.contains("<del>") && html.ends_with("lot<del> twice</del>"),
            "{html}"
        );
        let html = redline_html("five days", "ten days");
        assert_eq!(html, "<del>five</del><ins>ten</ins> days");
    }

    #[test]
    fn escapes_markup_and_leaves_identical_text_alone() {
        let html = redline_html("a", "a <script>x</script>");
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script>"),
            "{html}"
        );
        assert_eq!(redline_html("same\ntext", "same\ntext"), "same\ntext");
    }

    #[test]
    fn counts_words() {
        let s = redline_stats("one two three", "one two three four five");
        assert_eq!(
            s,
            RedlineStats {
                words_added: 2,
                words_removed: 0
            }
        );
        let s = redline_stats("one two three", "one three");
        assert_eq!(
            s,
            RedlineStats {
                words_added: 0,
                words_removed: 1
            }
        );
    }
}
