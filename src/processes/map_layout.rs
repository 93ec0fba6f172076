//! A layered drawing of the process map, top to bottom, in about linear time.
//!
//! The classic Sugiyama steps, each kept to a pass or a few over the graph:
//!
//! 1. Cycles are broken by the Eades–Lin–Smyth order (sinks to the end,
//!    sources to the front, else the node that gives most): an arrow that
//!    runs against the order is laid out reversed and drawn back.
//! 2. Rows by longest path; a node that only supplies (an external supplier,
//!    a support process) is pulled down to just above its first customer.
//! 3. An arrow that skips rows gets a thin lane in each row it crosses, so
//!    it never runs through a box.
//! 4. A few barycentre sweeps order each row; the order with the fewest
//!    crossings (counted with a Fenwick tree) is kept.
//! 5. Each box is pulled towards the centre of its neighbours and the row is
//!    placed with the pool-adjacent-violators algorithm: the closest
//!    positions to the wished ones that keep every box apart, in linear time.
//!
//! Top to bottom because a page scrolls that way: a long chain of processes
//! becomes a tall map of readable boxes instead of a wide one that has to be
//! shrunk until its labels are too small to read.

/// A point in the drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    /// Left to right.
    pub x: f64,
    /// Top to bottom.
    pub y: f64,
}

/// Where one arrow runs.
#[derive(Debug, Clone)]
pub struct Route {
    /// From the bottom of the upper box, through a lane's top and bottom in
    /// every row it crosses, to the top of the lower box. The pairs
    /// `(points[2k], points[2k + 1])` cross the gaps between rows; the others
    /// run straight down a lane.
    pub points: Vec<Pt>,
    /// The arrow runs upwards (against the order): its head belongs at the
    /// start of `points`.
    pub reversed: bool,
}

/// What [`layout`] placed.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Top-left corner of each box, in the order given.
    pub boxes: Vec<Pt>,
    /// One route per arrow, in the order given.
    pub routes: Vec<Route>,
}

/// Vertical space between rows: room for a two-line arrow label.
pub const ROW_GAP: f64 = 78.0;
/// Horizontal space between two boxes in a row.
const BOX_GAP: f64 = 36.0;
/// Width of the lane of an arrow passing through a row.
const LANE: f64 = 14.0;
/// Space next to a lane.
const LANE_GAP: f64 = 4.0;
/// Ordering sweeps; each is linear in the nodes and lanes.
const SWEEPS: usize = 8;
/// Placement passes (down and up).
const PLACEMENTS: usize = 4;

/// Degrees of the nodes not yet taken, and which became sinks or sources.
struct Peel<'a> {
    outs: &'a [Vec<usize>],
    ins: &'a [Vec<usize>],
    out_deg: Vec<usize>,
    in_deg: Vec<usize>,
    removed: Vec<bool>,
    sinks: Vec<usize>,
    sources: Vec<usize>,
}

impl Peel<'_> {
    fn take(&mut self, v: usize) {
        self.removed[v] = true;
        for &w in &self.outs[v] {
            self.in_deg[w] -= 1;
            if self.in_deg[w] == 0 && !self.removed[w] {
                self.sources.push(w);
            }
        }
        for &u in &self.ins[v] {
            self.out_deg[u] -= 1;
            if self.out_deg[u] == 0 && !self.removed[u] {
                self.sinks.push(u);
            }
        }
    }
}

/// Arrows from the entries to each node (breadth first); `usize::MAX` for
/// a node no entry reaches.
fn distances(n: usize, outs: &[Vec<usize>], entries: &[usize]) -> Vec<usize> {
    let mut dist = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    for &e in entries {
        if e < n && dist[e] == usize::MAX {
            dist[e] = 0;
            queue.push_back(e);
        }
    }
    while let Some(v) = queue.pop_front() {
        for &w in &outs[v] {
            if dist[w] == usize::MAX {
                dist[w] = dist[v] + 1;
                queue.push_back(w);
            }
        }
    }
    dist
}

