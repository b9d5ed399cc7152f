//! Which time of day: clock times on the 24-hour clock (the reading inside the opening hours when
//! the caller did not say), windows from bounds and parts of the day.

use super::SpeechContext;
use crate::domain::OpeningHours;
use crate::speech::grammar::{Clock, Fact, Meridiem};
use crate::speech::wish::{hm, DateProblem, PartOfDay, TimeWindow, TimeWish, WindowLabel, END_OF_DAY};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};

/// The time of day named: one clock time, or a window from parts of the day and bounds.
pub(super) fn resolve_time(
    facts: &[Fact],
    days: (NaiveDate, NaiveDate),
    ctx: &SpeechContext,
) -> Result<TimeWish, DateProblem> {
    let part = facts.iter().find_map(|f| if let Fact::Part(p) = f { Some(*p) } else { None });
    let meridiem = facts.iter().find_map(|f| if let Fact::Meridiem(m) = f { Some(*m) } else { None });
    let hint = Hint { part, meridiem, days, hours: ctx.hours };
    let clocks: Vec<NaiveTime> = facts
        .iter()
        .filter_map(|f| if let Fact::Clock(c) = f { Some(resolve_clock(*c, &hint)) } else { None })
        .collect::<Result<_, _>>()?;
    let mut window: Option<TimeWindow> = part.map(PartOfDay::window);
    let mut narrow = |w: TimeWindow| -> Result<(), DateProblem> {
        window = Some(match window {
            None => w,
            Some(old) => {
                let from = old.from.max(w.from);
                let to = old.to.min(w.to);
                if from >= to {
                    return Err(DateProblem::Conflicting);
                }
                // the narrower said bound names the window
                TimeWindow { from, to, finish_by: w.finish_by || old.finish_by, label: w.label }
            }
        });
        Ok(())
    };
    for fact in facts {
        match fact {
            Fact::From(c) => narrow(TimeWindow {
                from: resolve_clock(*c, &hint)?,
                to: END_OF_DAY,
                finish_by: false,
                label: WindowLabel::After,
            })?,
            Fact::Until(c) => narrow(TimeWindow {
                from: hm(0, 0),
                to: resolve_end(*c, &hint)?,
                finish_by: true,
                label: WindowLabel::Before,
            })?,
            Fact::Between(a, b) => {
                let (from, to) = resolve_between(*a, *b, &hint)?;
                narrow(TimeWindow { from, to, finish_by: true, label: WindowLabel::Between })?
            }
            Fact::Near(c, after) => {
                let at = resolve_clock(*c, &hint)?;
                let (from, to) =
                    if *after { (at, at + Duration::minutes(30)) } else { (at - Duration::minutes(30), at) };
                narrow(TimeWindow { from, to, finish_by: false, label: WindowLabel::Near })?
            }
            Fact::Window(from, to) => {
                let label = if *to == END_OF_DAY { WindowLabel::After } else { WindowLabel::Between };
                narrow(TimeWindow { from: *from, to: *to, finish_by: false, label })?
            }
            _ => {}
        }
    }
    let mut distinct = clocks.clone();
    distinct.dedup();
    match (distinct.as_slice(), window) {
        ([], None) => Ok(TimeWish::Any),
        ([], Some(window)) => Ok(TimeWish::Window(window)),
        ([at], None) => Ok(TimeWish::At(*at)),
        // "nachmittags um 3": the part only chose the reading
        ([at], Some(window))
            if matches!(window.label, WindowLabel::Part(_)) && window.from <= *at && *at < window.to =>
        {
            Ok(TimeWish::At(*at))
        }
        _ => Err(DateProblem::Conflicting),
    }
}

/// "zwischen 2 und 4": both ends read together — the pair (both morning, both afternoon, or
/// "10 bis 2" across noon) that overlaps the opening hours most; clock times said exactly stay.
fn resolve_between(a: Clock, b: Clock, hint: &Hint) -> Result<(NaiveTime, NaiveTime), DateProblem> {
    let settled = |c: Clock| c.explicit || c.meridiem.is_some() || hint.part.is_some() || c.hour == 12;
    // Both readings of each end, (morning, afternoon); a settled end has one.
    let readings = |c: Clock, end: bool| -> Result<(NaiveTime, Option<NaiveTime>), DateProblem> {
        if settled(c) {
            return Ok((if end { resolve_end(c, hint)? } else { resolve_clock(c, hint)? }, None));
        }
        let early = NaiveTime::from_hms_opt(c.hour, c.minute, 0).ok_or(DateProblem::Impossible)?;
        Ok((early, Some(early + Duration::hours(12))))
    };
    let ((a_early, a_late), (b_early, b_late)) = (readings(a, false)?, readings(b, true)?);
    // Same half of the day, or across noon only when the morning pair runs backwards ("10 bis 2").
    let mut pairs = vec![(a_early, b_early)];
    pairs.extend(a_late.zip(b_late));
    pairs.extend(a_late.map(|a| (a, b_early)));
    pairs.extend(b_late.filter(|_| a_early >= b_early).map(|b| (a_early, b)));
    // A reading inside the opening hours first, then the narrower one ("von 1 bis 17 Uhr" is
    // 13–17), then one in waking hours.
    pairs
        .into_iter()
        .filter(|(from, to)| to > from)
        .min_by_key(|(from, to)| (hint.open_minutes(*from, *to) == 0, *to - *from, from.hour() < 7))
        .ok_or(DateProblem::Conflicting)
}

