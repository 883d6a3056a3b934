//! Tests of the scheduler: invariants over random problems (proptest), the
//! exact optimum of small problems by branch and bound, and examples.

use super::*;
use proptest::prelude::*;

// ---- helpers ---------------------------------------------------------------

/// An owned problem (the pub one borrows).
#[derive(Debug, Clone)]
struct Owned {
    participants: u32,
    pairs: Vec<Pair>,
    cap: u32,
    sessions: Vec<u32>,
    tables: u32,
}

impl Owned {
    fn problem(&self) -> Problem<'_> {
        Problem {
            participants: self.participants,
            pairs: &self.pairs,
            cap: self.cap,
            sessions: &self.sessions,
            tables: self.tables,
        }
    }
}

/// Pairs from raw `(x, y, score, mutual, requested)`: normalised, merged,
/// sorted, self-pairs dropped.
fn pairs_of(n: u32, raw: &[(u32, u32, f64, bool, bool)]) -> Vec<Pair> {
    let mut map: std::collections::BTreeMap<(u32, u32), Pair> = Default::default();
    for &(x, y, score, mutual, requested) in raw {
        let (a, b) = (x % n.max(1), y % n.max(1));
        if a == b {
            continue;
        }
        let (a, b) = (a.min(b), a.max(b));
        let e = map.entry((a, b)).or_insert(Pair { a, b, score, mutual, requested });
        e.mutual |= mutual;
        e.requested |= requested;
    }
    map.into_values().collect()
}

fn total_slots(p: &Problem<'_>) -> u32 {
    p.sessions.iter().sum()
}

/// Every property SPEC 10 asks of a schedule, checked from the outside.
fn check(p: &Problem<'_>, s: &Schedule) -> Result<(), String> {
    let slots = total_slots(p);
    let n = p.participants as usize;
    let mut seen = HashSet::new();
    let mut busy = HashSet::new();
    let mut cells = HashSet::new();
    let mut deg = vec![0u32; n];
    for m in &s.meetings {
        let pr = p.pairs.get(m.pair as usize).ok_or("pair out of range")?;
        if m.slot >= slots || m.table >= p.tables {
            return Err(format!("{m:?} outside slots {slots} / tables {}", p.tables));
        }
        if !seen.insert(m.pair) {
            return Err(format!("pair {} twice", m.pair));
        }
        for v in [pr.a, pr.b] {
            if !busy.insert((v, m.slot)) {
                return Err(format!("participant {v} twice in slot {}", m.slot));
            }
            deg[v as usize] += 1;
        }
        if !cells.insert((m.slot, m.table)) {
            return Err(format!("table {} twice in slot {}", m.table, m.slot));
        }
    }
    if let Some(v) = (0..n).find(|&v| deg[v] > p.cap) {
        return Err(format!("participant {v} has {} meetings, cap {}", deg[v], p.cap));
    }
    if !s.meetings.windows(2).all(|w| (w[0].slot, w[0].table) < (w[1].slot, w[1].table)) {
        return Err("meetings not sorted by (slot, table)".into());
    }
    // Requests: scheduled or explained, never both.
    let unmet: std::collections::BTreeMap<u32, Unmet> = s.unmet_requests.iter().copied().collect();
    if unmet.len() != s.unmet_requests.len() {
        return Err("a request reported twice".into());
    }
    let mut req_deg = vec![0u32; n];
    let mut total = 0u32;
    for pr in p.pairs.iter().filter(|x| x.requested) {
        req_deg[pr.a as usize] += 1;
        req_deg[pr.b as usize] += 1;
        total += 1;
    }
    let limit = p.cap.min(slots);
    for (i, pr) in p.pairs.iter().enumerate() {
        let i = i as u32;
        match (pr.requested, seen.contains(&i), unmet.get(&i)) {
            (false, _, Some(_)) => return Err(format!("pair {i} is not requested but reported unmet")),
            (true, true, Some(_)) => return Err(format!("request {i} both scheduled and unmet")),
            (true, false, None) => return Err(format!("request {i} neither scheduled nor explained")),
            (true, false, Some(why)) => match *why {
                Unmet::TooManyRequests { participant, requests, limit: l } => {
                    if (participant != pr.a && participant != pr.b)
                        || requests != req_deg[participant as usize]
                        || l != limit
                        || requests <= l
                    {
                        return Err(format!("request {i}: untrue reason {why:?}"));
                    }
                }
                Unmet::EventFull { requests, capacity } => {
                    if requests != total
                        || capacity != u64::from(slots) * u64::from(p.tables)
                        || u64::from(total) <= capacity
                    {
                        return Err(format!("request {i}: untrue reason {why:?}"));
                    }
                }
                Unmet::NoCommonSlot => {
                    if req_deg[pr.a as usize] > limit || req_deg[pr.b as usize] > limit {
                        return Err(format!("request {i}: NoCommonSlot where a side has too many requests"));
                    }
                }
                Unmet::InvalidPair => return Err(format!("request {i}: valid pair reported invalid")),
            },
            _ => {}
        }
    }
    if !s.unplaced.is_empty() {
        return Err("unplaced pairs".into());
    }
    // Stats agree with the meetings.
    let st = &s.stats;
    let met = deg.iter().filter(|&&d| d > 0).count() as u32;
    let score: f64 = s.meetings.iter().map(|m| p.pairs[m.pair as usize].score).sum();
    let mutual = s.meetings.iter().filter(|m| p.pairs[m.pair as usize].mutual).count() as u32;
    if st.meetings != s.meetings.len() as u32
        || st.participants_met != met
        || st.mutual != mutual
        || (st.score - score).abs() > 1e-9
        || st.score > st.score_bound + 1e-9
        || st.score > st.score_bound_capacity + 1e-9
    {
        return Err(format!("stats disagree: {st:?}"));
    }
    Ok(())
}

