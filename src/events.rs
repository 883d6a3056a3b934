//! `content/events/<slug>.yaml`: business meetings (*temu usaha*, SPEC
//! section 10), read and checked field by field like profiles, every
//! problem at its key or value.
//!
//! What needs the firms (participants, requests, the organiser) is checked
//! by [`check_references`] once every profile is read.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Severity};
use crate::fields::event as F;
use crate::load::{Loaded, RawEvent};
use crate::markdown;
use crate::model::{
    Date, District, Event, EventSession, Firm, Html, Kind, Lang, Loc, Participants, Scale, Sector, SlugPair, Time,
    Translated, is_slug,
};
use crate::source::{Doc, Need, Obj, kind_of};
use crate::yaml::{Mapping, Seg, Target, Value};

/// Shortest and longest meeting, in minutes.
pub const MEETING_MINUTES: std::ops::RangeInclusive<i64> = F::MEETING_RANGE.0..=F::MEETING_RANGE.1;

/// Longest pause after a meeting, in minutes.
pub const BREAK_MINUTES: std::ops::RangeInclusive<i64> = F::BREAK_RANGE.0..=F::BREAK_RANGE.1;

/// Most tables an event can have.
pub const MAX_TABLES: i64 = F::MAX_TABLES;

/// Reads one event's files: the event when they have no errors, what it
/// names whenever its fields could be read.
pub fn read(slug: &str, raw: &RawEvent) -> Read {
    let mut diags = Vec::new();
    let Some(file) = &raw.file else {
        for f in raw.text.main.iter().chain(raw.text.translations.values()) {
            diags.push(Diagnostic::error(
                &f.path,
                format!("a description without its event: add `content/events/{slug}.yaml`"),
            ));
        }
        return Read { event: None, references: None, diags };
    };
    let mut doc = Doc::whole(file);
    let (event, references) = read_fields(&mut doc, slug);
    diags.append(&mut doc.diags);
    let mut description = Translated::new(Html::default());
    if let Some(f) = &raw.text.main {
        description.id = text_body(f, &mut diags);
    }
    for (lang, f) in &raw.text.translations {
        description.other.insert(*lang, text_body(f, &mut diags));
    }
    let has_errors = diags.iter().any(|d| d.severity == Severity::Error);
    let event = event.filter(|_| !has_errors).map(|mut e| {
        e.description = description;
        e
    });
    Read { event, references, diags }
}

/// One event's files, read.
#[derive(Debug)]
pub struct Read {
    /// The event, when its files have no errors.
    pub event: Option<Event>,
    /// What it names, whenever its file is a mapping of fields, so that
    /// a misspelt slug is reported in the same run as the file's other
    /// errors.
    pub references: Option<References>,
    /// Its problems.
    pub diags: Vec<Diagnostic>,
}

/// The firms an event names, for [`check_references`].
#[derive(Debug, Clone, PartialEq)]
pub struct References {
    /// The event's slug.
    pub slug: String,
    /// Its organiser.
    pub organizer: Option<String>,
    /// Who takes part.
    pub participants: Participants,
    /// For a list of participants, the item where each is written.
    pub participant_items: Vec<usize>,
    /// Pairs asked for.
    pub requests: Vec<SlugPair>,
    /// Pairs to avoid.
    pub avoid: Vec<SlugPair>,
}

fn text_body(f: &crate::source::SourceFile, diags: &mut Vec<Diagnostic>) -> Html {
    let fm = f.split_front_matter();
    if fm.yaml.is_some() || fm.unclosed {
        diags.push(
            Diagnostic::error(&f.path, "the event's .md file holds only Markdown; put the event's fields in its .yaml")
                .at(&f.text, 1, 1),
        );
    }
    markdown::render_file(f, fm.body, fm.body_line, "")
}

/// Where a node is, as a [`Loc`] for reports made after reading.
fn loc(doc: &Doc<'_>, path: &[Seg]) -> Option<Loc> {
    let (line, column) = doc.position(path, Target::Value)?;
    let source_line = doc.file().text.lines().nth(line - 1).unwrap_or("").trim_end().to_string();
    Some(Loc { line, column, source_line })
}

