//! Business meetings (temu usaha, SPEC 10) end to end: event files, the
//! schedule's invariants read back from jadwal.csv, iCalendar read by an
//! independent parser, the pages, errors at their place.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::support::{PROFILE, TestSite};

/// Firms that need and offer each other's tags, so that they suggest one
/// another; `n` firms in a ring plus a bank.
fn ring(n: usize) -> TestSite {
    let tags = ["rasi", "singkong", "tepung-singkong", "kemasan-karton", "kemasan-plastik"];
    let mut site = TestSite::new();
    for i in 0..n {
        let offers = format!("[{}, {}]", tags[i % 5], tags[(i + 1) % 5]);
        let needs = format!("[{}, {}]", tags[(i + 2) % 5], tags[(i + 3) % 5]);
        let profile = PROFILE
            .replace("CV Rasa Cireundeu", &format!("Usaha {i}"))
            .replace("offers: [rasi]", &format!("offers: {offers}"))
            .replace("needs: [kemasan-plastik]", &format!("needs: {needs}"));
        site = site.firm(&format!("usaha-{i:02}"), &profile);
    }
    site.firm(
        "bank",
        "name: Bank Uji\nkind: bank\ndistrict: Cimahi Tengah\nsummary: Kredit\noffers: [rasi]\nneeds: [kemasan-karton]\n",
    )
}

const EVENT: &str = "name: Temu Uji\ndate: 2027-03-10\nvenue: Aula, Jl. Baros; Cimahi\norganizer: bank\nsessions:\n  - {start: \"09:00\", end: \"10:00\"}\n  - {start: \"13:00\", end: \"14:00\"}\nmeeting_minutes: 25\nbreak_minutes: 5\ntables: 3\nmax_meetings_per_firm: 3\nrequests: [[usaha-00, bank], [usaha-03, usaha-04]]\navoid: [[usaha-01, usaha-02]]\n";

struct Row {
    slot: usize,
    start: String,
    table: usize,
    a: String,
    b: String,
    requested: bool,
}

fn rows(csv: &str) -> Vec<Row> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("slot,start,end,table,firm_a,firm_b,score,mutual,requested"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                slot: f[0].parse().unwrap(),
                start: f[1].into(),
                table: f[3].parse().unwrap(),
                a: f[4].into(),
                b: f[5].into(),
                requested: f[8] == "true",
            }
        })
        .collect()
}

#[test]
fn a_schedule_holds_every_invariant() {
    let site = ring(12).write("content/events/temu.yaml", EVENT);
    let run = site.build().success();
    assert!(run.stderr.contains("temu temu: "), "the build reports the event:\n{}", run.stderr);
    let rows = rows(&site.read("public/temu/temu/jadwal.csv"));
    assert!(!rows.is_empty());
    let data: serde_json::Value = serde_json::from_str(&site.read("public/data/katalog.json")).unwrap();
    let suggested: HashSet<(String, String)> = data["firms"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let me = f["slug"].as_str().unwrap().to_string();
            f["suggested_partners"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |s| (me.clone(), s["slug"].as_str().unwrap().to_string()))
        })
        .collect();
    let mut per_slot_firm = HashSet::new();
    let mut per_slot_table = HashSet::new();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pairs = HashSet::new();
    for r in &rows {
        assert!(r.table >= 1 && r.table <= 3, "table {}", r.table);
        assert!(per_slot_table.insert((r.slot, r.table)), "table {} twice in slot {}", r.table, r.slot);
        for f in [&r.a, &r.b] {
            assert!(per_slot_firm.insert((r.slot, f.clone())), "{f} twice in slot {}", r.slot);
            *count.entry(f).or_default() += 1;
        }
        assert!(r.a < r.b, "pairs are written in slug order");
        assert!(pairs.insert((r.a.clone(), r.b.clone())), "{} – {} meet twice", r.a, r.b);
        let allowed =
            suggested.contains(&(r.a.clone(), r.b.clone())) || suggested.contains(&(r.b.clone(), r.a.clone()));
        assert!(allowed || r.requested, "{} – {} is neither suggested nor requested", r.a, r.b);
        assert!(!(r.a == "usaha-01" && r.b == "usaha-02"), "an avoided pair was scheduled");
    }
    assert!(count.values().all(|&c| c <= 3), "cap exceeded: {count:?}");
    // The requests are met.
    assert!(rows.iter().any(|r| r.a == "bank" && r.b == "usaha-00" && r.requested));
    assert!(rows.iter().any(|r| r.a == "usaha-03" && r.b == "usaha-04" && r.requested));
    // Slots: 09:00, 09:30 (10:00 would end after the session), 13:00, 13:30.
    let starts: BTreeSet<&str> = rows.iter().map(|r| r.start.as_str()).collect();
    assert!(starts.iter().all(|s| ["09:00", "09:30", "13:00", "13:30"].contains(s)), "{starts:?}");
    // katalog.json carries the same meetings.
    let events = data["events"].as_array().unwrap();
    assert_eq!(events[0]["meetings"].as_array().unwrap().len(), rows.len());
    assert_eq!(events[0]["meetings"][0]["start"].as_str().unwrap().len(), "2027-03-10T09:00:00+07:00".len());
    // Every participant has an agenda page and a calendar.
    for i in 0..12 {
        assert!(site.exists(&format!("public/temu/temu/usaha-{i:02}/index.html")));
        assert!(site.exists(&format!("public/temu/temu/usaha-{i:02}.ics")));
    }
}

