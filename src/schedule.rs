//! Business-meeting scheduling (SPEC section 10): which pairs meet, in which
//! slot and at which table.
//!
//! A pure library: the caller turns an event file into a [`Problem`] (the
//! candidate pairs, already filtered of avoid pairs, drafts and the like) and
//! gets a [`Schedule`] back. The method, its cost and its measured quality are
//! described in `docs/scheduling.md`; in short:
//!
//! 1. **Selection**, a degree-constrained subgraph (b-matching) with a budget:
//!    every participant meets at most `min(cap, slots)` others and the event
//!    holds at most `slots × tables` meetings. The objective is lexicographic:
//!    requested pairs, then mutual pairs, then participants with at least one
//!    meeting, then total score. A greedy start is improved by local search
//!    over alternating trails: insert a pair, make room at each full endpoint
//!    by removing one of its meetings, optionally let the partner that lost a
//!    meeting take another pair, and when the event is full drop its cheapest
//!    meeting elsewhere. Each move is evaluated exactly on the whole
//!    objective; small problems use deeper trails, several deterministic
//!    restarts and a final deeper pass. The search explores a bounded number
//!    of nodes per pair, so its work is linear in the pairs.
//! 2. **Placement**, an edge colouring with `slots` colours where no colour
//!    is used more than `tables` times: an idle-aware greedy, Kempe-chain and
//!    Misra–Gries insertion for what the greedy could not place (always
//!    enough when `cap < slots`), an exact search on small instances, and
//!    McDiarmid's balancing of colour classes so that each slot fits the
//!    tables. A selection that cannot be placed loses its cheapest conflicting
//!    pair, which is banned, and selection runs again.
//! 3. **Order**: slots are permuted and meetings moved between slots (single
//!    moves and two-colour Kempe swaps) to shorten each participant's idle time
//!    between its first and last meeting of a session.
//! 4. **Tables**: participants that meet no other such participant keep one
//!    table all day (their partners come to them); the rest are seated at a
//!    table one of them already used where it is free.
//!
//! Everything is sequential and deterministic: the same problem gives the same
//! schedule whatever the thread count.

use std::collections::HashSet;

/// No edge / no slot.
const NONE: u32 = u32::MAX;
/// Scores are optimised as integers (millionths): exact and order-free sums.
const SCORE_SCALE: f64 = 1_000_000.0;
/// Problems with at most this many pairs get the thorough search.
const SMALL_PAIRS: usize = 400;
/// Chosen sets up to this size are coloured exactly when heuristics fail.
const EXACT_COLOUR_EDGES: usize = 400;
/// Problems with at most this many pairs try each pair of a placement
/// conflict in turn; larger ones drop the pair the colouring could not place.
const BRANCH_PAIRS: usize = 400;
/// Most "cheapest meetings" a move tries dropping when the event is full.
const MAX_DROPS: usize = 4;
/// Most meetings next to the last added pair a move tries dropping.
const MAX_NEAR: usize = 16;
/// The selection's local search, over all its restarts, re-selections and
/// branches, explores at most this many nodes per pair, and at least
/// [`WORK_FLOOR`]: linear work, a few tenths of a second for 60,000 pairs.
const WORK_PER_PAIR: usize = 16;
const WORK_FLOOR: usize = 200_000;
/// Chain edges the idle reduction's Kempe swaps may walk per meeting on
/// large problems.
const KEMPE_WALK_PER_MEETING: usize = 64;
/// Depth and nodes per move of the deeper search on small problems.
const DEEP_DEPTH: usize = 8;
const DEEP_NODES: usize = 2_000;

/// One pair of participants that may meet (the caller has already removed
/// avoid pairs, existing/excluded partners unless requested, drafts and
/// self-pairs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// One participant (`a < b`).
    pub a: u32,
    /// The other participant.
    pub b: u32,
    /// The suggestion score, in (0, 1).
    pub score: f64,
    /// Each has the other among its suggested partners.
    pub mutual: bool,
    /// The event's `requests` name this pair.
    pub requested: bool,
}

/// What is to be scheduled.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    /// Participants are `0..participants`.
    pub participants: u32,
    /// `a < b`, sorted by `(a, b)`, no duplicates.
    pub pairs: &'a [Pair],
    /// Most meetings per participant (>= 1).
    pub cap: u32,
    /// Slots per session, in time order; slots are numbered 0.. across
    /// sessions.
    pub sessions: &'a [u32],
    /// Tables (>= 1).
    pub tables: u32,
}

/// One scheduled meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Meeting {
    /// Index into [`Problem::pairs`].
    pub pair: u32,
    /// Slot, 0.. across sessions.
    pub slot: u32,
    /// Table, `0..tables`.
    pub table: u32,
}

/// Why a requested pair is not scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    /// `participant` is named in `requests` requested pairs but can meet at
    /// most `limit` (the lower of `cap` and the number of slots).
    TooManyRequests {
        /// The side with too many requests.
        participant: u32,
        /// Its requested pairs.
        requests: u32,
        /// Meetings it can have.
        limit: u32,
    },
    /// The requests alone need more meetings than `capacity` (slots × tables).
    EventFull {
        /// Requested pairs.
        requests: u32,
        /// Slots × tables.
        capacity: u64,
    },
    /// Both sides have room, but no assignment of slots was found in which
    /// both are free at the same time with a table free (the requests form an
    /// odd cycle, or a denser knot, among participants that use every slot).
    NoCommonSlot,
    /// The pair is not a pair of two different participants of the problem,
    /// or repeats an earlier pair (the caller's checks should prevent this).
    InvalidPair,
}

/// Figures about a schedule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Meetings scheduled.
    pub meetings: u32,
    /// Requested pairs given / scheduled.
    pub requests: u32,
    /// Requested pairs scheduled.
    pub requests_met: u32,
    /// Mutual pairs scheduled.
    pub mutual: u32,
    /// Participants with at least one meeting.
    pub participants_met: u32,
    /// Participants that could have one (at least one valid pair).
    pub participants_with_pairs: u32,
    /// Sum of the scores of the scheduled pairs.
    pub score: f64,
    /// Upper bound on `score`: each participant's best `min(cap, slots)`
    /// pair scores summed, halved.
    pub score_bound: f64,
    /// A second bound: the best `capacity` pair scores summed (the lower of
    /// the two bounds holds).
    pub score_bound_capacity: f64,
    /// Slots × tables.
    pub capacity: u64,
    /// Slots in all sessions.
    pub slots: u32,
    /// Idle slots between a participant's first and last meeting of a
    /// session, summed over participants and sessions.
    pub idle_slots: u32,
    /// Times a participant changes table between two consecutive meetings.
    pub table_changes: u32,
    /// Participants with meetings that have all of them at one table.
    pub one_table: u32,
    /// Pairs chosen and then dropped because no placement held them.
    pub placement_drops: u32,
}

/// A timetable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    /// Sorted by `(slot, table)`.
    pub meetings: Vec<Meeting>,
    /// Requested pairs (indices into [`Problem::pairs`]) not scheduled, and why.
    pub unmet_requests: Vec<(u32, Unmet)>,
    /// Chosen pairs that could not be placed. This method re-selects instead
    /// of leaving any, so it is always empty.
    pub unplaced: Vec<u32>,
    /// Figures.
    pub stats: Stats,
}

// ---------------------------------------------------------------------------
// The instance

/// Class bits of an edge: requested (2) and mutual (1). Higher is better.
const REQ: u8 = 2;
const MUT: u8 = 1;

#[derive(Debug, Clone, Copy)]
struct Edge {
    u: u32,
    v: u32,
    /// Score in millionths.
    w: i64,
    class: u8,
    /// Index into the problem's pairs.
    pair: u32,
}

impl Edge {
    fn other(&self, x: u32) -> u32 {
        if self.u == x { self.v } else { self.u }
    }
}

