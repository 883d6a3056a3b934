//! Business-meeting timetables (SPEC section 10), derived from the suggested
//! partners: who meets whom, when and at which table, for every event.
//!
//! The candidate pairs of an event are its participants' suggestions (every
//! pair where at least one side suggests the other, which already leaves out
//! drafts, existing and excluded partners) plus its `requests`, minus its
//! `avoid` pairs; [`crate::schedule`] chooses and places the meetings.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Event, Site, Time};
use crate::partners::{Reason, Suggestion};
use crate::schedule::{self, Pair, Problem, Stats, Unmet};

/// One scheduled meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Index into [`Timetable::slots`].
    pub slot: usize,
    /// Table, 1-based as printed.
    pub table: u32,
    /// The two firms (indices into `Site::firms`), `a` before `b` by slug.
    pub a: usize,
    /// The other firm.
    pub b: usize,
    /// The pair's score: the higher of the two sides' suggestion scores (0
    /// for a requested pair neither side suggests).
    pub score: f64,
    /// Each suggests the other.
    pub mutual: bool,
    /// Named in the event's `requests`.
    pub requested: bool,
}

impl Meeting {
    /// The other side of the meeting for firm `f`.
    pub fn partner(&self, f: usize) -> usize {
        if self.a == f { self.b } else { self.a }
    }
}

/// A slot of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Session index.
    pub session: usize,
    /// Start.
    pub start: Time,
    /// End.
    pub end: Time,
}

/// A requested pair that could not be scheduled.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmetRequest {
    /// Index into the event's `requests`.
    pub request: usize,
    /// Why, in words.
    pub why: String,
    /// Whether the event's checks already warned at the request (a firm
    /// that is a draft or has errors): the report counts it, the build
    /// does not warn twice.
    pub reported: bool,
}

/// The timetable of one event.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timetable {
    /// The firms taking part (indices into `Site::firms`), sorted.
    pub participants: Vec<usize>,
    /// The slots of the day, in time order.
    pub slots: Vec<Slot>,
    /// Meetings, by slot then table.
    pub meetings: Vec<Meeting>,
    /// Each participant's meetings (indices into `meetings`), in time
    /// order; aligned with `participants`.
    pub agendas: Vec<Vec<usize>>,
    /// Requests not met, and why.
    pub unmet: Vec<UnmetRequest>,
    /// The scheduler's figures.
    pub stats: Stats,
}

impl Timetable {
    /// Position of firm `f` among the participants.
    pub fn participant(&self, f: usize) -> Option<usize> {
        self.participants.binary_search(&f).ok()
    }

    /// Meetings of firm `f`, in time order.
    pub fn agenda(&self, f: usize) -> impl Iterator<Item = &Meeting> {
        self.participant(f).into_iter().flat_map(move |k| self.agendas[k].iter().map(|&m| &self.meetings[m]))
    }
}

/// The reasons firm `f` and firm `g` meet, as `f` reads them: `f`'s own
/// suggestion of `g`, or `g`'s suggestion of `f` turned round (what `g`
/// supplies `f` is what `f` buys from `g`), or none for a pair only the
/// organiser requested.
pub fn reasons(partners: &[Vec<Suggestion>], f: usize, g: usize) -> Vec<Reason> {
    if let Some(s) = partners[f].iter().find(|s| s.partner == g) {
        return s.reasons.clone();
    }
    let Some(s) = partners[g].iter().find(|s| s.partner == f) else { return Vec::new() };
    let mut out: Vec<Reason> = s
        .reasons
        .iter()
        .map(|r| match r {
            Reason::Supplies { tags } => Reason::Buys { tags: tags.clone() },
            Reason::Buys { tags } => Reason::Supplies { tags: tags.clone() },
            Reason::ScaleLinkage { from, to } => Reason::ScaleLinkage { from: to.clone(), to: from.clone() },
            other => other.clone(),
        })
        .collect();
    // Keep the order of `Reason`'s variants: supplies before buys.
    out.sort_by_key(|r| match r {
        Reason::Supplies { .. } => 0,
        Reason::Buys { .. } => 1,
        Reason::ScaleLinkage { .. } => 2,
        Reason::Cooperation { .. } => 3,
        Reason::Nearby { .. } => 4,
    });
    out
}