#[test]
fn agendas_show_partners_reasons_and_a_calendar_an_independent_parser_reads() {
    let site = ring(8).write("content/events/temu.yaml", EVENT);
    site.build().success();
    let html = site.read("public/temu/temu/usaha-00/index.html");
    assert!(html.contains("Meja "), "{html}");
    assert!(html.contains("Bank Uji"), "the requested partner is on the agenda");
    assert!(html.contains("Aula, Jl. Baros; Cimahi"));
    let ics = site.read("public/temu/temu/usaha-00.ics");
    assert!(ics.contains("\r\n"), "iCalendar lines end in CRLF");
    let cal: icalendar::Calendar = ics.parse().expect("an independent parser reads the calendar");
    let events: Vec<&icalendar::Event> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    let meetings = rows(&site.read("public/temu/temu/jadwal.csv"))
        .into_iter()
        .filter(|r| r.a == "usaha-00" || r.b == "usaha-00")
        .count();
    assert_eq!(events.len(), meetings);
    use icalendar::{Component, EventLike};
    let uids: HashSet<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    for e in &events {
        let loc = e.get_location().unwrap_or_default();
        assert!(loc.starts_with("Aula, Jl. Baros; Cimahi, Meja "), "LOCATION is the venue and the table: {loc}");
        assert!(e.property_value("DTSTART").is_some_and(|v| v.starts_with("20270310T")));
    }
    // Built again: the same bytes (DTSTAMP comes from the content).
    let before = site.tree("public/temu");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build().success();
    assert!(before == site.tree("public/temu"), "event files differ between two builds");
}

#[test]
fn upcoming_meetings_show_on_the_firm_page_until_the_day_passes() {
    let site = ring(6).write("content/events/temu.yaml", EVENT);
    // 2027-03-01 and 2027-03-11, UTC+7 noon.
    site.run_env(&["build"], &[("SOURCE_DATE_EPOCH", "1803877200")]).success();
    let firm = site.read("public/usaha/usaha-00/index.html");
    assert!(firm.contains("/temu/temu/usaha-00/"), "the firm page links its agenda");
    let home = site.read("public/index.html");
    assert!(home.contains("Temu Uji"), "the home page shows the upcoming event");
    site.run_env(&["build"], &[("SOURCE_DATE_EPOCH", "1804741200")]).success();
    let firm = site.read("public/usaha/usaha-00/index.html");
    assert!(!firm.contains("/temu/temu/usaha-00/"), "a past event is not upcoming");
    assert!(site.read("public/temu/index.html").contains("Sudah lewat"));
}

#[test]
fn event_errors_are_reported_where_they_are() {
    let text = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\nparticipants: [usaha-00, tidak-ada]\nrequests: [[usaha-00, usaha-01]]\norganizer: dinas-x\n";
    let run = ring(3).write("content/events/temu.yaml", text).build().code(1);
    run.error_at("content/events/temu.yaml:7:26", "no firm `tidak-ada`");
    run.error_at("content/events/temu.yaml:8:23", "`usaha-01` does not take part");
    run.error_at("content/events/temu.yaml:9:12", "no firm `dinas-x`");
    let run = ring(3).write("content/events/Temu Besar.yaml", "name: x\n").build().code(1);
    run.error_at("content/events/Temu Besar.yaml", "not a valid event slug");
}

