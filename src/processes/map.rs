//! The process map as SVG: every active process a box, external customers
//! and suppliers rounded grey boxes, arrows from supplier to customer
//! labelled with what flows. layout-rs (a Graphviz-style layered layout)
//! places everything; a small render back end of ours writes the SVG so that
//! each box is a link and carries data attributes tests and CSS can use.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

/// One box on the map.
#[derive(Debug, Clone)]
pub struct MapNode {
    /// Unique key: a process code, or `ext:<name>` for an external party.
    pub key: String,
    /// Text shown in the box.
    pub label: String,
    /// Where the box links to; `None` for external parties.
    pub href: Option<String>,
    /// An external customer or supplier, drawn at the system's edge.
    pub external: bool,
}

/// One arrow: `from` supplies `to` with `label`.
#[derive(Debug, Clone)]
pub struct MapEdge {
    pub from: String,
    pub to: String,
    pub label: String,
}

const FONT: usize = 13;
const MAX_LINE: usize = 28;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
    out
}

/// Splits a label into at most two lines of about `MAX_LINE` characters.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let last = lines.last_mut().map_or(0, |l| l.chars().count());
        if last > 0 && last + 1 + word.chars().count() > MAX_LINE {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    if lines.len() > 2 {
        let mut second: String = lines[1..].join(" ").chars().take(MAX_LINE - 1).collect();
        second.push('…');
        lines.truncate(1);
        lines.push(second);
    }
    lines
}

