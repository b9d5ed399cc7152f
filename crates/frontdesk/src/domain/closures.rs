//! Days a branch is closed besides its weekly hours: the company region's public holidays and the
//! branch's own closures ("2026-12-24..2027-01-01 Betriebsferien").

use super::holidays::Holiday;
use super::BranchContext;
use chrono::{Datelike, NaiveDate};

/// The longest reason a closure keeps ("Betriebsferien", "Inventur").
pub const REASON_CHARS: usize = 100;

/// An inclusive range of days off with why, parsed from `"YYYY-MM-DD"` or
/// `"YYYY-MM-DD..YYYY-MM-DD"`, each optionally followed by the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRange {
    /// First day off.
    pub first: NaiveDate,
    /// Last day off (inclusive).
    pub last: NaiveDate,
    /// Why ("Betriebsferien"), when given.
    pub reason: Option<String>,
}

impl DayRange {
    /// Parses one closure entry of the tenants file: the days, then the reason if any.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        // "2026-12-24 .. 2027-01-01" is the range written with spaces: the days end after the
        // date that follows "..", the reason begins after them
        let (days, reason) = match text.split_once("..") {
            Some((first, rest)) if !first.trim().contains(char::is_whitespace) => {
                let rest = rest.trim_start();
                let (last, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                (format!("{}..{last}", first.trim()), reason)
            }
            _ => {
                let (day, reason) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
                (day.to_string(), reason)
            }
        };
        let days = days.as_str();
        let day = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                format!("closure {text:?} is not a date like \"2026-12-24\" or a range \"2026-12-24..2027-01-01\"")
            })
        };
        let (first, last) = match days.split_once("..") {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(days)?, day(days)?),
        };
        if last < first {
            return Err(format!("closure {text:?} ends before it starts"));
        }
        Self::new(first, last, reason)
    }

    /// A closure from its days and reason (bounded, one line of text; empty: none).
    pub fn new(first: NaiveDate, last: NaiveDate, reason: &str) -> Result<Self, String> {
        let reason = reason.trim();
        if reason.chars().count() > REASON_CHARS || reason.chars().any(char::is_control) {
            return Err(format!("the reason of a closure is one line of at most {REASON_CHARS} characters"));
        }
        Ok(Self { first, last, reason: (!reason.is_empty()).then(|| reason.to_string()) })
    }

    /// Whether `date` is one of its days.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// The file form.
    pub fn render(&self) -> String {
        let days = if self.first == self.last { self.first.to_string() } else { format!("{}..{}", self.first, self.last) };
        match &self.reason {
            Some(reason) => format!("{days} {reason}"),
            None => days,
        }
    }
}

/// Why a branch is closed on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// A public holiday of the company's region.
    Holiday(Holiday),
    /// One of the branch's closures (holidays of the business, works).
    Closure,
    /// No opening hours on that weekday.
    Weekly,
}

impl BranchContext {
    /// Why the branch is closed on `date`, or `None` when it is open that day.
    pub fn closed_on(&self, date: NaiveDate) -> Option<Closed> {
        if let Some(holiday) = self.company.region.and_then(|r| r.holiday_on(date)) {
            return Some(Closed::Holiday(holiday));
        }
        if self.branch.closures.iter().any(|c| c.contains(date)) {
            return Some(Closed::Closure);
        }
        self.branch.opening_hours.on(date.weekday()).is_empty().then_some(Closed::Weekly)
    }

    /// The days of `[first, last]` a public holiday or a closure takes, with why, in date order
    /// (weekly closed days aside): what [`Self::closed_on`] says of each, with the year's
    /// holidays computed once, not once per day.
    pub fn closures_between(&self, first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, Closed)> {
        let holidays: Vec<(NaiveDate, Holiday)> = match self.company.region {
            Some(region) if first <= last => (first.year()..=last.year()).flat_map(|y| region.holidays(y)).collect(),
            _ => Vec::new(),
        };
        first
            .iter_days()
            .take_while(|date| *date <= last)
            .filter_map(|date| match holidays.iter().find(|(day, _)| *day == date) {
                Some((_, holiday)) => Some((date, Closed::Holiday(*holiday))),
                None => self.branch.closures.iter().any(|c| c.contains(date)).then_some((date, Closed::Closure)),
            })
            .collect()
    }

    /// The days in `[first, last]` closed by a public holiday or a closure, sorted.
    pub fn closed_days(&self, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
        if self.company.region.is_none() && self.branch.closures.is_empty() {
            return Vec::new();
        }
        self.closures_between(first, last).into_iter().map(|(day, _)| day).collect()
    }

    /// The branch's own closure that covers `date`, with its reason.
    pub fn closure_on(&self, date: NaiveDate) -> Option<&DayRange> {
        self.branch.closures.iter().find(|c| c.contains(date))
    }

    /// Whether the calendar is closed on `date` by a holiday or closure (weekly hours aside).
    pub fn closed_for_the_day(&self, date: NaiveDate) -> bool {
        matches!(self.closed_on(date), Some(Closed::Holiday(_) | Closed::Closure))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_ranges() {
        let range = DayRange::parse("2026-12-24..2027-01-01").unwrap();
        assert!(range.contains(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert!(!range.contains(NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()));
        assert_eq!(DayRange::parse("2027-02-16").unwrap().render(), "2027-02-16");
        assert!(DayRange::parse("2027-01-02..2027-01-01").unwrap_err().contains("ends before"));
        assert!(DayRange::parse("24.12.").is_err());
        let why = DayRange::parse("2026-12-24..2027-01-01 Betriebsferien und Inventur").unwrap();
        assert_eq!(why.reason.as_deref(), Some("Betriebsferien und Inventur"));
        assert_eq!(DayRange::parse(&why.render()).unwrap(), why);
        let spaced = DayRange::parse("2026-12-24 .. 2027-01-01").unwrap();
        assert_eq!((spaced.first, spaced.last, spaced.reason), (range.first, range.last, None));
        assert_eq!(DayRange::parse("2027-02-16 Umbau... später").unwrap().reason.as_deref(), Some("Umbau... später"));
        assert!(DayRange::parse(&format!("2027-02-16 {}", "x".repeat(101))).is_err());
    }

    #[test]
    fn the_closures_of_a_range_are_what_each_day_says() {
        use crate::calendar::fixtures::{hours, tenant};
        use crate::domain::Region;
        let mut salon = tenant(chrono_tz::Europe::Berlin, hours("mon", "09:00-18:00"), vec![], vec![]);
        std::sync::Arc::get_mut(&mut salon.company).unwrap().region = Some(Region::parse("DE-BY").unwrap());
        salon.branch.closures = vec![
            DayRange::parse("2026-12-23..2027-01-02 Betriebsferien").unwrap(),
            DayRange::parse("2027-05-13").unwrap(),
        ];
        let (first, last) = (NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 12, 31).unwrap());
        let each: Vec<(NaiveDate, Closed)> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter_map(|d| salon.closed_on(d).filter(|c| *c != Closed::Weekly).map(|c| (d, c)))
            .collect();
        let range = salon.closures_between(first, last);
        assert_eq!(range, each);
        // a holiday inside a closure is named as the holiday; the closure's other days as closure
        assert!(range.contains(&(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(), Closed::Holiday(Holiday::Christmas))));
        assert!(range.contains(&(NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(), Closed::Closure)));
        assert!(salon.closures_between(last, first).is_empty());
    }
}
