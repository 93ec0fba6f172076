//! Bar charts as small, self-contained SVG: columns over time (reports per
//! month) and horizontal bars per category (cases per process).
//!
//! Drawn by hand, like the KPI trend (`processes/chart.rs`): a bar chart is a
//! handful of rectangles and texts, and plotting crates need a font back end
//! to lay out text, which this server does not otherwise carry. Every label
//! comes from the caller, already translated, and is escaped here; the SVG is
//! meant to be placed inline in a page (`| safe`) or served as a file.

use std::fmt::Write;

use crate::i18n::{self, Lang};

/// One bar: what it stands for and how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar stands for, written under it.
    pub label: String,
    /// Its value; the longest bar is the largest value.
    pub value: f64,
}

impl Bar {
    /// A bar for `label` with `value`.
    pub fn new(label: impl Into<String>, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
        }
    }
}

const INK: &str = "#1f2933";
const MUTED: &str = "#5b6878";
const FILL: &str = "#0b5cad";
const GRID: &str = "#d5dbe3";

/// Escapes text for SVG (XML) content and attributes, and drops characters
/// XML 1.0 does not allow at all (most control characters), which would
/// otherwise make the whole image unreadable.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A value as a person reads it: whole numbers without decimals, others
/// with one (a decimal point; see [`number`] for the reader's locale).
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// `v` with `decimals` places and the reader's decimal mark: a comma and a
/// real minus sign in Finnish.
pub fn number(lang: Lang, v: f64, decimals: usize) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v:.decimals$}");
    match lang {
        Lang::Fi => s.replace('.', ",").replacen('-', "\u{2212}", 1),
        Lang::En => s,
    }
}

/// `v` as briefly as it is exact to two places ("97", "97.4", "2.25"), in
/// the reader's locale.
pub fn short_number(lang: Lang, v: f64) -> String {
    let two = format!("{v:.2}");
    let trimmed = two.trim_end_matches('0').trim_end_matches('.');
    let places = trimmed.split_once('.').map_or(0, |(_, f)| f.len());
    number(lang, v, places)
}

/// The catalog key of a unit that Laatu knows, so that "pcs" reads "kpl"
/// in Finnish; units it does not know (a typed "mm", "°C") are shown as
/// typed, like any other name.
fn unit_key(unit: &str) -> Option<&'static str> {
    Some(match unit.trim().to_lowercase().as_str() {
        "pcs" | "pc" | "kpl" | "count" => "unit-pcs",
        "d" | "day" | "days" | "pv" => "unit-days",
        "h" | "hours" | "t" => "unit-hours",
        "min" | "minutes" => "unit-minutes",
        "%" | "percent" => "unit-percent",
        "eur" | "€" => "unit-eur",
        "1-5" => "unit-scale-1-5",
        _ => return None,
    })
}

/// A unit as the reader writes it.
pub fn unit_label(lang: Lang, unit: &str) -> String {
    match unit_key(unit) {
        Some(key) => i18n::t(lang, key),
        None => unit.trim().to_string(),
    }
}

/// A value with its unit ("97,4 %", "3 kpl"), the two kept on one line.
/// A unit that is a scale ("1–5") is not written after each value.
pub fn with_unit(lang: Lang, value: &str, unit: &str) -> String {
    let shown = unit_label(lang, unit);
    if shown.is_empty() || unit_key(unit) == Some("unit-scale-1-5") {
        value.to_string()
    } else {
        format!("{value}\u{a0}{shown}")
    }
}

/// A y axis: from `lo` to `hi` in steps of `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    /// The bottom of the axis.
    pub lo: f64,
    /// The top of the axis.
    pub hi: f64,
    /// Between two ticks.
    pub step: f64,
}

impl Axis {
    /// The ticks from bottom to top.
    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|i| self.lo + self.step * i as f64).collect()
    }

    /// Decimal places that write every tick exactly.
    pub fn decimals(&self) -> usize {
        let mut d = 0;
        while d < 6
            && ((self.step * 10f64.powi(d as i32)).round() - self.step * 10f64.powi(d as i32)).abs()
                > 1e-6
        {
            d += 1;
        }
        d
    }
}

