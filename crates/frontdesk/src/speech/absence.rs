//! What an owner types to enter an absence in the console: "Maria krank heute und morgen",
//! "Jonas Urlaub 14.12.–18.12.", "morgen", "Maria Arzt morgen 14–16 Uhr". The staff member's
//! name, a reason word, the days (one, several joined by "und", or a range) and, for one day,
//! the hours away — understood with the same date and time grammar as callers' words, so
//! "übermorgen", "nächsten Freitag" and "ab 14 Uhr" work too.

use super::understand::{understand, SpeechContext};
use super::wish::{DateProblem, Flexibility, TimeWish, WindowLabel};
use super::text::fold;
use crate::domain::StaffId;
use chrono::{NaiveDate, NaiveTime};

/// Reason words understood on their own ("krank" → "krank").
const REASONS: [&str; 16] = [
    "krank", "urlaub", "arzt", "arzttermin", "fortbildung", "schulung", "berufsschule", "frei", "elternzeit",
    "sick", "ill", "holiday", "vacation", "doctor", "training", "off",
];

/// An absence as typed: who (when named), which days, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceWords {
    /// The staff member named, if any.
    pub staff: Option<StaffId>,
    /// First day away.
    pub first: NaiveDate,
    /// Last day away (inclusive).
    pub last: NaiveDate,
    /// The reason words as typed ("krank"), or empty.
    pub reason: String,
    /// For part of one day: from when (`None`: from the day's start).
    pub from_time: Option<NaiveTime>,
    /// For part of one day: until when (`None`: to the day's end).
    pub until_time: Option<NaiveTime>,
}

impl AbsenceWords {
    /// Its start as the absences API takes it: the first day, or day and time.
    pub fn from_text(&self) -> String {
        match self.from_time {
            Some(time) => format!("{}T{}", self.first, time.format("%H:%M")),
            None => self.first.to_string(),
        }
    }

    /// Its end as the absences API takes it: the last day (inclusive), or day and time.
    pub fn to_text(&self) -> String {
        match self.until_time {
            Some(time) => format!("{}T{}", self.last, time.format("%H:%M")),
            None => self.last.to_string(),
        }
    }
}

/// Words that begin the hours of an absence when a time follows them ("ab 14", "von 9 bis 12").
const TIME_LEADS: [&str; 6] = ["ab", "von", "bis", "zwischen", "from", "until"];

/// Parts of the day said on their own ("morgen nachmittags").
const PARTS_OF_DAY: [&str; 8] =
    ["vormittag", "vormittags", "nachmittag", "nachmittags", "abends", "morning", "afternoon", "evening"];

/// Whether a word is a clock time or a range of them: "14", "9:30", "14-16", "14:00–16:30"
/// (never a date: "14.12." has dots, "2026-12-14" four digits).
fn is_clock(word: &str) -> bool {
    let one = |t: &str| {
        let (hours, minutes) = t.split_once(':').unwrap_or((t, "00"));
        (1..=2).contains(&hours.len())
            && hours.chars().all(|c| c.is_ascii_digit())
            && minutes.len() == 2
            && minutes.chars().all(|c| c.is_ascii_digit())
    };
    let word = word.to_lowercase();
    let word = word.trim_end_matches("uhr").trim_end_matches('h');
    match word.split_once(['-', '–']) {
        Some((a, b)) => one(a) && one(b),
        None => one(word),
    }
}

/// Splits the day words from the hours: the hours begin at the first clock time (or a lead word
/// or part of the day before one) and run to the end.
fn split_hours<'a>(words: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let starts_hours = |i: usize| {
        let word = fold(words[i]);
        is_clock(words[i])
            || PARTS_OF_DAY.contains(&word.as_str())
            || (TIME_LEADS.contains(&word.as_str()) && words.get(i + 1).is_some_and(|next| is_clock(next)))
    };
    match (0..words.len()).find(|&i| starts_hours(i)) {
        Some(at) => (words[..at].to_vec(), words[at..].to_vec()),
        None => (words.to_vec(), Vec::new()),
    }
}