/// The objective of a schedule, as the scheduler counts it.
fn key_of(p: &Problem<'_>, s: &Schedule) -> Key {
    let mut k = Key::default();
    let mut deg = vec![0u32; p.participants as usize];
    for m in &s.meetings {
        let pr = &p.pairs[m.pair as usize];
        k.r += i64::from(pr.requested);
        k.m += i64::from(pr.mutual);
        k.w += (pr.score * SCORE_SCALE).round() as i64;
        for v in [pr.a, pr.b] {
            k.c += i64::from(deg[v as usize] == 0);
            deg[v as usize] += 1;
        }
    }
    k
}

/// A small deterministic generator for the fixed-seed loops.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
    fn score(&mut self) -> f64 {
        f64::from(1 + self.below(9_999)) / 10_000.0
    }
}

/// A small event shaped like real suggestions: each participant suggests a
/// few others (mutual when both do), a few requests.
fn small_problem(g: &mut Gen) -> Owned {
    sparse_or_dense(g, false)
}

/// `dense`: more pairs, and participants that may use every slot, so that
/// placement (odd cycles of busy participants) binds.
fn sparse_or_dense(g: &mut Gen, dense: bool) -> Owned {
    let n = if dense { 3 + g.below(8) } else { 2 + g.below(13) };
    let mut raw = Vec::new();
    let mut chose = std::collections::BTreeSet::new();
    for i in 0..n {
        for _ in 0..g.below(if dense { 6 } else { 4 }) {
            let j = g.below(n);
            if j != i {
                chose.insert((i, j));
            }
        }
    }
    for &(i, j) in &chose {
        let mutual = chose.contains(&(j, i));
        raw.push((i, j, g.score(), mutual, false));
    }
    for _ in 0..g.below(3) {
        let (i, j) = (g.below(n), g.below(n));
        raw.push((i, j, g.score(), false, true));
    }
    let sessions = if dense {
        vec![1 + g.below(4)]
    } else if g.below(2) == 0 {
        vec![1 + g.below(6)]
    } else {
        vec![1 + g.below(3), 1 + g.below(3)]
    };
    let slots: u32 = sessions.iter().sum();
    let cap = if dense { slots + g.below(2) } else { 1 + g.below(4) };
    Owned { participants: n, pairs: pairs_of(n, &raw), cap, sessions, tables: 1 + g.below(4) }
}