/// The Eades–Lin–Smyth order: the position of each node in a sequence such
/// that few arrows run backwards. Sinks and sources are taken from work
/// lists; only a node on a cycle costs a scan of the nodes left.
///
/// On a cycle the plain heuristic takes the node that gives the most, which
/// on a process map is often the wrong one (delivery, which confirms back
/// to sales, would come before sales). A process map reads from where the
/// outside comes in, so a cycle is opened at the node nearest to the
/// `entries` (the external suppliers), and only then by what it gives.
fn sequence(n: usize, edges: &[(usize, usize)], entries: &[usize]) -> Vec<usize> {
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        outs[a].push(b);
        ins[b].push(a);
    }
    let dist = distances(n, &outs, entries);
    let out_deg: Vec<usize> = outs.iter().map(Vec::len).collect();
    let in_deg: Vec<usize> = ins.iter().map(Vec::len).collect();
    let mut peel = Peel {
        sinks: (0..n).rev().filter(|&v| out_deg[v] == 0).collect(),
        sources: (0..n).rev().filter(|&v| in_deg[v] == 0).collect(),
        outs: &outs,
        ins: &ins,
        out_deg,
        in_deg,
        removed: vec![false; n],
    };
    let (mut front, mut back) = (Vec::with_capacity(n), Vec::new());
    while front.len() + back.len() < n {
        if let Some(v) = peel.sinks.pop() {
            if !peel.removed[v] {
                peel.take(v);
                back.push(v);
            }
            continue;
        }
        if let Some(v) = peel.sources.pop() {
            if !peel.removed[v] {
                peel.take(v);
                front.push(v);
            }
            continue;
        }
        // Only cycles are left: open one at the node nearest the entries,
        // and of those the one that gives the most.
        // Among the nearest, the one whose remaining inputs all come from
        // farther away (feedback: delivery confirming to sales) goes first.
        let delta = |v: usize| peel.out_deg[v] as i64 - peel.in_deg[v] as i64;
        let forward_in = |v: usize| {
            ins[v]
                .iter()
                .filter(|&&u| !peel.removed[u] && dist[u] <= dist[v])
                .count()
        };
        let Some(v) = (0..n).filter(|&v| !peel.removed[v]).min_by(|&a, &b| {
            dist[a]
                .cmp(&dist[b])
                .then(forward_in(a).cmp(&forward_in(b)))
                .then(delta(b).cmp(&delta(a)))
                .then(a.cmp(&b))
        }) else {
            break;
        };
        peel.take(v);
        front.push(v);
    }
    back.reverse();
    front.extend(back);
    let mut pos = vec![0; n];
    for (i, v) in front.into_iter().enumerate() {
        pos[v] = i;
    }
    pos
}

