//! Benchmark of the meeting scheduler on events drawn from synthetic
//! catalogues.
//!
//! `cargo bench --bench schedule` (default sizes 1,000 and 10,000
//! participants) or `cargo bench --bench schedule -- 10000 cap=16`. Each size
//! builds a catalogue as `benches/partners.rs` does, takes its pairs from
//! `partners::suggest_all` (8 suggestions per firm; a pair is mutual when each
//! suggests the other, its score the higher side's, as `meetings` does), adds
//! 0.5 % of participants' worth of requested pairs, and schedules an event of
//! two sessions of 8 slots, cap 6 (`cap=N`; SPEC 10's default is every slot),
//! with one table per 25 participants (400 for 10,000; `per_table=K`).
//!
//! It prints, for `schedule::schedule` (median of three runs) and
//! `schedule::greedy_baseline`, wall and CPU time (the thread's own run time,
//! which other processes on a loaded machine do not inflate) and the quality
//! against the bounds; then the end-to-end path of a build,
//! `meetings::timetable` on an event over the whole catalogue (candidate
//! pairs from the suggestions, scheduling, agendas), with the suggestion
//! lists' own time apart. Results: docs/scheduling.md, docs/performance.md.

use std::time::Instant;

use gotong::model::{Date, Event, EventSession, Participants, SlugPair, Time};
use gotong::model::{Site, Translated};
use gotong::partners::Suggestion;
use gotong::schedule::{self, Pair, Problem, Schedule};

#[path = "common/catalogue.rs"]
mod catalogue;
use catalogue::{Rng, catalogue};

/// The pairs an event over the whole catalogue would be given, and the
/// indices of the requested ones.
fn pairs(lists: &[Vec<Suggestion>], n: usize, rng: &mut Rng) -> Vec<Pair> {
    let mut map = std::collections::BTreeMap::new();
    for (i, list) in lists.iter().enumerate() {
        for s in list {
            let (a, b) = (i.min(s.partner) as u32, i.max(s.partner) as u32);
            let e = map.entry((a, b)).or_insert((s.score, 0u8));
            e.0 = f64::max(e.0, s.score);
            e.1 += 1;
        }
    }
    let mut pairs: Vec<Pair> = map
        .into_iter()
        .map(|((a, b), (score, seen))| Pair { a, b, score, mutual: seen == 2, requested: false })
        .collect();
    // Requests: existing pairs named by the organiser, 0.5 % of participants.
    for _ in 0..(n / 200).max(1) {
        let k = rng.below(pairs.len());
        pairs[k].requested = true;
    }
    pairs
}

/// CPU time of this thread so far, in seconds (Linux; 0 elsewhere).
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// Runs `f` `runs` times; the last result and the median (wall, CPU) times.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, f64, f64) {
    let mut wall = Vec::new();
    let mut cpus = Vec::new();
    let mut out = None;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu());
        out = Some(f());
        cpus.push(cpu() - c);
        wall.push(t.elapsed().as_secs_f64());
    }
    wall.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    let Some(out) = out else { panic!("no runs") };
    (out, wall[runs / 2], cpus[runs / 2])
}

fn row(name: &str, wall: f64, cpu: f64, s: &Schedule, with_pairs: u32) {
    let st = &s.stats;
    let bound = st.score_bound.min(st.score_bound_capacity);
    println!(
        "| {name} | {wall:.3} s | {cpu:.3} s | {} / {} | {} / {} | {}/{} | {} | {:.1} | {:.1} % | {:.2} | {:.0} % | {} |",
        st.meetings,
        st.capacity,
        st.participants_met,
        with_pairs,
        st.requests_met,
        st.requests,
        st.mutual,
        st.score,
        100.0 * st.score / bound,
        f64::from(st.idle_slots) / f64::from(st.participants_met.max(1)),
        100.0 * f64::from(st.one_table) / f64::from(st.participants_met.max(1)),
        st.table_changes,
    );
}