/// Every problem in one run: a misspelt firm is reported even when the
/// event's own fields have errors too (a date that does not exist, no
/// venue), and in a draft event.
#[test]
fn misspelt_firms_are_reported_beside_the_events_own_errors() {
    let text = "name: Temu\ndate: 2027-02-30\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\nparticipants: [usaha-00, usaha-0l]\norganizer: dinas-x\n";
    let site = ring(3).write("content/events/temu.yaml", text);
    let run = site.build().code(1);
    run.error_at("content/events/temu.yaml:2:7", "found `2027-02-30`: month 2 of 2027 has 28 days");
    run.error_at("content/events/temu.yaml:1:1", "missing required field `venue`");
    run.error_at("content/events/temu.yaml:6:26", "no firm `usaha-0l`");
    run.error_at("content/events/temu.yaml:7:12", "no firm `dinas-x`");
    let draft = "draft: true\nname: Temu\nsessions: []\nparticipants: [usaha-0l]\n";
    let run = site.write("content/events/temu.yaml", draft).build().code(1);
    run.error_at("content/events/temu.yaml:4:16", "no firm `usaha-0l`");
}

/// A session (a mapping in a list, with no key of its own) that lacks
/// `start` or `end` is reported at the session, not at the file's top.
#[test]
fn a_session_missing_a_time_is_reported_at_the_session() {
    let text = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions:\n  - start: \"09:00\"\n  - end: \"12:00\"\n    start: \"10:00\"\n  - {end: \"13:00\"}\nmeeting_minutes: 20\ntables: 4\n";
    let run = ring(3).write("content/events/temu.yaml", text).build().code(1);
    run.error_at("content/events/temu.yaml:5:5", "missing required field `end`");
    run.error_at("content/events/temu.yaml:8:6", "missing required field `start`");
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
}

/// A list or a filter of participants that leaves fewer than two
/// published firms schedules nothing: a warning at `participants` (an
/// error under --strict), not a silent empty timetable.
#[test]
fn participants_that_leave_nobody_to_meet_are_warned_about() {
    let base = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\n";
    let cases = [
        ("participants: {sector: [tekstil]}\n", "7:15", "this filter selects no published firm"),
        ("participants: {kind: [bank]}\n", "7:15", "only one published firm takes part (`bank`)"),
        ("participants: [usaha-01]\n", "7:15", "only one published firm takes part (`usaha-01`)"),
        ("participants: []\n", "7:15", "`participants` lists no firm"),
    ];
    for (participants, at, warning) in cases {
        let site = ring(3).write("content/events/temu.yaml", &format!("{base}{participants}"));
        let run = site.build().success();
        run.warning_at(&format!("content/events/temu.yaml:{at}"), warning);
        site.run(&["build", "--strict"]).code(1);
    }
    // A firm listed twice takes part once; what follows it is still
    // reported at its own item.
    let twice = format!("{base}participants: [usaha-00, usaha-00, tidak-ada, usaha-01]\n");
    let run = ring(3).write("content/events/temu.yaml", &twice).build().code(1);
    run.warning_at("content/events/temu.yaml:7:26", "`usaha-00` is listed twice");
    run.error_at("content/events/temu.yaml:7:36", "no firm `tidak-ada`");
    // Two firms are enough.
    let site = ring(3).write("content/events/temu.yaml", &format!("{base}participants: [usaha-00, usaha-01]\n"));
    assert!(!site.build().success().stderr.contains("warning"));
}

/// Positions hold in a file the YAML parser reads but the position finder
/// once could not (a flow mapping continued at column 1, found by the event
/// fuzzer), and a slug is placed at its own item when a pair before it was
/// left out (named twice) and the pair is written in reverse order.
#[test]
fn event_errors_are_placed_after_refused_pairs_and_odd_layout() {
    let text = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\",\nend: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\nrequests:\n  - [usaha-00, usaha-01]\n  - [usaha-01, usaha-00]\n  - [usaha-02, abc-tidak]\norganizer: dinas-x\n";
    let run = ring(3).write("content/events/temu.yaml", text).build().code(1);
    run.warning_at("content/events/temu.yaml:10:5", "is named twice");
    run.error_at("content/events/temu.yaml:11:16", "no firm `abc-tidak`");
    run.error_at("content/events/temu.yaml:12:12", "no firm `dinas-x`");
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
}

