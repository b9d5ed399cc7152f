//! The typed result of understanding: a [`Wish`] — which days, which time or window on them, how
//! flexible the caller is and whom they asked for — or a [`DateProblem`] that says what was not
//! understood.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// A coarse time of day callers name instead of a clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartOfDay {
    /// Before noon ("vormittags", "früh", "in the morning").
    Morning,
    /// Around noon, 11:30–14:00 ("mittags", "at lunchtime").
    Midday,
    /// 12:00–18:00 ("nachmittags").
    Afternoon,
    /// From 17:00 ("abends", "tonight").
    Evening,
}

impl PartOfDay {
    /// The interval `[from, to)` this part of the day stands for.
    pub fn range(self) -> (NaiveTime, NaiveTime) {
        match self {
            Self::Morning => (hm(0, 0), hm(12, 0)),
            Self::Midday => (hm(11, 30), hm(14, 0)),
            Self::Afternoon => (hm(12, 0), hm(18, 0)),
            Self::Evening => (hm(17, 0), END_OF_DAY),
        }
    }

    /// Label in answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Morning => "morning",
            Self::Midday => "midday",
            Self::Afternoon => "afternoon",
            Self::Evening => "evening",
        }
    }

    /// The window this part of the day stands for.
    pub fn window(self) -> TimeWindow {
        let (from, to) = self.range();
        TimeWindow { from, to, finish_by: false, label: WindowLabel::Part(self) }
    }
}

/// A wall-clock time (valid by construction).
pub(super) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("hour < 24 and minute < 60")
}

/// The last minute of a day, the open end of "ab 17 Uhr".
pub const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// How a window was said, for phrasing it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowLabel {
    /// A part of the day.
    Part(PartOfDay),
    /// "ab 14 Uhr", "after 5", "nach der Arbeit".
    After,
    /// "bis 11", "before noon".
    Before,
    /// "zwischen 10 und 12", "from 9 to 11".
    Between,
    /// "kurz nach zehn": a half hour after (or before) a time.
    Near,
}

/// Times of day a caller accepts: starts in `[from, to)`; with `finish_by` the appointment must
/// also be over by `to` ("zwischen 10 und 12", "bis 11").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Earliest start.
    pub from: NaiveTime,
    /// Latest start (exclusive), or the end of the appointment with `finish_by`.
    pub to: NaiveTime,
    /// Whether the appointment has to end by `to`.
    pub finish_by: bool,
    /// How it was said.
    pub label: WindowLabel,
}

impl TimeWindow {
    /// Whether an appointment from `start` to `end` (same day) fits.
    pub fn admits(&self, start: NaiveTime, end: NaiveTime) -> bool {
        start >= self.from && start < self.to && (!self.finish_by || (end <= self.to && end > start))
    }
}

/// When on the wished days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeWish {
    /// No time was said.
    Any,
    /// A clock time.
    At(NaiveTime),
    /// A window of times.
    Window(TimeWindow),
}

/// How flexible the caller is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flexibility {
    /// What was said, exactly.
    Exact,
    /// "gegen drei", "around 3", "in zwei Stunden": close to it is fine.
    Around,
    /// "so früh wie möglich", "jetzt", "asap": the first free time.
    Earliest,
}

impl Flexibility {
    /// Label in answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Around => "around",
            Self::Earliest => "earliest",
        }
    }
}

/// What a caller wants, understood: days, a time or window on them, flexibility and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    /// The first day that suits (never before today).
    pub first_day: NaiveDate,
    /// The last day that suits (the same as `first_day` for one day).
    pub last_day: NaiveDate,
    /// The time on those days.
    pub time: TimeWish,
    /// How flexible the caller is.
    pub flexibility: Flexibility,
    /// A staff member named in the words ("bei Jonas"), as the branch spells the name.
    pub staff: Option<String>,
    /// Whether the caller named the day (false: only a time was said and the nearest such time
    /// was taken).
    pub day_said: bool,
}

impl Wish {
    /// The one day wished for, when it is one day.
    pub fn single_day(&self) -> Option<NaiveDate> {
        (self.first_day == self.last_day).then_some(self.first_day)
    }