struct Inst {
    n: usize,
    slots: usize,
    tables: usize,
    /// Most meetings in all: slots × tables (and never more than the pairs).
    budget: usize,
    /// Most meetings per participant: min(cap, slots).
    b: u32,
    edges: Vec<Edge>,
    adj: Vec<Vec<u32>>,
    /// Session of each slot.
    session_of: Vec<u32>,
    /// Requested pairs that are not valid edges.
    invalid: Vec<u32>,
    small: bool,
    /// Search nodes explored so far by the selection, and the most allowed.
    work: std::cell::Cell<usize>,
    work_limit: usize,
}

impl Inst {
    fn new(p: &Problem<'_>) -> Inst {
        let n = p.participants as usize;
        let slots: usize = p.sessions.iter().map(|&s| s as usize).sum();
        let tables = p.tables as usize;
        let mut session_of = Vec::with_capacity(slots);
        for (i, &s) in p.sessions.iter().enumerate() {
            session_of.extend(std::iter::repeat_n(i as u32, s as usize));
        }
        let mut seen = HashSet::new();
        let mut edges = Vec::new();
        let mut invalid = Vec::new();
        for (i, pr) in p.pairs.iter().enumerate() {
            let (u, v) = (pr.a.min(pr.b), pr.a.max(pr.b));
            if u == v || v as usize >= n || !seen.insert((u, v)) {
                if pr.requested {
                    invalid.push(i as u32);
                }
                continue;
            }
            let w = if pr.score.is_finite() { (pr.score * SCORE_SCALE).round().clamp(-1e12, 1e12) as i64 } else { 0 };
            let class = if pr.requested { REQ } else { 0 } | if pr.mutual { MUT } else { 0 };
            edges.push(Edge { u, v, w, class, pair: i as u32 });
        }
        let mut adj = vec![Vec::new(); n];
        for (i, e) in edges.iter().enumerate() {
            adj[e.u as usize].push(i as u32);
            adj[e.v as usize].push(i as u32);
        }
        let b = p.cap.min(slots as u32);
        let budget = slots.saturating_mul(tables).min(edges.len());
        let small = edges.len() <= SMALL_PAIRS;
        let work_limit = edges.len().saturating_mul(WORK_PER_PAIR).max(WORK_FLOOR);
        Inst { n, slots, tables, budget, b, edges, adj, session_of, invalid, small, work: 0.into(), work_limit }
    }

    /// Priority order: class, then score, then index.
    fn priority_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.edges.len() as u32).collect();
        order.sort_by_key(|&e| {
            let x = &self.edges[e as usize];
            (std::cmp::Reverse(x.class), std::cmp::Reverse(x.w), e)
        });
        order
    }
}

/// The objective, compared lexicographically: requested pairs, mutual pairs,
/// participants met, score (millionths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Key {
    r: i64,
    m: i64,
    c: i64,
    w: i64,
}

// ---------------------------------------------------------------------------
// Selection

#[derive(Clone)]
struct Sel<'i> {
    inst: &'i Inst,
    on: Vec<bool>,
    banned: Vec<bool>,
    /// Edges toggled by the move being explored.
    touched: Vec<bool>,
    deg: Vec<u32>,
    /// Participants over their cap (only ever inside a move).
    n_over: usize,
    count: usize,
    key: Key,
    log: Vec<u32>,
    /// Start of the current move in `log`.
    mark: usize,
    /// Selected edges, cheapest first (class, score): candidates to drop when
    /// the event is full. May be stale between rebuilds; entries are checked.
    cheap: Vec<u32>,
    nodes: usize,
    /// The edges the last applied move toggled.
    last_move: Vec<u32>,
    /// Most edges a move toggles (not counting the drop for the budget).
    depth: usize,
    node_limit: usize,
}

impl<'i> Sel<'i> {
    fn new(inst: &'i Inst) -> Self {
        let m = inst.edges.len();
        Sel {
            inst,
            on: vec![false; m],
            banned: vec![false; m],
            touched: vec![false; m],
            deg: vec![0; inst.n],
            n_over: 0,
            count: 0,
            key: Key::default(),
            log: Vec::new(),
            mark: 0,
            cheap: Vec::new(),
            nodes: 0,
            last_move: Vec::new(),
            depth: if inst.small { 6 } else { 5 },
            node_limit: if inst.small { 500 } else { 200 },
        }
    }

    fn flip(&mut self, e: u32) {
        let x = self.inst.edges[e as usize];
        let (u, v) = (x.u as usize, x.v as usize);
        let sign = if self.on[e as usize] { -1 } else { 1 };
        let b = self.inst.b;
        if sign < 0 {
            self.n_over -= usize::from(self.deg[u] == b + 1) + usize::from(self.deg[v] == b + 1);
            self.deg[u] -= 1;
            self.deg[v] -= 1;
            self.count -= 1;
            self.key.c -= i64::from(self.deg[u] == 0) + i64::from(self.deg[v] == 0);
        } else {
            self.key.c += i64::from(self.deg[u] == 0) + i64::from(self.deg[v] == 0);
            self.deg[u] += 1;
            self.deg[v] += 1;
            self.count += 1;
            self.n_over += usize::from(self.deg[u] == b + 1) + usize::from(self.deg[v] == b + 1);
        }
        self.on[e as usize] = sign > 0;
        self.key.r += sign * i64::from(x.class & REQ != 0);
        self.key.m += sign * i64::from(x.class & MUT != 0);
        self.key.w += sign * x.w;
    }

    /// Toggles `e` as part of the move being explored.
    fn step(&mut self, e: u32) {
        self.flip(e);
        self.touched[e as usize] = true;
        self.log.push(e);
    }

    fn undo_to(&mut self, len: usize) {
        while self.log.len() > len {
            let e = self.log.pop().unwrap_or(NONE);
            self.flip(e);
            self.touched[e as usize] = false;
        }
    }

    fn fits(&self, e: u32) -> bool {
        let x = &self.inst.edges[e as usize];
        !self.on[e as usize]
            && !self.banned[e as usize]
            && self.count < self.inst.budget
            && self.deg[x.u as usize] < self.inst.b
            && self.deg[x.v as usize] < self.inst.b
    }

    fn greedy(&mut self, order: &[u32]) {
        for &e in order {
            if self.fits(e) {
                self.flip(e);
            }
        }
    }

