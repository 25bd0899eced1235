//! For people who prefer a feed reader or a calendar to mail: a saved search as an Atom feed
//! (RFC 4287) of what it finds, newest on Fundbridge first, and the deadlines of followed calls
//! as an iCalendar file (RFC 5545) a calendar app subscribes to. Both are written here, with
//! every value escaped for its format; what goes in them is gathered in `services::feeds`.

use chrono::{DateTime, Utc};

/// Entries in a search's feed.
pub const FEED_ENTRIES: usize = 50;

/// One entry of an Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// Its page (also its id).
    pub url: String,
    /// Its title.
    pub title: String,
    /// One line about it.
    pub summary: String,
    /// When it was listed on Fundbridge.
    pub updated: DateTime<Utc>,
}

/// An Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtomFeed {
    /// The feed's own address (also its id).
    pub self_url: String,
    /// The page it follows (the search's list).
    pub page_url: String,
    /// Its title.
    pub title: String,
    /// When it last changed: its newest entry, or when it was made when it has none.
    pub updated: DateTime<Utc>,
    /// Its entries, newest first.
    pub entries: Vec<FeedEntry>,
}

/// `text` with XML's five special characters escaped (and control characters, which XML 1.0
/// cannot carry, left out).
fn xml_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

impl AtomFeed {
    /// The feed as an Atom document.
    pub fn to_xml(&self) -> String {
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        xml.push_str(&format!("  <id>{}</id>\n", xml_escaped(&self.self_url)));
        xml.push_str(&format!("  <title>{}</title>\n", xml_escaped(&self.title)));
        xml.push_str(&format!("  <updated>{}</updated>\n", self.updated.to_rfc3339()));
        xml.push_str("  <author><name>Fundbridge</name></author>\n");
        xml.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escaped(&self.self_url)
        ));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escaped(&self.page_url)
        ));
        for entry in &self.entries {
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <id>{}</id>\n", xml_escaped(&entry.url)));
            xml.push_str(&format!("    <title>{}</title>\n", xml_escaped(&entry.title)));
            xml.push_str(&format!("    <updated>{}</updated>\n", entry.updated.to_rfc3339()));
            xml.push_str(&format!("    <link href=\"{}\"/>\n", xml_escaped(&entry.url)));
            xml.push_str(&format!("    <summary>{}</summary>\n", xml_escaped(&entry.summary)));
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        xml
    }
}

/// One deadline in a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Unique and stable across downloads (call, stage, site).
    pub uid: String,
    /// What the calendar shows.
    pub summary: String,
    /// The deadline.
    pub at: DateTime<Utc>,
    /// The call's page.
    pub url: String,
    /// More words (the stage, the programme).
    pub description: String,
}

/// `text` as an iCalendar TEXT value: backslash, semicolon, comma and line breaks escaped.
fn ics_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// `line` folded as RFC 5545 wants: at most 75 octets a line, continuations begin with a
/// space, never inside a character; every line ends in CRLF.
fn folded(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// An instant as iCalendar writes UTC (`20270304T160000Z`).
fn ics_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `events` as a calendar named `name`, stamped `now`; each event carries alarms 14 and 3
/// days before, as the mail reminders do.
pub fn calendar(name: &str, events: &[CalendarEvent], now: DateTime<Utc>) -> String {
    let mut ics = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fundbridge//Deadlines of followed calls//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        ics.push_str(&folded(line));
    }
    ics.push_str(&folded(&format!("X-WR-CALNAME:{}", ics_escaped(name))));
    for event in events {
        ics.push_str(&folded("BEGIN:VEVENT"));
        ics.push_str(&folded(&format!("UID:{}", ics_escaped(&event.uid))));
        ics.push_str(&folded(&format!("DTSTAMP:{}", ics_time(now))));
        ics.push_str(&folded(&format!("DTSTART:{}", ics_time(event.at))));
        ics.push_str(&folded(&format!("DTEND:{}", ics_time(event.at))));
        ics.push_str(&folded(&format!("SUMMARY:{}", ics_escaped(&event.summary))));
        ics.push_str(&folded(&format!("DESCRIPTION:{}", ics_escaped(&event.description))));
        ics.push_str(&folded(&format!("URL:{}", event.url)));
        for days in super::follows::REMINDER_DAYS {
            ics.push_str(&folded("BEGIN:VALARM"));
            ics.push_str(&folded("ACTION:DISPLAY"));
            ics.push_str(&folded(&format!("DESCRIPTION:{}", ics_escaped(&event.summary))));
            ics.push_str(&folded(&format!("TRIGGER:-P{days}D")));
            ics.push_str(&folded("END:VALARM"));
        }
        ics.push_str(&folded("END:VEVENT"));
    }
    ics.push_str(&folded("END:VCALENDAR"));
    ics
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, 16, 0, 0).unwrap()
    }

    #[test]
    fn an_atom_feed_escapes_what_people_wrote() {
        let feed = AtomFeed {
            self_url: "https://fundbridge.eu/feeds/search.atom?token=a.b".into(),
            page_url: "https://fundbridge.eu/calls?q=quantum&status=open".into(),
            title: "Calls matching “quantum” & <b>more</b>".into(),
            updated: at(4),
            entries: vec![FeedEntry {
                url: "https://fundbridge.eu/calls/Q-1".into(),
                title: "<script>alert(1)</script>".into(),
                summary: "Horizon Europe · \u{7}grant".into(),
                updated: at(4),
            }],
        };
        let xml = feed.to_xml();
        assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{xml}");
        assert!(xml.contains("?q=quantum&amp;status=open"), "{xml}");
        assert!(xml.contains("<updated>2027-03-04T16:00:00+00:00</updated>"), "{xml}");
        assert!(!xml.contains('\u{7}') && !xml.contains("<script>"));
        assert_eq!(xml.matches("<entry>").count(), 1);
    }

    #[test]
    fn a_calendar_escapes_folds_and_reminds_14_and_3_days_before() {
        let long = "Cyber resilience, quantum; and more ".repeat(5);
        let ics = calendar(
            "Fundbridge: calls I follow",
            &[CalendarEvent {
                uid: "RIS3-1-1@fundbridge.eu".into(),
                summary: format!("Deadline: {long}"),
                at: at(18),
                url: "https://fundbridge.eu/calls/RIS3-1".into(),
                description: "Short proposal\nBrussels RIS3".into(),
            }],
            at(1),
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.lines().all(|line| line.len() <= 76), "{ics}");
        assert!(ics.contains("DTSTART:20270318T160000Z"));
        assert!(ics.contains("TRIGGER:-P14D") && ics.contains("TRIGGER:-P3D"));
        assert!(ics.contains("DESCRIPTION:Short proposal\\nBrussels RIS3"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("Cyber resilience\\, quantum\\; and more"),
            "{unfolded}"
        );
        assert!(ics.split("\r\n").all(|line| !line.contains('\n')));
    }
}
