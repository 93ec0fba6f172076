//! The process map, laid out once per change.
//!
//! Laying a map out is the most expensive thing a page asks for: it grows
//! steeply with the links, and it runs on a blocking thread, never on an
//! actix worker. The map changes only when a process, an output or an input
//! does, so the SVG is kept, keyed by a hash of exactly what it was drawn
//! from: the next reader of an unchanged map gets it at once, and a changed
//! map is drawn again without anything having to remember to clear it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::map::{MapEdge, MapNode, render_map_svg};

/// How many drawings are kept: one per language and a few recent changes.
const KEPT: usize = 8;

/// The SVGs drawn lately, newest last, with the hash of their input.
#[derive(Default)]
pub struct MapCache {
    drawn: Mutex<Vec<(u64, Arc<String>)>>,
    /// Held while drawing, so that readers of one new map wait for one
    /// drawing instead of each starting their own.
    drawing: Mutex<()>,
}

fn key(nodes: &[MapNode], edges: &[MapEdge], title: &str) -> u64 {
    let mut h = DefaultHasher::new();
    nodes.hash(&mut h);
    edges.hash(&mut h);
    title.hash(&mut h);
    h.finish()
}

impl MapCache {
    fn lookup(&self, k: u64) -> Option<Arc<String>> {
        let drawn = self.drawn.lock().unwrap_or_else(|e| e.into_inner());
        drawn
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, svg)| svg.clone())
    }

    /// The SVG of this graph: kept, or drawn now (blocking: call it from a
    /// blocking thread).
    pub fn svg(&self, nodes: &[MapNode], edges: &[MapEdge], title: &str) -> Arc<String> {
        assert!(
            !crate::db::on_worker_thread(),
            "the process map is laid out on a blocking thread, never on an actix worker"
        );
        let k = key(nodes, edges, title);
        if let Some(svg) = self.lookup(k) {
            return svg;
        }
        let _drawing = self.drawing.lock().unwrap_or_else(|e| e.into_inner());
        // Someone may have drawn it while we waited.
        if let Some(svg) = self.lookup(k) {
            return svg;
        }
        let svg = Arc::new(render_map_svg(nodes, edges, title));
        let mut drawn = self.drawn.lock().unwrap_or_else(|e| e.into_inner());
        drawn.push((k, svg.clone()));
        if drawn.len() > KEPT {
            drawn.remove(0);
        }
        svg
    }

    /// How many drawings are kept now.
    pub fn len(&self) -> usize {
        self.drawn.lock().map_or(0, |d| d.len())
    }

    /// Whether nothing was drawn yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: &str) -> MapNode {
        MapNode {
            key: key.into(),
            label: key.into(),
            href: Some(format!("/processes/{key}")),
            external: false,
        }
    }

    fn edge(from: &str, to: &str, label: &str) -> MapEdge {
        MapEdge {
            from: from.into(),
            to: to.into(),
            label: label.into(),
        }
    }

    #[test]
    fn an_unchanged_map_is_drawn_once_and_a_change_draws_it_again() {
        let cache = MapCache::default();
        let nodes = vec![node("SALES"), node("PROD")];
        let edges = vec![edge("SALES", "PROD", "Order")];
        let first = cache.svg(&nodes, &edges, "Map");
        let again = cache.svg(&nodes, &edges, "Map");
        assert!(Arc::ptr_eq(&first, &again), "kept, not drawn again");
        let renamed = vec![edge("SALES", "PROD", "Confirmed order")];
        let changed = cache.svg(&nodes, &renamed, "Map");
        assert!(changed.contains("Confirmed order"));
        assert!(!first.contains("Confirmed order"));
        let finnish = cache.svg(&nodes, &edges, "Prosessikartta");
        assert!(finnish.contains("Prosessikartta"));
        assert_eq!(cache.len(), 3);
        for i in 0..20 {
            cache.svg(&nodes, &[edge("SALES", "PROD", &format!("v{i}"))], "Map");
        }
        assert_eq!(cache.len(), KEPT, "bounded");
    }
}
