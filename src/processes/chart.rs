//! A KPI's trend as inline SVG: a y axis with values and the unit, the
//! target as a labelled dashed line, a label under each period, and each
//! value written at its point (and in the point's tooltip).
//!
//! Written directly rather than with a plotting crate: the chart is a
//! handful of shapes, and plotting crates need a font back end to lay out
//! text, which this server does not otherwise carry. The chart is as wide
//! as its place (`width="100%"`, horizontal positions in percent) while
//! texts keep their size in pixels and, inline, the page's font.

use std::fmt::Write;

use super::kpis::{Direction, meets};
use crate::charts::{self, esc};
use crate::i18n::{self, Lang};

/// Space above the plot, for the top tick's label.
const TOP: f64 = 22.0;
/// Height of the plot.
const PLOT_H: f64 = 150.0;
/// Below the plot: a period label and a year line.
const BOTTOM: f64 = 40.0;
/// The first and last point, in percent of the width: left of the first
/// are the tick labels.
const X0: f64 = 14.0;
const X1: f64 = 95.0;
const INK: &str = "#1d2733";
const MUTED: &str = "#5b6878";
const GRID: &str = "#e3e8ee";
const LINE: &str = "#0b5cad";
const TARGET: &str = "#9a5b00";
const MET: &str = "#1e7b3a";
const MISSED: &str = "#b3261e";

/// What a trend chart shows.
pub struct Trend<'a> {
    /// The KPI's name (the chart's accessible title).
    pub title: &'a str,
    /// The unit as stored ("%", "pcs"); written as the reader writes it.
    pub unit: &'a str,
    /// (period, value), oldest first.
    pub points: &'a [(String, f64)],
    /// The target, if it is a number.
    pub target: Option<f64>,
    /// Which way is better.
    pub direction: Direction,
}

