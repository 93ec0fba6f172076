//! The process map of ISO 9001 4.4 as SVG: every active process a box,
//! external customers and suppliers grey dashed pills at the edges, arrows
//! from supplier to customer labelled with what flows.
//!
//! layout-rs (a Graphviz-style layered layout) places everything. We do not
//! use its SVG writer: a small [`RenderBackend`] of ours records where the
//! layout put each box, arrow and label, and then we write the SVG ourselves
//! so that every process box is a link and every group carries the data
//! attributes that tests and CSS look for.

use std::collections::HashMap;
use std::fmt::Write;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

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

/// Font size of the text in boxes, in pixels.
const NODE_FONT: f64 = 13.0;
/// Font size of arrow labels, in pixels.
const EDGE_FONT: f64 = 11.0;
/// Average glyph width relative to the font size; errs wide so that text in
/// a proportional sans-serif font stays inside its box.
const GLYPH: f64 = 0.6;
/// Longest line in a box or an arrow label before it wraps.
const MAX_LINE: usize = 28;
/// Up to this many arrows, the layout reserves room for each label.
const LABELLED_FLOWS: usize = 40;
/// Space around the drawing.
const MARGIN: f64 = 16.0;
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

/// Keeps one flow per ordered pair, skipping self-loops and arrows to
/// nodes that are not on the map.
///
/// The order matters: layout-rs breaks cycles by reversing the arrow that
/// closes one, in insertion order. Adding arrows to external customers
/// first keeps customers downstream of the processes (right edge) and a
/// customer's requests become the reversed arrows, instead of the other way
/// round.
fn flows<'a>(nodes: &HashMap<&str, &'a MapNode>, edges: &'a [MapEdge]) -> Vec<Flow<'a>> {
    let rank = |e: &MapEdge| -> u8 {
        let external = |k: &str| nodes.get(k).is_some_and(|n| n.external);
        match (external(&e.from), external(&e.to)) {
            (false, true) => 0,
            (true, false) => 2,
            _ => 1,
        }
    };
    let mut ordered: Vec<&MapEdge> = edges
        .iter()
        .filter(|e| {
            e.from != e.to
                && nodes.contains_key(e.from.as_str())
                && nodes.contains_key(e.to.as_str())
        })
        .collect();
    ordered.sort_by_key(|e| rank(e));
    let mut out: Vec<Flow<'a>> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for e in ordered {
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

/// A box as the layout placed it.
struct PlacedBox {
    key: String,
    top_left: Point,
    size: Point,
}

/// An arrow as the layout routed it.
struct PlacedArrow {
    /// Index into the flows.
    flow: usize,
    /// layout-rs's Bézier path: `(start, control)` then `(control, point)`
    /// pairs.
    path: Vec<(Point, Point)>,
    /// The layout reversed the arrow to break a cycle, so the path runs from
    /// the customer to the supplier and the head belongs at its start.
    reversed: bool,
}

/// Records what layout-rs draws instead of drawing it.
#[derive(Default)]
struct Recorder {
    boxes: Vec<PlacedBox>,
    arrows: Vec<PlacedArrow>,
    /// Non-empty texts in drawing order: the arrow labels, since our boxes
    /// carry no text of their own in the layout.
    texts: Vec<(Point, String)>,
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(key) = properties {
            self.boxes.push(PlacedBox {
                key,
                top_left: xy,
                size,
            });
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if !text.is_empty() {
            self.texts.push((xy, text.to_string()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        let Some(flow) = properties.and_then(|p| p.parse().ok()) else {
            return;
        };
        if path.len() < 2 {
            return;
        }
        self.arrows.push(PlacedArrow {
            flow,
            path: path.to_vec(),
            reversed: head.0 && !head.1,
        });
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// The SVG path for a layout-rs Bézier path, as its own SVG writer draws it.
fn path_data(path: &[(Point, Point)]) -> String {
    let mut d = String::new();
    if let [first, second, rest @ ..] = path {
        let _ = write!(
            d,
            "M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
            first.0.x,
            first.0.y,
            first.1.x,
            first.1.y,
            second.0.x,
            second.0.y,
            second.1.x,
            second.1.y
        );
        for p in rest {
            let _ = write!(d, " S {:.1} {:.1}, {:.1} {:.1}", p.0.x, p.0.y, p.1.x, p.1.y);
        }
    }
    d
}

/// The smallest rectangle holding everything drawn.
struct Extent {
    min: Point,
    max: Point,
}

impl Extent {
    fn new() -> Self {
        Extent {
            min: Point::new(f64::MAX, f64::MAX),
            max: Point::new(f64::MIN, f64::MIN),
        }
    }

    fn grow(&mut self, p: Point) {
        self.min = Point::new(self.min.x.min(p.x), self.min.y.min(p.y));
        self.max = Point::new(self.max.x.max(p.x), self.max.y.max(p.y));
    }
}

/// The map's own style, for the standalone SVG document (served with a
/// policy that allows it). Inside a page the same rule comes from
/// `laatu.css`, and [`for_page`] leaves this out.
const STANDALONE_STYLE: &str = "<style>a:hover rect, a:focus rect { stroke-width: 3; }</style>";

/// The map for embedding in a page: without its `<style>` element, which
/// the page's Content-Security-Policy (`style-src 'self'`) would refuse.
pub fn for_page(svg: &str) -> String {
    svg.replacen(STANDALONE_STYLE, "", 1)
}

fn svg_open(width: f64, height: f64, view: (f64, f64, f64, f64), title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width:.0}" height="{height:.0}" viewBox="{:.1} {:.1} {:.1} {:.1}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif"><title>{}</title><defs><marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{ARROW_INK}"/></marker></defs>{STANDALONE_STYLE}"##,
        view.0,
        view.1,
        view.2,
        view.3,
        esc(title)
    )
}

/// Lays the graph out left to right with layout-rs (suppliers on the left,
/// customers on the right) and writes a standalone SVG document.
///
/// Arrows to unknown nodes and self-loops are skipped; arrows between the
/// same pair are merged, their labels joined with ", ".
pub fn render_map_svg(nodes: &[MapNode], edges: &[MapEdge], title: &str) -> String {
    // layout-rs panics on a graph without nodes (its placer asserts on
    // empty rows), so the empty map never reaches it.
    if nodes.is_empty() {
        let mut svg = svg_open(360.0, 80.0, (0.0, 0.0, 360.0, 80.0), title);
        let _ = write!(
            svg,
            r##"<text x="180" y="45" text-anchor="middle" font-size="14" fill="{ARROW_INK}">{} (0)</text></svg>"##,
            esc(&shorten(title, 40))
        );
        return svg;
    }
    // A key given twice keeps its first box: layout-rs would draw both, and
    // links by key would be ambiguous.
    let mut known: HashMap<&str, &MapNode> = HashMap::new();
    let mut unique: Vec<&MapNode> = Vec::new();
    for n in nodes {
        if !known.contains_key(n.key.as_str()) {
            known.insert(&n.key, n);
            unique.push(n);
        }
    }
    let flows = flows(&known, edges);

    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    let mut handles = HashMap::new();
    let mut lines_of: HashMap<&str, Vec<String>> = HashMap::new();
    for n in &unique {
        let lines = wrap(&n.label);
        let widest = lines
            .iter()
            .map(|l| text_width(l, NODE_FONT))
            .fold(0.0, f64::max);
        let size = Point::new(
            (widest + 24.0).max(96.0),
            NODE_FONT * 1.4 * lines.len().max(1) as f64 + 20.0,
        );
        // The box text is ours to draw; layout-rs gets an empty label and
        // the size we computed, and our key back as the box's properties.
        let look = StyleAttr::new(Color::fast("black"), 1, None, 0, NODE_FONT as usize);
        let elem = Element::create_with_properties(
            ShapeKind::new_box(""),
            look,
            Orientation::LeftToRight,
            size,
            n.key.clone(),
        );
        handles.insert(n.key.as_str(), vg.add_node(elem));
        lines_of.insert(n.key.as_str(), lines);
    }
    let mut label_lines: Vec<Vec<String>> = Vec::with_capacity(flows.len());
    for (i, flow) in flows.iter().enumerate() {
        let lines = wrap(&flow.label());
        // The label goes to the layout so it reserves room for it (a label
        // node in the middle of the arrow). layout-rs sizes text as
        // characters × font size, so a font of glyph width reserves about the
        // width the text really takes.
        // On a large map a label node per arrow makes the layout take
        // seconds to minutes (it grows steeply with nodes); there the labels
        // sit at the middle of their arrows instead.
        let in_layout = if flows.len() <= LABELLED_FLOWS {
            lines.join("\n")
        } else {
            String::new()
        };
        let mut arrow = Arrow::simple_with_properties(&in_layout, i.to_string());
        arrow.look.font_size = (EDGE_FONT * GLYPH).ceil() as usize;
        if let (Some(a), Some(b)) = (handles.get(flow.from), handles.get(flow.to)) {
            vg.add_edge(arrow, *a, *b);
        }
        label_lines.push(lines);
    }
    let mut rec = Recorder::default();
    vg.do_it(false, false, false, &mut rec);

    // layout-rs draws the label nodes in the order their arrows were added,
    // so the n-th text is the n-th labelled flow; the text itself confirms
    // it, and a label that does not match sits at its arrow's middle.
    let mut label_at: HashMap<usize, Point> = HashMap::new();
    let mut texts = rec.texts.iter();
    for (i, lines) in label_lines.iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        match texts.next() {
            Some((at, text)) if *text == lines.join("\n") => {
                label_at.insert(i, *at);
            }
            _ => break,
        }
    }

    let mut extent = Extent::new();
    for b in &rec.boxes {
        extent.grow(b.top_left);
        extent.grow(Point::new(b.top_left.x + b.size.x, b.top_left.y + b.size.y));
    }
    let mut edge_svg = String::new();
    for a in &rec.arrows {
        let Some(flow) = flows.get(a.flow) else {
            continue;
        };
        for (p, q) in &a.path {
            extent.grow(*p);
            extent.grow(*q);
        }
        let marker = if a.reversed {
            "marker-start"
        } else {
            "marker-end"
        };
        let label = flow.label();
        let _ = write!(
            edge_svg,
            r##"<g class="edge" data-from="{}" data-to="{}"><title>{} → {}: {}</title><path d="{}" fill="none" stroke="{ARROW_INK}" stroke-width="1.4" {marker}="url(#map-arrow)"/>"##,
            esc(flow.from),
            esc(flow.to),
            esc(known.get(flow.from).map_or(flow.from, |n| n.label.as_str())),
            esc(known.get(flow.to).map_or(flow.to, |n| n.label.as_str())),
            esc(&label),
            path_data(&a.path),
        );
        let lines = label_lines.get(a.flow).map(Vec::as_slice).unwrap_or(&[]);
        if !lines.is_empty() {
            let mid = a.path.get(a.path.len() / 2).map_or(Point::zero(), |p| p.1);
            let at = label_at.get(&a.flow).copied().unwrap_or(mid);
            let line_height = EDGE_FONT * 1.25;
            let top = at.y - line_height * lines.len() as f64 / 2.0;
            for (n, line) in lines.iter().enumerate() {
                let half = text_width(line, EDGE_FONT) / 2.0;
                let baseline = top + line_height * (n as f64 + 0.8);
                extent.grow(Point::new(at.x - half, top));
                extent.grow(Point::new(
                    at.x + half,
                    top + line_height * (n as f64 + 1.0),
                ));
                // The halo keeps the label readable where it crosses lines.
                let _ = write!(
                    edge_svg,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{EDGE_FONT}" fill="{INK}" stroke="{BACKGROUND}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
                    at.x,
                    baseline,
                    esc(line)
                );
            }
        }
        edge_svg.push_str("</g>");
    }

    let mut node_svg = String::new();
    for b in &rec.boxes {
        let Some(node) = known.get(b.key.as_str()) else {
            continue;
        };
        let lines = lines_of
            .get(b.key.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (class, fill, stroke, extra) = if node.external {
            (
                "node external",
                "#eef1f4",
                "#8a96a3",
                format!(r#" rx="{:.1}" stroke-dasharray="5 3""#, b.size.y / 2.0),
            )
        } else {
            ("node", BACKGROUND, "#0b5cad", r#" rx="6""#.to_string())
        };
        let mut inner = format!(
            r#"<title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1.6"{extra}/>"#,
            esc(&node.label),
            b.top_left.x,
            b.top_left.y,
            b.size.x,
            b.size.y
        );
        let line_height = NODE_FONT * 1.4;
        let center_x = b.top_left.x + b.size.x / 2.0;
        let top = b.top_left.y + b.size.y / 2.0 - line_height * lines.len() as f64 / 2.0;
        let weight = if node.external { "400" } else { "600" };
        for (n, line) in lines.iter().enumerate() {
            let _ = write!(
                inner,
                r#"<text x="{center_x:.1}" y="{:.1}" text-anchor="middle" font-size="{NODE_FONT}" font-weight="{weight}" fill="{INK}">{}</text>"#,
                top + line_height * (n as f64 + 0.72),
                esc(line)
            );
        }
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

    let origin = Point::new(extent.min.x - MARGIN, extent.min.y - MARGIN);
    let width = (extent.max.x - extent.min.x + 2.0 * MARGIN).ceil();
    let height = (extent.max.y - extent.min.y + 2.0 * MARGIN).ceil();
    let mut svg = svg_open(width, height, (origin.x, origin.y, width, height), title);
    // Arrows first so that boxes and their links sit on top.
    svg.push_str(&edge_svg);
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
        let in_label = stack.last().is_some_and(|(n, _)| n == "text");
        if in_edge
            && in_label
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
                "ext:Teräksen toimittaja"
            ]
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
        assert_eq!(p.nodes.len(), 40);
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
