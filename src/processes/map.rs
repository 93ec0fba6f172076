//! The process map of ISO 9001 4.4 as SVG: every active process a box,
//! external customers and suppliers grey dashed pills, arrows from supplier
//! to customer and, beside them, what flows.
//!
//! `map_layout` places the boxes and routes the arrows (top to bottom, in
//! about linear time); this module sizes the boxes from their labels, puts
//! each flow's label where it overlaps nothing, and writes the SVG so that
//! every process box is a link and every group carries the data attributes
//! that tests and CSS look for. Texts are SVG text, so inline in a page they
//! take the page's font and stay selectable and searchable.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::map_layout::{self, Pt, Route};
use crate::charts::esc;

/// One box on the map.
#[derive(Debug, Clone, Hash)]
pub struct MapNode {
    /// Unique key (a process code such as "SALES", or "ext:Customers" for an
    /// external party).
    pub key: String,
    /// Text shown in the box (e.g. "SALES · Sales").
    pub label: String,
    /// Where the box links to (e.g. "/processes/SALES"); `None` for external
    /// parties.
    pub href: Option<String>,
    /// An external customer or supplier: drawn as a grey dashed pill so it
    /// reads as the edge of the system.
    pub external: bool,
}

/// One arrow: `from` supplies `to` with `label`.
#[derive(Debug, Clone, Hash)]
pub struct MapEdge {
    /// Key of the supplying node.
    pub from: String,
    /// Key of the receiving node (the customer).
    pub to: String,
    /// What flows, e.g. "Confirmed order".
    pub label: String,
}

/// Font size of the text in boxes, in pixels. The map is never scaled down
/// (a wide one scrolls), so this is the size on screen.
pub const NODE_FONT: f64 = 14.0;
/// Font size of arrow labels, in pixels.
pub const EDGE_FONT: f64 = 12.0;
/// Average glyph width relative to the font size; errs wide so that text in
/// a proportional sans-serif font stays inside its box.
const GLYPH: f64 = 0.62;
/// Longest line in a box or an arrow label before it wraps.
const MAX_LINE: usize = 28;
/// Line height of box text, relative to its font.
const NODE_LINE: f64 = 1.35;
/// Line height of arrow labels, relative to their font.
const EDGE_LINE: f64 = 1.3;
/// Space around the drawing.
const MARGIN: f64 = 16.0;
/// Space kept free around every box and label when placing labels.
const CLEARANCE: f64 = 3.0;
const INK: &str = "#1d2733";
const ARROW_INK: &str = "#5b6878";
const BACKGROUND: &str = "#ffffff";

/// Cuts `s` to at most `max` characters, ending with an ellipsis if cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Splits a label into at most two lines of at most `MAX_LINE` characters,
/// breaking at spaces; whatever does not fit ends in an ellipsis.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in label.split_whitespace() {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > MAX_LINE {
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
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        // Force the ellipsis: the second line was cut even if it is short.
        let mut second = shorten(&rest, MAX_LINE - 1);
        if !second.ends_with('…') {
            second.push('…');
        }
        lines.push(second);
    }
    // A single word longer than a line (a URL, a long compound word) is cut.
    lines.iter().map(|l| shorten(l, MAX_LINE)).collect()
}

/// Estimated width of a line of text in pixels.
fn text_width(line: &str, font: f64) -> f64 {
    line.chars().count() as f64 * font * GLYPH
}

/// One arrow between two distinct known nodes, duplicates merged.
struct Flow<'a> {
    from: &'a str,
    to: &'a str,
    labels: Vec<&'a str>,
}

impl Flow<'_> {
    fn label(&self) -> String {
        self.labels.join(", ")
    }
}

/// Keeps one flow per ordered pair, in the order given, skipping self-loops
/// and arrows to nodes that are not on the map.
fn flows<'a>(nodes: &HashMap<&str, &'a MapNode>, edges: &'a [MapEdge]) -> Vec<Flow<'a>> {
    let mut out: Vec<Flow<'a>> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for e in edges {
        if e.from == e.to
            || !nodes.contains_key(e.from.as_str())
            || !nodes.contains_key(e.to.as_str())
        {
            continue;
        }
        let label = e.label.trim();
        let i = *index.entry((&e.from, &e.to)).or_insert_with(|| {
            out.push(Flow {
                from: &e.from,
                to: &e.to,
                labels: Vec::new(),
            });
            out.len() - 1
        });
        if let Some(flow) = out.get_mut(i)
            && !label.is_empty()
            && !flow.labels.contains(&label)
        {
            flow.labels.push(label);
        }
    }
    out
}