// ---- the exact optimum -----------------------------------------------------

/// Can `edges` (pair indices) be given slots and tables? Exhaustive.
fn placeable(p: &Problem<'_>, edges: &[u32]) -> bool {
    let slots = total_slots(p) as usize;
    let n = p.participants as usize;
    let mut busy = vec![false; n * slots];
    let mut used = vec![0u32; slots];
    fn go(p: &Problem<'_>, edges: &[u32], i: usize, busy: &mut [bool], used: &mut [u32], slots: usize) -> bool {
        let Some(&e) = edges.get(i) else { return true };
        let pr = p.pairs[e as usize];
        let (a, b) = (pr.a as usize, pr.b as usize);
        // Slots are interchangeable: try at most one never used yet.
        let mut tried_empty = false;
        for s in 0..slots {
            if used[s] >= p.tables || busy[a * slots + s] || busy[b * slots + s] {
                continue;
            }
            if used[s] == 0 {
                if tried_empty {
                    continue;
                }
                tried_empty = true;
            }
            busy[a * slots + s] = true;
            busy[b * slots + s] = true;
            used[s] += 1;
            if go(p, edges, i + 1, busy, used, slots) {
                return true;
            }
            busy[a * slots + s] = false;
            busy[b * slots + s] = false;
            used[s] -= 1;
        }
        false
    }
    go(p, edges, 0, &mut busy, &mut used, slots)
}

struct Bnb<'a> {
    p: Problem<'a>,
    order: Vec<u32>,
    limit: u32,
    budget: u32,
    deg: Vec<u32>,
    chosen: Vec<u32>,
    cur: Key,
    best: Key,
    nodes: u64,
}

impl Bnb<'_> {
    fn w(&self, e: u32) -> i64 {
        (self.p.pairs[e as usize].score * SCORE_SCALE).round() as i64
    }

    fn addable(&self, e: u32) -> bool {
        let pr = &self.p.pairs[e as usize];
        self.deg[pr.a as usize] < self.limit && self.deg[pr.b as usize] < self.limit
    }

    fn bound(&self, i: usize) -> Key {
        let rem = i64::from(self.budget) - self.chosen.len() as i64;
        let mut k = self.cur;
        let (mut r, mut m) = (0i64, 0i64);
        let mut ws = Vec::new();
        let mut fresh = HashSet::new();
        for &e in &self.order[i..] {
            if !self.addable(e) {
                continue;
            }
            let pr = &self.p.pairs[e as usize];
            r += i64::from(pr.requested);
            m += i64::from(pr.mutual);
            ws.push(self.w(e));
            for v in [pr.a, pr.b] {
                if self.deg[v as usize] == 0 {
                    fresh.insert(v);
                }
            }
        }
        ws.sort_unstable_by(|a, b| b.cmp(a));
        k.r += r.min(rem);
        k.m += m.min(rem);
        k.c += (fresh.len() as i64).min(2 * rem);
        k.w += ws.iter().take(rem.max(0) as usize).filter(|&&w| w > 0).sum::<i64>();
        k
    }

    fn go(&mut self, i: usize) {
        self.nodes += 1;
        if i == self.order.len() || self.chosen.len() as u32 == self.budget {
            if self.cur > self.best && placeable(&self.p, &self.chosen) {
                self.best = self.cur;
            }
            return;
        }
        if self.bound(i) <= self.best {
            return;
        }
        let e = self.order[i];
        if self.addable(e) {
            let pr = self.p.pairs[e as usize];
            let before = self.cur;
            for v in [pr.a, pr.b] {
                self.cur.c += i64::from(self.deg[v as usize] == 0);
                self.deg[v as usize] += 1;
            }
            self.cur.r += i64::from(pr.requested);
            self.cur.m += i64::from(pr.mutual);
            self.cur.w += self.w(e);
            self.chosen.push(e);
            self.go(i + 1);
            self.chosen.pop();
            self.deg[pr.a as usize] -= 1;
            self.deg[pr.b as usize] -= 1;
            self.cur = before;
        }
        self.go(i + 1);
    }
}