/// Schedules one event.
pub fn timetable(site: &Site, partners: &[Vec<Suggestion>], event: &Event) -> Timetable {
    let participants: Vec<usize> = (0..site.firms.len())
        .filter(|&i| !site.firms[i].draft && event.participants.includes(&site.firms[i]))
        .collect();
    let local: HashMap<usize, u32> = participants.iter().enumerate().map(|(k, &f)| (f, k as u32)).collect();
    let slug_local = |s: &str| site.firm_index(s).and_then(|f| local.get(&f).copied());
    let avoid: std::collections::HashSet<(u32, u32)> =
        event.avoid.iter().filter_map(|p| Some(ordered(slug_local(&p.a)?, slug_local(&p.b)?))).collect();
    // Pairs from suggestions, either direction.
    let mut by_pair: HashMap<(u32, u32), (f64, u8, bool)> = HashMap::new();
    for (&f, k) in participants.iter().zip(0u32..) {
        for s in &partners[f] {
            let Some(&l) = local.get(&s.partner) else { continue };
            let e = by_pair.entry(ordered(k, l)).or_insert((0.0, 0, false));
            e.0 = e.0.max(s.score);
            e.1 |= if k < l { 1 } else { 2 };
        }
    }
    // Requests (whatever the suggestions say), in the file's order.
    let mut request_of: HashMap<(u32, u32), usize> = HashMap::new();
    for (i, r) in event.requests.iter().enumerate() {
        if let (Some(a), Some(b)) = (slug_local(&r.a), slug_local(&r.b)) {
            let key = ordered(a, b);
            by_pair.entry(key).or_insert((0.0, 0, false)).2 = true;
            request_of.entry(key).or_insert(i);
        }
    }
    let mut keys: Vec<(u32, u32)> =
        by_pair.keys().copied().filter(|k| !avoid.contains(k) || request_of.contains_key(k)).collect();
    keys.sort_unstable();
    let pairs: Vec<Pair> = keys
        .iter()
        .map(|&(a, b)| {
            let (score, sides, requested) = by_pair[&(a, b)];
            Pair { a, b, score, mutual: sides == 3, requested }
        })
        .collect();
    let per_session = event.slots_per_session();
    let total: u32 = per_session.iter().sum();
    let cap = event.max_meetings_per_firm.unwrap_or(total).clamp(1, total.max(1));
    let problem = Problem {
        participants: participants.len() as u32,
        pairs: &pairs,
        cap,
        sessions: &per_session,
        tables: event.tables,
    };
    let result = schedule::schedule(&problem);

    let slots: Vec<Slot> =
        event.slots().into_iter().map(|(session, start, end)| Slot { session, start, end }).collect();
    let mut meetings: Vec<Meeting> = result
        .meetings
        .iter()
        .map(|m| {
            let p = pairs[m.pair as usize];
            let (a, b) = (participants[p.a as usize], participants[p.b as usize]);
            Meeting {
                slot: m.slot as usize,
                table: m.table + 1,
                a,
                b,
                score: p.score,
                mutual: p.mutual,
                requested: p.requested,
            }
        })
        .collect();
    meetings.sort_by_key(|m| (m.slot, m.table));
    let mut agendas = vec![Vec::new(); participants.len()];
    for (i, m) in meetings.iter().enumerate() {
        for f in [m.a, m.b] {
            if let Some(&k) = local.get(&f) {
                agendas[k as usize].push(i);
            }
        }
    }
    let name = |k: u32| site.firms[participants[k as usize]].slug.as_str();
    let mut unmet: Vec<UnmetRequest> = result
        .unmet_requests
        .iter()
        .filter_map(|&(pi, why)| {
            let p = pairs[pi as usize];
            let request = *request_of.get(&(p.a, p.b))?;
            let why = match why {
                Unmet::TooManyRequests { participant, requests, limit } => format!(
                    "{} is in {requests} requested pairs but can have at most {limit} meetings",
                    name(participant)
                ),
                Unmet::EventFull { requests, capacity } => {
                    format!("the requests need {requests} meetings but the tables and slots hold {capacity}")
                }
                Unmet::NoCommonSlot => "no slot was found where both are free and a table is free".into(),
                Unmet::InvalidPair => "the pair is not two different participants".into(),
            };
            Some(UnmetRequest { request, why, reported: false })
        })
        .collect();
    // Requests naming a firm that is not a participant (a draft) cannot be met.
    for (i, r) in event.requests.iter().enumerate() {
        if slug_local(&r.a).is_none() || slug_local(&r.b).is_none() {
            unmet.push(UnmetRequest {
                request: i,
                why: "one of the two is not a published participant".into(),
                reported: true,
            });
        }
    }
    unmet.sort_by_key(|u| u.request);
    Timetable { participants, slots, meetings, agendas, unmet, stats: result.stats }
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}

/// The timetables of every event of the site, aligned with `site.events`.
pub fn timetables(site: &Site, partners: &[Vec<Suggestion>]) -> Vec<Timetable> {
    site.events.iter().map(|e| timetable(site, partners, e)).collect()
}

/// Unmet requests as warnings, at the request in the event file.
pub fn unmet_warnings(site: &Site, timetables: &[Timetable]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, t) in site.events.iter().zip(timetables) {
        for u in t.unmet.iter().filter(|u| !u.reported) {
            let r = &e.requests[u.request];
            let d = Diagnostic::warning(
                &e.source,
                format!("requested meeting {} – {} is not scheduled: {}", r.a, r.b, u.why),
            );
            out.push(d.at_loc(r.at.clone()));
        }
    }
    out
}

/// One line per event for the build's report: meetings, participants
/// with a meeting out of those who could have one, tables × slots used,
/// the total score against its upper bound, unmet requests.
pub fn report(site: &Site, timetables: &[Timetable]) -> Vec<String> {
    site.events
        .iter()
        .zip(timetables)
        .map(|(e, t)| {
            let s = &t.stats;
            let bound = s.score_bound.min(s.score_bound_capacity);
            let pct = |a: f64, b: f64| if b > 0.0 { 100.0 * a / b } else { 100.0 };
            format!(
                "temu {}: {} meetings; {} of {} participants who could meet have a meeting; {} of {} table slots used ({} tables × {} slots, {:.0} %); score {:.2} of at most {:.2} ({:.1} %); {} unmet request{}",
                e.slug,
                s.meetings,
                s.participants_met,
                s.participants_with_pairs,
                s.meetings,
                s.capacity,
                e.tables,
                s.slots,
                pct(f64::from(s.meetings), s.capacity as f64),
                s.score,
                bound,
                pct(s.score, bound),
                t.unmet.len(),
                if t.unmet.len() == 1 { "" } else { "s" },
            )
        })
        .collect()
}