/// A rectangle: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn around(c: Pt, w: f64, h: f64) -> Rect {
        Rect {
            x0: c.x - w / 2.0,
            y0: c.y - h / 2.0,
            x1: c.x + w / 2.0,
            y1: c.y + h / 2.0,
        }
    }

    fn grown(self, by: f64) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }

    fn meets(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// What is already drawn, in a grid of cells, so that checking a label
/// against it costs the few rectangles near it, not all of them.
struct Occupied {
    rects: Vec<Rect>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

/// Side of a grid cell, in pixels.
const CELL: f64 = 96.0;

impl Occupied {
    fn new() -> Self {
        Occupied {
            rects: Vec::new(),
            cells: HashMap::new(),
        }
    }

    fn cells_of(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let (cx0, cx1) = ((r.x0 / CELL).floor() as i64, (r.x1 / CELL).floor() as i64);
        let (cy0, cy1) = ((r.y0 / CELL).floor() as i64, (r.y1 / CELL).floor() as i64);
        (cx0..=cx1).flat_map(move |x| (cy0..=cy1).map(move |y| (x, y)))
    }

    fn free(&self, r: &Rect) -> bool {
        Self::cells_of(r).all(|c| {
            self.cells
                .get(&c)
                .is_none_or(|ids| ids.iter().all(|&i| !self.rects[i].meets(r)))
        })
    }

    fn add(&mut self, r: Rect) {
        let i = self.rects.len();
        self.rects.push(r);
        for c in Self::cells_of(&r) {
            self.cells.entry(c).or_default().push(i);
        }
    }
}

/// The middles of the parts of a route that cross the gaps between rows,
/// the one at the supplier's end first.
fn gap_middles(route: &Route) -> Vec<Pt> {
    let mut mids: Vec<Pt> = route
        .points
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| Pt {
            x: (c[0].x + c[1].x) / 2.0,
            y: (c[0].y + c[1].y) / 2.0,
        })
        .collect();
    if route.reversed {
        mids.reverse();
    }
    mids
}

/// The SVG path of a route: curves across the gaps, straight down lanes.
fn path_data(points: &[Pt]) -> String {
    let mut d = String::new();
    if let Some(first) = points.first() {
        let _ = write!(d, "M {:.1} {:.1}", first.x, first.y);
    }
    for (i, w) in points.windows(2).enumerate() {
        let (p, q) = (w[0], w[1]);
        if i % 2 == 0 {
            let mid = (q.y - p.y) / 2.0;
            let _ = write!(
                d,
                " C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
                p.x,
                p.y + mid,
                q.x,
                q.y - mid,
                q.x,
                q.y
            );
        } else {
            let _ = write!(d, " L {:.1} {:.1}", q.x, q.y);
        }
    }
    d
}

/// The smallest rectangle holding everything drawn.
struct Extent {
    min: Pt,
    max: Pt,
}

impl Extent {
    fn new() -> Self {
        Extent {
            min: Pt {
                x: f64::MAX,
                y: f64::MAX,
            },
            max: Pt {
                x: f64::MIN,
                y: f64::MIN,
            },
        }
    }

    fn grow(&mut self, x: f64, y: f64) {
        self.min = Pt {
            x: self.min.x.min(x),
            y: self.min.y.min(y),
        };
        self.max = Pt {
            x: self.max.x.max(x),
            y: self.max.y.max(y),
        };
    }
}

/// The map's own style, for the standalone SVG document (served with a
/// policy that allows it). Inside a page the font and the hover rule come
/// from the page and `laatu.css`, and [`for_page`] leaves this out.
const STANDALONE_STYLE: &str = "<style>svg { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; } a:hover rect, a:focus rect { stroke-width: 3; }</style>";

/// The map for embedding in a page: without its `<style>` element, which
/// the page's Content-Security-Policy (`style-src 'self'`) would refuse, so
/// that its text takes the page's font.
pub fn for_page(svg: &str) -> String {
    svg.replacen(STANDALONE_STYLE, "", 1)
}

fn svg_open(width: f64, height: f64, view: (f64, f64, f64, f64), title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="process-map" width="{width:.0}" height="{height:.0}" viewBox="{:.1} {:.1} {:.1} {:.1}"><title>{}</title><defs><marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{ARROW_INK}"/></marker></defs>{STANDALONE_STYLE}"##,
        view.0,
        view.1,
        view.2,
        view.3,
        esc(title)
    )
}