/// The event of the end-to-end run: every firm, two sessions of eight
/// 20-minute slots, one table per 25 participants, the same requests.
fn event(site: &Site, pairs: &[Pair], cap: Option<u32>) -> Event {
    let slug = |i: u32| site.firms[i as usize].slug.clone();
    Event {
        slug: "bench".into(),
        name: Translated::new("Temu usaha".to_string()),
        date: Date { year: 2027, month: 3, day: 10 },
        venue: "Gedung".into(),
        district: None,
        organizer: None,
        sessions: vec![
            EventSession { start: Time(8 * 60), end: Time(8 * 60 + 160) },
            EventSession { start: Time(13 * 60), end: Time(13 * 60 + 160) },
        ],
        meeting_minutes: 20,
        break_minutes: 0,
        tables: (site.firms.len() / 25).max(1) as u32,
        participants: Participants::All,
        max_meetings_per_firm: cap,
        requests: pairs
            .iter()
            .filter(|p| p.requested)
            .map(|p| SlugPair { a: slug(p.a), b: slug(p.b), at: None, item: 0, swapped: false })
            .collect(),
        avoid: vec![],
        draft: false,
        description: Translated::default(),
        updated: None,
        source: "content/events/bench.yaml".into(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000] } else { sizes };
    let cap: u32 = args.iter().find_map(|a| a.strip_prefix("cap=")?.parse().ok()).unwrap_or(6);
    // `per_table=K`: one table per K participants (default 25).
    let per_table: usize = args.iter().find_map(|a| a.strip_prefix("per_table=")?.parse().ok()).unwrap_or(25).max(1);
    for n in sizes {
        let site = catalogue(n);
        let (lists, t_suggest, c_suggest) = timed(1, || gotong::partners::suggest_all(&site));
        let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
        let pairs = pairs(&lists, n, &mut rng);
        let sessions = [8u32, 8];
        let p = Problem {
            participants: n as u32,
            pairs: &pairs,
            cap,
            sessions: &sessions,
            tables: (n / per_table).max(1) as u32,
        };
        let mutual = pairs.iter().filter(|x| x.mutual).count();
        // Who can be met by a mutual or requested pair: when those fill the
        // tables, nobody else can be (mutual pairs come first).
        let mut strong = vec![false; n];
        for x in pairs.iter().filter(|x| x.mutual || x.requested) {
            strong[x.a as usize] = true;
            strong[x.b as usize] = true;
        }
        let strong = strong.iter().filter(|&&b| b).count();
        let (s, ts, cs) = timed(3, || schedule::schedule(&p));
        let (g, tg, cg) = timed(1, || schedule::greedy_baseline(&p));
        let st = &s.stats;
        println!(
            "\n{n} participants ({strong} with a mutual or requested pair), {} pairs ({mutual} mutual, {} requested), {} tables, 2 x 8 slots, cap {cap}; score bounds: per participant {:.1}, by capacity {:.1}; placement drops {}",
            pairs.len(),
            st.requests,
            p.tables,
            st.score_bound,
            st.score_bound_capacity,
            st.placement_drops,
        );
        println!(
            "| method | wall | CPU | meetings / capacity | met / with pairs | requests | mutual | score | of bound | idle per met | at one table | table changes |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        row("schedule (median of 3)", ts, cs, &s, st.participants_with_pairs);
        row("greedy_baseline", tg, cg, &g, st.participants_with_pairs);
        // End to end, as a build runs it.
        let mut ev = event(&site, &pairs, (cap < 16).then_some(cap));
        ev.tables = p.tables;
        let (tt, te, ce) = timed(3, || gotong::meetings::timetable(&site, &lists, &ev));
        println!(
            "end to end: partners::suggest_all {t_suggest:.3} s wall / {c_suggest:.3} s CPU (all threads' work shows as wall); meetings::timetable (median of 3) {te:.3} s wall / {ce:.3} s CPU: {} meetings, {} of {} participants met, {} unmet requests, score {:.1}",
            tt.meetings.len(),
            tt.stats.participants_met,
            tt.stats.participants_with_pairs,
            tt.unmet.len(),
            tt.stats.score,
        );
    }
}