fn read_time(doc: &mut Doc<'_>, obj: Obj<'_>, key: &str) -> Option<Time> {
    let path = Doc::field_path(obj, key);
    // `09:00` unquoted is a string to YAML 1.2 but a number (sexagesimal)
    // to some YAML 1.1 readers: accept the text either way.
    let s = doc.string(obj, key, Need::Required)?;
    // The format is fields::Format::Time, with its own message.
    match Time::parse(&s) {
        Some(t) => Some(t),
        None => {
            doc.error(
                &path,
                format!("`{key}` must be a time written HH:MM (24-hour clock, such as \"09:00\"), found `{s}`"),
            );
            None
        }
    }
}

/// The sessions, each with its index in the file's list.
fn read_sessions(doc: &mut Doc<'_>, obj: Obj<'_>) -> Vec<(EventSession, usize)> {
    let path = Doc::field_path(obj, "sessions");
    let items = match obj.map.get("sessions") {
        Some(Value::Null) => {
            doc.report(Severity::Error, &path, Target::Key, "missing required field `sessions`");
            return Vec::new();
        }
        None => {
            let d = Diagnostic::error(&doc.file().path, "missing required field `sessions`").at(&doc.file().text, 1, 1);
            doc.diags.push(d);
            return Vec::new();
        }
        Some(Value::Sequence(items)) => items,
        Some(v) => {
            doc.error(
                &path,
                format!("`sessions` must be a list of {{start: \"HH:MM\", end: \"HH:MM\"}}, found {}", kind_of(v)),
            );
            return Vec::new();
        }
    };
    if items.is_empty() {
        doc.error(&path, "`sessions` must hold at least one session");
    }
    let mut out: Vec<(EventSession, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut p = path.clone();
        p.push(Seg::Index(i));
        let Value::Mapping(m) = item else {
            doc.error(&p, format!("a session is {{start: \"HH:MM\", end: \"HH:MM\"}}, found {}", kind_of(item)));
            continue;
        };
        let sobj = Obj { map: m, path: &p };
        doc.check_fields(sobj, F::SESSION_FIELDS);
        let (start, end) = (read_time(doc, sobj, F::START.key), read_time(doc, sobj, F::END.key));
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                doc.error(
                    &Doc::field_path(sobj, "end"),
                    if end == start {
                        format!("the session ends when it starts ({}): it must end later", end.hhmm())
                    } else {
                        format!("the session ends ({}) before it starts ({})", end.hhmm(), start.hhmm())
                    },
                );
                continue;
            }
            if let Some((prev, _)) = out.last()
                && start < prev.end
            {
                doc.error(
                        &Doc::field_path(sobj, "start"),
                        format!(
                            "this session starts at {} before the one above ends ({}): sessions must not overlap and go in time order",
                            start.hhmm(),
                            prev.end.hhmm()
                        ),
                    );
                continue;
            }
            out.push((EventSession { start, end }, i));
        }
    }
    out
}