/// A box to draw: an external party that both supplies and receives is
/// drawn twice, as a supplier above and as a customer below, so that it
/// does not pull the whole map into a loop.
struct Drawn<'a> {
    node: &'a MapNode,
    lines: Vec<String>,
    size: (f64, f64),
}

/// Flows named by one label: supplier, text, and whether they run upwards.
type LabelGroup<'a> = (&'a str, String, bool);

/// A flow label placed on the map.
struct Placed {
    from: String,
    at: Pt,
    lines: Vec<String>,
}

/// Lays the graph out top to bottom (suppliers above, customers below) and
/// writes a standalone SVG document.
///
/// Arrows to unknown nodes and self-loops are skipped; arrows between the
/// same pair are merged, their labels joined with ", ". A flow label that
/// would overlap a box or another label is left out of the drawing (it is
/// still the arrow's tooltip, and the map page lists every flow).
pub fn render_map_svg(nodes: &[MapNode], edges: &[MapEdge], title: &str) -> String {
    if nodes.is_empty() {
        let mut svg = svg_open(360.0, 80.0, (0.0, 0.0, 360.0, 80.0), title);
        let _ = write!(
            svg,
            r##"<text x="180" y="45" text-anchor="middle" font-size="14" fill="{ARROW_INK}">{} (0)</text></svg>"##,
            esc(&shorten(title, 40))
        );
        return svg;
    }
    // A key given twice keeps its first box: links by key would be
    // ambiguous.
    let mut known: HashMap<&str, &MapNode> = HashMap::new();
    let mut unique: Vec<&MapNode> = Vec::new();
    for n in nodes {
        if !known.contains_key(n.key.as_str()) {
            known.insert(&n.key, n);
            unique.push(n);
        }
    }
    let flows = flows(&known, edges);
    let supplies: HashSet<&str> = flows.iter().map(|f| f.from).collect();
    let receives: HashSet<&str> = flows.iter().map(|f| f.to).collect();

    let mut drawn: Vec<Drawn> = Vec::with_capacity(unique.len());
    let mut as_supplier: HashMap<&str, usize> = HashMap::new();
    let mut as_customer: HashMap<&str, usize> = HashMap::new();
    for n in &unique {
        let lines = wrap(&n.label);
        let widest = lines
            .iter()
            .map(|l| text_width(l, NODE_FONT))
            .fold(0.0, f64::max);
        let size = (
            (widest + 28.0).max(120.0),
            NODE_FONT * NODE_LINE * lines.len().max(1) as f64 + 22.0,
        );
        let key = n.key.as_str();
        let twice = n.external && supplies.contains(key) && receives.contains(key);
        let i = drawn.len();
        drawn.push(Drawn {
            node: n,
            lines: lines.clone(),
            size,
        });
        as_supplier.insert(key, i);
        as_customer.insert(key, i);
        if twice {
            as_customer.insert(key, drawn.len());
            drawn.push(Drawn {
                node: n,
                lines,
                size,
            });
        }
    }
    let pairs: Vec<(usize, usize)> = flows
        .iter()
        .map(|f| (as_supplier[f.from], as_customer[f.to]))
        .collect();
    let sizes: Vec<(f64, f64)> = drawn.iter().map(|d| d.size).collect();
    // The map reads from where the outside comes in: the external suppliers.
    let entries: Vec<usize> = pairs
        .iter()
        .map(|&(a, _)| a)
        .filter(|&a| drawn[a].node.external)
        .collect();
    let laid = map_layout::layout(&sizes, &pairs, &entries);

    let mut extent = Extent::new();
    let mut occupied = Occupied::new();
    for (d, at) in drawn.iter().zip(&laid.boxes) {
        extent.grow(at.x, at.y);
        extent.grow(at.x + d.size.0, at.y + d.size.1);
        occupied.add(Rect {
            x0: at.x,
            y0: at.y,
            x1: at.x + d.size.0,
            y1: at.y + d.size.1,
        });
    }

    // One label per supplier and text: a process's output that goes to
    // four customers is named once, where its arrows leave the box.
    let mut groups: Vec<(LabelGroup, Vec<usize>)> = Vec::new();
    for (i, f) in flows.iter().enumerate() {
        let label = f.label();
        if label.is_empty() {
            continue;
        }
        let key = (f.from, label, laid.routes[i].reversed);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut placed: Vec<Placed> = Vec::new();
    for ((from, label, _), members) in &groups {
        let lines = wrap(label);
        let w = lines
            .iter()
            .map(|l| text_width(l, EDGE_FONT))
            .fold(0.0, f64::max);
        let h = EDGE_FONT * EDGE_LINE * lines.len() as f64;
        let firsts: Vec<Pt> = members
            .iter()
            .filter_map(|&i| gap_middles(&laid.routes[i]).first().copied())
            .collect();
        let mut candidates: Vec<Pt> = Vec::new();
        if !firsts.is_empty() {
            let n = firsts.len() as f64;
            candidates.push(Pt {
                x: firsts.iter().map(|p| p.x).sum::<f64>() / n,
                y: firsts.iter().map(|p| p.y).sum::<f64>() / n,
            });
        }
        for &i in members {
            candidates.extend(gap_middles(&laid.routes[i]));
        }
        let spot = candidates.iter().find_map(|c| {
            [0.0, -w / 2.0, w / 2.0].into_iter().find_map(|dx| {
                let at = Pt {
                    x: c.x + dx,
                    y: c.y,
                };
                let r = Rect::around(at, w, h).grown(CLEARANCE);
                occupied.free(&r).then_some((at, r))
            })
        });
        if let Some((at, r)) = spot {
            occupied.add(r);
            extent.grow(r.x0, r.y0);
            extent.grow(r.x1, r.y1);
            placed.push(Placed {
                from: from.to_string(),
                at,
                lines,
            });
        }
    }

    let mut edge_svg = String::new();
    for (f, route) in flows.iter().zip(&laid.routes) {
        for p in &route.points {
            extent.grow(p.x, p.y);
        }
        let marker = if route.reversed {
            "marker-start"
        } else {
            "marker-end"
        };
        let _ = write!(
            edge_svg,
            r##"<g class="edge" data-from="{}" data-to="{}"><title>{} → {}: {}</title><path d="{}" fill="none" stroke="{ARROW_INK}" stroke-width="1.4" {marker}="url(#map-arrow)"/></g>"##,
            esc(f.from),
            esc(f.to),
            esc(known.get(f.from).map_or(f.from, |n| n.label.as_str())),
            esc(known.get(f.to).map_or(f.to, |n| n.label.as_str())),
            esc(&f.label()),
            path_data(&route.points),
        );
    }
    let mut label_svg = String::new();
    for p in &placed {
        let line_height = EDGE_FONT * EDGE_LINE;
        let top = p.at.y - line_height * p.lines.len() as f64 / 2.0;
        let lines: String = p
            .lines
            .iter()
            .enumerate()
            .map(|(n, line)| {
                format!(
                    r#"<tspan x="{:.1}" y="{:.1}">{}</tspan>"#,
                    p.at.x,
                    top + line_height * (n as f64 + 0.78),
                    esc(line)
                )
            })
            .collect();
        // The halo keeps the label readable where it crosses an arrow.
        let _ = write!(
            label_svg,
            r##"<text class="label flow" data-from="{}" text-anchor="middle" font-size="{EDGE_FONT}" fill="{INK}" stroke="{BACKGROUND}" stroke-width="4" stroke-linejoin="round" paint-order="stroke">{lines}</text>"##,
            esc(&p.from)
        );
    }

    let mut node_svg = String::new();
    for (d, at) in drawn.iter().zip(&laid.boxes) {
        let node = d.node;
        let (w, h) = d.size;
        let (class, fill, stroke, extra) = if node.external {
            (
                "node external",
                "#eef1f4",
                "#8a96a3",
                format!(r#" rx="{:.1}" stroke-dasharray="5 3""#, h / 2.0),
            )
        } else {
            ("node", BACKGROUND, "#0b5cad", r#" rx="6""#.to_string())
        };
        let line_height = NODE_FONT * NODE_LINE;
        let center_x = at.x + w / 2.0;
        let top = at.y + h / 2.0 - line_height * d.lines.len() as f64 / 2.0;
        let weight = if node.external { "400" } else { "600" };
        let lines: String = d
            .lines
            .iter()
            .enumerate()
            .map(|(n, line)| {
                format!(
                    r#"<tspan x="{center_x:.1}" y="{:.1}">{}</tspan>"#,
                    top + line_height * (n as f64 + 0.74),
                    esc(line)
                )
            })
            .collect();
        let inner = format!(
            r#"<title>{}</title><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1.6"{extra}/><text class="label" text-anchor="middle" font-size="{NODE_FONT}" font-weight="{weight}" fill="{INK}">{lines}</text>"#,
            esc(&node.label),
            at.x,
            at.y,
        );
        let group = format!(
            r#"<g class="{class}" data-key="{}">{inner}</g>"#,
            esc(&node.key)
        );
        match &node.href {
            Some(href) => {
                let _ = write!(
                    node_svg,
                    r#"<a href="{0}" xlink:href="{0}">{group}</a>"#,
                    esc(href)
                );
            }
            None => node_svg.push_str(&group),
        }
    }

    let origin = Pt {
        x: extent.min.x - MARGIN,
        y: extent.min.y - MARGIN,
    };
    let width = (extent.max.x - extent.min.x + 2.0 * MARGIN).ceil();
    let height = (extent.max.y - extent.min.y + 2.0 * MARGIN).ceil();
    let mut svg = svg_open(width, height, (origin.x, origin.y, width, height), title);
    // Arrows first, then their labels, then the boxes and their links.
    svg.push_str(&edge_svg);
    svg.push_str(&label_svg);
    svg.push_str(&node_svg);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn process(key: &str, label: &str) -> MapNode {
        MapNode {
            key: key.into(),
            label: label.into(),
            href: Some(format!("/processes/{key}")),
            external: false,
        }
    }

    fn party(name: &str) -> MapNode {
        MapNode {
            key: format!("ext:{name}"),
            label: name.into(),
            href: None,
            external: true,
        }
    }

    fn edge(from: &str, to: &str, label: &str) -> MapEdge {
        MapEdge {
            from: from.into(),
            to: to.into(),
            label: label.into(),
        }
    }

    #[derive(Debug)]
    struct Drawn {
        key: String,
        class: String,
        href: Option<String>,
        rect: (f64, f64, f64, f64),
    }

    /// What a reader of the SVG finds, parsed with a real XML parser.
    #[derive(Default, Debug)]
    struct Parsed {
        /// Attributes of the root element.
        root: HashMap<String, String>,
        /// The text of the root's first child, if it is a `<title>`.
        first_title: Option<String>,
        nodes: Vec<Drawn>,
        edges: Vec<(String, String, String)>,
        /// All text content, entities resolved.
        text: String,
    }

    fn attrs(e: &quick_xml::events::BytesStart<'_>) -> HashMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8 name"),
                    a.unescape_value().expect("escaped value").into_owned(),
                )
            })
            .collect()
    }

    fn num(a: &HashMap<String, String>, name: &str) -> f64 {
        a.get(name)
            .unwrap_or_else(|| panic!("missing {name}"))
            .parse()
            .expect("a number")
    }

    fn parse(svg: &str) -> Parsed {
        let mut reader = Reader::from_str(svg);
        let mut out = Parsed::default();
        // Open elements: (name, attributes).
        let mut stack: Vec<(String, HashMap<String, String>)> = Vec::new();
        let mut seen_first_child = false;
        let mut in_first_title = false;
        loop {
            let event = reader.read_event().expect("well-formed XML");
            match event {
                Event::Eof => break,
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8");
                    let a = attrs(e);
                    if stack.is_empty() {
                        assert_eq!(name, "svg", "root element");
                        out.root = a.clone();
                    } else if stack.len() == 1 && !seen_first_child {
                        seen_first_child = true;
                        in_first_title = name == "title";
                        if in_first_title {
                            out.first_title = Some(String::new());
                        }
                    }
                    if name == "g" && a.get("class").is_some_and(|c| c == "edge") {
                        out.edges.push((
                            a["data-from"].clone(),
                            a["data-to"].clone(),
                            String::new(),
                        ));
                    }
                    if name == "rect" {
                        let group = stack.iter().rev().find(|(n, _)| n == "g");
                        if let Some((_, g)) = group
                            && g.get("class").is_some_and(|c| c.starts_with("node"))
                        {
                            let href = stack
                                .iter()
                                .rev()
                                .find(|(n, _)| n == "a")
                                .map(|(_, a)| a["href"].clone());
                            out.nodes.push(Drawn {
                                key: g["data-key"].clone(),
                                class: g["class"].clone(),
                                href,
                                rect: (
                                    num(&a, "x"),
                                    num(&a, "y"),
                                    num(&a, "width"),
                                    num(&a, "height"),
                                ),
                            });
                        }
                    }
                    if matches!(event, Event::Start(_)) {
                        stack.push((name, a));
                    }
                }
                Event::End(_) => {
                    if stack.len() == 2 {
                        in_first_title = false;
                    }
                    stack.pop();
                }
                Event::Text(t) => {
                    let s = t.decode().expect("UTF-8 text").into_owned();
                    append_text(&mut out, &stack, in_first_title, &s);
                }
                Event::GeneralRef(r) => {
                    let s = match r.resolve_char_ref().expect("valid char ref") {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().expect("UTF-8").into_owned();
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .unwrap_or_else(|| panic!("unknown entity {name}"))
                                .to_string()
                        }
                    };
                    append_text(&mut out, &stack, in_first_title, &s);
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "every element closed");
        // An arrow's title is "From → To: what flows".
        for e in &mut out.edges {
            let after = e.2.split_once(" → ").map_or("", |(_, r)| r);
            e.2 = after.split_once(": ").map_or("", |(_, r)| r).to_string();
        }
        out
    }

    fn append_text(
        out: &mut Parsed,
        stack: &[(String, HashMap<String, String>)],
        in_first_title: bool,
        s: &str,
    ) {
        if in_first_title && let Some(t) = out.first_title.as_mut() {
            t.push_str(s);
        }
        let in_edge = stack
            .iter()
            .any(|(n, a)| n == "g" && a.get("class").is_some_and(|c| c == "edge"));
        let in_title = stack.last().is_some_and(|(n, _)| n == "title");
        if in_edge
            && in_title
            && let Some(e) = out.edges.last_mut()
        {
            e.2.push_str(s);
        }
        out.text.push_str(s);
    }

    fn assert_no_overlap(p: &Parsed) {
        for (i, a) in p.nodes.iter().enumerate() {
            let (ax, ay, aw, ah) = a.rect;
            assert!(aw > 0.0 && ah > 0.0, "{} has a size", a.key);
            for b in &p.nodes[i + 1..] {
                let (bx, by, bw, bh) = b.rect;
                let apart = ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay;
                assert!(
                    apart,
                    "{} {:?} overlaps {} {:?}",
                    a.key, a.rect, b.key, b.rect
                );
            }
        }
    }

    /// Every box lies inside the viewBox, and width/height match it.
    fn assert_fits(p: &Parsed) {
        let view: Vec<f64> = p.root["viewBox"]
            .split_whitespace()
            .map(|v| v.parse().expect("a number"))
            .collect();
        let [vx, vy, vw, vh] = view[..] else {
            panic!("viewBox has four numbers");
        };
        assert!((num(&p.root, "width") - vw).abs() < 1.0);
        assert!((num(&p.root, "height") - vh).abs() < 1.0);
        for n in &p.nodes {
            let (x, y, w, h) = n.rect;
            assert!(
                x >= vx && y >= vy && x + w <= vx + vw && y + h <= vy + vh,
                "{} lies outside the viewBox",
                n.key
            );
        }
    }

    fn sorted_keys(p: &Parsed) -> Vec<&str> {
        let mut keys: Vec<&str> = p.nodes.iter().map(|n| n.key.as_str()).collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn every_process_and_flow_is_drawn_and_linked() {
        let nodes = vec![
            process("SALES", "SALES · Myynti"),
            process("PROD", "PROD · Tuotanto"),
            process("DELIV", "DELIV · Toimitus"),
            party("Asiakkaat"),
            party("Teräksen toimittaja"),
        ];
        let edges = vec![
            edge("ext:Asiakkaat", "SALES", "Tarjouspyyntö"),
            edge("SALES", "PROD", "Vahvistettu tilaus"),
            edge("ext:Teräksen toimittaja", "PROD", "Teräslevy"),
            edge("PROD", "DELIV", "Osat"),
            edge("DELIV", "ext:Asiakkaat", "Toimitetut osat"),
        ];
        let svg = render_map_svg(&nodes, &edges, "Prosessikartta");
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        let p = parse(&svg);
        assert_eq!(p.first_title.as_deref(), Some("Prosessikartta"));
        assert_eq!(
            sorted_keys(&p),
            [
                "DELIV",
                "PROD",
                "SALES",
                "ext:Asiakkaat",
                "ext:Asiakkaat",
                "ext:Teräksen toimittaja"
            ],
            "customers who also supply are drawn above and below"
        );
        for n in &p.nodes {
            if n.key.starts_with("ext:") {
                assert_eq!(n.class, "node external");
                assert_eq!(n.href, None, "external parties are not links");
            } else {
                assert_eq!(n.class, "node");
                assert_eq!(
                    n.href.as_deref(),
                    Some(format!("/processes/{}", n.key).as_str())
                );
            }
        }
        assert!(svg.contains(r#"xlink:href="/processes/SALES""#));
        let mut drawn: Vec<(&str, &str, &str)> = p
            .edges
            .iter()
            .map(|(f, t, l)| (f.as_str(), t.as_str(), l.as_str()))
            .collect();
        drawn.sort_unstable();
        let mut expected: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.label.as_str()))
            .collect();
        expected.sort_unstable();
        assert_eq!(drawn, expected);
        assert_no_overlap(&p);
        assert_fits(&p);
    }

    #[test]
    fn arrows_point_from_supplier_to_customer_even_in_cycles() {
        // The cycle forces layout-rs to reverse one arrow; its head must then
        // sit at the start of the path, which runs the other way.
        let nodes = vec![process("A", "A"), process("B", "B"), process("C", "C")];
        let edges = vec![
            edge("A", "B", "x"),
            edge("B", "C", "y"),
            edge("C", "A", "z"),
        ];
        let svg = render_map_svg(&nodes, &edges, "Cycle");
        assert_eq!(parse(&svg).edges.len(), 3);
        assert_eq!(svg.matches("marker-start=").count(), 1, "{svg}");
        assert_eq!(svg.matches("marker-end=").count(), 2, "{svg}");
    }

    #[test]
    fn unknown_endpoints_self_loops_and_duplicates_are_handled() {
        let nodes = vec![process("A", "A · Alpha"), process("B", "B · Beta")];
        let edges = vec![
            edge("A", "B", "Order"),
            edge("A", "B", "Invoice"),
            edge("A", "B", "Order"),
            edge("A", "NOWHERE", "lost"),
            edge("GHOST", "B", "lost"),
            edge("B", "B", "loop"),
        ];
        let p = parse(&render_map_svg(&nodes, &edges, "Map"));
        assert_eq!(sorted_keys(&p), ["A", "B"]);
        assert_eq!(
            p.edges,
            [(
                "A".to_string(),
                "B".to_string(),
                "Order, Invoice".to_string()
            )]
        );
        assert!(!p.text.contains("lost") && !p.text.contains("loop"));
    }

    #[test]
    fn text_is_escaped_and_finnish_letters_kept() {
        let nodes = vec![
            process("A&B", "A&B · <script>alert('x')</script>"),
            process("Ö", "Ö · Hyväksyntä \"ja\" päätös"),
        ];
        let svg = render_map_svg(
            &nodes,
            &[edge("A&B", "Ö", "<script>x</script> & more")],
            "Täsmä & <kartta>",
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;") && svg.contains("Täsmä &amp; &lt;kartta&gt;"));
        let p = parse(&svg);
        assert_eq!(p.first_title.as_deref(), Some("Täsmä & <kartta>"));
        assert_eq!(sorted_keys(&p), ["A&B", "Ö"]);
        assert_eq!(
            p.nodes[0]
                .href
                .as_deref()
                .map(|h| h.starts_with("/processes/")),
            Some(true)
        );
        assert!(p.text.contains("Hyväksyntä \"ja\" päätös"));
        assert_eq!(p.edges[0].2, "<script>x</script> & more");
    }

    #[test]
    fn long_labels_wrap_onto_two_lines_or_end_in_an_ellipsis() {
        assert_eq!(wrap("SALES · Sales"), ["SALES · Sales"]);
        let two = wrap("QUAL · Laadunvarmistus ja asiakastyytyväisyys");
        assert_eq!(two.len(), 2);
        let long = "PROC · one two three four five six seven eight nine ten eleven twelve";
        let cut = wrap(long);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        let word = wrap(&"x".repeat(60));
        assert_eq!(word.len(), 1);
        assert!(word[0].ends_with('…'));
        for line in two.iter().chain(&cut).chain(&word) {
            assert!(line.chars().count() <= MAX_LINE, "{line}");
        }
        // The full label stays available as the box's tooltip.
        let p = parse(&render_map_svg(&[process("P", long)], &[], "Map"));
        assert!(p.text.contains(long));
    }

    #[test]
    fn forty_processes_and_eighty_flows_stay_apart() {
        let mut nodes: Vec<MapNode> = (0..36)
            .map(|i| {
                process(
                    &format!("P{i:02}"),
                    &format!("P{i:02} · Prosessi numero {i}"),
                )
            })
            .collect();
        nodes.extend(["Asiakkaat", "Toimittajat", "Viranomaiset", "Pankki"].map(party));
        let key = |i: usize| nodes[i % nodes.len()].key.clone();
        let edges: Vec<MapEdge> = (0..80)
            .map(|i| MapEdge {
                from: key(i),
                to: key(i * 7 + 3),
                label: format!("virta {i}"),
            })
            .collect();
        let valid: std::collections::BTreeSet<(String, String)> = edges
            .iter()
            .filter(|e| e.from != e.to)
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        let svg = render_map_svg(&nodes, &edges, "Iso kartta");
        let p = parse(&svg);
        let mut unique = sorted_keys(&p);
        unique.dedup();
        assert_eq!(unique.len(), 40);
        assert!(p.nodes.len() <= 44, "parties that supply and receive twice");
        let drawn: std::collections::BTreeSet<(String, String)> = p
            .edges
            .iter()
            .map(|(f, t, _)| (f.clone(), t.clone()))
            .collect();
        assert_eq!(drawn, valid);
        assert_eq!(p.edges.len(), valid.len(), "one arrow per pair");
        assert_no_overlap(&p);
        assert_fits(&p);
    }

    #[test]
    fn an_empty_map_is_a_valid_document() {
        let svg = render_map_svg(&[], &[edge("A", "B", "x")], "Tyhjä <kartta>");
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        let p = parse(&svg);
        assert_eq!(p.first_title.as_deref(), Some("Tyhjä <kartta>"));
        assert!(p.nodes.is_empty() && p.edges.is_empty());
        assert!(p.root.contains_key("width") && p.root.contains_key("viewBox"));
        assert!(p.text.contains("(0)"));
    }

    #[test]
    fn processes_without_flows_are_still_drawn() {
        let nodes = vec![process("A", "A"), process("B", "B"), party("Asiakkaat")];
        let p = parse(&render_map_svg(&nodes, &[], "Map"));
        assert_eq!(sorted_keys(&p), ["A", "B", "ext:Asiakkaat"]);
        assert!(p.edges.is_empty());
        assert_no_overlap(&p);
        assert_fits(&p);
    }
}
