//! `cargo bench --bench map`: how long the process map takes to lay out and
//! write as it grows, from a small company's map to 50 processes with 1,000
//! links. Prints a Markdown table for docs/performance.md.

use std::time::{Duration, Instant};

use laatu::processes::map::{MapEdge, MapNode, render_map_svg};

/// A map of `processes` processes, `externals` external parties and `links`
/// inputs, wired the way real maps are: mostly to nearby processes, some
/// far, some to and from customers and suppliers. Deterministic.
fn graph(processes: usize, externals: usize, links: usize) -> (Vec<MapNode>, Vec<MapEdge>) {
    let mut nodes: Vec<MapNode> = (0..processes)
        .map(|i| MapNode {
            key: format!("P{i:02}"),
            label: format!("P{i:02} · Process number {i}"),
            href: Some(format!("/processes/P{i:02}")),
            external: false,
        })
        .collect();
    nodes.extend((0..externals).map(|i| MapNode {
        key: format!("ext:Party {i}"),
        label: format!("Party {i}"),
        href: None,
        external: true,
    }));
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let total = nodes.len() as u64;
    let edges = (0..links)
        .map(|i| {
            let from = (next() % total) as usize;
            let near = (from as u64 + 1 + next() % 4) % total;
            let to = if i % 5 == 0 {
                (next() % total) as usize
            } else {
                near as usize
            };
            MapEdge {
                from: nodes[from].key.clone(),
                to: nodes[to].key.clone(),
                label: format!("Output {}", i % 37),
            }
        })
        .collect();
    (nodes, edges)
}

fn main() {
    println!("| processes | external parties | links | layout and SVG (median of 3) | SVG size |");
    println!("|---:|---:|---:|---:|---:|");
    for (p, x, l) in [(10, 4, 30), (20, 6, 200), (30, 8, 500), (50, 10, 1000)] {
        let (nodes, edges) = graph(p, x, l);
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let svg = render_map_svg(&nodes, &edges, "Process map");
            times.push(start.elapsed());
            size = svg.len();
        }
        times.sort();
        println!(
            "| {p} | {x} | {l} | {:.0} ms | {} KB |",
            times[1].as_secs_f64() * 1000.0,
            size / 1024
        );
    }
}