/// The best objective of any valid schedule, at least `incumbent` (a valid
/// schedule's, used only to prune).
fn optimum(p: &Problem<'_>, incumbent: Key) -> (Key, u64) {
    let mut order: Vec<u32> = (0..p.pairs.len() as u32).collect();
    order.sort_by_key(|&e| {
        let pr = &p.pairs[e as usize];
        (std::cmp::Reverse((pr.requested, pr.mutual)), std::cmp::Reverse((pr.score * SCORE_SCALE).round() as i64))
    });
    let slots = total_slots(p);
    let mut b = Bnb {
        p: *p,
        order,
        limit: p.cap.min(slots),
        budget: slots * p.tables,
        deg: vec![0; p.participants as usize],
        chosen: Vec::new(),
        cur: Key::default(),
        best: incumbent,
        nodes: 0,
    };
    b.go(0);
    (b.best, b.nodes)
}

#[test]
fn matches_the_exact_optimum_on_small_events() {
    compare_with_optimum(20_270_310, 400, false);
}

#[test]
fn matches_the_exact_optimum_where_placement_binds() {
    compare_with_optimum(31_415_926, 200, true);
}

/// The same comparison on many more instances, counting instead of failing
/// (`cargo test --release --lib schedule -- --ignored --nocapture`).
#[test]
#[ignore]
fn many_more_instances() {
    let n: usize = std::env::var("SCHEDULE_INSTANCES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    for dense in [false, true] {
        let mut g = Gen(if dense { 99 } else { 98 });
        let (mut counts_off, mut worst_gap, mut below_1) = (0, 0.0f64, 0);
        let t = std::time::Instant::now();
        for i in 0..n {
            let o = sparse_or_dense(&mut g, dense);
            let p = o.problem();
            let s = schedule(&p);
            check(&p, &s).unwrap_or_else(|e| panic!("instance {i}: {e}\n{o:?}"));
            let got = key_of(&p, &s);
            let opt = optimum(&p, got).0;
            if (got.r, got.m, got.c) != (opt.r, opt.m, opt.c) {
                counts_off += 1;
                if counts_off <= 3 {
                    eprintln!("instance {i}: {got:?} vs optimum {opt:?}\n{o:?}");
                }
                continue;
            }
            let gap = if opt.w > 0 { (opt.w - got.w) as f64 / opt.w as f64 } else { 0.0 };
            below_1 += usize::from(gap > 0.01);
            worst_gap = worst_gap.max(gap);
        }
        eprintln!(
            "{} {n} instances in {:?}: counts below the optimum in {counts_off}; of the rest, score more than 1 % below in {below_1}, worst gap {:.2} %",
            if dense { "dense" } else { "sparse" },
            t.elapsed(),
            worst_gap * 100.0
        );
    }
}

