//! Business-meeting files: each firm's agenda as iCalendar (RFC 5545) and
//! an event's whole timetable as CSV.
//!
//! Times are local to Cimahi: every `DTSTART`/`DTEND` names the time zone
//! `Asia/Jakarta`, defined in the file (UTC+7, no daylight saving). UIDs name
//! the event and the two firms, so a meeting keeps its UID when a
//! reschedule moves it; `DTSTAMP` and `SEQUENCE` are the day the
//! schedule's inputs last changed ([`revision`]), so that a calendar takes
//! a moved meeting as an update, and builds stay byte-identical.

use std::fmt::Write as _;

use crate::i18n::Strings;
use crate::meetings::Timetable;
use crate::model::{Date, Event, Site, Time};
use crate::render::views::{ReasonView, origin};

/// Escapes an iCalendar TEXT value (RFC 5545 3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (RFC 5545 3.1), with CRLF.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local(d: Date, t: Time) -> String {
    format!("{:04}{:02}{:02}T{:02}{:02}00", d.year, d.month, d.day, t.0 / 60, t.0 % 60)
}

/// The UID of the meeting of firms `a` and `b` at `event`: the three
/// slugs joined by dots, which no slug holds (joined by hyphens, as
/// before, `kopi` + `susu-teh` and `kopi-susu` + `teh` shared one UID, and
/// a calendar importing both agendas kept one of the two meetings).
fn uid(event: &str, a: &str, b: &str, host: &str) -> String {
    format!("temu.{event}.{a}.{b}@{host}")
}

/// The host name of the site, for UIDs: lowercase, without a user or a
/// port, so that `https://Katalog.example:8443` and
/// `https://katalog.example` give a meeting the same UID (a calendar that
/// imports the agenda again updates the meeting instead of adding a copy).
fn host(base_url: &str) -> String {
    let o = origin(base_url);
    let h = o.split_once("://").map_or(o, |(_, h)| h);
    let h = h.rsplit_once('@').map_or(h, |(_, h)| h);
    let h = match h.rfind(']') {
        // An IPv6 address: `[::1]:8080`.
        Some(end) => &h[..=end],
        None => h.split_once(':').map_or(h, |(h, _)| h),
    };
    h.to_ascii_lowercase()
}

/// What the calendar says of one meeting, in the site's main language.
pub struct Entry<'a> {
    /// The partner's name.
    pub partner: &'a str,
    /// The partner's summary.
    pub summary: &'a str,
    /// Why they meet.
    pub reasons: Vec<ReasonView>,
    /// The partner's contact, one line.
    pub contact: String,
}

/// The day an event's schedule was last revised: the last change of the
/// event's files or of any participant's profile (the schedule is made
/// from all of them), never after the build day; without git history, the
/// build day or the event's day, whichever comes first. It comes from the
/// content, so builds of the same content on one day are byte-identical.
pub fn revision(site: &Site, event: &Event, t: &Timetable) -> Date {
    let changed = t.participants.iter().filter_map(|&f| site.firms[f].updated).chain(event.updated).max();
    changed.unwrap_or(event.date).min(site.today)
}