fn read_pairs(doc: &mut Doc<'_>, obj: Obj<'_>, key: &str) -> Vec<SlugPair> {
    let path = Doc::field_path(obj, key);
    let items = match obj.map.get(key) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(v) => {
            doc.error(
                &path,
                format!("`{key}` must be a list of pairs of firm slugs, like [[a, b]], found {}", kind_of(v)),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<SlugPair> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut p = path.clone();
        p.push(Seg::Index(i));
        let pair: Option<Vec<String>> = item.as_sequence().and_then(|s| {
            (s.len() == 2).then(|| s.iter().filter_map(|v| v.as_str().map(|t| t.trim().to_string())).collect())
        });
        let Some(pair) = pair.filter(|v| v.len() == 2) else {
            doc.error(
                &p,
                format!("each item of `{key}` is a pair of firm slugs, like [rasa-cireundeu, kemasan-utama]"),
            );
            continue;
        };
        let mut bad = false;
        for (j, s) in pair.iter().enumerate() {
            if !is_slug(s) {
                let mut q = p.clone();
                q.push(Seg::Index(j));
                doc.error(&q, format!("`{s}` is not a firm slug (the folder name under content/firms/)"));
                bad = true;
            }
        }
        if bad {
            continue;
        }
        if pair[0] == pair[1] {
            doc.error(&p, format!("a firm cannot meet itself: `{}` twice in `{key}`", pair[0]));
            continue;
        }
        let (a, b) = if pair[0] < pair[1] { (&pair[0], &pair[1]) } else { (&pair[1], &pair[0]) };
        if out.iter().any(|x| (&x.a, &x.b) == (a, b)) {
            doc.warning(&p, format!("the pair {a} – {b} is named twice in `{key}`"));
            continue;
        }
        out.push(SlugPair { a: a.clone(), b: b.clone(), at: loc(doc, &p), item: i, swapped: pair[0] > pair[1] });
    }
    out
}

/// The participants, and for a list, the item where each slug is written
/// (a slug named twice is kept once).
fn read_participants(doc: &mut Doc<'_>, obj: Obj<'_>) -> (Participants, Vec<usize>) {
    let path = Doc::field_path(obj, "participants");
    let mut items = Vec::new();
    let participants = match obj.map.get("participants") {
        None | Some(Value::Null) => Participants::All,
        Some(Value::String(s)) if s.trim() == "all" => Participants::All,
        Some(Value::Sequence(_)) => {
            let mut slugs = Vec::new();
            for (i, (p, s)) in doc.list(obj, "participants").into_iter().enumerate() {
                if !is_slug(&s) {
                    doc.error(&p, format!("`{s}` is not a firm slug (the folder name under content/firms/)"));
                } else if slugs.contains(&s) {
                    doc.warning(&p, format!("`{s}` is listed twice: it takes part once"));
                } else {
                    slugs.push(s);
                    items.push(i);
                }
            }
            Participants::Slugs(slugs)
        }
        Some(Value::Mapping(m)) => {
            let fobj = Obj { map: m, path: &path };
            doc.check_fields(fobj, F::FILTER_FIELDS);
            let sector = doc.choice_list_field(fobj, &F::FILTER_SECTOR, Sector::parse, "sector");
            let district = doc.choice_list_field(
                fobj,
                &F::FILTER_DISTRICT,
                |s| District::from_name(s).or_else(|| District::parse(s)),
                "district",
            );
            let kind = doc.choice_list_field(fobj, &F::FILTER_KIND, Kind::parse, "kind");
            let scale = doc.choice_list_field(fobj, &F::FILTER_SCALE, Scale::parse, "scale");
            Participants::Filter { sector, district, kind, scale }
        }
        Some(v) => {
            doc.error(
                &path,
                format!(
                    "`participants` is `all`, a list of firm slugs, or a filter {{sector: […], district: […], kind: […], scale: […]}}; found {}",
                    kind_of(v)
                ),
            );
            Participants::All
        }
    };
    (participants, items)
}

fn read_fields(doc: &mut Doc<'_>, slug: &str) -> (Option<Event>, Option<References>) {
    let Some(value) = doc.parse() else { return (None, None) };
    let empty = Mapping::new();
    if matches!(value, Value::Null) {
        doc.error(
            &[],
            "the event file is empty: it needs at least name, date, venue, sessions, meeting_minutes and tables",
        );
        return (None, None);
    }
    let Some(map) = doc.root(&value, &empty) else { return (None, None) };
    let obj = Obj { map, path: &[] };
    doc.check_fields(obj, F::FIELDS);
    let name = doc.text_field(obj, &F::NAME);
    let name_en = doc.text_field(obj, &F::NAME_EN);
    let date = doc.text_field(obj, &F::DATE).and_then(|s| Date::parse(&s));
    let venue = doc.text_field(obj, &F::VENUE);
    let district = doc
        .choice_field(obj, &F::DISTRICT, F::DISTRICT.need, |s| District::from_name(s).or_else(|| District::parse(s)));
    let organizer = doc.string(obj, F::ORGANIZER.key, F::ORGANIZER.need).and_then(|s| {
        if is_slug(&s) {
            Some(s)
        } else {
            doc.error(
                &Doc::field_path(obj, "organizer"),
                format!("`{s}` is not a firm slug (the folder name under content/firms/)"),
            );
            None
        }
    });
    let sessions = read_sessions(doc, obj);
    let meeting = doc.int_field(obj, &F::MEETING_MINUTES, 0).map(|n| n as u16);
    let pause = doc.int_field(obj, &F::BREAK_MINUTES, 0).unwrap_or(0) as u16;
    // Every session must hold at least one meeting.
    let mut slots = 0;
    if let Some(m) = meeting {
        for (s, i) in &sessions {
            let len = s.end.0 - s.start.0;
            if len < m {
                doc.error(
                    &[Seg::Key("sessions".into()), Seg::Index(*i)],
                    format!(
                        "a {m}-minute meeting does not fit in this session ({}–{}, {len} minutes)",
                        s.start.hhmm(),
                        s.end.hhmm()
                    ),
                );
            } else {
                slots += u32::from((len - m) / (m + pause).max(1)) + 1;
            }
        }
    }
    let tables = doc.int_field(obj, &F::TABLES, 0).map(|n| n as u32);
    let (participants, participant_items) = read_participants(doc, obj);
    let cap = doc.int_field(obj, &F::MAX_MEETINGS, 0).map(|n| n as u32);
    if let Some(c) = cap
        && slots > 0
        && c > slots
    {
        doc.error(
            &[Seg::Key("max_meetings_per_firm".into())],
            format!("`max_meetings_per_firm` is {c}, but the sessions hold only {slots} slots"),
        );
    }
    let requests = read_pairs(doc, obj, F::REQUESTS.key);
    let avoid = read_pairs(doc, obj, F::AVOID.key);
    let draft = doc.bool_field(obj, &F::DRAFT);
    for r in &requests {
        if let Some(i) = avoid.iter().position(|a| (&a.a, &a.b) == (&r.a, &r.b)) {
            doc.error(
                &[Seg::Key("avoid".into()), Seg::Index(i)],
                format!("{} – {} is both requested and to be avoided", r.a, r.b),
            );
        }
    }
    let references = References {
        slug: slug.to_string(),
        organizer: organizer.clone(),
        participants: participants.clone(),
        participant_items,
        requests: requests.clone(),
        avoid: avoid.clone(),
    };
    let event = (|| {
        let mut name = Translated::new(name?);
        if let Some(en) = name_en {
            name.other.insert(Lang::En, en);
        }
        let event = Event {
            slug: slug.to_string(),
            name,
            date: date?,
            venue: venue?,
            district,
            organizer,
            sessions: sessions.into_iter().map(|(s, _)| s).collect(),
            meeting_minutes: meeting?,
            break_minutes: pause,
            tables: tables?,
            participants,
            max_meetings_per_firm: cap,
            requests,
            avoid,
            draft,
            description: Translated::default(),
            updated: None,
            source: doc.file().path.clone(),
        };
        (!event.sessions.is_empty()).then_some(event)
    })();
    (event, Some(references))
}

/// Checks what events name against the firms: the organiser,
/// participants, requests and avoided pairs. `published` are the firms the
/// site shows (drafts only with `--drafts`); `loaded` has every folder.
pub fn check_references<'e>(
    events: impl IntoIterator<Item = &'e References>,
    published: &[std::sync::Arc<Firm>],
    valid: &BTreeSet<String>,
    loaded: &Loaded,
    diags: &mut Vec<Diagnostic>,
) {
    let shown: BTreeMap<&str, &Firm> = published.iter().map(|f| (f.slug.as_str(), &**f)).collect();
    let folders: BTreeSet<&str> = loaded.firms.keys().map(String::as_str).collect();
    for e in events {
        let Some(file) = loaded.events.get(&e.slug).and_then(|r| r.file.as_ref()) else { continue };
        let doc = Doc::whole(file);
        let at = |path: &[Seg]| doc.position(path, Target::Value);
        let unknown = |slug: &str| -> String {
            let hint = match crate::source::nearest(slug, folders.iter().copied()) {
                Some(n) => format!("; did you mean `{n}`?"),
                None => String::new(),
            };
            format!("no firm `{slug}` in content/firms/{hint}")
        };
        let mut push = |sev: Severity, path: &[Seg], msg: String| {
            let d = match sev {
                Severity::Error => Diagnostic::error(&file.path, msg),
                Severity::Warning => Diagnostic::warning(&file.path, msg),
            };
            diags.push(d.at_opt(&file.text, at(path)));
        };
        if let Some(o) = &e.organizer
            && !folders.contains(o.as_str())
        {
            push(Severity::Error, &[Seg::Key("organizer".into())], unknown(o));
        }
        // A list or a filter that leaves fewer than two published firms
        // schedules nothing: say so where it is written.
        if !matches!(e.participants, Participants::All) {
            let mut taking_part = published.iter().filter(|f| e.participants.includes(f));
            let (first, second) = (taking_part.next(), taking_part.next());
            let path = [Seg::Key("participants".into())];
            match (first, second, &e.participants) {
                (None, _, Participants::Filter { .. }) => push(
                    Severity::Warning,
                    &path,
                    "this filter selects no published firm: no meeting can be scheduled".to_string(),
                ),
                (None, _, Participants::Slugs(list)) if list.is_empty() => push(
                    Severity::Warning,
                    &path,
                    "`participants` lists no firm: no meeting can be scheduled".to_string(),
                ),
                (Some(f), None, _) => push(
                    Severity::Warning,
                    &path,
                    format!("only one published firm takes part (`{}`): it has nobody to meet", f.slug),
                ),
                _ => {}
            }
        }
        if let Participants::Slugs(list) = &e.participants {
            for (i, s) in list.iter().enumerate() {
                let item = e.participant_items.get(i).copied().unwrap_or(i);
                let path = [Seg::Key("participants".into()), Seg::Index(item)];
                if !folders.contains(s.as_str()) {
                    push(Severity::Error, &path, unknown(s));
                } else if !shown.contains_key(s.as_str()) && valid.contains(s.as_str()) {
                    push(Severity::Warning, &path, format!("`{s}` is a draft: it is left out of the schedule"));
                }
            }
        }
        for (key, pairs) in [("requests", &e.requests), ("avoid", &e.avoid)] {
            for p in pairs.iter() {
                for (j, s) in [&p.a, &p.b].into_iter().enumerate() {
                    // The pair was sorted when read: the slug's own item.
                    let written = if p.swapped { 1 - j } else { j };
                    let path = [Seg::Key(key.into()), Seg::Index(p.item), Seg::Index(written)];
                    if !folders.contains(s.as_str()) {
                        push(Severity::Error, &path, unknown(s));
                    } else if key == "requests" {
                        match shown.get(s.as_str()) {
                            // Its own errors say why it is not published.
                            None if !valid.contains(s.as_str()) => {}
                            None => {
                                push(Severity::Warning, &path, format!("`{s}` is a draft: this request cannot be met"))
                            }
                            Some(f) if !e.participants.includes(f) => push(
                                Severity::Error,
                                &path,
                                format!(
                                    "`{s}` does not take part in this event (see `participants`), so it cannot be requested"
                                ),
                            ),
                            Some(_) => {}
                        }
                    }
                }
            }
        }
    }
}