/// A broken link in an event's description is reported where the .md file
/// writes it, not at a rendered page or a template (it was blamed on
/// event.html, and under a base path on 404.html).
#[test]
fn a_broken_link_in_an_event_description_is_reported_where_it_is_written() {
    let md = "Baris pertama.\n\nBawa [profil](/usahaa/) dan hubungi [kami](/usaha/tidak-ada/).\n";
    let run = ring(6).write("content/events/temu.yaml", EVENT).write("content/events/temu.md", md).build().code(1);
    run.error_at("content/events/temu.md:3:15", "broken link `/usahaa/`");
    run.error_at("content/events/temu.md:3:44", "broken link `/usaha/tidak-ada/`");
    assert_eq!(run.error_count(), 2, "one error per link");
}

/// A draft organizer is named nowhere: not on the event page, not in
/// katalog.json (the event itself is published); with --drafts it is.
#[test]
fn a_draft_organizer_is_named_nowhere() {
    let event = EVENT.replace("requests: [[usaha-00, bank], [usaha-03, usaha-04]]\n", "");
    let site = ring(5).write("content/events/temu.yaml", &event);
    let bank = site.read("content/firms/bank/profile.yaml");
    let site = site.write("content/firms/bank/profile.yaml", &format!("{bank}draft: true\n"));
    site.build().success();
    let json = site.read("public/data/katalog.json");
    assert!(json.contains("\"slug\":\"temu\""), "the event is published");
    assert!(json.contains("\"organizer\":null") && !json.contains("\"bank\""), "{json}");
    assert!(!site.read("public/temu/temu/index.html").contains("Bank Uji"));
    site.run(&["build", "--drafts"]).success();
    assert!(site.read("public/data/katalog.json").contains("\"organizer\":\"bank\""));
}

/// A request naming a draft is one warning, at the draft's slug (not a
/// second one for the unmet request); a request naming a firm whose profile
/// has errors adds nothing at the event: the profile's own error says why.
#[test]
fn a_request_with_a_draft_or_a_broken_firm_is_reported_once() {
    let text = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\nrequests:\n  - [usaha-00, usaha-01]\n  - [usaha-00, usaha-02]\n";
    let site = ring(3).write("content/events/temu.yaml", text);
    let profile = site.read("content/firms/usaha-01/profile.yaml");
    let site = site.write("content/firms/usaha-01/profile.yaml", &format!("{profile}draft: true\n"));
    let run = site.build().success();
    run.warning_at("content/events/temu.yaml:8:16", "`usaha-01` is a draft: this request cannot be met");
    let at_event: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("content/events/temu.yaml:")).collect();
    assert_eq!(at_event.len(), 1, "one warning for the draft's request: {at_event:#?}");
    assert!(run.stderr.contains("1 unmet request"), "the report still counts it:\n{}", run.stderr);

    let site = site.write("content/firms/usaha-02/profile.yaml", "name: [tidak, valid\n");
    let run = site.build().code(1);
    run.error_at("content/firms/usaha-02/profile.yaml:1:20", "invalid YAML");
    let at_event: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("content/events/temu.yaml:")).collect();
    assert_eq!(at_event.len(), 1, "nothing at the event for the broken firm: {at_event:#?}");
}

#[test]
fn unmet_requests_are_warnings_at_the_request() {
    // Three requests for one firm that can have one meeting.
    let text = "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\nmax_meetings_per_firm: 1\nrequests:\n  - [usaha-00, usaha-01]\n  - [usaha-00, usaha-02]\n";
    let site = ring(3).write("content/events/temu.yaml", text);
    let run = site.build().success();
    run.warning_at("content/events/temu.yaml:10:5", "requested meeting usaha-00 – usaha-02 is not scheduled");
    assert!(run.stderr.contains("1 unmet request"), "{}", run.stderr);
    site.run(&["build", "--strict"]).code(1);
}