fn compare_with_optimum(seed: u64, instances: usize, dense: bool) {
    let mut g = Gen(seed);
    let (mut exact_score, mut worst_gap, mut nodes) = (0, 0.0f64, 0u64);
    let (mut drops, mut full) = (0, 0);
    let (mut t_heur, mut t_opt) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for i in 0..instances {
        let o = sparse_or_dense(&mut g, dense);
        let p = o.problem();
        let t = std::time::Instant::now();
        let s = schedule(&p);
        t_heur += t.elapsed();
        let t = std::time::Instant::now();
        check(&p, &s).unwrap_or_else(|e| panic!("instance {i}: {e}\n{o:?}"));
        let got = key_of(&p, &s);
        let (opt, n) = optimum(&p, got);
        t_opt += t.elapsed();
        nodes += n;
        if i % 8 == 0 {
            // The search without the scheduler's result to prune with finds
            // the same optimum (so that pruning cannot hide a better one).
            assert_eq!(optimum(&p, Key::default()).0, opt, "instance {i}");
        }
        drops += usize::from(s.stats.placement_drops > 0);
        full += usize::from(s.stats.meetings as u64 == s.stats.capacity);
        assert_eq!((got.r, got.m, got.c), (opt.r, opt.m, opt.c), "instance {i}: {got:?} vs optimum {opt:?}\n{o:?}");
        let gap = if opt.w > 0 { (opt.w - got.w) as f64 / opt.w as f64 } else { 0.0 };
        assert!(gap <= 0.05, "instance {i}: score {got:?} vs optimum {opt:?}\n{o:?}");
        exact_score += usize::from(got.w == opt.w);
        worst_gap = worst_gap.max(gap);
    }
    eprintln!(
        "{} {instances} instances: counts optimal in all, score optimal in {exact_score}, worst score gap {:.2} %, {nodes} search nodes; {full} use every table in every slot, {drops} needed a pair dropped for placement; scheduler {t_heur:?}, exact search {t_opt:?}",
        if dense { "dense" } else { "sparse" },
        worst_gap * 100.0
    );
}

#[test]
fn greedy_baseline_is_valid_and_no_better() {
    let mut g = Gen(7);
    for i in 0..300 {
        let o = small_problem(&mut g);
        let p = o.problem();
        let base = greedy_baseline(&p);
        check(&p, &base).unwrap_or_else(|e| panic!("instance {i}: {e}\n{o:?}"));
        let s = schedule(&p);
        assert!(key_of(&p, &s) >= key_of(&p, &base), "instance {i}: worse than the greedy\n{o:?}");
    }
}

// ---- properties over random problems --------------------------------------