/// Reads every event file of the site.
pub fn read_all(loaded: &Loaded) -> (Vec<Event>, Vec<References>, Vec<Diagnostic>) {
    let mut events = Vec::new();
    let mut references = Vec::new();
    let mut diags = Vec::new();
    for (slug, raw) in &loaded.events {
        let r = read(slug, raw);
        diags.extend(r.diags);
        events.extend(r.event);
        references.extend(r.references);
    }
    (events, references, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn read_text(text: &str) -> (Option<Event>, Vec<String>) {
        let raw = RawEvent { file: Some(SourceFile::new("content/events/e.yaml", text)), ..RawEvent::default() };
        let Read { event: e, diags: d, .. } = read("e", &raw);
        (e, d.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect())
    }

    const GOOD: &str = "name: Temu\ndate: 2027-03-10\nvenue: Technopark\nsessions:\n  - {start: \"09:00\", end: \"12:00\"}\n  - {start: \"13:00\", end: \"15:30\"}\nmeeting_minutes: 20\nbreak_minutes: 5\ntables: 12\nrequests: [[b, a]]\n";

    #[test]
    fn reads_a_good_event() {
        let (e, d) = read_text(GOOD);
        assert!(d.is_empty(), "{d:?}");
        let e = e.unwrap();
        assert_eq!(e.slots().len(), 7 + 6);
        assert_eq!((e.requests[0].a.as_str(), e.requests[0].b.as_str()), ("a", "b"));
        assert_eq!(e.requests[0].at.as_ref().map(|l| (l.line, l.column)), Some((10, 12)));
    }

    #[test]
    fn every_problem_at_its_place() {
        let text = "name: Temu\ndate: 2027-02-30\nvenue: V\nsessions:\n  - {start: \"09:00\", end: \"08:00\"}\n  - {start: \"10:00\", end: \"10:15\"}\n  - {start: \"10:10\", end: \"11:00\"}\n  - {start: 9.00, end: \"12:00\"}\nmeeting_minutes: 20\ntables: 0\nmax_meetings_per_firm: 50\nparticipants: {sector: [pangan]}\nrequests: [[a, a], [a]]\navoid: [[x, y]]\nwaktu: 1\n";
        let (e, d) = read_text(text);
        assert!(e.is_none());
        let want = [
            "content/events/e.yaml:15:1: unknown field `waktu`",
            "content/events/e.yaml:2:7: `date` must be a day of the calendar written YYYY-MM-DD, found `2027-02-30`: month 2 of 2027 has 28 days",
            "content/events/e.yaml:5:27: the session ends (08:00) before it starts (09:00)",
            "content/events/e.yaml:7:13: this session starts at 10:10 before the one above ends (10:15)",
            "content/events/e.yaml:8:13: `start` must be a time written HH:MM",
            "content/events/e.yaml:10:9: `tables` must be between 1 and 10000",
            "content/events/e.yaml:12:25: `pangan` is not a valid sector",
            "content/events/e.yaml:13:12: a firm cannot meet itself",
            "content/events/e.yaml:13:20: each item of `requests` is a pair",
            "content/events/e.yaml:6:5: a 20-minute meeting does not fit in this session",
        ];
        for w in want {
            assert!(d.iter().any(|x| x.starts_with(w)), "missing {w}\n{d:#?}");
        }
    }

    #[test]
    fn a_session_that_ends_when_it_starts_is_named_so() {
        let text = GOOD.replace("end: \"12:00\"", "end: \"09:00\"");
        let (_, d) = read_text(&text);
        assert!(d.iter().any(|x| x.ends_with("the session ends when it starts (09:00): it must end later")), "{d:#?}");
    }

    #[test]
    fn a_cap_above_the_slots_and_a_request_also_avoided() {
        let text = format!("{GOOD}max_meetings_per_firm: 14\navoid: [[a, b]]\n");
        let (_, d) = read_text(&text);
        assert!(
            d.iter().any(|x| x.starts_with(
                "content/events/e.yaml:11:24: `max_meetings_per_firm` is 14, but the sessions hold only 13 slots"
            )),
            "{d:#?}"
        );
        assert!(
            d.iter().any(|x| x.starts_with("content/events/e.yaml:12:9: a – b is both requested and to be avoided")),
            "{d:#?}"
        );
    }
}