/// Crossings between two neighbouring rows: inversions of the lower ends
/// when the segments are sorted by their upper ends.
fn crossings_between(upper: &[usize], down: &[Vec<usize>], pos: &[usize], lower_len: usize) -> u64 {
    let mut ends: Vec<(usize, usize)> = Vec::new();
    for &u in upper {
        for &v in &down[u] {
            ends.push((pos[u], pos[v]));
        }
    }
    ends.sort_unstable();
    let mut tree = vec![0u64; lower_len + 1];
    let mut count = 0;
    for (seen, &(_, p)) in ends.iter().enumerate() {
        // Segments seen so far whose lower end lies right of p.
        let mut i = p + 1;
        let mut at_or_left = 0;
        while i > 0 {
            at_or_left += tree[i];
            i -= i & i.wrapping_neg();
        }
        count += seen as u64 - at_or_left;
        let mut i = p + 1;
        while i <= lower_len {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

fn crossings(rows: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> u64 {
    rows.windows(2)
        .map(|w| crossings_between(&w[0], down, pos, w[1].len()))
        .sum()
}

/// Sorts a row by the mean position of each node's neighbours in the row
/// it looks at; a node without neighbours there keeps its place.
fn sort_row(row: &mut [usize], neighbours: &[Vec<usize>], pos: &mut [usize]) {
    let mut keyed: Vec<(f64, usize)> = row
        .iter()
        .map(|&v| {
            let n = &neighbours[v];
            let key = if n.is_empty() {
                pos[v] as f64
            } else {
                n.iter().map(|&w| pos[w] as f64).sum::<f64>() / n.len() as f64
            };
            (key, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (i, (_, v)) in keyed.into_iter().enumerate() {
        row[i] = v;
        pos[v] = i;
    }
}

/// Places a row as close to the wished centres as it can while keeping the
/// order and the gaps: isotonic regression (pool adjacent violators) on the
/// wished left edges less the room everything before takes.
fn place_row(row: &[usize], wish: &[f64], width: &[f64], real: &[bool], x: &mut [f64]) {
    let mut offset = Vec::with_capacity(row.len());
    let mut used = 0.0;
    for (i, &v) in row.iter().enumerate() {
        if i > 0 {
            let u = row[i - 1];
            used += width[u]
                + if real[u] && real[v] {
                    BOX_GAP
                } else {
                    LANE_GAP
                };
        }
        offset.push(used);
    }
    // Blocks of (sum, count) whose means do not decrease.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (i, &v) in row.iter().enumerate() {
        let mut block = (wish[v] - width[v] / 2.0 - offset[i], 1usize);
        while let Some(&(s, c)) = blocks.last() {
            if s / c as f64 > block.0 / block.1 as f64 {
                block = (block.0 + s, block.1 + c);
                blocks.pop();
            } else {
                break;
            }
        }
        blocks.push(block);
    }
    let mut i = 0;
    for (s, c) in blocks {
        let mean = s / c as f64;
        for _ in 0..c {
            let v = row[i];
            x[v] = mean + offset[i] + width[v] / 2.0;
            i += 1;
        }
    }
}

/// Lays out boxes of `sizes` (width, height) joined by `edges` (supplier,
/// customer; no self-loops, indices in range), reading from the `entries`
/// (where the outside comes in) downwards.
pub fn layout(sizes: &[(f64, f64)], edges: &[(usize, usize)], entries: &[usize]) -> Layout {
    let n = sizes.len();
    let seq = sequence(n, edges, entries);
    // Each arrow as laid out: upper, lower, reversed.
    let laid: Vec<(usize, usize, bool)> = edges
        .iter()
        .map(|&(a, b)| {
            if seq[a] < seq[b] {
                (a, b, false)
            } else {
                (b, a, true)
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&v| seq[v]);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in &laid {
        preds[b].push(a);
        succs[a].push(b);
    }
    let mut rank = vec![0usize; n];
    for &v in &order {
        rank[v] = preds[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0);
    }
    for &v in order.iter().rev() {
        if preds[v].is_empty()
            && let Some(first) = succs[v].iter().map(|&w| rank[w]).min()
        {
            rank[v] = first.saturating_sub(1).max(rank[v]);
        }
    }
    // Rows without boxes are dropped.
    let mut used: Vec<usize> = rank.clone();
    used.sort_unstable();
    used.dedup();
    for r in &mut rank {
        *r = used.binary_search(r).unwrap_or(0);
    }
    let rows_n = used.len().max(1);

    // The layered graph: the boxes, then a lane per row an arrow crosses.
    let mut width: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let mut real = vec![true; n];
    let mut node_rank = rank.clone();
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(laid.len());
    for &(a, b, _) in &laid {
        let mut chain = vec![a];
        for r in rank[a] + 1..rank[b] {
            let v = width.len();
            width.push(LANE);
            real.push(false);
            node_rank.push(r);
            down.push(Vec::new());
            up.push(Vec::new());
            chain.push(v);
        }
        chain.push(b);
        for w in chain.windows(2) {
            down[w[0]].push(w[1]);
            up[w[1]].push(w[0]);
        }
        chains.push(chain);
    }
    let total = width.len();
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); rows_n];
    for &v in &order {
        rows[rank[v]].push(v);
    }
    for v in n..total {
        rows[node_rank[v]].push(v);
    }
    let mut pos = vec![0usize; total];
    for row in &rows {
        for (i, &v) in row.iter().enumerate() {
            pos[v] = i;
        }
    }

    let mut best = rows.clone();
    let mut best_crossings = crossings(&rows, &down, &pos);
    for sweep in 0..SWEEPS {
        if sweep % 2 == 0 {
            for row in rows.iter_mut().skip(1) {
                sort_row(row, &up, &mut pos);
            }
        } else {
            for r in (0..rows_n.saturating_sub(1)).rev() {
                sort_row(&mut rows[r], &down, &mut pos);
            }
        }
        let c = crossings(&rows, &down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = rows.clone();
        }
    }
    let rows = best;

    let mut x = vec![0.0; total];
    let packed = vec![0.0; total];
    for row in &rows {
        place_row(row, &packed, &width, &real, &mut x);
    }
    let centre = |vs: &[usize], x: &[f64]| -> Option<f64> {
        (!vs.is_empty()).then(|| vs.iter().map(|&w| x[w]).sum::<f64>() / vs.len() as f64)
    };
    let mut wish = vec![0.0; total];
    for _ in 0..PLACEMENTS {
        for row in rows.iter().skip(1) {
            for &v in row {
                wish[v] = centre(&up[v], &x).unwrap_or(x[v]);
            }
            place_row(row, &wish, &width, &real, &mut x);
        }
        for r in (0..rows_n.saturating_sub(1)).rev() {
            for &v in &rows[r] {
                wish[v] = centre(&down[v], &x).unwrap_or(x[v]);
            }
            place_row(&rows[r], &wish, &width, &real, &mut x);
        }
    }
    let left = (0..total)
        .map(|v| x[v] - width[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let left = if left.is_finite() { left } else { 0.0 };

    // Rows as tall as their tallest box, boxes centred in their row.
    let mut row_h = vec![0.0f64; rows_n];
    for v in 0..n {
        row_h[rank[v]] = row_h[rank[v]].max(sizes[v].1);
    }
    let mut row_top = Vec::with_capacity(rows_n);
    let mut y = 0.0;
    for h in &row_h {
        row_top.push(y);
        y += h + ROW_GAP;
    }
    let boxes: Vec<Pt> = (0..n)
        .map(|v| Pt {
            x: x[v] - width[v] / 2.0 - left,
            y: row_top[rank[v]] + (row_h[rank[v]] - sizes[v].1) / 2.0,
        })
        .collect();

    // Ports: the arrows leaving a box spread along its bottom in the order
    // of where they go, those arriving along its top in the order of where
    // they come from, so that they do not cross at the box.
    let mut out_port = vec![0.0; chains.len()];
    let mut in_port = vec![0.0; chains.len()];
    let mut leaving: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut arriving: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (e, chain) in chains.iter().enumerate() {
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        leaving[first].push((x[chain[1]], e));
        arriving[last].push((x[chain[chain.len() - 2]], e));
    }
    for (v, list) in leaving.iter_mut().enumerate() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let k = list.len() as f64;
        for (i, &(_, e)) in list.iter().enumerate() {
            out_port[e] = boxes[v].x + sizes[v].0 * (i as f64 + 1.0) / (k + 1.0);
        }
    }
    for (v, list) in arriving.iter_mut().enumerate() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let k = list.len() as f64;
        for (i, &(_, e)) in list.iter().enumerate() {
            in_port[e] = boxes[v].x + sizes[v].0 * (i as f64 + 1.0) / (k + 1.0);
        }
    }
    let routes = chains
        .iter()
        .zip(&laid)
        .enumerate()
        .map(|(e, (chain, &(a, b, reversed)))| {
            let mut points = vec![Pt {
                x: out_port[e],
                y: boxes[a].y + sizes[a].1,
            }];
            for &v in &chain[1..chain.len() - 1] {
                let r = node_rank[v];
                let lane = x[v] - left;
                points.push(Pt {
                    x: lane,
                    y: row_top[r],
                });
                points.push(Pt {
                    x: lane,
                    y: row_top[r] + row_h[r],
                });
            }
            points.push(Pt {
                x: in_port[e],
                y: boxes[b].y,
            });
            Route { points, reversed }
        })
        .collect();
    Layout { boxes, routes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apart(l: &Layout, sizes: &[(f64, f64)]) {
        for i in 0..sizes.len() {
            for j in i + 1..sizes.len() {
                let (a, b) = (l.boxes[i], l.boxes[j]);
                let ok = a.x + sizes[i].0 <= b.x
                    || b.x + sizes[j].0 <= a.x
                    || a.y + sizes[i].1 <= b.y
                    || b.y + sizes[j].1 <= a.y;
                assert!(ok, "{i} and {j} overlap");
            }
        }
    }

    #[test]
    fn a_chain_runs_down_and_a_cycle_has_one_arrow_back() {
        let sizes = vec![(100.0, 40.0); 3];
        let l = layout(&sizes, &[(0, 1), (1, 2), (2, 0)], &[]);
        assert!(l.boxes[0].y < l.boxes[1].y && l.boxes[1].y < l.boxes[2].y);
        assert_eq!(l.routes.iter().filter(|r| r.reversed).count(), 1);
        apart(&l, &sizes);
        // Every route runs downwards from a box bottom to a box top.
        for r in &l.routes {
            assert!(r.points.windows(2).all(|w| w[0].y <= w[1].y));
        }
    }

    #[test]
    fn a_cycle_opens_where_the_outside_comes_in() {
        // 0 is an external supplier of 1 (sales); 1 -> 2 -> 3 (delivery),
        // and 3 confirms back to 1. Sales, not delivery, comes first.
        let sizes = vec![(80.0, 30.0); 4];
        let l = layout(&sizes, &[(0, 1), (1, 2), (2, 3), (3, 1)], &[0]);
        assert!(l.boxes[1].y < l.boxes[2].y && l.boxes[2].y < l.boxes[3].y);
        assert!(l.routes[3].reversed && !l.routes[1].reversed);
    }

    #[test]
    fn a_supplier_sits_just_above_its_first_customer() {
        // 0 -> 1 -> 2 -> 3, and 4 supplies only 3.
        let sizes = vec![(80.0, 30.0); 5];
        let l = layout(&sizes, &[(0, 1), (1, 2), (2, 3), (4, 3)], &[]);
        assert_eq!(l.boxes[4].y, l.boxes[2].y);
        apart(&l, &sizes);
    }

    #[test]
    fn a_long_arrow_gets_lanes_that_miss_the_boxes() {
        let sizes = vec![(120.0, 40.0); 4];
        let l = layout(&sizes, &[(0, 1), (1, 2), (2, 3), (0, 3)], &[]);
        let long = &l.routes[3];
        assert_eq!(long.points.len(), 2 + 2 * 2, "two rows crossed");
        for p in &long.points[1..long.points.len() - 1] {
            for (b, s) in l.boxes.iter().zip(&sizes) {
                let inside = p.x > b.x && p.x < b.x + s.0 && p.y > b.y && p.y < b.y + s.1;
                assert!(!inside, "the lane runs through a box");
            }
        }
    }

    #[test]
    fn crossings_are_counted() {
        // Upper row 0, 1; lower row 2, 3; 0-3 and 1-2 cross once.
        let down = vec![vec![3], vec![2], vec![], vec![]];
        let pos = vec![0, 1, 0, 1];
        assert_eq!(crossings_between(&[0, 1], &down, &pos, 2), 1);
        let down = vec![vec![2], vec![3], vec![], vec![]];
        assert_eq!(crossings_between(&[0, 1], &down, &pos, 2), 0);
    }

    #[test]
    fn a_row_keeps_its_gaps_and_comes_close_to_the_wish() {
        let width = vec![100.0, 100.0, 100.0];
        let real = vec![true; 3];
        let mut x = vec![0.0; 3];
        // All three wish for the same centre: they spread around it.
        place_row(&[0, 1, 2], &[500.0; 3], &width, &real, &mut x);
        assert!((x[1] - 500.0).abs() < 1e-9);
        assert!((x[1] - x[0] - (100.0 + BOX_GAP)).abs() < 1e-9);
        // Wishes far apart are granted.
        place_row(&[0, 1, 2], &[0.0, 1000.0, 2000.0], &width, &real, &mut x);
        assert_eq!(x, vec![0.0, 1000.0, 2000.0]);
    }

    #[test]
    fn fifty_processes_and_a_thousand_links_are_laid_out() {
        let n = 60;
        let sizes = vec![(180.0, 40.0); n];
        let mut state: u64 = 7;
        let edges: Vec<(usize, usize)> = (0..1000)
            .filter_map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                let a = (state >> 33) as usize % n;
                let b = (state >> 13) as usize % n;
                (a != b).then_some((a, b))
            })
            .collect();
        let l = layout(&sizes, &edges, &[0]);
        assert_eq!(l.routes.len(), edges.len());
        apart(&l, &sizes);
    }
}