/// Renders the trend for a reader of `lang`.
pub fn trend_svg(lang: Lang, t: &Trend<'_>) -> String {
    let base = TOP + PLOT_H;
    let height = base + BOTTOM;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="100%" height="{height:.0}" role="img" aria-label="{0}"><title>{0}</title>"#,
        esc(t.title)
    );
    if t.points.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="50%" y="{:.0}" text-anchor="middle" font-size="13" fill="{MUTED}">{}</text></svg>"##,
            height / 2.0,
            esc(&i18n::t(lang, "kpi-no-values"))
        );
        return svg;
    }
    let values: Vec<f64> = t.points.iter().map(|p| p.1).collect();
    let percent = charts::unit_label(Lang::En, t.unit) == "%";
    let axis = charts::value_axis(&values, t.target, percent);
    let y = |v: f64| base - (v - axis.lo) / (axis.hi - axis.lo) * PLOT_H;
    let n = t.points.len();
    let x = |i: usize| {
        if n > 1 {
            X0 + (X1 - X0) * i as f64 / (n - 1) as f64
        } else {
            (X0 + X1) / 2.0
        }
    };
    let shown = |v: f64, decimals: Option<usize>| {
        let s = match decimals {
            Some(d) => charts::number(lang, v, d),
            None => charts::short_number(lang, v),
        };
        charts::with_unit(lang, &s, t.unit)
    };

    // The y axis: a grid line per tick, its value and unit above it.
    let decimals = axis.decimals();
    for tick in axis.ticks() {
        let ty = y(tick);
        let _ = write!(
            svg,
            r##"<line class="grid" x1="0" y1="{ty:.1}" x2="100%" y2="{ty:.1}" stroke="{GRID}"/><text class="tick" x="0" y="{:.1}" font-size="11" fill="{MUTED}">{}</text>"##,
            ty - 3.0,
            esc(&shown(tick, Some(decimals)))
        );
    }

    // Labels go to the side of a point away from the target line, so that
    // neither a value nor the target's label sits on the line.
    let above = |v: f64| t.target.is_none_or(|target| v >= target);
    if let Some(target) = t.target {
        let ty = y(target);
        let last_above = above(values[n - 1]);
        let label_y = if last_above { ty + 13.0 } else { ty - 5.0 };
        let _ = write!(
            svg,
            r##"<line class="target" x1="0" y1="{ty:.1}" x2="100%" y2="{ty:.1}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/><text class="target-label" x="100%" y="{label_y:.1}" text-anchor="end" font-size="12" font-weight="600" fill="{TARGET}">{}</text>"##,
            esc(&i18n::t_args(
                lang,
                "chart-target",
                &[("value", shown(target, None))]
            ))
        );
    }

    for i in 1..n {
        let _ = write!(
            svg,
            r##"<line class="values" x1="{:.2}%" y1="{:.1}" x2="{:.2}%" y2="{:.1}" stroke="{LINE}" stroke-width="2"/>"##,
            x(i - 1),
            y(values[i - 1]),
            x(i),
            y(values[i])
        );
    }

    let mut last_year: Option<&str> = None;
    for (i, (period, v)) in t.points.iter().enumerate() {
        let (px, py) = (x(i), y(*v));
        let met = t.target.map(|target| meets(t.direction, *v, target));
        let (class, fill, verdict) = match met {
            Some(true) => ("met", MET, i18n::t(lang, "kpi-met")),
            Some(false) => ("missed", MISSED, i18n::t(lang, "kpi-missed")),
            None => ("plain", LINE, String::new()),
        };
        // The unit is on the axis; the tooltip repeats it.
        let value = charts::short_number(lang, *v);
        let with_unit = shown(*v, None);
        // The latest value ends at its point, so that it stays inside.
        let anchor = if i + 1 == n && n > 1 {
            r#"end" dx="6"#
        } else {
            "middle"
        };
        // Every other label gives way on a narrow screen (`laatu.css`);
        // the last one, the latest value, never does.
        let alt = if (n - 1 - i) % 2 == 1 { " alt" } else { "" };
        let mut label_y = if above(*v) { py - 8.0 } else { py + 16.0 };
        if label_y > base - 2.0 {
            label_y = py - 8.0;
        }
        let when = charts::period_text(lang, period);
        let tooltip = if verdict.is_empty() {
            format!("{when}: {with_unit}")
        } else {
            format!("{when}: {with_unit} ({verdict})")
        };
        let _ = write!(
            svg,
            r##"<g class="point {class}"><title>{}</title><circle cx="{px:.2}%" cy="{py:.1}" r="4" fill="{fill}"/><text class="value{alt}" x="{px:.2}%" y="{label_y:.1}" text-anchor="{anchor}" font-size="11" fill="{INK}">{}</text></g>"##,
            esc(&tooltip),
            esc(&value)
        );
        let year = period.split('-').next();
        let (label, year_line) = charts::period_label(lang, period, year != last_year);
        last_year = year;
        let _ = write!(
            svg,
            r##"<text class="period{alt}" x="{px:.2}%" y="{:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"##,
            base + 15.0,
            esc(&label)
        );
        if let Some(yr) = year_line {
            let _ = write!(
                svg,
                r##"<text class="year" x="{px:.2}%" y="{:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"##,
                base + 30.0,
                esc(&yr)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(values: &[f64]) -> Vec<(String, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("2026-{:02}", i + 1), *v))
            .collect()
    }

    #[test]
    fn points_are_coloured_by_the_target_and_values_written() {
        let points = [("2026-09".to_string(), 93.0), ("2026-10".to_string(), 96.5)];
        let svg = trend_svg(
            Lang::Fi,
            &Trend {
                title: "On-time <delivery>",
                unit: "%",
                points: &points,
                target: Some(95.0),
                direction: Direction::HigherIsBetter,
            },
        );
        assert_eq!(svg.matches(r#"class="point missed""#).count(), 1);
        assert_eq!(svg.matches(r#"class="point met""#).count(), 1);
        assert!(svg.contains("On-time &lt;delivery&gt;"));
        assert!(svg.contains(r#"class="target""#));
        assert!(svg.contains(">96,5</text>"), "the value at its point");
        assert!(
            svg.contains("Tavoite 95\u{a0}%"),
            "the target line is labelled"
        );
        assert!(svg.contains(">syys</text>") && svg.contains(">loka</text>"));
        assert!(svg.contains(">2026</text>"));
        assert!(!svg.contains("font-family"), "inline, the page's font");
    }

    #[test]
    fn the_axis_has_values_with_the_unit_and_holds_the_target() {
        let points = months(&[1.0, 0.0, 2.0, 3.0]);
        let svg = trend_svg(
            Lang::Fi,
            &Trend {
                title: "Complaints",
                unit: "pcs",
                points: &points,
                target: Some(1.0),
                direction: Direction::LowerIsBetter,
            },
        );
        for tick in ["0\u{a0}kpl", "1\u{a0}kpl", "2\u{a0}kpl", "3\u{a0}kpl"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "{tick}: {svg}");
        }
        assert!(!svg.contains("pcs"));
        let en = trend_svg(
            Lang::En,
            &Trend {
                title: "x",
                unit: "%",
                points: &months(&[95.5, 97.25]),
                target: Some(95.0),
                direction: Direction::HigherIsBetter,
            },
        );
        assert!(en.contains(">90\u{a0}%</text>") && en.contains(">100\u{a0}%</text>"));
        assert!(en.contains(">97.25</text>"));
    }

    #[test]
    fn no_values_is_still_a_chart_with_a_title() {
        let svg = trend_svg(
            Lang::En,
            &Trend {
                title: "x",
                unit: "",
                points: &[],
                target: Some(1.0),
                direction: Direction::LowerIsBetter,
            },
        );
        assert!(svg.contains("<title>x</title>") && svg.ends_with("</svg>"));
    }
}