/// What decides the reading of a 12-hour clock time.
struct Hint<'a> {
    part: Option<PartOfDay>,
    meridiem: Option<Meridiem>,
    days: (NaiveDate, NaiveDate),
    hours: &'a OpeningHours,
}

impl Hint<'_> {
    /// The wished weekdays the branch opens on — or, when it opens on none of them, every weekday
    /// (so "Sonntag um 3" still reads as 15:00).
    fn weekdays(&self) -> Vec<Weekday> {
        let wished: Vec<Weekday> =
            self.days.0.iter_days().take_while(|d| *d <= self.days.1).take(7).map(|d| d.weekday()).collect();
        if wished.iter().any(|w| !self.hours.on(*w).is_empty()) {
            wished
        } else {
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun].to_vec()
        }
    }

    /// Minutes of `[from, to)` the branch is open, on the wished weekday where it is most.
    fn open_minutes(&self, from: NaiveTime, to: NaiveTime) -> i64 {
        self.weekdays()
            .into_iter()
            .map(|w| {
                self.hours.on(w).iter().map(|r| (r.close.min(to) - r.open.max(from)).num_minutes().max(0)).sum::<i64>()
            })
            .max()
            .unwrap_or(0)
    }

    /// Whether the branch is open at `time` on any of the wished days (or, when they are all
    /// closed, on any day of the week — so "Sonntag um 3" still reads as 15:00).
    fn open_at(&self, time: NaiveTime, closing_counts: bool) -> bool {
        self.weekdays()
            .iter()
            .any(|w| self.hours.on(*w).iter().any(|r| r.contains(time) || (closing_counts && r.close == time)))
    }
}

/// A clock time on the 24-hour clock: explicit times stay; "pm"/"abends"/a part of the day decide;
/// otherwise the reading inside the opening hours wins ("um 3" → 15:00 at a salon open 9–18).
fn resolve_clock(clock: Clock, hint: &Hint) -> Result<NaiveTime, DateProblem> {
    resolve_clock_as(clock, hint, false)
}

/// The same for the end of a window ("bis 6"): closing time counts as inside the hours.
fn resolve_end(clock: Clock, hint: &Hint) -> Result<NaiveTime, DateProblem> {
    resolve_clock_as(clock, hint, true)
}

fn resolve_clock_as(clock: Clock, hint: &Hint, is_end: bool) -> Result<NaiveTime, DateProblem> {
    let at = |hour: u32| NaiveTime::from_hms_opt(hour % 24, clock.minute, 0).ok_or(DateProblem::Impossible);
    if clock.hour > 24 || clock.minute > 59 {
        return Err(DateProblem::Impossible);
    }
    if clock.explicit {
        // "07:00 PM": a leading zero does not outvote the meridiem written after it
        return match clock.meridiem.or(hint.meridiem) {
            Some(Meridiem::Pm) if (1..12).contains(&clock.hour) => at(clock.hour + 12),
            Some(Meridiem::Am) if clock.hour > 12 => Err(DateProblem::Conflicting),
            _ => at(clock.hour),
        };
    }
    let h = clock.hour;
    let pm = |h: u32| if h < 12 { h + 12 } else { h };
    let hour = match (clock.meridiem.or(hint.meridiem), hint.part) {
        (Some(Meridiem::Pm), _) => pm(h),
        (Some(Meridiem::Am), _) => h % 12,
        (None, Some(PartOfDay::Afternoon | PartOfDay::Evening)) => pm(h),
        (None, Some(PartOfDay::Morning)) => h,
        (None, Some(PartOfDay::Midday)) if h <= 3 => pm(h),
        _ if h == 12 => 12,
        _ => {
            let (early, late) = (at(h)?, at(h + 12)?);
            match (hint.open_at(early, is_end), hint.open_at(late, is_end)) {
                (true, false) => h,
                (false, true) => h + 12,
                (true, true) if h >= 7 => h,
                (true, true) => h + 12,
                (false, false) if h < 7 => h + 12,
                (false, false) => h,
            }
        }
    };
    at(hour)
}
