//! Bar charts as small, self-contained SVG: columns over time (reports per
//! month) and horizontal bars per category (cases per process).
//!
//! Drawn by hand, like the KPI trend (`processes/chart.rs`): a bar chart is a
//! handful of rectangles and texts, and plotting crates need a font back end
//! to lay out text, which this server does not otherwise carry. Every label
//! comes from the caller, already translated, and is escaped here; the SVG is
//! meant to be placed inline in a page (`| safe`) or served as a file.

use std::fmt::Write;

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
/// Rough width of one character at font size 10, and at 11 (a little
/// generous: capitals are wide); enough to size labels without a font back end.
const CHAR_W: f64 = 6.0;
const CHAR_W_11: f64 = 7.0;

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
/// with one.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
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

/// A bar's length for `value` when `max` fills `full`; never negative.
fn length(value: f64, max: f64, full: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value / max * full
    } else {
        0.0
    }
}

fn open_svg(class: &str, title: &str, w: f64, h: f64) -> String {
    let t = esc(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-label="{t}"><title>{t}</title>"#
    )
}

fn empty_svg(class: &str, title: &str) -> String {
    let (w, h) = (320.0, 60.0);
    let mut svg = open_svg(class, title, w, h);
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{MUTED}">–</text></svg>"#,
        w / 2.0,
        h / 2.0
    );
    svg
}

