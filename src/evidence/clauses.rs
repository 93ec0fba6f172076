//! The clauses of ISO 9001:2015 whose documented information Laatu keeps,
//! one per row of the table in `docs/ISO9001.md` (a copy of the shared
//! list), in that order. The export's index, its clause filter and the
//! clause pages go over this table; `the_table_is_true_to_iso9001_md`
//! reads the copy at compile time and fails when the two part.

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    /// The clause as the standard's table writes it (`4.4.2 a`, `10.2.2`).
    pub id: &'static str,
    /// `M` (maintain: a controlled document), `R` (retain: a record),
    /// `M+R`, or `-` (monitored, no mandatory record).
    pub kind: &'static str,
    /// The catalog key of what it asks for (`evidence-clause-<slug>`).
    pub key: &'static str,
}

macro_rules! clauses {
    ($(($id:literal, $kind:literal, $key:literal),)*) => {
        /// Every row, in the order of `ISO9001.md`.
        pub const CLAUSES: &[Clause] = &[$(Clause { id: $id, kind: $kind, key: $key }),*];
    };
}

clauses! {
    ("4.3", "M", "evidence-clause-4-3"),
    ("4.4.2 a", "M", "evidence-clause-4-4-2-a"),
    ("4.4.2 b", "R", "evidence-clause-4-4-2-b"),
    ("5.2.2", "M", "evidence-clause-5-2-2"),
    ("6.2.1", "M", "evidence-clause-6-2-1"),
    ("7.1.5.1", "R", "evidence-clause-7-1-5-1"),
    ("7.1.5.2", "R", "evidence-clause-7-1-5-2"),
    ("7.2 d", "R", "evidence-clause-7-2-d"),
    ("8.1 e", "M+R", "evidence-clause-8-1-e"),
    ("8.2.3.2", "R", "evidence-clause-8-2-3-2"),
    ("8.3.2-8.3.6", "R", "evidence-clause-8-3"),
    ("8.4.1", "R", "evidence-clause-8-4-1"),
    ("8.5.1 a", "M", "evidence-clause-8-5-1-a"),
    ("8.5.2", "R", "evidence-clause-8-5-2"),
    ("8.5.3", "R", "evidence-clause-8-5-3"),
    ("8.5.6", "R", "evidence-clause-8-5-6"),
    ("8.6", "R", "evidence-clause-8-6"),
    ("8.7.2", "R", "evidence-clause-8-7-2"),
    ("9.1.1", "R", "evidence-clause-9-1-1"),
    ("9.1.2", "-", "evidence-clause-9-1-2"),
    ("9.2.2 f", "R", "evidence-clause-9-2-2-f"),
    ("9.3.3", "R", "evidence-clause-9-3-3"),
    ("10.2.2", "R", "evidence-clause-10-2-2"),
}

/// The copy of the shared clause list the table is checked against.
pub const ISO9001_MD: &str = include_str!("../../docs/ISO9001.md");

/// Whether `asked` (what a person types or a template names: `7.2`,
/// `10.2`, `8.3`, `7.2 d`) covers the clause `id`: the same, or a
/// parent of it (followed by `.`, a space or `-`). `8.3` covers
/// `8.3.2-8.3.6`; `8.3.4` covers it too, as the row spans it.
pub fn covers(asked: &str, id: &str) -> bool {
    let asked = asked.trim();
    if asked.is_empty() {
        return false;
    }
    if asked == id {
        return true;
    }
    if let Some(rest) = id.strip_prefix(asked)
        && rest.starts_with(['.', ' ', '-'])
    {
        return true;
    }
    // A span `a-b` covers what lies within it at the depth of its ends.
    if let Some((lo, hi)) = id.split_once('-') {
        let depth = lo.split('.').count();
        let parts: Vec<&str> = asked.split('.').collect();
        if parts.len() >= depth {
            let head = parts[..depth].join(".");
            return in_span(&head, lo, hi);
        }
    }
    false
}

fn numbers(s: &str) -> Option<Vec<u32>> {
    s.split('.').map(|p| p.parse().ok()).collect()
}

fn in_span(x: &str, lo: &str, hi: &str) -> bool {
    match (numbers(x), numbers(lo), numbers(hi)) {
        (Some(x), Some(lo), Some(hi)) => lo <= x && x <= hi,
        _ => false,
    }
}

/// The rows `asked` covers, or that cover it (a template naming `7.2`
/// evidences `7.2 d`; one naming `10.2.2.1` evidences `10.2.2`).
pub fn rows_for(asked: &str) -> impl Iterator<Item = &'static Clause> + '_ {
    CLAUSES
        .iter()
        .filter(move |c| covers(asked, c.id) || covers(c.id, asked))
}

/// The row a page's address names: the clause with its spaces as `_`
/// (`/clauses/7.2_d`), or as written.
pub fn by_slug(slug: &str) -> Option<&'static Clause> {
    let id = slug.replace('_', " ");
    CLAUSES.iter().find(|c| c.id == id)
}

/// The clause's address form (`7.2_d`).
pub fn slug(c: &Clause) -> String {
    c.id.replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_true_to_iso9001_md() {
        let rows: Vec<(String, String)> = ISO9001_MD
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Clause"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells[1].to_string(), cells[2].to_string())
            })
            .collect();
        let ours: Vec<(String, String)> = CLAUSES
            .iter()
            .map(|c| (c.id.to_string(), c.kind.to_string()))
            .collect();
        assert_eq!(rows, ours);
    }

    #[test]
    fn a_parent_clause_covers_its_rows() {
        assert!(covers("7.2", "7.2 d"));
        assert!(covers("10.2", "10.2.2"));
        assert!(covers("8.3", "8.3.2-8.3.6"));
        assert!(covers("8.3.4", "8.3.2-8.3.6"));
        assert!(!covers("8.3.7", "8.3.2-8.3.6"));
        assert!(!covers("7.1", "7.2 d"));
        assert!(!covers("1", "10.2.2"));
        assert_eq!(rows_for("8.5").count(), 4);
        assert_eq!(
            rows_for("10.2").map(|c| c.id).collect::<Vec<_>>(),
            ["10.2.2"]
        );
        assert_eq!(
            rows_for("7.1.5.1").map(|c| c.id).collect::<Vec<_>>(),
            ["7.1.5.1"]
        );
        assert_eq!(by_slug("7.2_d").unwrap().id, "7.2 d");
    }
}