/// A round step near `raw`: 1, 2 or 5 times a power of ten.
fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    let f = raw / power;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Smallest part of the values' size that the axis spans (see [`value_axis`]).
const MIN_RELATIVE_SPAN: f64 = 0.1;

/// The y axis for `values` and their `target`.
///
/// The rule, and why:
/// - The axis always holds the target: a chart is read against it.
/// - It spans at least a tenth of the values' size. Starting at the data's
///   minimum would stretch a 95–98 % wobble over the whole height and draw
///   noise as a cliff; starting at zero would flatten it into a line. With
///   a tenth, 95–98 % against a target of 95 % reads on a 90–100 % axis:
///   the movement is visible and honestly a third of the height.
/// - When zero is within one span of the data (small counts, a few days),
///   the axis starts at zero, so that 1 and 2 complaints do not look like
///   a factor of ten.
/// - It stays within the natural bounds: never below zero for values that
///   cannot be negative, never above 100 for a percentage.
/// - Its ends are round multiples of a 1-2-5 step, about five ticks; whole
///   steps when every value is whole.
pub fn value_axis(values: &[f64], target: Option<f64>, percent: bool) -> Axis {
    let all: Vec<f64> = values
        .iter()
        .copied()
        .chain(target)
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = match (
        all.iter().copied().reduce(f64::min),
        all.iter().copied().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) => (lo, hi),
        _ => (0.0, 1.0),
    };
    let non_negative = lo >= 0.0;
    let at_most_100 = percent && hi <= 100.0;
    let size = lo.abs().max(hi.abs());
    let span = (hi - lo).max(size * MIN_RELATIVE_SPAN).max(1e-9);
    if non_negative && lo <= span {
        lo = 0.0;
        hi = hi.max(span);
    } else if hi - lo < span {
        let mid = (hi + lo) / 2.0;
        lo = mid - span / 2.0;
        hi = mid + span / 2.0;
        if at_most_100 && hi > 100.0 {
            lo -= hi - 100.0;
            hi = 100.0;
        }
        if non_negative && lo < 0.0 {
            hi -= lo;
            lo = 0.0;
        }
    }
    // Whole numbers (counts) get whole steps: half a complaint is no tick.
    let whole = all.iter().all(|v| v.fract() == 0.0);
    let mut step = nice_step((hi - lo) / 5.0);
    if whole {
        step = step.max(1.0);
    }
    let mut lo_axis = (lo / step + 1e-9).floor() * step;
    let mut hi_axis = (hi / step - 1e-9).ceil() * step;
    if non_negative {
        lo_axis = lo_axis.max(0.0);
    }
    if at_most_100 {
        hi_axis = hi_axis.min(100.0);
    }
    // At least three ticks, so that the axis can be read as a scale.
    while (hi_axis - lo_axis) / step < 1.5 {
        if at_most_100 && hi_axis + step > 100.0 && (!non_negative || lo_axis - step >= 0.0) {
            lo_axis -= step;
        } else {
            hi_axis += step;
        }
    }
    Axis {
        lo: lo_axis,
        hi: hi_axis,
        step,
    }
}

/// A period ("2026-09", "2026-Q3", "2026-W05", "2026") as a short label and
/// the year to write under it when `year_too` (the first label, and where
/// a new year starts).
pub fn period_label(lang: Lang, period: &str, year_too: bool) -> (String, Option<String>) {
    let (year, rest) = period.split_once('-').unwrap_or((period, ""));
    let year_line = |always: bool| (year_too || always).then(|| year.to_string());
    if let Some(q) = rest.strip_prefix('Q') {
        return (
            i18n::t_args(lang, "chart-quarter", &[("n", q.to_string())]),
            year_line(q == "1"),
        );
    }
    if let Some(w) = rest.strip_prefix('W') {
        let n = w.trim_start_matches('0').to_string();
        return (
            i18n::t_args(lang, "chart-week", &[("n", n.clone())]),
            year_line(n == "1"),
        );
    }
    if let Ok(m) = rest.parse::<u32>()
        && (1..=12).contains(&m)
    {
        return (
            i18n::t(lang, &format!("chart-month-{m}")),
            year_line(m == 1),
        );
    }
    (period.to_string(), None)
}

