//! How the business really works (DESIGN §13): a service's phases, buffers, resources and notice;
//! a staff member's absences. Weekly working hours and breaks are [`OpeningHours`] values.
//!
//! [`OpeningHours`]: super::OpeningHours

use super::{local_instant, SettingsFault, SettingsProblem};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Minimum notice when the company sets none (DESIGN §13).
pub const DEFAULT_NOTICE_MINUTES: u32 = 60;
/// Starts every this many minutes from the opening, when the service sets no interval.
pub const DEFAULT_SLOT_INTERVAL_MINUTES: u32 = 15;
/// The longest notice a service or company may ask for (30 days).
pub const MAX_NOTICE_MINUTES: u32 = 30 * 24 * 60;
/// The longest buffer before or after a service.
pub const MAX_BUFFER_MINUTES: u32 = 240;
/// The most appointments one resource may serve at once.
pub const MAX_CAPACITY: u32 = 100;
/// The longest absence reason kept (it is shown in the console and may be spoken).
pub const MAX_REASON_CHARS: usize = 80;

/// One part of a service: the staff member works, or the customer waits (colour takes, a mask
/// sets) and the staff member is free for someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The staff member is busy for this many minutes.
    Work(u32),
    /// The customer waits this many minutes; the staff member is free.
    Wait(u32),
}

impl Phase {
    /// Its length in minutes.
    pub fn minutes(self) -> u32 {
        match self {
            Self::Work(m) | Self::Wait(m) => m,
        }
    }

    /// Whether the staff member is busy during it.
    pub fn is_work(self) -> bool {
        matches!(self, Self::Work(_))
    }
}

/// Checks a service's phases against its duration: every phase at least a minute, together
/// exactly the duration (an empty list means one work phase of the whole duration).
pub fn check_phases(phases: &[Phase], duration_minutes: u32) -> Result<(), SettingsFault> {
    if phases.is_empty() {
        return Ok(());
    }
    if phases.iter().any(|p| p.minutes() == 0) {
        return Err(SettingsFault::EmptyPhase);
    }
    if !phases.iter().any(|p| p.is_work()) {
        return Err(SettingsFault::NoWorkPhase);
    }
    let total: u32 = phases.iter().map(|p| p.minutes()).sum();
    if total != duration_minutes {
        return Err(SettingsFault::PhasesSum { total, duration: duration_minutes });
    }
    Ok(())
}

/// Something a service needs besides a person (a colour place, a treatment room), of which the
/// branch has `capacity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Name, unique within the branch; services name it.
    pub name: String,
    /// How many appointments can use it at once (1..=100).
    pub capacity: u32,
}

impl Resource {
    /// Checks the name and the capacity.
    pub fn check(&self) -> Result<(), SettingsProblem> {
        if self.name.trim().is_empty() || self.name.chars().count() > 60 {
            return Err(SettingsProblem::new(&self.name, SettingsFault::ResourceName));
        }
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            return Err(SettingsProblem::new(&self.name, SettingsFault::Capacity(self.capacity)));
        }
        Ok(())
    }
}

/// A stretch of local time a staff member is away, as the owner wrote it: whole days
/// (`2026-12-14` to `2026-12-18`, inclusive) or part of a day (`2026-12-09T14:00` to
/// `2026-12-09T18:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbsenceSpan {
    /// First local instant away.
    pub from: NaiveDateTime,
    /// First local instant back (exclusive).
    pub until: NaiveDateTime,
    /// Whether it was written as whole days.
    pub all_day: bool,
}

/// A local day or day-and-time as written; `end` says whether a bare date means the end of it.
fn parse_local(text: &str, end: bool) -> Result<(NaiveDateTime, bool), String> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if end { day.succ_opt().ok_or("the date is too far ahead")? } else { day };
        return Ok((day.and_time(NaiveTime::MIN), true));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok((at, false));
        }
    }
    Err(format!("{text:?} is not a date like \"2026-12-14\" or a time like \"2026-12-09T14:00\""))
}

impl AbsenceSpan {
    /// Parses `from` and `to` (dates inclusive, times exclusive); the end must come after the start.
    pub fn parse(from: &str, to: &str) -> Result<Self, String> {
        let (start, start_is_day) = parse_local(from, false)?;
        let (until, until_is_day) = parse_local(to, true)?;
        if until <= start {
            return Err(format!("the absence ends ({}) before it starts ({})", to.trim(), from.trim()));
        }
        if until - start > Duration::days(366) {
            return Err("an absence may last at most a year".into());
        }
        Ok(Self { from: start, until, all_day: start_is_day && until_is_day })
    }