struct Box_ {
    key: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

struct Path {
    d: String,
    label: String,
    label_at: Point,
}

/// Collects what the layout draws.
#[derive(Default)]
struct Recorder {
    boxes: Vec<Box_>,
    arrows: Vec<Path>,
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _: &StyleAttr,
        properties: Option<String>,
        _: Option<ClipHandle>,
    ) {
        if let Some(key) = properties {
            self.boxes.push(Box_ {
                key,
                x: xy.x,
                y: xy.y,
                w: size.x,
                h: size.y,
            });
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        text: &str,
    ) {
        if path.len() < 2 {
            return;
        }
        // The first pair is the exit vector, the rest are entry vectors into
        // the following points: `M p0 C c0, c1 p1 S c p ...`.
        let mut d = format!(
            "M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
            path[0].0.x,
            path[0].0.y,
            path[0].1.x,
            path[0].1.y,
            path[1].0.x,
            path[1].0.y,
            path[1].1.x,
            path[1].1.y
        );
        for p in &path[2..] {
            let _ = write!(d, " S {:.1} {:.1}, {:.1} {:.1}", p.0.x, p.0.y, p.1.x, p.1.y);
        }
        let mid = path[path.len() / 2].1;
        self.arrows.push(Path {
            d,
            label: properties.unwrap_or_else(|| text.to_string()),
            label_at: mid,
        });
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// Lays out the graph and writes a standalone SVG document.
pub fn render_map_svg(nodes: &[MapNode], edges: &[MapEdge], title: &str) -> String {
    let known: HashMap<&str, &MapNode> = nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    // One arrow per ordered pair; what flows is joined.
    let mut pairs: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for e in edges {
        if e.from == e.to
            || !known.contains_key(e.from.as_str())
            || !known.contains_key(e.to.as_str())
        {
            continue;
        }
        let labels = pairs.entry((e.from.as_str(), e.to.as_str())).or_default();
        if !labels.contains(&e.label.as_str()) {
            labels.push(&e.label);
        }
    }
    let mut head = format!(
        r##"<title>{}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6878"/></marker></defs>"##,
        esc(title)
    );
    if nodes.is_empty() {
        return format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="80" viewBox="0 0 400 80">{head}<text x="200" y="45" text-anchor="middle" font-family="sans-serif" font-size="14" fill="#5b6878">–</text></svg>"##
        );
    }

    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    let mut handles = HashMap::new();
    let mut lines_of = HashMap::new();
    for n in nodes {
        let lines = wrap(&n.label);
        let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        let size = Point::new(
            (widest as f64 * 7.6 + 28.0).max(90.0),
            18.0 * lines.len() as f64 + 18.0,
        );
        let look = StyleAttr::new(Color::fast("black"), 1, Some(Color::fast("white")), 6, FONT);
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
    for ((from, to), labels) in &pairs {
        let label = labels.join(", ");
        // No text for the layout: labelled edges become extra ranks there and
        // stretch the map; the label is drawn at the path's middle instead.
        let mut arrow = Arrow::simple("");
        arrow.properties = Some(format!("{from}\u{1f}{to}\u{1f}{label}"));
        if let (Some(a), Some(b)) = (handles.get(from), handles.get(to)) {
            vg.add_edge(arrow, *a, *b);
        }
    }
    let mut rec = Recorder::default();
    vg.do_it(false, false, false, &mut rec);

    // The drawing's extent, with a margin.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for b in &rec.boxes {
        min_x = min_x.min(b.x);
        min_y = min_y.min(b.y);
        max_x = max_x.max(b.x + b.w);
        max_y = max_y.max(b.y + b.h);
    }
    for a in &rec.arrows {
        for n in
            a.d.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|s| s.parse::<f64>().ok())
                .collect::<Vec<_>>()
                .chunks(2)
        {
            if let [x, y] = n {
                min_x = min_x.min(*x);
                min_y = min_y.min(*y);
                max_x = max_x.max(*x);
                max_y = max_y.max(*y);
            }
        }
    }
    let margin = 20.0;
    let (ox, oy) = (min_x - margin, min_y - margin);
    let (w, h) = (max_x - min_x + 2.0 * margin, max_y - min_y + 2.0 * margin);

    let mut body = String::new();
    for a in &rec.arrows {
        let mut parts = a.label.split('\u{1f}');
        let (from, to, label) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let shown: String = if label.chars().count() > 40 {
            label.chars().take(39).chain(std::iter::once('…')).collect()
        } else {
            label.to_string()
        };
        let _ = write!(
            body,
            r##"<g class="edge" data-from="{}" data-to="{}"><title>{} → {}: {}</title><path d="{}" fill="none" stroke="#5b6878" stroke-width="1.4" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#1d2733" paint-order="stroke" stroke="#f6f8fa" stroke-width="3">{}</text></g>"##,
            esc(from),
            esc(to),
            esc(from),
            esc(to),
            esc(label),
            a.d,
            a.label_at.x,
            a.label_at.y - 4.0,
            esc(&shown)
        );
    }
    for b in &rec.boxes {
        let Some(node) = known.get(b.key.as_str()) else {
            continue;
        };
        let lines = lines_of.get(b.key.as_str()).cloned().unwrap_or_default();
        let (class, fill, stroke, dash, rx) = if node.external {
            (
                "node external",
                "#eef1f4",
                "#8a96a3",
                r#" stroke-dasharray="5 3""#,
                18.0,
            )
        } else {
            ("node", "#ffffff", "#0b5cad", "", 6.0)
        };
        let mut shape = format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="1.6"{dash}/>"#,
            b.x, b.y, b.w, b.h
        );
        let first_y = b.y + b.h / 2.0 - 9.0 * (lines.len() as f64 - 1.0) + 4.5;
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                shape,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{FONT}" fill="#1d2733">{}</text>"##,
                b.x + b.w / 2.0,
                first_y + 18.0 * i as f64,
                esc(line)
            );
        }
        let inner = format!("<title>{}</title>{shape}", esc(&node.label));
        let _ = match &node.href {
            Some(href) => write!(
                body,
                r#"<g class="{class}" data-key="{}"><a href="{}" xlink:href="{}">{inner}</a></g>"#,
                esc(&node.key),
                esc(href),
                esc(href)
            ),
            None => write!(
                body,
                r#"<g class="{class}" data-key="{}">{inner}</g>"#,
                esc(&node.key)
            ),
        };
    }
    head.push_str(&body);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" font-family="system-ui, sans-serif" width="{w:.0}" height="{h:.0}" viewBox="{ox:.1} {oy:.1} {w:.1} {h:.1}">{head}</svg>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn node(key: &str, external: bool) -> MapNode {
        MapNode {
            key: key.into(),
            label: if external {
                key.trim_start_matches("ext:").into()
            } else {
                format!("{key} · Process {key}")
            },
            href: (!external).then(|| format!("/processes/{key}")),
            external,
        }
    }

    fn edge(from: &str, to: &str, label: &str) -> MapEdge {
        MapEdge {
            from: from.into(),
            to: to.into(),
            label: label.into(),
        }
    }

    struct Parsed {
        nodes: Vec<(String, f64, f64, f64, f64)>,
        edges: Vec<(String, String)>,
    }

    fn parse(svg: &str) -> Parsed {
        let mut reader = Reader::from_str(svg);
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let mut current: Option<String> = None;
        loop {
            match reader.read_event().expect("valid XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |name: &str| {
                        e.attributes()
                            .filter_map(Result::ok)
                            .find(|a| a.key.as_ref() == name.as_bytes())
                            .map(|a| a.unescape_value().unwrap().to_string())
                    };
                    match e.name().as_ref() {
                        b"g" => {
                            let class = attr("class").unwrap_or_default();
                            if class.starts_with("node") {
                                current = attr("data-key");
                            } else if class == "edge" {
                                edges.push((attr("data-from").unwrap(), attr("data-to").unwrap()));
                            }
                        }
                        b"rect" => {
                            if let Some(key) = current.take() {
                                let f = |n: &str| attr(n).unwrap().parse::<f64>().unwrap();
                                nodes.push((key, f("x"), f("y"), f("width"), f("height")));
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Parsed { nodes, edges }
    }

    fn assert_no_overlap(p: &Parsed) {
        for (i, a) in p.nodes.iter().enumerate() {
            for b in &p.nodes[i + 1..] {
                let apart =
                    a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1 || a.2 + a.4 <= b.2 || b.2 + b.4 <= a.2;
                assert!(apart, "{} overlaps {}", a.0, b.0);
            }
        }
    }

    #[test]
    fn every_node_and_edge_is_drawn_without_overlap() {
        let nodes = vec![
            node("SALES", false),
            node("PROD", false),
            node("DELIV", false),
            node("ext:Customers", true),
        ];
        let edges = vec![
            edge("SALES", "PROD", "Order"),
            edge("PROD", "DELIV", "Parts"),
            edge("DELIV", "ext:Customers", "Delivered parts"),
            edge("ext:Customers", "SALES", "Request"),
            edge("SALES", "NOWHERE", "lost"),
            edge("PROD", "PROD", "loop"),
        ];
        let svg = render_map_svg(&nodes, &edges, "Map");
        let p = parse(&svg);
        let mut keys: Vec<&str> = p.nodes.iter().map(|n| n.0.as_str()).collect();
        keys.sort();
        assert_eq!(keys, ["DELIV", "PROD", "SALES", "ext:Customers"]);
        assert_eq!(
            p.edges.len(),
            4,
            "edges to unknown nodes and self-loops are skipped"
        );
        assert!(svg.contains(r#"href="/processes/SALES""#));
        assert_no_overlap(&p);
    }

    #[test]
    fn forty_processes_stay_apart() {
        let nodes: Vec<MapNode> = (0..40).map(|i| node(&format!("P{i:02}"), false)).collect();
        let edges: Vec<MapEdge> = (0..80)
            .map(|i| {
                edge(
                    &format!("P{:02}", i % 40),
                    &format!("P{:02}", (i * 7 + 3) % 40),
                    &format!("flow {i}"),
                )
            })
            .collect();
        let p = parse(&render_map_svg(&nodes, &edges, "Big"));
        assert_eq!(p.nodes.len(), 40);
        assert_no_overlap(&p);
    }

    #[test]
    fn text_is_escaped_and_empty_maps_are_valid() {
        let nodes = vec![node("A1", false), node("B1", false)];
        let svg = render_map_svg(
            &nodes,
            &[edge("A1", "B1", "<script>x</script> & more")],
            "Täsmä & <kartta>",
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("Täsmä &amp; &lt;kartta&gt;"));
        parse(&svg);
        parse(&render_map_svg(&[], &[], "Empty"));
    }
}