/// The hours away on one day, as the caller grammar reads them: a window ("14 bis 16 Uhr",
/// "zwischen 9 und 12", "nachmittags"), from a time on ("ab 14 Uhr") or until one ("bis 12").
/// A single time says neither start nor end and is not understood.
fn hours_of(day: &str, hours: &str, ctx: &SpeechContext) -> Result<(Option<NaiveTime>, Option<NaiveTime>), DateProblem> {
    // "14-16 Uhr" is said "von 14 bis 16 Uhr", "2-4 pm" "from 2 to 4 pm"
    let (from, to) = match ctx.language {
        crate::domain::Language::En => ("from ", " to "),
        _ => ("von ", " bis "),
    };
    let text = match hours.split_once(['-', '–']) {
        Some((a, b)) if is_clock(a.trim()) => format!("{from}{}{to}{}", a.trim(), b.trim()),
        _ => hours.to_string(),
    };
    let wish = understand(Some(day), Some(&text), ctx)?;
    match wish.time {
        TimeWish::Window(window) => Ok(match window.label {
            WindowLabel::After => (Some(window.from), None),
            WindowLabel::Before => (None, Some(window.to)),
            _ => (Some(window.from), Some(window.to)),
        }),
        TimeWish::At(_) | TimeWish::Any => Err(DateProblem::Unrecognised(vec![hours.to_string()])),
    }
}

/// Understands an absence typed into the console, or says which words were not understood.
pub fn understand_absence(text: &str, ctx: &SpeechContext) -> Result<AbsenceWords, DateProblem> {
    let mut staff = None;
    let mut reason = Vec::new();
    let mut rest = Vec::new();
    for word in text.split_whitespace() {
        let folded = fold(word.trim_matches(|c: char| c == ',' || c == ':'));
        if staff.is_none() {
            if let Some(person) = ctx.staff.iter().find(|p| fold(&p.name) == folded) {
                staff = Some(person.id);
                continue;
            }
        }
        if REASONS.contains(&folded.as_str()) {
            reason.push(word.trim_matches(|c: char| c == ',' || c == ':').to_string());
            continue;
        }
        rest.push(word);
    }
    let (rest, hours) = split_hours(&rest);
    // "14.12.–18.12." and "14.12.-18.12." are ranges; "heute und morgen" are days, joined.
    let days = rest.join(" ").replace(['–', '—'], " bis ");
    let days = split_dashed_range(&days);
    let mut first: Option<NaiveDate> = None;
    let mut last: Option<NaiveDate> = None;
    // every day named, "und"/"and" joining days and "bis"/"to" bounding a range: the absence runs
    // from the first to the last of them
    let parts = days.split(" und ").flat_map(|p| p.split(" and ")).flat_map(|p| p.split(" bis ")).flat_map(|p| p.split(" to "));
    for part in parts.filter(|p| !p.trim().is_empty()) {
        let wish = understand(Some(part.trim()), None, ctx)?;
        // "irgendwann", "so bald wie möglich": no days an absence could have
        if wish.flexibility == Flexibility::Earliest {
            return Err(DateProblem::Unrecognised(vec![part.trim().to_string()]));
        }
        first = Some(first.map_or(wish.first_day, |f| f.min(wish.first_day)));
        last = Some(last.map_or(wish.last_day, |l| l.max(wish.last_day)));
    }
    let (Some(first), Some(last)) = (first, last) else { return Err(DateProblem::Missing) };
    let reason = reason.join(" ");
    if hours.is_empty() {
        return Ok(AbsenceWords { staff, first, last, reason, from_time: None, until_time: None });
    }
    // hours belong to one day: "Montag bis Mittwoch 14–16 Uhr" would be three absences
    if first != last {
        return Err(DateProblem::Unrecognised(hours.iter().map(|w| w.to_string()).collect()));
    }
    let (from_time, until_time) = hours_of(&first.format("%d.%m.%Y").to_string(), &hours.join(" "), ctx)?;
    Ok(AbsenceWords { staff, first, last, reason, from_time, until_time })
}