#[test]
fn new_event_scaffolds_a_valid_event() {
    let site = ring(3);
    site.run(&["new", "event", "temu-2027"]).success();
    let text = site.read("content/events/temu-2027.yaml");
    assert!(text.contains("# "), "the template is commented");
    // The name, date and venue are left for the editor, and check says so
    // at each line.
    let run = site.run(&["check"]).code(1);
    run.error_at("content/events/temu-2027.yaml:7:1", "missing required field `name`");
    run.error_at("content/events/temu-2027.yaml:10:1", "missing required field `date`");
    run.error_at("content/events/temu-2027.yaml:13:1", "missing required field `venue`");
    let filled = text
        .replace("\nname:\n", "\nname: Temu Usaha 2027\n")
        .replace("\ndate:\n", "\ndate: 2027-03-10\n")
        .replace("\nvenue:\n", "\nvenue: Technopark\n");
    site.put("content/events/temu-2027.yaml", filled.as_bytes());
    site.run(&["check", "--strict"]).success();
    site.build().success();
    assert!(site.exists("public/temu/temu-2027/index.html"));
    site.run(&["new", "event", "temu-2027"]).code(2);
    site.run(&["new", "event", "Temu"]).code(2);
}

/// What a random event asks for, to check the schedule against.
#[derive(Debug, Clone)]
struct RandomEvent {
    firms: usize,
    offers: Vec<(usize, usize)>,
    sessions: Vec<(u32, u32)>,
    minutes: u32,
    pause: u32,
    tables: u32,
    cap: Option<u32>,
    requests: Vec<(usize, usize)>,
    avoid: Vec<(usize, usize)>,
}

impl RandomEvent {
    fn slots(&self) -> u32 {
        self.sessions.iter().map(|&(s, e)| (e - s + self.pause) / (self.minutes + self.pause)).sum()
    }

    fn site(&self) -> TestSite {
        let tags = ["rasi", "singkong", "tepung-singkong", "kemasan-karton", "kemasan-plastik"];
        let mut site = TestSite::new();
        for i in 0..self.firms {
            let (o, n) = self.offers[i];
            let profile = PROFILE
                .replace("CV Rasa Cireundeu", &format!("Usaha {i}"))
                .replace("offers: [rasi]", &format!("offers: [{}]", tags[o % 5]))
                .replace("needs: [kemasan-plastik]", &format!("needs: [{}]", tags[n % 5]));
            site = site.firm(&format!("u{i:02}"), &profile);
        }
        let hhmm = |m: u32| format!("\"{:02}:{:02}\"", m / 60, m % 60);
        let sessions: Vec<String> =
            self.sessions.iter().map(|&(s, e)| format!("  - {{start: {}, end: {}}}\n", hhmm(s), hhmm(e))).collect();
        let pairs = |v: &[(usize, usize)]| {
            let items: Vec<String> = v.iter().map(|(a, b)| format!("[u{a:02}, u{b:02}]")).collect();
            format!("[{}]", items.join(", "))
        };
        let mut text = format!(
            "name: Temu Acak\ndate: 2027-03-10\nvenue: Aula\nsessions:\n{}meeting_minutes: {}\nbreak_minutes: {}\ntables: {}\nrequests: {}\navoid: {}\n",
            sessions.concat(),
            self.minutes,
            self.pause,
            self.tables,
            pairs(&self.requests),
            pairs(&self.avoid),
        );
        if let Some(c) = self.cap {
            text.push_str(&format!("max_meetings_per_firm: {c}\n"));
        }
        site.write("content/events/acak.yaml", &text)
    }
}

