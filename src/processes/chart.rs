//! A KPI's trend as a small SVG: the values as a line, the target as a
//! dashed line, each point coloured by whether it met the target.
//!
//! Written directly rather than with a plotting crate: the chart is a
//! handful of shapes, and plotting crates need a font back end to lay out
//! text, which this server does not otherwise carry.

use std::fmt::Write;

use super::kpis::{Direction, meets};
use crate::charts::esc;

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD_X: f64 = 8.0;
const PAD_TOP: f64 = 10.0;
const PAD_BOTTOM: f64 = 22.0;

/// Renders `points` (period, value) oldest first against `target`.
pub fn trend_svg(
    title: &str,
    points: &[(String, f64)],
    target: f64,
    direction: Direction,
) -> String {
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img"><title>{}</title>"#,
        esc(title)
    );
    if points.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#5b6878">–</text></svg>"##,
            W / 2.0,
            H / 2.0
        );
        return svg;
    }
    let lo = points.iter().map(|p| p.1).fold(target, f64::min);
    let hi = points.iter().map(|p| p.1).fold(target, f64::max);
    let span = if (hi - lo).abs() < f64::EPSILON {
        1.0
    } else {
        hi - lo
    };
    let y = |v: f64| PAD_TOP + (hi - v) / span * (H - PAD_TOP - PAD_BOTTOM);
    let step = if points.len() > 1 {
        (W - 2.0 * PAD_X) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| {
        if points.len() > 1 {
            PAD_X + step * i as f64
        } else {
            W / 2.0
        }
    };
    let ty = y(target);
    let _ = write!(
        svg,
        r##"<line class="target" x1="{PAD_X}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#9a5b00" stroke-dasharray="4 3"/>"##,
        W - PAD_X
    );
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline class="values" fill="none" stroke="#0b5cad" stroke-width="2" points="{}"/>"##,
        line.join(" ")
    );
    for (i, (period, v)) in points.iter().enumerate() {
        let ok = meets(direction, *v, target);
        let _ = write!(
            svg,
            r##"<circle class="{}" cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"><title>{}: {}</title></circle>"##,
            if ok { "met" } else { "missed" },
            x(i),
            y(*v),
            if ok { "#1e7b3a" } else { "#b3261e" },
            esc(period),
            v
        );
    }
    let (first, last) = (&points[0].0, &points[points.len() - 1].0);
    let _ = write!(
        svg,
        r##"<text x="{PAD_X}" y="{}" font-size="10" fill="#5b6878">{}</text><text x="{}" y="{}" font-size="10" text-anchor="end" fill="#5b6878">{}</text></svg>"##,
        H - 6.0,
        esc(first),
        W - PAD_X,
        H - 6.0,
        esc(last)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_coloured_by_the_target() {
        let svg = trend_svg(
            "On-time <delivery>",
            &[("2026-09".into(), 93.0), ("2026-10".into(), 96.0)],
            95.0,
            Direction::HigherIsBetter,
        );
        assert_eq!(svg.matches(r#"class="missed""#).count(), 1);
        assert_eq!(svg.matches(r#"class="met""#).count(), 1);
        assert!(svg.contains("On-time &lt;delivery&gt;"));
        assert!(svg.contains(r#"class="target""#));
        let low = trend_svg("x", &[("2026".into(), 1.0)], 2.0, Direction::LowerIsBetter);
        assert!(low.contains(r#"class="met""#));
        assert!(trend_svg("x", &[], 1.0, Direction::LowerIsBetter).ends_with("</svg>"));
    }
}