/// Vertical columns left to right, in the order given (oldest first for a
/// time series), each labelled underneath and with its value on top.
/// Labels that would not fit under a column are turned on their side.
pub fn column_chart(title: &str, bars: &[Bar]) -> String {
    const PAD: f64 = 8.0;
    const TOP: f64 = 16.0;
    const PLOT_H: f64 = 120.0;
    const SLOT_MIN: f64 = 28.0;
    if bars.is_empty() {
        return empty_svg("columns", title);
    }
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count().min(24))
        .max()
        .unwrap_or(0) as f64;
    let slot = SLOT_MIN.max(560.0 / bars.len() as f64).min(60.0);
    let turned = longest * CHAR_W > slot - 2.0;
    let label_h = if turned {
        longest * CHAR_W * 0.75 + 12.0
    } else {
        18.0
    };
    let w = (2.0 * PAD + slot * bars.len() as f64).max(320.0);
    let h = TOP + PLOT_H + label_h;
    let base = TOP + PLOT_H;
    let max = scale_max(bars);
    let mut svg = open_svg("columns", title, w, h);
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{PAD}" y1="{base}" x2="{:.1}" y2="{base}" stroke="{GRID}"/>"#,
        w - PAD
    );
    for (i, b) in bars.iter().enumerate() {
        let len = length(b.value, max, PLOT_H);
        let x = PAD + slot * i as f64;
        let cx = x + slot / 2.0;
        let label = esc(&b.label);
        let value = format_value(b.value);
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{len:.1}" fill="{FILL}"><title>{label}: {value}</title></rect>"#,
            x + slot * 0.15,
            base - len,
            slot * 0.7,
        );
        let _ = write!(
            svg,
            r#"<text class="value" x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="{INK}">{value}</text>"#,
            base - len - 3.0
        );
        let shown = esc(&shorten(&b.label, 24));
        if turned {
            let ly = base + 10.0;
            let _ = write!(
                svg,
                r#"<text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="end" font-size="10" fill="{MUTED}" transform="rotate(-45 {cx:.1} {ly:.1})">{shown}</text>"#
            );
        } else {
            let _ = write!(
                svg,
                r#"<text class="label" x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="{MUTED}">{shown}</text>"#,
                base + 13.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars top to bottom, in the order given, each labelled on the
/// left and with its value at its end.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    const PAD: f64 = 8.0;
    const ROW: f64 = 22.0;
    const PLOT_W: f64 = 360.0;
    const VALUE_W: f64 = 40.0;
    const MAX_LABEL: usize = 32;
    if bars.is_empty() {
        return empty_svg("bars", title);
    }
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count().min(MAX_LABEL))
        .max()
        .unwrap_or(0) as f64;
    let label_w = (longest * CHAR_W_11 + 8.0).clamp(40.0, MAX_LABEL as f64 * CHAR_W_11 + 8.0);
    let w = PAD + label_w + PLOT_W + VALUE_W + PAD;
    let h = 2.0 * PAD + ROW * bars.len() as f64;
    let x0 = PAD + label_w;
    let max = scale_max(bars);
    let mut svg = open_svg("bars", title, w, h);
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{x0:.1}" y1="{PAD}" x2="{x0:.1}" y2="{:.1}" stroke="{GRID}"/>"#,
        h - PAD
    );
    for (i, b) in bars.iter().enumerate() {
        let len = length(b.value, max, PLOT_W);
        let y = PAD + ROW * i as f64;
        let mid = y + ROW / 2.0 + 3.5;
        let label = esc(&b.label);
        let value = format_value(b.value);
        let _ = write!(
            svg,
            r#"<text class="label" x="{:.1}" y="{mid:.1}" text-anchor="end" font-size="11" fill="{INK}">{}</text>"#,
            x0 - 6.0,
            esc(&shorten(&b.label, MAX_LABEL))
        );
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{x0:.1}" y="{:.1}" width="{len:.1}" height="{:.1}" fill="{FILL}"><title>{label}: {value}</title></rect>"#,
            y + 3.0,
            ROW - 6.0
        );
        let _ = write!(
            svg,
            r#"<text class="value" x="{:.1}" y="{mid:.1}" font-size="10" fill="{INK}">{value}</text>"#,
            x0 + len + 4.0
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(svg: &str, element_start: usize, name: &str) -> f64 {
        let rest = &svg[element_start..];
        let at = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = rest[at..].find('"').unwrap();
        rest[at..at + end].parse().unwrap()
    }

    fn bars(svg: &str) -> Vec<usize> {
        svg.match_indices(r#"<rect class="bar""#)
            .map(|(i, _)| i)
            .collect()
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
    fn values_read_as_people_write_them() {
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(2.26), "2.3");
        assert_eq!(format_value(0.0), "0");
    }

    #[test]
    fn columns_are_proportional_and_labelled_in_order() {
        let data = [
            Bar::new("2026-09", 2.0),
            Bar::new("2026-10", 4.0),
            Bar::new("2026-11", 0.0),
        ];
        let svg = column_chart("Reports <per> month", &data);
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-label="Reports &lt;per&gt; month""#));
        assert!(svg.contains("<title>Reports &lt;per&gt; month</title>"));
        let at = bars(&svg);
        assert_eq!(at.len(), 3);
        let heights: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "height")).collect();
        assert!((heights[1] - 2.0 * heights[0]).abs() < 0.2, "{heights:?}");
        assert_eq!(heights[2], 0.0);
        // Bars stand on the same base line.
        let bottoms: Vec<f64> = at
            .iter()
            .zip(&heights)
            .map(|(&i, h)| attr(&svg, i, "y") + h)
            .collect();
        assert!(bottoms.windows(2).all(|w| (w[0] - w[1]).abs() < 0.2));
        let first = svg.find(">2026-09<").unwrap();
        let last = svg.find(">2026-11<").unwrap();
        assert!(first < last);
        assert!(svg.contains("<title>2026-10: 4</title>"));
    }

    #[test]
    fn many_columns_turn_their_labels() {
        let data: Vec<Bar> = (1..=24)
            .map(|m| Bar::new(format!("2025-{m:02}"), f64::from(m)))
            .collect();
        let svg = column_chart("t", &data);
        assert_eq!(bars(&svg).len(), 24);
        assert_eq!(svg.matches("rotate(-45").count(), 24);
        let few = column_chart("t", &[Bar::new("A", 1.0)]);
        assert!(!few.contains("rotate("));
    }

    #[test]
    fn horizontal_bars_scale_to_the_largest_and_escape_labels() {
        let data = [
            Bar::new("PROD · Production", 6.0),
            Bar::new("=SUM(A1) & <b>", 3.0),
            Bar::new("EMPTY", 0.0),
        ];
        let svg = bar_chart("Cases per process", &data);
        let at = bars(&svg);
        assert_eq!(at.len(), 3);
        let widths: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "width")).collect();
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.2, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        assert!(svg.contains("=SUM(A1) &amp; &lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        let ys: Vec<f64> = at.iter().map(|&i| attr(&svg, i, "y")).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "top to bottom");
    }

    #[test]
    fn long_labels_are_cut_but_kept_whole_in_the_tooltip() {
        let long = "A process with a very long name that goes on and on";
        let svg = bar_chart("t", &[Bar::new(long, 1.0)]);
        assert!(svg.contains(&format!("<title>{long}: 1</title>")));
        assert!(svg.contains("…</text>"));
    }

    #[test]
    fn no_bars_is_still_an_image_with_a_title() {
        for svg in [column_chart("Nothing", &[]), bar_chart("Nothing", &[])] {
            assert!(svg.contains("<title>Nothing</title>"));
            assert!(svg.contains(r#"role="img""#));
            assert!(svg.ends_with("</svg>"));
            assert!(!svg.contains("class=\"bar\""));
        }
    }

    #[test]
    fn all_zero_values_draw_without_dividing_by_zero() {
        let svg = column_chart("t", &[Bar::new("a", 0.0), Bar::new("b", 0.0)]);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