fn random_event() -> impl proptest::strategy::Strategy<Value = RandomEvent> {
    use proptest::prelude::*;
    (3usize..12, 10u32..=30, 0u32..=10, 1u32..=4, 1usize..=2).prop_flat_map(
        |(firms, minutes, pause, tables, sessions)| {
            let pair = (0..firms, 0..firms).prop_filter("two firms", |(a, b)| a != b);
            (
                proptest::collection::vec((0usize..5, 0usize..5), firms),
                proptest::collection::vec((1u32..=4, 0u32..30), sessions),
                proptest::option::of(1u32..=3),
                proptest::collection::vec(pair.clone(), 0..4),
                proptest::collection::vec(pair, 0..3),
            )
                .prop_map(move |(offers, lengths, cap, requests, avoid)| {
                    // Sessions of 1–4 meetings each (plus slack), one after the
                    // other with a gap.
                    let mut at = 8 * 60;
                    let sessions = lengths
                        .iter()
                        .map(|&(n, slack)| {
                            let start = at;
                            let end = start + n * (minutes + pause) - pause + slack;
                            at = end + 30;
                            (start, end)
                        })
                        .collect();
                    let key = |&(a, b): &(usize, usize)| if a < b { (a, b) } else { (b, a) };
                    let mut seen = HashSet::new();
                    let requests: Vec<(usize, usize)> = requests.into_iter().filter(|p| seen.insert(key(p))).collect();
                    let avoid: Vec<(usize, usize)> = avoid.into_iter().filter(|p| seen.insert(key(p))).collect();
                    RandomEvent { firms, offers, sessions, minutes, pause, tables, cap, requests, avoid }
                })
                .prop_filter("a cap no larger than the slots", |e| e.cap.is_none_or(|c| c <= e.slots()))
        },
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Every SPEC 10 invariant on random catalogues and events, and the
    /// same bytes with one thread and with two.
    #[test]
    fn random_events_keep_every_invariant(ev in random_event()) {
        let site = ev.site();
        let run = site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).success();
        let csv = site.read("public/temu/acak/jadwal.csv");
        let one = site.tree("public/temu");
        std::fs::remove_dir_all(site.path("public")).unwrap();
        site.run_env(&["build"], &[("RAYON_NUM_THREADS", "2")]).success();
        proptest::prop_assert!(one == site.tree("public/temu"), "event files differ between 1 and 2 threads");

        let data: serde_json::Value = serde_json::from_str(&site.read("public/data/katalog.json")).unwrap();
        let suggested: HashSet<(String, String)> = data["firms"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| {
                let me = f["slug"].as_str().unwrap().to_string();
                f["suggested_partners"].as_array().unwrap().iter().map(move |s| (me.clone(), s["slug"].as_str().unwrap().to_string()))
            })
            .collect();
        let name = |i: usize| format!("u{i:02}");
        let pair = |a: usize, b: usize| if name(a) < name(b) { (name(a), name(b)) } else { (name(b), name(a)) };
        let requested: HashSet<(String, String)> = ev.requests.iter().map(|&(a, b)| pair(a, b)).collect();
        let avoided: HashSet<(String, String)> = ev.avoid.iter().map(|&(a, b)| pair(a, b)).collect();
        let slots = ev.slots() as usize;
        let cap = ev.cap.unwrap_or(slots as u32) as usize;
        let rows = rows(&csv);
        let mut firm_slot = HashSet::new();
        let mut table_slot = HashSet::new();
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        let mut met = HashSet::new();
        for r in &rows {
            proptest::prop_assert!(r.slot >= 1 && r.slot <= slots, "slot {} of {}", r.slot, slots);
            proptest::prop_assert!(r.table >= 1 && r.table as u32 <= ev.tables);
            proptest::prop_assert!(table_slot.insert((r.slot, r.table)), "table double-booked");
            proptest::prop_assert!(r.a != r.b);
            for f in [&r.a, &r.b] {
                proptest::prop_assert!(firm_slot.insert((r.slot, f.clone())), "{} in two places", f);
                *count.entry(f.clone()).or_default() += 1;
            }
            let key = (r.a.clone(), r.b.clone());
            proptest::prop_assert!(met.insert(key.clone()), "a pair meets twice");
            proptest::prop_assert_eq!(r.requested, requested.contains(&key));
            let allowed = suggested.contains(&key) || suggested.contains(&(key.1.clone(), key.0.clone()));
            proptest::prop_assert!(allowed || r.requested, "{:?} neither suggested nor requested", key);
            proptest::prop_assert!(!avoided.contains(&key), "avoided pair {:?} scheduled", key);
        }
        proptest::prop_assert!(count.values().all(|&c| c <= cap), "cap {} exceeded: {:?}", cap, count);
        // Every request is scheduled or reported.
        for (a, b) in &requested {
            let reported = run.stderr.lines().any(|l| l.contains(": warning: requested meeting") && l.contains(a.as_str()) && l.contains(b.as_str()));
            proptest::prop_assert!(met.contains(&(a.clone(), b.clone())) || reported, "request {}–{} neither met nor reported:\n{}", a, b, run.stderr);
        }
    }
}