    /// `from` and `to` as [`AbsenceSpan::parse`] reads them back (whole days inclusive).
    pub fn render(&self) -> (String, String) {
        if self.all_day {
            let last = self.until.date().pred_opt().unwrap_or(self.until.date());
            (self.from.date().to_string(), last.to_string())
        } else {
            (self.from.format("%Y-%m-%dT%H:%M").to_string(), self.until.format("%Y-%m-%dT%H:%M").to_string())
        }
    }

    /// The instants it covers in the company's zone.
    pub fn instants(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (local_instant(tz, self.from), local_instant(tz, self.until))
    }
}

/// A staff member away (ill, on holiday, at the doctor's): never offered in this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    /// Database id.
    pub id: super::AbsenceId,
    /// First instant away (UTC).
    pub starts_at: DateTime<Utc>,
    /// First instant back (UTC, exclusive).
    pub ends_at: DateTime<Utc>,
    /// Whether it was entered as whole days.
    pub all_day: bool,
    /// Why, as the owner wrote it (may be empty).
    pub reason: String,
}

impl Absence {
    /// Whether it overlaps `[start, end)`.
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.starts_at < end && self.ends_at > start
    }

    /// Its start as the API writes it in the company's zone: the first day, or day and time.
    pub fn from_text(&self, tz: Tz) -> String {
        let local = self.starts_at.with_timezone(&tz);
        if self.all_day {
            local.format("%Y-%m-%d").to_string()
        } else {
            local.format("%Y-%m-%dT%H:%M").to_string()
        }
    }

    /// Its end as the API writes it: the last day (inclusive), or the day and time back.
    pub fn to_text(&self, tz: Tz) -> String {
        if self.all_day {
            self.last_day(tz).format("%Y-%m-%d").to_string()
        } else {
            self.ends_at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
        }
    }

    /// The last local day it touches.
    pub fn last_day(&self, tz: Tz) -> NaiveDate {
        (self.ends_at - Duration::seconds(1)).with_timezone(&tz).date_naive()
    }
}

/// An absence reason as stored: trimmed, without control characters, at most
/// [`MAX_REASON_CHARS`] characters.
pub fn clean_reason(text: &str) -> String {
    text.trim().chars().filter(|c| !c.is_control()).take(MAX_REASON_CHARS).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    #[test]
    fn whole_days_are_inclusive_and_times_exclusive() {
        let days = AbsenceSpan::parse("2026-12-14", "2026-12-18").unwrap();
        assert!(days.all_day);
        let (start, end) = days.instants(Berlin);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 13, 23, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 18, 23, 0, 0).unwrap());
        let part = AbsenceSpan::parse("2026-12-09T14:00", "2026-12-09T18:00").unwrap();
        assert!(!part.all_day);
        assert_eq!(part.instants(Berlin).0, Utc.with_ymd_and_hms(2026, 12, 9, 13, 0, 0).unwrap());
        let one_day = AbsenceSpan::parse("2026-12-09", "2026-12-09").unwrap();
        assert_eq!(one_day.until - one_day.from, Duration::days(1));
    }

    #[test]
    fn refuses_what_makes_no_sense() {
        assert!(AbsenceSpan::parse("2026-12-18", "2026-12-14").unwrap_err().contains("before it starts"));
        assert!(AbsenceSpan::parse("2026-12-09T18:00", "2026-12-09T14:00").is_err());
        assert!(AbsenceSpan::parse("14.12.", "18.12.").is_err());
        assert_eq!(check_phases(&[Phase::Work(30), Phase::Wait(30)], 90), Err(SettingsFault::PhasesSum { total: 60, duration: 90 }));
        assert!(check_phases(&[Phase::Wait(90)], 90).is_err());
        assert!(check_phases(&[Phase::Work(30), Phase::Wait(35), Phase::Work(25)], 90).is_ok());
        assert!(Resource { name: "Farbplatz".into(), capacity: 0 }.check().is_err());
    }

    #[test]
    fn the_api_writes_absences_back_as_entered() {
        let (starts_at, ends_at) = AbsenceSpan::parse("2026-12-14", "2026-12-18").unwrap().instants(Berlin);
        let absence = Absence { id: super::super::AbsenceId(1), starts_at, ends_at, all_day: true, reason: "Urlaub".into() };
        assert_eq!((absence.from_text(Berlin), absence.to_text(Berlin)), ("2026-12-14".into(), "2026-12-18".into()));
        assert_eq!(clean_reason("  Arzt\u{7}termin  "), "Arzttermin");
    }
}