/// `temu/<event>/<firm>.ics`: firm `f`'s meetings at event `e`.
pub fn agenda_ics<'s>(
    site: &'s Site,
    event: &Event,
    t: &Timetable,
    f: usize,
    strings: &Strings,
    entry: impl Fn(usize) -> Entry<'s>,
) -> Vec<u8> {
    let mut s = String::new();
    let firm = &site.firms[f];
    let lang = site.config.language;
    line(&mut s, "BEGIN:VCALENDAR");
    line(&mut s, "VERSION:2.0");
    line(
        &mut s,
        &format!(
            "PRODID:-//gotong//{} {}//{}",
            escape_text(&site.config.title),
            env!("CARGO_PKG_VERSION"),
            lang.code().to_uppercase()
        ),
    );
    line(&mut s, "CALSCALE:GREGORIAN");
    line(&mut s, "METHOD:PUBLISH");
    line(
        &mut s,
        &format!("X-WR-CALNAME:{}", escape_text(&format!("{} – {}", event.name.get(lang).0, firm.name.get(lang).0))),
    );
    line(&mut s, "X-WR-TIMEZONE:Asia/Jakarta");
    for l in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Jakarta",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0700",
        "TZOFFSETTO:+0700",
        "TZNAME:WIB",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        line(&mut s, l);
    }
    let revised = revision(site, event, t);
    let stamp = format!("{:04}{:02}{:02}T000000Z", revised.year, revised.month, revised.day);
    // Calendars take a copy with a higher SEQUENCE (then a later DTSTAMP)
    // as the newer one (RFC 5546 2.1.5): the revision day, as a number,
    // grows with every revision of the schedule's inputs.
    let sequence = format!("SEQUENCE:{:04}{:02}{:02}", revised.year, revised.month, revised.day);
    let agenda_url = format!("{}/temu/{}/{}/", site.config.base_url, event.slug, firm.slug);
    for m in t.agenda(f) {
        let g = m.partner(f);
        let e = entry(g);
        let slot = t.slots[m.slot];
        let (a, b) = (&site.firms[m.a].slug, &site.firms[m.b].slug);
        line(&mut s, "BEGIN:VEVENT");
        line(&mut s, &format!("UID:{}", uid(&event.slug, a, b, &host(&site.config.base_url))));
        line(&mut s, &format!("DTSTAMP:{stamp}"));
        line(&mut s, &sequence);
        line(&mut s, &format!("DTSTART;TZID=Asia/Jakarta:{}", local(event.date, slot.start)));
        line(&mut s, &format!("DTEND;TZID=Asia/Jakarta:{}", local(event.date, slot.end)));
        line(
            &mut s,
            &format!("SUMMARY:{}", escape_text(&strings.fill("events.ics_summary", &[("partner", e.partner)]))),
        );
        let table = strings.fill("events.table_n", &[("n", &m.table.to_string())]);
        line(&mut s, &format!("LOCATION:{}", escape_text(&format!("{}, {table}", event.venue))));
        let mut desc = String::new();
        let _ = writeln!(desc, "{}", e.summary);
        for r in &e.reasons {
            let _ = writeln!(desc, "• {}", r.text);
        }
        if !e.contact.is_empty() {
            let _ = writeln!(desc, "{}", e.contact);
        }
        let _ = write!(desc, "{agenda_url}");
        line(&mut s, &format!("DESCRIPTION:{}", escape_text(&desc)));
        line(&mut s, &format!("URL:{agenda_url}"));
        line(&mut s, "STATUS:CONFIRMED");
        line(&mut s, "TRANSP:OPAQUE");
        line(&mut s, "END:VEVENT");
    }
    line(&mut s, "END:VCALENDAR");
    s.into_bytes()
}

/// `temu/<event>/jadwal.csv`: one meeting a row, with the header SPEC 10
/// names; times are local (HH:MM), slots and tables count from 1.
pub fn timetable_csv(site: &Site, t: &Timetable) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["slot", "start", "end", "table", "firm_a", "firm_b", "score", "mutual", "requested"]);
    for m in &t.meetings {
        let slot = t.slots[m.slot];
        let _ = w.write_record([
            (m.slot + 1).to_string(),
            slot.start.hhmm(),
            slot.end.hhmm(),
            m.table.to_string(),
            site.firms[m.a].slug.clone(),
            site.firms[m.b].slug.clone(),
            format!("{:.4}", m.score),
            m.mutual.to_string(),
            m.requested.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_folded() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut s = String::new();
        line(&mut s, &format!("DESCRIPTION:{}", "é".repeat(60)));
        for l in s.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = s.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn the_uid_host_is_the_lowercase_host_name() {
        for (url, want) in [
            ("https://katalog.example", "katalog.example"),
            ("https://Katalog.EXAMPLE:8443/ikm", "katalog.example"),
            ("http://editor@katalog.example:80", "katalog.example"),
            ("http://[::1]:1111", "[::1]"),
        ] {
            assert_eq!(host(url), want, "{url}");
        }
    }

    /// Different meetings never share a UID, however their slugs split
    /// into hyphenated words.
    #[test]
    fn uids_tell_every_meeting_apart() {
        let slugs = ["kopi", "susu", "teh", "kopi-susu", "susu-teh", "kopi-susu-teh", "temu", "temu-kopi"];
        let mut seen = std::collections::HashMap::new();
        for e in ["temu", "temu-kopi", "kopi"] {
            for a in slugs {
                for b in slugs.iter().filter(|&&b| b != a) {
                    let u = uid(e, a, b, "uji.example");
                    if let Some(other) = seen.insert(u.clone(), (e, a, *b)) {
                        panic!("{u} for both {other:?} and {:?}", (e, a, b));
                    }
                }
            }
        }
        assert_eq!(uid("temu", "kopi", "susu-teh", "uji.example"), "temu.temu.kopi.susu-teh@uji.example");
    }
}