/// A period written out for a tooltip, with its year: "touko 2026",
/// "3. nelj. 2026", "vk 5 2026" in Finnish (a period Laatu does not know
/// is shown as it is, a day as the language writes dates).
pub fn period_text(lang: Lang, period: &str) -> String {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(period, "%Y-%m-%d") {
        return i18n::format_day(lang, day);
    }
    match period_label(lang, period, true) {
        (label, Some(year)) if label != period => format!("{label} {year}"),
        (label, _) => label,
    }
}

/// The label of a chart's row: at most two lines of `max` characters,
/// broken between words; what does not fit ends in an ellipsis after a
/// whole word (a single word longer than a line is the only thing cut).
pub fn label_lines(label: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    for word in label.split_whitespace() {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max {
            if lines.len() == 1 {
                cut = true;
                break;
            }
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if cut && let Some(last) = lines.last_mut() {
        // Room for the ellipsis: drop whole words until it fits.
        while last.chars().count() + 2 > max && last.contains(' ') {
            let at = last.rfind(' ').unwrap_or(0);
            last.truncate(at);
        }
        last.push_str(" …");
    }
    lines.iter().map(|l| shorten(l, max)).collect()
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The largest value, at least 1 so that an all-zero chart has a scale.
fn scale_max(bars: &[Bar]) -> f64 {
    bars.iter()
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max)
}

/// A bar's share of the full length for `value` when `max` fills it; never
/// negative.
fn share(value: f64, max: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value / max
    } else {
        0.0
    }
}

/// Opens a chart that is as wide as its container (`width="100%"`, no
/// viewBox): horizontal positions are percentages and texts keep their
/// size in pixels, so the chart takes its full width on a wide screen and
/// stays legible on a phone.
fn open_svg(class: &str, title: &str, h: f64) -> String {
    let t = esc(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" width="100%" height="{h:.0}" role="img" aria-label="{t}"><title>{t}</title>"#
    )
}

fn empty_svg(class: &str, title: &str) -> String {
    let mut svg = open_svg(class, title, 60.0);
    let _ = write!(
        svg,
        r#"<text x="50%" y="30" text-anchor="middle" font-size="12" fill="{MUTED}">–</text></svg>"#
    );
    svg
}

/// Vertical columns left to right, in the order given (oldest first for a
/// time series), each with its value on top. Labels that are periods
/// ("2026-09") are written as months with the year under the first and
/// under each January; on a narrow screen every other label gives way
/// (`laatu.css`, class `alt`).
pub fn column_chart(lang: Lang, title: &str, bars: &[Bar]) -> String {
    const TOP: f64 = 20.0;
    const PLOT_H: f64 = 140.0;
    if bars.is_empty() {
        return empty_svg("columns", title);
    }
    let base = TOP + PLOT_H;
    let h = base + 36.0;
    let max = scale_max(bars);
    let slot = 100.0 / bars.len() as f64;
    let mut svg = open_svg("columns", title, h);
    let _ = write!(
        svg,
        r#"<line class="axis" x1="0" y1="{base}" x2="100%" y2="{base}" stroke="{GRID}"/>"#
    );
    let mut last_year: Option<String> = None;
    for (i, b) in bars.iter().enumerate() {
        let len = share(b.value, max) * PLOT_H;
        let cx = slot * (i as f64 + 0.5);
        let year = b.label.split('-').next().map(str::to_string);
        let (shown, year_line) = period_label(lang, &b.label, year != last_year);
        last_year = year;
        let value = short_number(lang, b.value);
        let alt = if i % 2 == 1 && i + 1 != bars.len() {
            r#" alt"#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{:.2}%" y="{:.1}" width="{:.2}%" height="{len:.1}" fill="{FILL}"><title>{}: {value}</title></rect>"#,
            cx - slot * 0.35,
            base - len,
            slot * 0.7,
            esc(&period_text(lang, &b.label)),
        );
        let _ = write!(
            svg,
            r#"<text class="value{alt}" x="{cx:.2}%" y="{:.1}" text-anchor="middle" font-size="12" fill="{INK}">{value}</text>"#,
            base - len - 4.0
        );
        let _ = write!(
            svg,
            r#"<text class="label{alt}" x="{cx:.2}%" y="{:.1}" text-anchor="middle" font-size="12" fill="{MUTED}">{}</text>"#,
            base + 15.0,
            esc(&shown)
        );
        if let Some(y) = year_line {
            let _ = write!(
                svg,
                r#"<text class="year" x="{cx:.2}%" y="{:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"#,
                base + 30.0,
                esc(&y)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Longest line of a bar's label, in characters: fits a phone's width.
const BAR_LABEL: usize = 44;

/// Horizontal bars top to bottom, in the order given, each with its label
/// written whole above it (wrapped between words, never cut mid-word) and
/// its value at its end. The bars span the chart's full width.
pub fn bar_chart(lang: Lang, title: &str, bars: &[Bar]) -> String {
    const LINE: f64 = 16.0;
    const BAR: f64 = 16.0;
    const GAP: f64 = 12.0;
    // The longest bar leaves room for its value after it.
    const FULL: f64 = 88.0;
    if bars.is_empty() {
        return empty_svg("bars", title);
    }
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| label_lines(&b.label, BAR_LABEL))
        .collect();
    let h: f64 = labels
        .iter()
        .map(|l| LINE * l.len() as f64 + BAR + GAP)
        .sum::<f64>()
        + 4.0;
    let max = scale_max(bars);
    let mut svg = open_svg("bars", title, h);
    let mut y = 2.0;
    for (b, lines) in bars.iter().zip(&labels) {
        let full = esc(&b.label);
        let value = short_number(lang, b.value);
        let tspans: String = lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                format!(
                    r#"<tspan x="0" y="{:.1}">{}</tspan>"#,
                    y + LINE * (n as f64 + 1.0) - 4.0,
                    esc(l)
                )
            })
            .collect();
        let _ = write!(
            svg,
            r#"<text class="label" font-size="13" fill="{INK}"><title>{full}</title>{tspans}</text>"#
        );
        let top = y + LINE * lines.len() as f64;
        let pct = share(b.value, max) * FULL;
        let _ = write!(
            svg,
            r#"<rect class="bar" x="0" y="{top:.1}" width="{pct:.2}%" height="{BAR}" fill="{FILL}"><title>{full}: {value}</title></rect>"#
        );
        let _ = write!(
            svg,
            r#"<text class="value" x="{pct:.2}%" dx="6" y="{:.1}" font-size="12" fill="{INK}">{value}</text>"#,
            top + BAR - 4.0
        );
        y = top + BAR + GAP;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number in attribute `name` of the element starting at `at`,
    /// a trailing `%` dropped.
    fn attr(svg: &str, at: usize, name: &str) -> f64 {
        let rest = &svg[at..];
        let from = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = rest[from..].find('"').unwrap();
        rest[from..from + end]
            .trim_end_matches('%')
            .parse()
            .unwrap()
    }

    fn bars(svg: &str) -> Vec<usize> {
        svg.match_indices(r#"<rect class="bar""#)
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn a_period_is_written_out_with_its_year() {
        assert_eq!(period_text(Lang::Fi, "2025-05"), "touko 2025");
        assert_eq!(period_text(Lang::Fi, "2025-Q3"), "3. nelj. 2025");
        assert_eq!(period_text(Lang::En, "Beyond"), "Beyond");
        assert_eq!(period_text(Lang::Fi, "2026-12-03"), "3.12.2026");
    }

    #[test]
    fn escaping_covers_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            esc(r#"<a href="x">R&D's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
        assert_eq!(esc("a\u{0}b\u{1b}c\td"), "abc d");
        assert_eq!(esc("Sisäinen"), "Sisäinen");
    }

    #[test]
    fn numbers_read_in_the_readers_locale() {
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(2.26), "2.3");
        assert_eq!(number(Lang::Fi, 97.4, 1), "97,4");
        assert_eq!(number(Lang::En, 97.4, 1), "97.4");
        assert_eq!(number(Lang::Fi, -2.5, 1), "\u{2212}2,5");
        assert_eq!(number(Lang::Fi, -0.0, 0), "0");
        assert_eq!(short_number(Lang::Fi, 96.0), "96");
        assert_eq!(short_number(Lang::Fi, 96.80), "96,8");
        assert_eq!(short_number(Lang::En, 2.25), "2.25");
    }

    #[test]
    fn known_units_come_from_the_catalog() {
        assert_eq!(unit_label(Lang::Fi, "pcs"), "kpl");
        assert_eq!(unit_label(Lang::En, "pcs"), "pcs");
        assert_eq!(unit_label(Lang::Fi, "d"), "pv");
        assert_eq!(unit_label(Lang::Fi, "°C"), "°C", "unknown units as typed");
        assert_eq!(with_unit(Lang::Fi, "97,4", "%"), "97,4\u{a0}%");
        assert_eq!(with_unit(Lang::Fi, "3", "pcs"), "3\u{a0}kpl");
        assert_eq!(
            with_unit(Lang::Fi, "4,2", "1-5"),
            "4,2",
            "a scale is not a unit"
        );
        assert_eq!(with_unit(Lang::En, "7", ""), "7");
    }

    #[test]
    fn a_small_wobble_near_the_top_is_not_a_cliff() {
        // 95-98 % against 95 %: a 90-100 % axis, not 95-98 and not 0-100.
        let a = value_axis(&[95.2, 97.9, 96.1, 98.0], Some(95.0), true);
        assert_eq!((a.lo, a.hi), (90.0, 100.0), "{a:?}");
        assert_eq!(a.ticks().len(), 6);
        assert_eq!(a.decimals(), 0);
        // The target is always on the axis, even far from the data.
        let a = value_axis(&[97.0, 98.0], Some(80.0), true);
        assert!(a.lo <= 80.0 && a.hi >= 98.0 && a.hi <= 100.0, "{a:?}");
    }

    #[test]
    fn small_counts_start_at_zero_and_scales_stay_round() {
        let a = value_axis(&[1.0, 3.0, 0.0, 2.0], Some(1.0), false);
        assert_eq!((a.lo, a.hi), (0.0, 3.0), "{a:?}");
        let days = value_axis(&[1.3, 2.9, 2.1], Some(2.0), false);
        assert_eq!(days.lo, 0.0);
        assert!(days.hi >= 2.9 && days.hi <= 3.5, "{days:?}");
        // A 1-5 scale around 4.2: zoomed, but on round steps.
        let s = value_axis(&[3.9, 4.5, 4.2], Some(4.2), false);
        assert!(s.lo <= 3.9 && s.hi >= 4.5 && s.lo > 3.0, "{s:?}");
        assert_eq!(s.decimals(), 1);
        for t in s.ticks() {
            assert!(((t / s.step).round() * s.step - t).abs() < 1e-9);
        }
        // Nothing to draw, or all the same: still an axis.
        let empty = value_axis(&[], None, false);
        assert!(empty.hi > empty.lo);
        let flat = value_axis(&[5.0, 5.0], Some(5.0), false);
        assert!(flat.hi > flat.lo);
        let few = value_axis(&[0.0, 1.0], Some(1.0), false);
        assert_eq!((few.lo, few.hi, few.step), (0.0, 2.0, 1.0), "three ticks");
        // Negative values keep their side.
        let neg = value_axis(&[-3.0, 2.0], Some(0.0), false);
        assert!(neg.lo <= -3.0 && neg.hi >= 2.0);
    }

    #[test]
    fn periods_read_as_months_quarters_and_weeks() {
        assert_eq!(
            period_label(Lang::Fi, "2026-09", true),
            ("syys".into(), Some("2026".into()))
        );
        assert_eq!(
            period_label(Lang::En, "2026-09", false),
            ("Sep".into(), None)
        );
        assert_eq!(
            period_label(Lang::En, "2027-01", false),
            ("Jan".into(), Some("2027".into()))
        );
        assert_eq!(period_label(Lang::En, "2026-Q3", false).0, "Q3");
        assert_eq!(period_label(Lang::Fi, "2026-Q3", false).0, "3. nelj.");
        assert_eq!(period_label(Lang::Fi, "2026-W05", false).0, "vk 5");
        assert_eq!(period_label(Lang::En, "2026", false), ("2026".into(), None));
    }

    #[test]
    fn labels_wrap_between_words_and_never_cut_one() {
        let label = "CS Asiakaspalvelu / Customer service";
        assert_eq!(label_lines(label, 44), [label]);
        assert_eq!(
            label_lines(label, 20),
            ["CS Asiakaspalvelu /", "Customer service"]
        );
        let long =
            "IMPR Parantaminen ja jatkuva kehittäminen / Improvement and continual development";
        let lines = label_lines(long, 30);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with(" …"), "{lines:?}");
        for l in &lines {
            assert!(l.chars().count() <= 30, "{l}");
            for word in l.trim_end_matches(" …").split(' ') {
                assert!(long.split(' ').any(|w| w == word), "{word} is a whole word");
            }
        }
    }

    #[test]
    fn columns_are_proportional_and_labelled_in_order() {
        let data = [
            Bar::new("2026-09", 2.0),
            Bar::new("2026-10", 4.0),
            Bar::new("2026-11", 0.0),
        ];
        let svg = column_chart(Lang::Fi, "Reports <per> month", &data);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"width="100%""#), "as wide as its place");
        assert!(svg.contains(r#"aria-label="Reports &lt;per&gt; month""#));
        let at = bars(&svg);
        assert_eq!(at.len(), 3);
        let heights: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "height")).collect();
        assert!((heights[1] - 2.0 * heights[0]).abs() < 0.2, "{heights:?}");
        assert_eq!(heights[2], 0.0);
        let bottoms: Vec<f64> = at
            .iter()
            .zip(&heights)
            .map(|(&i, h)| attr(&svg, i, "y") + h)
            .collect();
        assert!(bottoms.windows(2).all(|w| (w[0] - w[1]).abs() < 0.2));
        assert!(svg.find(">syys<").unwrap() < svg.find(">marras<").unwrap());
        assert_eq!(svg.matches(">2026<").count(), 1, "the year once");
        assert!(svg.contains("<title>loka 2026: 4</title>"));
    }

    #[test]
    fn horizontal_bars_scale_to_the_largest_and_keep_whole_labels() {
        let data = [
            Bar::new("CS Asiakaspalvelu / Customer service", 6.0),
            Bar::new("=SUM(A1) & <b>", 3.0),
            Bar::new("EMPTY", 0.0),
        ];
        let svg = bar_chart(Lang::Fi, "Cases per process", &data);
        let at = bars(&svg);
        assert_eq!(at.len(), 3);
        let widths: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "width")).collect();
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.2, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        assert!(svg.contains(">CS Asiakaspalvelu / Customer service</tspan>"));
        assert!(svg.contains("=SUM(A1) &amp; &lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        let ys: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "y")).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "top to bottom");
    }

    #[test]
    fn no_bars_is_still_an_image_with_a_title() {
        for svg in [
            column_chart(Lang::En, "Nothing", &[]),
            bar_chart(Lang::En, "Nothing", &[]),
        ] {
            assert!(svg.contains("<title>Nothing</title>"));
            assert!(svg.contains(r#"role="img""#));
            assert!(svg.ends_with("</svg>"));
            assert!(!svg.contains("class=\"bar\""));
        }
    }

    #[test]
    fn all_zero_values_draw_without_dividing_by_zero() {
        let svg = column_chart(Lang::En, "t", &[Bar::new("a", 0.0), Bar::new("b", 0.0)]);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