/// "14.12.-18.12." → "14.12. bis 18.12." (a hyphen between two dates is a range; one inside a
/// date like 2026-12-14 is not).
fn split_dashed_range(text: &str) -> String {
    match text.split_once(".-") {
        Some((a, b)) if b.chars().next().is_some_and(|c| c.is_ascii_digit()) => format!("{a}. bis {b}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Language, OpeningHours, ServiceId, Staff};
    use chrono::TimeZone;

    fn ctx_with<'a>(staff: &'a [Staff], hours: &'a OpeningHours) -> SpeechContext<'a> {
        // Monday 30 November 2026, 09:00
        let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        SpeechContext { now, hours, language: Language::De, month_first: false, staff, earlier_day: None }
    }

    #[test]
    fn understands_who_why_and_which_days() {
        let staff = vec![Staff::plain(StaffId(1), "Maria", vec![ServiceId(1)]), Staff::plain(StaffId(2), "Jonas", vec![])];
        let hours = OpeningHours::default();
        let ctx = ctx_with(&staff, &hours);
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let sick = understand_absence("Maria krank heute und morgen", &ctx).unwrap();
        assert_eq!((sick.staff, sick.reason.as_str()), (Some(StaffId(1)), "krank"));
        assert_eq!((sick.first, sick.last), (NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), day(1)));
        let holiday = understand_absence("Jonas Urlaub 14.12.–18.12.", &ctx).unwrap();
        assert_eq!((holiday.staff, holiday.first, holiday.last), (Some(StaffId(2)), day(14), day(18)));
        let dashed = understand_absence("14.12.-18.12.", &ctx).unwrap();
        assert_eq!((dashed.staff, dashed.first, dashed.last), (None, day(14), day(18)));
        assert!(understand_absence("Maria krank irgendwann", &ctx).is_err());
        assert_eq!((sick.from_time, sick.until_time), (None, None), "whole days");
    }

    #[test]
    fn understands_the_hours_of_one_day() {
        let staff = vec![Staff::plain(StaffId(1), "Maria", vec![ServiceId(1)])];
        let hours = OpeningHours::default();
        let ctx = ctx_with(&staff, &hours);
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        let tomorrow = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for (line, from, until) in [
            ("Maria Arzt morgen 14-16 Uhr", at(14, 0), at(16, 0)),
            ("Maria Arzt morgen 14–16:30", at(14, 0), at(16, 30)),
            ("Maria morgen von 9 bis 11 Uhr", at(9, 0), at(11, 0)),
            ("Maria morgen zwischen 10 und 12", at(10, 0), at(12, 0)),
            ("Maria frei morgen ab 14 Uhr", at(14, 0), None),
            ("Maria morgen bis 12 Uhr", None, at(12, 0)),
        ] {
            let absence = understand_absence(line, &ctx).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!((absence.staff, absence.first, absence.last), (Some(StaffId(1)), tomorrow, tomorrow), "{line}");
            assert_eq!((absence.from_time, absence.until_time), (from, until), "{line}");
        }
        let doctor = understand_absence("Maria Arzt morgen 14-16 Uhr", &ctx).unwrap();
        assert_eq!((doctor.from_text(), doctor.to_text()), ("2026-12-01T14:00".into(), "2026-12-01T16:00".into()));
        assert_eq!(doctor.reason, "Arzt");
        // still days: a date range is no clock range
        let holiday = understand_absence("Maria 14.12.-18.12.", &ctx).unwrap();
        assert_eq!((holiday.from_text(), holiday.to_text()), ("2026-12-14".into(), "2026-12-18".into()));
        // a single time says neither start nor end; hours over several days are not one absence
        assert!(understand_absence("Maria morgen 14 Uhr", &ctx).is_err());
        assert!(understand_absence("Maria 14.12.-18.12. 14-16 Uhr", &ctx).is_err());
        let english = SpeechContext { language: Language::En, ..ctx_with(&staff, &hours) };
        let doctor = understand_absence("Maria doctor tomorrow 2-4 pm", &english).unwrap();
        assert_eq!((doctor.from_text(), doctor.to_text()), ("2026-12-01T14:00".into(), "2026-12-01T16:00".into()));
        let after = understand_absence("Maria off tomorrow from 3 pm", &english);
        assert!(after.is_ok_and(|a| a.from_time == at(15, 0)), "from 3 pm");
    }
}