    /// Day and clock time, when the caller named exactly one start.
    pub fn exact(&self) -> Option<NaiveDateTime> {
        match (self.single_day(), self.time) {
            (Some(day), TimeWish::At(time)) if self.flexibility != Flexibility::Earliest => Some(day.and_time(time)),
            _ => None,
        }
    }

    /// The clock time said, if one was.
    pub fn clock(&self) -> Option<NaiveTime> {
        match self.time {
            TimeWish::At(time) => Some(time),
            _ => None,
        }
    }

    /// The window said, if one was.
    pub fn window(&self) -> Option<TimeWindow> {
        match self.time {
            TimeWish::Window(window) => Some(window),
            _ => None,
        }
    }

    /// Whether an appointment from `start` to `end` (local wall clock) is what the caller asked for.
    pub fn admits(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        let day = start.date();
        if day < self.first_day || day > self.last_day {
            return false;
        }
        let end_time = if end.date() == day { end.time() } else { END_OF_DAY };
        match self.time {
            TimeWish::Any => true,
            TimeWish::At(time) => start.time() == time,
            TimeWish::Window(window) => window.admits(start.time(), end_time),
        }
    }

    /// Whether a start fits the wish's window on any day (a clock time only marks where a search
    /// starts, so it admits every time).
    pub fn admits_time_of_day(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        let end_time = if end.date() == start.date() { end.time() } else { END_OF_DAY };
        match self.time {
            TimeWish::Window(window) => window.admits(start.time(), end_time),
            TimeWish::Any | TimeWish::At(_) => true,
        }
    }

    /// The earliest local moment the wish allows: where a search for a free time starts.
    pub fn earliest(&self) -> NaiveDateTime {
        let time = match self.time {
            TimeWish::Any => NaiveTime::MIN,
            TimeWish::At(time) => time,
            TimeWish::Window(window) => window.from,
        };
        self.first_day.and_time(time)
    }

    /// The moment to rank alternatives around: the clock time, a window's start, or noon.
    pub fn anchor(&self) -> NaiveDateTime {
        let time = match self.time {
            TimeWish::Any => hm(12, 0),
            TimeWish::At(time) => time,
            TimeWish::Window(window) => window.from,
        };
        self.first_day.and_time(time)
    }

    /// The days of the wish, first to last.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first_day.iter_days().take_while(|d| *d <= self.last_day)
    }

    /// Number of days covered.
    pub fn day_count(&self) -> i64 {
        (self.last_day - self.first_day).num_days() + 1
    }
}

/// Which part of what was said was understood, when only one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Understood {
    /// The day (given), not the time.
    Day(NaiveDate),
    /// The time, not the day.
    Time,
}

/// Why a wish could not be understood; each maps to an `invalid_date` answer that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing was said.
    Missing,
    /// Words that are not a date or time (at most three, each cut to 24 characters).
    Unrecognised(Vec<String>),
    /// One half was understood, the other was not.
    Partly(Understood, Vec<String>),
    /// A date or time that does not exist ("30.02.", "25 Uhr").
    Impossible,
    /// A moment already past.
    Past,
    /// A weekday and a date that disagree ("Montag, den 3. Dezember" — a Thursday).
    WeekdayMismatch {
        /// The date said.
        date: NaiveDate,
        /// The weekday said.
        said: Weekday,
    },
    /// Two different days or times in one wish ("Montag oder Dienstag", "um 10 um 11").
    Conflicting,
    /// A day counted from the one spoken about before ("am Tag danach"), and none was.
    NoEarlierDay,
    /// "die Woche vor Weihnachten" with both readings ahead: the whole calendar week before the
    /// day's week, or the days of its own week before it (Christmas on a Friday: the 14th to the
    /// 20th, or the 21st to the 24th). Asked, not guessed.
    WhichWeekBefore {
        /// The calendar week before, Monday to Sunday (from today on).
        week: (NaiveDate, NaiveDate),
        /// The days of the day's own week before it (from today on).
        days: (NaiveDate, NaiveDate),
    },
}

/// The week (Monday) a date lies in.
pub(super) fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}