fn problem() -> impl Strategy<Value = Owned> {
    (
        1u32..40,
        1u32..8,
        proptest::collection::vec(0u32..6, 1..4),
        1u32..6,
        proptest::collection::vec(
            (0u32..40, 0u32..40, 0.0001f64..1.0, proptest::bool::weighted(0.3), proptest::bool::weighted(0.08)),
            0..120,
        ),
    )
        .prop_map(|(n, cap, sessions, tables, raw)| Owned {
            participants: n,
            pairs: pairs_of(n, &raw),
            cap,
            sessions,
            tables,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn schedules_hold_every_rule(o in problem()) {
        let p = o.problem();
        let s = schedule(&p);
        prop_assert!(check(&p, &s).is_ok(), "{:?}", check(&p, &s));
        prop_assert_eq!(&s, &schedule(&p), "not deterministic");
        let base = greedy_baseline(&p);
        prop_assert!(check(&p, &base).is_ok(), "baseline: {:?}", check(&p, &base));
        prop_assert!(key_of(&p, &s) >= key_of(&p, &base));
    }
}

// ---- examples --------------------------------------------------------------

fn pair(a: u32, b: u32, score: f64, mutual: bool, requested: bool) -> Pair {
    Pair { a, b, score, mutual, requested }
}

#[test]
fn an_odd_cycle_in_two_slots_loses_its_cheapest_pair() {
    // Three participants who all meet each other need three slots; with two,
    // one pair (the cheapest) cannot be placed and is replaced if possible.
    let pairs = [pair(0, 1, 0.9, true, false), pair(0, 2, 0.8, true, false), pair(1, 2, 0.3, true, false)];
    let p = Problem { participants: 3, pairs: &pairs, cap: 2, sessions: &[2], tables: 2 };
    let s = schedule(&p);
    check(&p, &s).unwrap();
    let mut met: Vec<u32> = s.meetings.iter().map(|m| m.pair).collect();
    met.sort();
    assert_eq!(met, [0, 1]);
    assert_eq!(s.stats.placement_drops, 1);
}

#[test]
fn requests_come_first_and_are_explained() {
    // Participant 0 is requested by three others but has two slots.
    let pairs = [
        pair(0, 1, 0.1, false, true),
        pair(0, 2, 0.2, false, true),
        pair(0, 3, 0.3, false, true),
        pair(0, 4, 0.99, true, false),
        pair(1, 2, 0.5, true, false),
    ];
    let p = Problem { participants: 5, pairs: &pairs, cap: 6, sessions: &[2], tables: 3 };
    let s = schedule(&p);
    check(&p, &s).unwrap();
    assert_eq!(s.stats.requests_met, 2);
    assert_eq!(s.unmet_requests.len(), 1);
    assert!(matches!(s.unmet_requests[0].1, Unmet::TooManyRequests { participant: 0, requests: 3, limit: 2 }));
    // The mutual pair 0-4 cannot fit (0 is full of requests); 1-2 does.
    assert!(s.meetings.iter().any(|m| m.pair == 4));
    assert!(!s.meetings.iter().any(|m| m.pair == 3));
}

#[test]
fn a_full_event_reports_its_capacity() {
    let pairs = [pair(0, 1, 0.5, false, true), pair(2, 3, 0.5, false, true), pair(4, 5, 0.5, false, true)];
    let p = Problem { participants: 6, pairs: &pairs, cap: 3, sessions: &[1], tables: 2 };
    let s = schedule(&p);
    check(&p, &s).unwrap();
    assert_eq!(s.meetings.len(), 2);
    assert_eq!(s.unmet_requests, [(2, Unmet::EventFull { requests: 3, capacity: 2 })]);
}

#[test]
fn mutual_pairs_before_coverage_before_score() {
    // Tables for one meeting in one slot: the mutual pair wins over a
    // one-way pair of a higher score.
    let pairs = [pair(0, 1, 0.2, true, false), pair(2, 3, 0.9, false, false)];
    let p = Problem { participants: 4, pairs: &pairs, cap: 1, sessions: &[1], tables: 1 };
    assert_eq!(schedule(&p).meetings.iter().map(|m| m.pair).collect::<Vec<_>>(), [0]);
    // Two meetings: covering four participants beats the best two scores.
    let pairs = [pair(0, 1, 0.9, false, false), pair(0, 2, 0.9, false, false), pair(2, 3, 0.1, false, false)];
    let p = Problem { participants: 4, pairs: &pairs, cap: 2, sessions: &[2], tables: 1 };
    let s = schedule(&p);
    assert_eq!(s.stats.participants_met, 4);
    assert_eq!(s.stats.meetings, 2);
}

#[test]
fn a_busy_participant_meets_without_gaps_at_one_table() {
    // Participant 0 meets five others in a session of eight slots.
    let pairs: Vec<Pair> = (1..6).map(|j| pair(0, j, 0.5, true, false)).collect();
    let p = Problem { participants: 6, pairs: &pairs, cap: 6, sessions: &[8], tables: 3 };
    let s = schedule(&p);
    check(&p, &s).unwrap();
    assert_eq!(s.stats.meetings, 5);
    assert_eq!(s.stats.idle_slots, 0);
    assert_eq!(s.stats.one_table, 6);
    assert_eq!(s.stats.table_changes, 0);
}

#[test]
fn odd_inputs_do_not_panic() {
    let pairs = [pair(0, 0, 0.5, false, true), pair(3, 9, f64::NAN, true, true), pair(1, 2, 0.5, false, false)];
    for (cap, sessions, tables) in [(0, vec![], 0), (3, vec![0, 0], 2), (1, vec![2], 0), (5, vec![3], 1)] {
        let p = Problem { participants: 4, pairs: &pairs, cap, sessions: &sessions, tables };
        for s in [schedule(&p), greedy_baseline(&p)] {
            assert!(s.unmet_requests.iter().any(|&(i, why)| i == 0 && why == Unmet::InvalidPair));
            assert!(s.meetings.iter().all(|m| m.pair == 2));
        }
    }
}