    /// A start that covers participants first, tier by tier (requested,
    /// mutual, the rest): a greedy maximal matching among participants
    /// without a meeting (those with the fewest options first), then one
    /// pair for each participant still without one, then the best pairs.
    fn greedy_cover(&mut self, order: &[u32]) {
        let inst = self.inst;
        let tier = |e: u32| match inst.edges[e as usize].class {
            c if c & REQ != 0 => 0u8,
            c if c & MUT != 0 => 1,
            _ => 2,
        };
        // Candidate pairs at each participant (of the tier, both sides
        // without a meeting), kept up to date as pairs are taken: each pair
        // stops being a candidate once, so a tier costs O(pairs · log).
        let mut options = vec![0u32; inst.n];
        for t in 0..3u8 {
            // Matching among the uncovered, fewest options first.
            let cand = |sel: &Self, e: u32| {
                let x = &inst.edges[e as usize];
                tier(e) == t && sel.fits(e) && sel.deg[x.u as usize] == 0 && sel.deg[x.v as usize] == 0
            };
            for v in 0..inst.n as u32 {
                options[v as usize] = inst.adj[v as usize].iter().filter(|&&e| cand(self, e)).count() as u32;
            }
            let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u32, u32)>> = (0..inst.n as u32)
                .filter(|&v| options[v as usize] > 0)
                .map(|v| std::cmp::Reverse((options[v as usize], v)))
                .collect();
            while let Some(std::cmp::Reverse((k, v))) = heap.pop() {
                if self.count >= inst.budget {
                    break;
                }
                // Stale entries: a fresher one with the lower count follows.
                if options[v as usize] == 0 || options[v as usize] != k {
                    continue;
                }
                // Partner with the fewest options, then the best score.
                let pick = inst.adj[v as usize].iter().copied().filter(|&e| cand(self, e)).min_by_key(|&e| {
                    let x = &inst.edges[e as usize];
                    (options[x.other(v) as usize], std::cmp::Reverse(x.w), e)
                });
                let Some(e) = pick else {
                    options[v as usize] = 0;
                    continue;
                };
                // Every candidate at either side stops being one.
                let x = inst.edges[e as usize];
                for y in [x.u, x.v] {
                    for &f in &inst.adj[y as usize] {
                        if f != e && cand(self, f) {
                            let z = inst.edges[f as usize].other(y);
                            options[z as usize] -= 1;
                            if options[z as usize] > 0 {
                                heap.push(std::cmp::Reverse((options[z as usize], z)));
                            }
                        }
                    }
                }
                options[x.u as usize] = 0;
                options[x.v as usize] = 0;
                self.flip(e);
            }
            // One pair for each participant still without a meeting.
            for &e in order {
                let x = &inst.edges[e as usize];
                if tier(e) == t && self.fits(e) && (self.deg[x.u as usize] == 0 || self.deg[x.v as usize] == 0) {
                    self.flip(e);
                }
            }
            // The best of the rest.
            for &e in order {
                if tier(e) == t && self.fits(e) {
                    self.flip(e);
                }
            }
        }
    }

    fn rebuild_cheap(&mut self) {
        let inst = self.inst;
        self.cheap.clear();
        self.cheap.extend((0..inst.edges.len() as u32).filter(|&e| self.on[e as usize]));
        self.cheap.sort_by_key(|&e| {
            let x = &inst.edges[e as usize];
            (x.class, x.w, e)
        });
    }

    /// Selected edges outside the current move whose removal costs least
    /// (class, participants left without a meeting, score), cheapest first,
    /// into `out`; returns how many.
    fn cheapest(&self, out: &mut [u32; MAX_DROPS]) -> usize {
        let inst = self.inst;
        let want = if inst.small { MAX_DROPS } else { 2 };
        let scan_limit = if inst.small { usize::MAX } else { 48 };
        let mut found: [(u8, u32, i64); MAX_DROPS] = [(0, 0, 0); MAX_DROPS];
        let mut len = 0;
        let mut scanned = 0;
        for &f in &self.cheap {
            if !self.on[f as usize] || self.touched[f as usize] {
                continue;
            }
            let x = &inst.edges[f as usize];
            // `cheap` is sorted by (class, score): once the dearest kept is
            // no dearer than this one with nobody left alone, stop.
            if len == want && (found[len - 1].0, found[len - 1].1, found[len - 1].2) <= (x.class, 0, x.w) {
                break;
            }
            let lost = u32::from(self.deg[x.u as usize] == 1) + u32::from(self.deg[x.v as usize] == 1);
            let key = (x.class, lost, x.w);
            if len < want || key < (found[len - 1].0, found[len - 1].1, found[len - 1].2) {
                let mut i = len.min(want - 1);
                while i > 0 && (found[i - 1].0, found[i - 1].1, found[i - 1].2) > key {
                    found[i] = found[i - 1];
                    out[i] = out[i - 1];
                    i -= 1;
                }
                found[i] = key;
                out[i] = f;
                len = (len + 1).min(want);
            }
            scanned += 1;
            if scanned >= scan_limit {
                break;
            }
        }
        len
    }

    /// A vertex over its cap among the endpoints of the move's edges.
    fn over(&self) -> Option<u32> {
        if self.n_over == 0 {
            return None;
        }
        let inst = self.inst;
        for i in self.mark..self.log.len() {
            let x = &inst.edges[self.log[i] as usize];
            if self.deg[x.u as usize] > inst.b {
                return Some(x.u);
            }
            if self.deg[x.v as usize] > inst.b {
                return Some(x.v);
            }
        }
        None
    }

    fn room(&self) -> bool {
        self.log.len() - self.mark < self.depth
    }

    /// Explores the moves that complete the current partial one: make room
    /// at a participant over its cap, or in a full event, then evaluate.
    fn explore(&mut self, base: Key, best: &mut Option<(Key, Vec<u32>)>) {
        self.nodes += 1;
        if self.nodes > self.node_limit {
            return;
        }
        let inst = self.inst;
        if let Some(x) = self.over() {
            if !self.room() {
                return;
            }
            for &f in &inst.adj[x as usize] {
                if !self.on[f as usize] || self.touched[f as usize] {
                    continue;
                }
                let len = self.log.len();
                self.step(f);
                let w = inst.edges[f as usize].other(x);
                self.after_removal(f, &[w], base, best);
                self.undo_to(len);
            }
            return;
        }
        if self.count > inst.budget {
            // The drop for the budget may go one past the depth.
            if self.log.len() - self.mark > self.depth {
                return;
            }
            // The cheapest meetings anywhere, and those of the participants
            // the last added pair joins (an alternating path).
            let mut drops = [NONE; MAX_DROPS];
            let k = self.cheapest(&mut drops);
            let last = self.log[self.mark..].iter().rev().copied().find(|&e| self.on[e as usize]);
            let mut near = [NONE; MAX_NEAR];
            let mut n_near = 0;
            if let Some(e) = last {
                let x = inst.edges[e as usize];
                for &f in inst.adj[x.u as usize].iter().chain(&inst.adj[x.v as usize]) {
                    if n_near < MAX_NEAR && self.on[f as usize] && !self.touched[f as usize] && !drops[..k].contains(&f)
                    {
                        near[n_near] = f;
                        n_near += 1;
                    }
                }
            }
            for f in drops[..k].iter().chain(&near[..n_near]).copied() {
                let len = self.log.len();
                self.step(f);
                let x = inst.edges[f as usize];
                let mut ends = [NONE; 2];
                let mut n_ends = 0;
                for y in [x.u, x.v] {
                    if inst.small || self.deg[y as usize] == 0 {
                        ends[n_ends] = y;
                        n_ends += 1;
                    }
                }
                self.after_removal(f, &ends[..n_ends], base, best);
                self.undo_to(len);
            }
            return;
        }
        if self.key > base && best.as_ref().is_none_or(|b| self.key > b.0) {
            *best = Some((self.key, self.log[self.mark..].to_vec()));
        }
    }

    /// After removing `f`: stop there, or let one of `ends` (participants
    /// that lost the meeting) take another pair.
    fn after_removal(&mut self, f: u32, ends: &[u32], base: Key, best: &mut Option<(Key, Vec<u32>)>) {
        self.explore(base, best);
        if !self.room() {
            return;
        }
        let inst = self.inst;
        let fe = inst.edges[f as usize];
        for &w in ends {
            let rescue = self.deg[w as usize] == 0;
            for &g in &inst.adj[w as usize] {
                if self.on[g as usize] || self.touched[g as usize] || self.banned[g as usize] {
                    continue;
                }
                let ge = &inst.edges[g as usize];
                if !inst.small && !rescue && (ge.class, ge.w) <= (fe.class, fe.w) {
                    continue;
                }
                let len = self.log.len();
                self.step(g);
                self.explore(base, best);
                self.undo_to(len);
            }
        }
    }

    /// Tries to insert `e` with an improving move; applies the best found.
    fn try_insert(&mut self, e: u32) -> bool {
        if self.on[e as usize] || self.banned[e as usize] || self.inst.work.get() >= self.inst.work_limit {
            return false;
        }
        let base = self.key;
        self.mark = self.log.len();
        self.nodes = 0;
        let mut best = None;
        self.step(e);
        self.explore(base, &mut best);
        self.inst.work.set(self.inst.work.get() + self.nodes);
        self.undo_to(self.mark);
        match best {
            Some((k, toggles)) if k > base => {
                for &f in &toggles {
                    self.flip(f);
                }
                self.last_move = toggles;
                self.log.clear();
                self.mark = 0;
                true
            }
            _ => false,
        }
    }

    /// Improves the selection until no move does (or the work runs out).
    /// Small problems then try deeper moves (longer alternating trails, which
    /// is what a longer augmenting path for coverage needs), and if those
    /// gain, the ordinary ones again.
    fn local_search(&mut self, order: &[u32]) {
        self.passes(order);
        if self.inst.small {
            let (depth, limit) = (self.depth, self.node_limit);
            (self.depth, self.node_limit) = (DEEP_DEPTH, DEEP_NODES);
            let before = self.key;
            self.passes(order);
            (self.depth, self.node_limit) = (depth, limit);
            if self.key > before {
                self.passes(order);
            }
        }
    }

    /// Passes over the pairs, each trying to insert every pair with an
    /// improving move, until a pass finds none (or a pass limit). On large
    /// problems a pair is tried again only once something changed at one of
    /// its participants, and only if it could gain: it gives someone a first
    /// meeting, or beats the cheapest selected pair.
    fn passes(&mut self, order: &[u32]) {
        let inst = self.inst;
        let passes = if inst.small { 60 } else { 12 };
        let m = inst.edges.len();
        // Moves applied so far, when each participant last changed, and when
        // each pair was last tried in vain.
        let mut clock = 1u32;
        let mut changed = vec![1u32; inst.n];
        let mut tried = vec![0u32; m];
        for _ in 0..passes {
            if inst.work.get() >= inst.work_limit {
                break;
            }
            self.rebuild_cheap();
            let mut improved = false;
            let mut since_rebuild = 0;
            // Large problems spend a bounded budget: within a class, the
            // pairs that would give someone a first meeting go first (the
            // objective counts participants before score).
            let staged;
            let order = if inst.small {
                order
            } else {
                let mut o = order.to_vec();
                o.sort_by_key(|&e| {
                    let x = &inst.edges[e as usize];
                    let first = self.deg[x.u as usize] == 0 || self.deg[x.v as usize] == 0;
                    (std::cmp::Reverse(x.class), !first, std::cmp::Reverse(x.w), e)
                });
                staged = o;
                &staged[..]
            };
            for &e in order {
                let x = inst.edges[e as usize];
                if !inst.small {
                    if tried[e as usize] >= changed[x.u as usize].max(changed[x.v as usize]) {
                        continue;
                    }
                    let full = self.count >= inst.budget;
                    let first = self.deg[x.u as usize] == 0 || self.deg[x.v as usize] == 0;
                    let floor = self.cheap.iter().find(|&&f| self.on[f as usize]).map(|&f| {
                        let y = &inst.edges[f as usize];
                        (y.class, y.w)
                    });
                    if full && !first && floor.is_some_and(|fl| (x.class, x.w) <= fl) {
                        tried[e as usize] = clock;
                        continue;
                    }
                }
                if self.try_insert(e) {
                    improved = true;
                    clock += 1;
                    for &f in &self.last_move {
                        let y = inst.edges[f as usize];
                        changed[y.u as usize] = clock;
                        changed[y.v as usize] = clock;
                    }
                    since_rebuild += 1;
                    if inst.small || since_rebuild >= 256 {
                        self.rebuild_cheap();
                        since_rebuild = 0;
                    }
                } else {
                    tried[e as usize] = clock;
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn chosen(&self) -> Vec<u32> {
        (0..self.inst.edges.len() as u32).filter(|&e| self.on[e as usize]).collect()
    }
}

/// A small deterministic generator (xorshift) for restarts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

// ---------------------------------------------------------------------------
// Placement: edge colouring with slots as colours

struct Place<'i> {
    inst: &'i Inst,
    /// Slot of each edge (NONE when not placed).
    col: Vec<u32>,
    /// Edge of each participant in each slot: `at[v * slots + s]`.
    at: Vec<u32>,
    count: Vec<u32>,
    /// The edges in each slot (in no particular order), and each placed
    /// edge's position in its slot's list.
    members: Vec<Vec<u32>>,
    pos: Vec<u32>,
    /// Idle slots of each participant, kept up to date.
    idle_of: Vec<u32>,
}

impl<'i> Place<'i> {
    fn new(inst: &'i Inst) -> Self {
        Place {
            inst,
            col: vec![NONE; inst.edges.len()],
            at: vec![NONE; inst.n * inst.slots],
            count: vec![0; inst.slots],
            members: vec![Vec::new(); inst.slots],
            pos: vec![NONE; inst.edges.len()],
            idle_of: vec![0; inst.n],
        }
    }

    fn at(&self, v: u32, s: u32) -> u32 {
        self.at[v as usize * self.inst.slots + s as usize]
    }

    fn free(&self, v: u32, s: u32) -> bool {
        self.at(v, s) == NONE
    }

    fn set(&mut self, e: u32, s: u32) {
        let x = self.inst.edges[e as usize];
        let k = self.inst.slots;
        self.at[x.u as usize * k + s as usize] = e;
        self.at[x.v as usize * k + s as usize] = e;
        self.col[e as usize] = s;
        self.count[s as usize] += 1;
        self.pos[e as usize] = self.members[s as usize].len() as u32;
        self.members[s as usize].push(e);
        self.idle_of[x.u as usize] = self.idle_with(x.u, NONE, NONE);
        self.idle_of[x.v as usize] = self.idle_with(x.v, NONE, NONE);
    }

    fn unset(&mut self, e: u32) {
        let s = self.col[e as usize];
        if s == NONE {
            return;
        }
        let x = self.inst.edges[e as usize];
        let k = self.inst.slots;
        self.at[x.u as usize * k + s as usize] = NONE;
        self.at[x.v as usize * k + s as usize] = NONE;
        self.col[e as usize] = NONE;
        self.count[s as usize] -= 1;
        let list = &mut self.members[s as usize];
        let i = self.pos[e as usize] as usize;
        list.swap_remove(i);
        if let Some(&moved) = list.get(i) {
            self.pos[moved as usize] = i as u32;
        }
        self.pos[e as usize] = NONE;
        self.idle_of[x.u as usize] = self.idle_with(x.u, NONE, NONE);
        self.idle_of[x.v as usize] = self.idle_with(x.v, NONE, NONE);
    }

    /// Recolours a set of edges at once.
    fn recolour(&mut self, changes: &[(u32, u32)]) {
        for &(e, _) in changes {
            self.unset(e);
        }
        for &(e, s) in changes {
            self.set(e, s);
        }
    }

    /// Idle slots of `v` if its meeting in `remove` moved to `add` (either may
    /// be NONE).
    fn idle_with(&self, v: u32, remove: u32, add: u32) -> u32 {
        let inst = self.inst;
        let base = v as usize * inst.slots;
        let mut total = 0;
        let (mut ses, mut first, mut last, mut cnt) = (NONE, 0u32, 0u32, 0u32);
        for s in 0..inst.slots as u32 {
            let busy = (self.at[base + s as usize] != NONE && s != remove) || s == add;
            if !busy {
                continue;
            }
            let here = inst.session_of[s as usize];
            if here != ses {
                if ses != NONE {
                    total += last - first + 1 - cnt;
                }
                (ses, first, cnt) = (here, s, 0);
            }
            last = s;
            cnt += 1;
        }
        if ses != NONE {
            total += last - first + 1 - cnt;
        }
        total
    }

    fn idle(&self, v: u32) -> u32 {
        self.idle_of[v as usize]
    }

    /// Colours `chosen` (edge ids). On failure returns the edges to drop.
    fn colour(&mut self, chosen: &[u32]) -> Result<(), Vec<u32>> {
        let inst = self.inst;
        let k = inst.slots as u32;
        if k == 0 || inst.tables == 0 {
            return if chosen.is_empty() { Ok(()) } else { Err(chosen.to_vec()) };
        }
        // Hardest first: edges whose endpoints have the most meetings.
        let mut deg = vec![0u32; inst.n];
        for &e in chosen {
            let x = &inst.edges[e as usize];
            deg[x.u as usize] += 1;
            deg[x.v as usize] += 1;
        }
        let mut order = chosen.to_vec();
        order.sort_by_key(|&e| {
            let x = &inst.edges[e as usize];
            let (du, dv) = (deg[x.u as usize], deg[x.v as usize]);
            (std::cmp::Reverse(du.max(dv)), std::cmp::Reverse(du.min(dv)), x.u.min(x.v), e)
        });
        let tables = inst.tables as u32;
        let mut left = Vec::new();
        for &e in &order {
            let x = inst.edges[e as usize];
            let (iu, iv) = (i64::from(self.idle(x.u)), i64::from(self.idle(x.v)));
            let mut best: Option<(i64, u32)> = None;
            for s in 0..k {
                if self.count[s as usize] >= tables || !self.free(x.u, s) || !self.free(x.v, s) {
                    continue;
                }
                let cost = i64::from(self.idle_with(x.u, NONE, s)) - iu + i64::from(self.idle_with(x.v, NONE, s)) - iv;
                if best.is_none_or(|b| cost < b.0) {
                    best = Some((cost, s));
                }
            }
            match best {
                Some((_, s)) => self.set(e, s),
                None => left.push(e),
            }
        }
        let mut failed = Vec::new();
        for e in left {
            if !self.insert_kempe(e) && !self.insert_misra_gries(e) {
                failed.push(e);
            }
        }
        if !failed.is_empty() {
            if chosen.len() <= EXACT_COLOUR_EDGES {
                return self.colour_exact(chosen);
            }
            return Err(failed);
        }
        self.balance();
        Ok(())
    }

    /// Places `e` in a slot free at both ends, flipping one two-slot Kempe
    /// chain if needed. Ignores the table limit (restored by `balance`).
    fn insert_kempe(&mut self, e: u32) -> bool {
        let x = self.inst.edges[e as usize];
        let k = self.inst.slots as u32;
        let free_u: Vec<u32> = (0..k).filter(|&s| self.free(x.u, s)).collect();
        let free_v: Vec<u32> = (0..k).filter(|&s| self.free(x.v, s)).collect();
        if let Some(&s) = free_u.iter().find(|&&s| self.free(x.v, s)) {
            self.set(e, s);
            return true;
        }
        for &a in &free_u {
            for &b in &free_v {
                // The a/b chain from v starts with v's a-edge.
                let chain = self.chain(x.v, a, b);
                let Some(chain) = chain else { continue };
                if chain.1 == x.u {
                    continue;
                }
                let changes: Vec<(u32, u32)> =
                    chain.0.iter().map(|&f| (f, if self.col[f as usize] == a { b } else { a })).collect();
                self.recolour(&changes);
                self.set(e, a);
                return true;
            }
        }
        false
    }

    /// The a/b alternating path from `v` (starting with colour `a`): its
    /// edges and its last vertex. None if it is too long to be worth it.
    fn chain(&self, v: u32, a: u32, b: u32) -> Option<(Vec<u32>, u32)> {
        let mut edges = Vec::new();
        let (mut cur, mut c) = (v, a);
        loop {
            let f = self.at(cur, c);
            if f == NONE {
                return Some((edges, cur));
            }
            edges.push(f);
            if edges.len() > self.inst.edges.len() {
                return None;
            }
            cur = self.inst.edges[f as usize].other(cur);
            c = if c == a { b } else { a };
        }
    }

    /// Misra–Gries: colours `e = (u, v)` with a fan at `u` and one cd-path;
    /// succeeds whenever the fan's vertices have a free slot (always when
    /// every participant has fewer meetings than slots).
    fn insert_misra_gries(&mut self, e: u32) -> bool {
        let inst = self.inst;
        let k = inst.slots as u32;
        let x = inst.edges[e as usize];
        let u = x.u;
        let first_free = |p: &Self, w: u32| (0..k).find(|&s| p.free(w, s));
        // Maximal fan.
        let mut fan = vec![x.v];
        let mut fan_edges = vec![e];
        loop {
            let last = *fan.last().unwrap_or(&x.v);
            let mut grown = false;
            for s in 0..k {
                if !self.free(last, s) {
                    continue;
                }
                let f = self.at(u, s);
                if f == NONE {
                    continue;
                }
                let w = inst.edges[f as usize].other(u);
                if !fan.contains(&w) {
                    fan.push(w);
                    fan_edges.push(f);
                    grown = true;
                    break;
                }
            }
            if !grown {
                break;
            }
        }
        let Some(c) = first_free(self, u) else { return false };
        let Some(d) = first_free(self, *fan.last().unwrap_or(&x.v)) else { return false };
        if c != d {
            // Invert the cd-path from u (u has no c-edge, so it starts with d).
            if let Some((path, _)) = self.chain(u, d, c) {
                let changes: Vec<(u32, u32)> =
                    path.iter().map(|&f| (f, if self.col[f as usize] == c { d } else { c })).collect();
                self.recolour(&changes);
            } else {
                return false;
            }
        }
        // The first fan prefix ending at a vertex where d is free.
        let mut j = None;
        for i in 0..fan.len() {
            if i > 0 {
                // Still a fan: the colour of (u, fan[i]) is free at fan[i-1].
                let s = self.col[fan_edges[i] as usize];
                if s == NONE || !self.free(fan[i - 1], s) {
                    break;
                }
            }
            if self.free(fan[i], d) {
                j = Some(i);
                break;
            }
        }
        let Some(j) = j else { return false };
        let mut changes: Vec<(u32, u32)> =
            (0..j).map(|i| (fan_edges[i], self.col[fan_edges[i + 1] as usize])).collect();
        changes.push((fan_edges[j], d));
        // Validate before applying (the proof guarantees it; be safe anyway).
        for &(f, _) in &changes {
            self.unset(f);
        }
        let ok = changes.iter().all(|&(f, s)| {
            let y = inst.edges[f as usize];
            s != NONE && self.free(y.u, s) && self.free(y.v, s)
        }) && {
            let mut seen = HashSet::new();
            changes.iter().all(|&(f, s)| {
                let y = inst.edges[f as usize];
                seen.insert((y.u, s)) && seen.insert((y.v, s))
            })
        };
        if !ok {
            return false;
        }
        for &(f, s) in &changes {
            self.set(f, s);
        }
        true
    }

    /// Exact colouring of a small set by backtracking; on failure, the
    /// lowest-priority edges that keep the rest colourable are returned.
    fn colour_exact(&mut self, chosen: &[u32]) -> Result<(), Vec<u32>> {
        let inst = self.inst;
        for &e in chosen {
            self.unset(e);
        }
        // Bounded work in all: 20 million edge visits.
        let mut work = 20_000_000usize;
        if let Some(cols) = exact_colouring(inst, chosen, &mut work) {
            for (&e, &s) in chosen.iter().zip(&cols) {
                self.set(e, s);
            }
            self.balance();
            return Ok(());
        }
        let mut by_value = chosen.to_vec();
        by_value.sort_by_key(|&e| {
            let x = &inst.edges[e as usize];
            (std::cmp::Reverse(x.class), std::cmp::Reverse(x.w), e)
        });
        let mut kept: Vec<u32> = Vec::new();
        let mut dropped = Vec::new();
        for e in by_value {
            if self.insert_kempe(e) {
                kept.push(e);
                continue;
            }
            kept.push(e);
            match exact_colouring(inst, &kept, &mut work) {
                Some(cols) => {
                    for &f in &kept {
                        self.unset(f);
                    }
                    for (&f, &s) in kept.iter().zip(&cols) {
                        self.set(f, s);
                    }
                }
                None => {
                    kept.pop();
                    dropped.push(e);
                }
            }
        }
        Err(dropped)
    }

    /// McDiarmid: while a slot holds more meetings than tables, swap a
    /// two-slot Kempe path with more edges in the fullest slot than in the
    /// emptiest one. Such a path exists whenever the fullest slot has more
    /// edges than the emptiest, so this ends with every slot within tables
    /// (the total is at most slots × tables).
    fn balance(&mut self) {
        let inst = self.inst;
        let t = inst.tables as u32;
        loop {
            let (a, &ca) = match self.count.iter().enumerate().max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i))) {
                Some(x) => x,
                None => return,
            };
            if ca <= t {
                return;
            }
            let (b, _) = match self.count.iter().enumerate().min_by_key(|&(i, c)| (*c, i)) {
                Some(x) => x,
                None => return,
            };
            let (a, b) = (a as u32, b as u32);
            let mut edges_a = self.members[a as usize].clone();
            edges_a.sort_unstable();
            let mut done = false;
            for e in edges_a {
                let Some(comp) = self.component(e, a, b, usize::MAX) else { continue };
                if comp.na > comp.nb {
                    let changes: Vec<(u32, u32)> =
                        comp.edges.iter().map(|&f| (f, if self.col[f as usize] == a { b } else { a })).collect();
                    self.recolour(&changes);
                    done = true;
                    break;
                }
            }
            if !done {
                return;
            }
        }
    }

    /// The a/b component through edge `e` (coloured a or b), if it is a path
    /// of at most `limit` edges.
    fn component(&self, e: u32, a: u32, b: u32, limit: usize) -> Option<Component> {
        let inst = self.inst;
        let x = inst.edges[e as usize];
        let ce = self.col[e as usize];
        let mut edges = vec![e];
        let mut ends = [x.u, x.v];
        let mut end_cols = [ce, ce];
        for (side, start) in [x.u, x.v].into_iter().enumerate() {
            let (mut cur, mut c) = (start, if ce == a { b } else { a });
            loop {
                let f = self.at(cur, c);
                if f == NONE {
                    break;
                }
                if f == e {
                    return None; // a cycle
                }
                edges.push(f);
                if edges.len() > limit {
                    return None;
                }
                end_cols[side] = c;
                cur = inst.edges[f as usize].other(cur);
                c = if c == a { b } else { a };
            }
            ends[side] = cur;
        }
        let na = edges.iter().filter(|&&f| self.col[f as usize] == a).count();
        Some(Component { nb: edges.len() - na, na, edges, ends, end_cols })
    }

    /// Shortens idle stretches: slot permutations, single moves and Kempe
    /// swaps, each kept only when the idle total drops.
    fn reduce_idle(&mut self, chosen: &[u32]) {
        let inst = self.inst;
        let k = inst.slots as u32;
        let t = inst.tables as u32;
        let rounds = if inst.small { 20 } else { 6 };
        // Kempe swaps: the chain edges they may walk in all (large problems:
        // a fixed number per meeting, so the work stays linear).
        let mut walk = if inst.small { usize::MAX } else { KEMPE_WALK_PER_MEETING.saturating_mul(chosen.len()) };
        for _ in 0..rounds {
            let mut improved = false;
            // Swap whole slots.
            for a in 0..k {
                for b in a + 1..k {
                    let mut delta: i64 = 0;
                    let mut members = self.members[a as usize].clone();
                    members.extend_from_slice(&self.members[b as usize]);
                    for &e in &members {
                        let s = self.col[e as usize];
                        let o = if s == a { b } else { a };
                        let x = inst.edges[e as usize];
                        for v in [x.u, x.v] {
                            if self.free(v, o) {
                                delta += i64::from(self.idle_with(v, s, o)) - i64::from(self.idle(v));
                            }
                        }
                    }
                    if delta < 0 {
                        let changes: Vec<(u32, u32)> =
                            members.iter().map(|&e| (e, if self.col[e as usize] == a { b } else { a })).collect();
                        self.recolour(&changes);
                        improved = true;
                    }
                }
            }
            // Move or Kempe-swap single meetings.
            for &e in chosen {
                let s = self.col[e as usize];
                let x = inst.edges[e as usize];
                let before = i64::from(self.idle(x.u)) + i64::from(self.idle(x.v));
                if before == 0 {
                    continue;
                }
                let mut best: Option<(i64, u32)> = None;
                for o in 0..k {
                    if o == s || self.count[o as usize] >= t || !self.free(x.u, o) || !self.free(x.v, o) {
                        continue;
                    }
                    let after = i64::from(self.idle_with(x.u, s, o)) + i64::from(self.idle_with(x.v, s, o));
                    if after - before < best.map_or(0, |b| b.0) {
                        best = Some((after - before, o));
                    }
                }
                if let Some((_, o)) = best {
                    self.unset(e);
                    self.set(e, o);
                    improved = true;
                    continue;
                }
                let limit = if inst.small { usize::MAX } else { 64 };
                for o in 0..k {
                    if o == s || walk == 0 {
                        continue;
                    }
                    let comp = self.component(e, s, o, limit);
                    walk = walk.saturating_sub(comp.as_ref().map_or(limit, |c| c.edges.len()));
                    let Some(comp) = comp else { continue };
                    let (ns, no) = (comp.na as i64, comp.nb as i64);
                    let cs = i64::from(self.count[s as usize]) - ns + no;
                    let co = i64::from(self.count[o as usize]) - no + ns;
                    if cs > i64::from(t) || co > i64::from(t) {
                        continue;
                    }
                    let mut delta = 0i64;
                    for side in 0..2 {
                        let p = comp.ends[side];
                        let c = comp.end_cols[side];
                        let flipped = if c == s { o } else { s };
                        delta += i64::from(self.idle_with(p, c, flipped)) - i64::from(self.idle(p));
                    }
                    if delta < 0 {
                        let changes: Vec<(u32, u32)> =
                            comp.edges.iter().map(|&f| (f, if self.col[f as usize] == s { o } else { s })).collect();
                        self.recolour(&changes);
                        improved = true;
                        break;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
}

struct Component {
    edges: Vec<u32>,
    /// Edges coloured a / b.
    na: usize,
    nb: usize,
    /// The path's end vertices, and the colour of the path's edge at each.
    ends: [u32; 2],
    end_cols: [u32; 2],
}

/// Proper colouring of `edges` with the instance's slots by backtracking
/// (most constrained edge first), or None. Bounded work: gives up (None)
/// after a fixed number of steps.
fn exact_colouring(inst: &Inst, edges: &[u32], work: &mut usize) -> Option<Vec<u32>> {
    let k = inst.slots;
    if k == 0 {
        return if edges.is_empty() { Some(Vec::new()) } else { None };
    }
    let m = edges.len();
    let used = vec![0u128; inst.n];
    let big = k > 128;
    if big {
        // Too many slots for the bit sets; only reached for odd inputs.
        return None;
    }
    struct Search<'a> {
        inst: &'a Inst,
        edges: &'a [u32],
        cols: Vec<u32>,
        used: Vec<u128>,
        steps: usize,
        allowed: usize,
    }
    impl Search<'_> {
        fn go(&mut self) -> bool {
            self.steps += 1;
            if self.steps > self.allowed {
                return false;
            }
            let k = self.inst.slots;
            // The uncoloured edge with the fewest free slots.
            let mut pick = None;
            let mut fewest = u32::MAX;
            for (i, &e) in self.edges.iter().enumerate() {
                if self.cols[i] != NONE {
                    continue;
                }
                let x = &self.inst.edges[e as usize];
                let busy = self.used[x.u as usize] | self.used[x.v as usize];
                let free = k as u32 - busy.count_ones();
                if free < fewest {
                    fewest = free;
                    pick = Some(i);
                }
            }
            let Some(i) = pick else { return true };
            if fewest == 0 {
                return false;
            }
            let x = self.inst.edges[self.edges[i] as usize];
            // Symmetry: slots are interchangeable for feasibility, so only
            // one slot never used so far is tried.
            let max_used = self.cols.iter().filter(|&&c| c != NONE).max().map_or(0, |&c| c as usize + 1);
            for s in 0..k.min(max_used + 1) {
                let bit = 1u128 << s;
                if (self.used[x.u as usize] | self.used[x.v as usize]) & bit != 0 {
                    continue;
                }
                self.cols[i] = s as u32;
                self.used[x.u as usize] |= bit;
                self.used[x.v as usize] |= bit;
                if self.go() {
                    return true;
                }
                self.used[x.u as usize] &= !bit;
                self.used[x.v as usize] &= !bit;
                self.cols[i] = NONE;
            }
            false
        }
    }
    // Each step scans the edges: count that work against the caller's budget.
    let allowed = (*work / m.max(1)).min(50_000);
    let mut search = Search { inst, edges, cols: vec![NONE; m], used, steps: 0, allowed };
    let ok = search.go();
    *work = work.saturating_sub(search.steps * m.max(1));
    if ok { Some(search.cols) } else { None }
}

// ---------------------------------------------------------------------------
// Tables

/// Table of each chosen edge (indexed like `chosen`).
fn seat(inst: &Inst, place: &Place<'_>, chosen: &[u32]) -> Vec<u32> {
    let k = inst.slots;
    let t = inst.tables;
    let mut deg = vec![0u32; inst.n];
    for &e in chosen {
        let x = &inst.edges[e as usize];
        deg[x.u as usize] += 1;
        deg[x.v as usize] += 1;
    }
    // Sitters: no two meet each other; busiest first.
    let mut by_deg: Vec<u32> = (0..inst.n as u32).filter(|&v| deg[v as usize] > 0).collect();
    by_deg.sort_by_key(|&v| (std::cmp::Reverse(deg[v as usize]), v));
    let mut sitter = vec![false; inst.n];
    let mut nbrs: Vec<Vec<u32>> = vec![Vec::new(); inst.n];
    for &e in chosen {
        let x = &inst.edges[e as usize];
        nbrs[x.u as usize].push(x.v);
        nbrs[x.v as usize].push(x.u);
    }
    for &v in &by_deg {
        if nbrs[v as usize].iter().all(|&w| !sitter[w as usize]) {
            sitter[v as usize] = true;
        }
    }
    // Host of each meeting.
    let host = |e: u32| {
        let x = &inst.edges[e as usize];
        let v_first = (deg[x.v as usize], std::cmp::Reverse(x.v)) > (deg[x.u as usize], std::cmp::Reverse(x.u));
        if sitter[x.u as usize] || (!sitter[x.v as usize] && !v_first) { x.u } else { x.v }
    };
    let mut hosted: Vec<Vec<usize>> = vec![Vec::new(); inst.n];
    for (i, &e) in chosen.iter().enumerate() {
        hosted[host(e) as usize].push(i);
    }
    let mut hosts: Vec<u32> = (0..inst.n as u32).filter(|&v| !hosted[v as usize].is_empty()).collect();
    hosts.sort_by_key(|&v| (std::cmp::Reverse(hosted[v as usize].len()), v));
    let mut cell = vec![false; k * t];
    let mut table = vec![NONE; chosen.len()];
    let slot = |i: usize| place.col[chosen[i] as usize] as usize;
    // A home table per host, first fit.
    let mut left = Vec::new();
    for &v in &hosts {
        let mine = &hosted[v as usize];
        let home = (0..t).find(|&tb| mine.iter().all(|&i| !cell[slot(i) * t + tb]));
        match home {
            Some(tb) => {
                for &i in mine {
                    cell[slot(i) * t + tb] = true;
                    table[i] = tb as u32;
                }
            }
            None => left.extend(mine.iter().copied()),
        }
    }
    // The rest: a table one side already sits at, else the first free one.
    let mut usual: Vec<u32> = vec![NONE; inst.n];
    for (i, &e) in chosen.iter().enumerate() {
        if table[i] != NONE {
            let x = &inst.edges[e as usize];
            for v in [x.u, x.v] {
                if usual[v as usize] == NONE {
                    usual[v as usize] = table[i];
                }
            }
        }
    }
    left.sort_by_key(|&i| (slot(i), chosen[i]));
    for i in left {
        let s = slot(i);
        let x = &inst.edges[chosen[i] as usize];
        let pick = [usual[x.u as usize], usual[x.v as usize]]
            .into_iter()
            .find(|&tb| tb != NONE && !cell[s * t + tb as usize])
            .or_else(|| (0..t).find(|&tb| !cell[s * t + tb]).map(|tb| tb as u32));
        let tb = pick.unwrap_or(0);
        cell[s * t + tb as usize] = true;
        table[i] = tb;
        for v in [x.u, x.v] {
            if usual[v as usize] == NONE {
                usual[v as usize] = tb;
            }
        }
    }
    table
}

// ---------------------------------------------------------------------------
// Driver

/// Why each requested pair outside `on` is not scheduled.
fn unmet(inst: &Inst, on: &[bool]) -> Vec<(u32, Unmet)> {
    let mut req_deg = vec![0u32; inst.n];
    let mut total = 0u32;
    for x in &inst.edges {
        if x.class & REQ != 0 {
            req_deg[x.u as usize] += 1;
            req_deg[x.v as usize] += 1;
            total += 1;
        }
    }
    let capacity = (inst.slots as u64).saturating_mul(inst.tables as u64);
    let mut out: Vec<(u32, Unmet)> = inst.invalid.iter().map(|&i| (i, Unmet::InvalidPair)).collect();
    for (i, x) in inst.edges.iter().enumerate() {
        if x.class & REQ == 0 || on[i] {
            continue;
        }
        let why = if let Some(p) = [x.u, x.v].into_iter().find(|&p| req_deg[p as usize] > inst.b) {
            Unmet::TooManyRequests { participant: p, requests: req_deg[p as usize], limit: inst.b }
        } else if u64::from(total) > capacity {
            Unmet::EventFull { requests: total, capacity }
        } else {
            Unmet::NoCommonSlot
        };
        out.push((x.pair, why));
    }
    out.sort_by_key(|x| x.0);
    out
}

/// Builds the schedule from chosen edges with their slots and tables.
fn finish(p: &Problem<'_>, inst: &Inst, place: &Place<'_>, chosen: &[u32], drops: u32) -> Schedule {
    let tables = seat(inst, place, chosen);
    let mut on = vec![false; inst.edges.len()];
    let mut meetings: Vec<Meeting> = chosen
        .iter()
        .zip(&tables)
        .map(|(&e, &t)| {
            on[e as usize] = true;
            Meeting { pair: inst.edges[e as usize].pair, slot: place.col[e as usize], table: t }
        })
        .collect();
    meetings.sort_by_key(|m| (m.slot, m.table));
    let mut stats = stats(p, inst, &meetings);
    stats.placement_drops = drops;
    Schedule { meetings, unmet_requests: unmet(inst, &on), unplaced: Vec::new(), stats }
}

/// Figures of a list of meetings (recomputed from the meetings themselves).
fn stats(p: &Problem<'_>, inst: &Inst, meetings: &[Meeting]) -> Stats {
    let n = inst.n;
    let mut per: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut st = Stats {
        meetings: meetings.len() as u32,
        capacity: (inst.slots as u64).saturating_mul(inst.tables as u64),
        slots: inst.slots as u32,
        ..Stats::default()
    };
    for m in meetings {
        let pr = &p.pairs[m.pair as usize];
        st.requests_met += u32::from(pr.requested);
        st.mutual += u32::from(pr.mutual);
        st.score += pr.score;
        per[pr.a as usize].push((m.slot, m.table));
        per[pr.b as usize].push((m.slot, m.table));
    }
    st.requests = inst.edges.iter().filter(|x| x.class & REQ != 0).count() as u32 + inst.invalid.len() as u32;
    for list in &mut per {
        if list.is_empty() {
            continue;
        }
        list.sort_unstable();
        st.participants_met += 1;
        st.table_changes += list.windows(2).filter(|w| w[0].1 != w[1].1).count() as u32;
        st.one_table += u32::from(list.iter().all(|x| x.1 == list[0].1));
        let mut i = 0;
        while i < list.len() {
            let ses = inst.session_of[list[i].0 as usize];
            let mut j = i;
            while j + 1 < list.len() && inst.session_of[list[j + 1].0 as usize] == ses {
                j += 1;
            }
            st.idle_slots += list[j].0 - list[i].0 + 1 - (j - i + 1) as u32;
            i = j + 1;
        }
    }
    // Bounds.
    let mut best: Vec<Vec<f64>> = vec![Vec::new(); n];
    for x in &inst.edges {
        let s = p.pairs[x.pair as usize].score;
        let s = if s.is_finite() { s } else { 0.0 };
        best[x.u as usize].push(s);
        best[x.v as usize].push(s);
    }
    let mut bound = 0.0;
    for list in &mut best {
        if !list.is_empty() {
            st.participants_with_pairs += 1;
        }
        list.sort_by(|a, b| b.total_cmp(a));
        bound += list.iter().take(inst.b as usize).sum::<f64>();
    }
    st.score_bound = bound / 2.0;
    let mut all: Vec<f64> = inst.edges.iter().map(|x| p.pairs[x.pair as usize].score).collect();
    all.sort_by(|a, b| b.total_cmp(a));
    st.score_bound_capacity = all.iter().take(inst.budget).filter(|s| s.is_finite()).sum();
    st
}

/// A selection that could be placed.
struct Placed {
    key: Key,
    chosen: Vec<u32>,
    col: Vec<u32>,
    drops: u32,
}

/// Places `sel`'s pairs; when they cannot all be placed, bans a pair of the
/// conflict and selects again. Small problems try each pair of the conflict
/// (two levels deep) and keep the best outcome; large ones ban the pairs the
/// colouring could not place.
fn place_or_reselect(inst: &Inst, mut sel: Sel<'_>, order: &[u32], level: u32) -> Option<Placed> {
    let mut drops = 0;
    let mut tries = 0;
    loop {
        tries += 1;
        let chosen = sel.chosen();
        let mut place = Place::new(inst);
        let failed = match place.colour(&chosen) {
            Ok(()) => return Some(Placed { key: sel.key, chosen, col: place.col, drops }),
            Err(failed) => failed,
        };
        if inst.edges.len() <= BRANCH_PAIRS && level < 2 && !failed.is_empty() {
            // The chosen pairs of the failed pair's connected component:
            // dropping one of them may be what makes the rest placeable.
            let f0 = inst.edges[failed[0] as usize];
            let mut reached = vec![false; inst.n];
            let mut stack = vec![f0.u, f0.v];
            reached[f0.u as usize] = true;
            reached[f0.v as usize] = true;
            let mut cands: Vec<u32> = Vec::new();
            while let Some(y) = stack.pop() {
                for &e in &inst.adj[y as usize] {
                    if !sel.on[e as usize] {
                        continue;
                    }
                    let z = inst.edges[e as usize].other(y);
                    if !cands.contains(&e) {
                        cands.push(e);
                    }
                    if !reached[z as usize] {
                        reached[z as usize] = true;
                        stack.push(z);
                    }
                }
            }
            cands.sort_by_key(|&e| {
                let x = &inst.edges[e as usize];
                (x.class, x.w, e)
            });
            cands.truncate(12);
            let mut best: Option<Placed> = None;
            for c in cands {
                let mut s2 = sel.clone();
                if s2.on[c as usize] {
                    s2.flip(c);
                }
                s2.banned[c as usize] = true;
                s2.local_search(order);
                if let Some(mut r) = place_or_reselect(inst, s2, order, level + 1) {
                    r.drops += drops + 1;
                    if best.as_ref().is_none_or(|b| r.key > b.key) {
                        best = Some(r);
                    }
                }
            }
            return best;
        }
        let before = drops;
        for f in failed {
            if sel.on[f as usize] {
                sel.flip(f);
                drops += 1;
            }
            sel.banned[f as usize] = true;
        }
        if drops == before {
            return None;
        }
        // Re-select around the banned pairs (a bounded number of times;
        // after that only drop, which always ends).
        if tries <= 64 {
            sel.local_search(order);
        }
    }
}

/// Schedules an event: chooses the pairs that meet, their slots and tables.
pub fn schedule(p: &Problem<'_>) -> Schedule {
    let inst = Inst::new(p);
    let order = inst.priority_order();
    let m = inst.edges.len();
    let starts = if m <= 200 {
        4
    } else if m <= SMALL_PAIRS {
        3
    } else {
        1
    };
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut best: Option<Placed> = None;
    for start in 0..starts {
        let mut sel = Sel::new(&inst);
        if start == 0 {
            sel.greedy_cover(&order);
        } else if start == 1 {
            sel.greedy(&order);
        } else {
            // A perturbed greedy: same classes first, scores shaken.
            let mut shaken: Vec<(u8, i64, u32)> = order
                .iter()
                .map(|&e| {
                    let x = &inst.edges[e as usize];
                    let noise = (rng.next() % 1_000_000) as i64 - 500_000;
                    (x.class, x.w + noise, e)
                })
                .collect();
            shaken.sort_by_key(|&(c, w, e)| (std::cmp::Reverse(c), std::cmp::Reverse(w), e));
            let o: Vec<u32> = shaken.into_iter().map(|x| x.2).collect();
            sel.greedy(&o);
        }
        sel.local_search(&order);
        let Some(found) = place_or_reselect(&inst, sel, &order, 0) else { continue };
        if best.as_ref().is_none_or(|b| found.key > b.key) {
            best = Some(found);
        }
    }
    let (chosen, col, drops) = match best {
        Some(b) => (b.chosen, b.col, b.drops),
        None => (Vec::new(), vec![NONE; m], 0),
    };
    let mut place = Place::new(&inst);
    for &e in &chosen {
        place.set(e, col[e as usize]);
    }
    place.reduce_idle(&chosen);
    finish(p, &inst, &place, &chosen, drops)
}

/// A plain greedy for comparison: pairs by priority (requested, mutual),
/// then score, each placed in the first slot where both are free and a
/// table is free, or skipped.
pub fn greedy_baseline(p: &Problem<'_>) -> Schedule {
    let inst = Inst::new(p);
    let mut place = Place::new(&inst);
    let mut deg = vec![0u32; inst.n];
    let mut chosen = Vec::new();
    for e in inst.priority_order() {
        if chosen.len() >= inst.budget {
            break;
        }
        let x = inst.edges[e as usize];
        if deg[x.u as usize] >= inst.b || deg[x.v as usize] >= inst.b {
            continue;
        }
        let slot = (0..inst.slots as u32)
            .find(|&s| place.count[s as usize] < inst.tables as u32 && place.free(x.u, s) && place.free(x.v, s));
        if let Some(s) = slot {
            place.set(e, s);
            deg[x.u as usize] += 1;
            deg[x.v as usize] += 1;
            chosen.push(e);
        }
    }
    let mut on = vec![false; inst.edges.len()];
    let mut next = vec![0u32; inst.slots];
    let mut meetings: Vec<Meeting> = chosen
        .iter()
        .map(|&e| {
            on[e as usize] = true;
            let s = place.col[e as usize];
            let t = next[s as usize];
            next[s as usize] += 1;
            Meeting { pair: inst.edges[e as usize].pair, slot: s, table: t }
        })
        .collect();
    meetings.sort_by_key(|m| (m.slot, m.table));
    let stats = stats(p, &inst, &meetings);
    Schedule { meetings, unmet_requests: unmet(&inst, &on), unplaced: Vec::new(), stats }
}

#[cfg(test)]
mod tests;
