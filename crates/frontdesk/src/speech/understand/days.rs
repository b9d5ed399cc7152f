//! Which days: dates, weekdays, weeks, months and named days resolved in the tenant's calendar,
//! the nearest future reading first.

use super::Days;
use crate::domain::holidays::easter_sunday;
use crate::speech::grammar::{Fact, MonthRef, NamedDay, Section, Side, WeekdayMode};
use crate::speech::wish::{monday_of, DateProblem};
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// The longest span of days a wish may name ("vom 1. Januar bis 31. Dezember" is no wish).
const MAX_SPAN_DAYS: i64 = 92;

/// The days named, if any; with [`Fact::Through`] the span from the days before it to the days
/// after it ("Dienstag bis Donnerstag", "vom 10. bis 15. Dezember", "Monday to Friday next week").
pub(super) fn resolve_days(facts: &[Fact], today: NaiveDate) -> Result<Option<Days>, DateProblem> {
    let shift: i64 = facts.iter().filter_map(|f| if let Fact::Shift(d) = f { Some(*d) } else { None }).sum();
    let through = facts.iter().position(|f| *f == Fact::Through);
    let beside = beside_fact(facts, shift, through)?;
    let named_from = |base: NaiveDate| match through {
        Some(at) => span_between(&facts[..at], &facts[at + 1..], base).map(Some),
        None => days_named(facts, base),
    };
    let counted = |named: Option<Days>| -> Result<Option<Days>, DateProblem> {
        match (named, beside) {
            (Some(named), Some(fact)) => beside_days(fact, named, today).map(Some),
            (None, Some(_)) => Err(DateProblem::Conflicting),
            // "zwei Tage nach Freitag", "eine Woche vor Weihnachten": the day named, later or earlier
            (Some(named), None) if shift != 0 => shifted(named, shift, today).map(Some),
            (named, None) => Ok(named),
        }
    };
    // A recurring day ("Weihnachten", "der 25.") is its next occurrence. A day counted after it is
    // still ahead when it has just passed ("die Woche nach Weihnachten" on 27 December: the
    // Christmas just past), and one counted before it can be past when it is near ("der Freitag vor
    // dem 27." on 26 November: the next 27th's).
    let recurring = through.is_none() && recurring(facts);
    let reach = match beside {
        Some(Fact::WeekBeside(Side::After)) => 13,
        Some(Fact::WeekdayBeside(_, Side::After)) => 7,
        _ => shift.max(0),
    };
    if recurring && reach > 0 {
        if let Ok(Some(days)) = named_from(today - Duration::days(reach)).and_then(counted) {
            return week_of(facts, Some(days), today);
        }
    }
    let named = named_from(today)?;
    let days = match counted(named) {
        Err(DateProblem::Past) if recurring => {
            let next = named.map(|n| n.first + Duration::days(1)).ok_or(DateProblem::Past)?;
            counted(named_from(next)?)?
        }
        days => days?,
    };
    week_of(facts, days, today)
}

/// The one weekday or week counted from a day ("der Montag nach Ostern"), if said. Counted from a
/// span, beside a shift, or with a day said before it ("Montag oder Dienstag nach dem 14.": the
/// day counted from follows) there is no one reading.
fn beside_fact(facts: &[Fact], shift: i64, through: Option<usize>) -> Result<Option<&Fact>, DateProblem> {
    let mut at = facts.iter().enumerate().filter(|(_, f)| counted_from_a_day(f)).map(|(i, _)| i);
    let Some(first) = at.next() else { return Ok(None) };
    let day_before = facts[..first].iter().any(Fact::is_day);
    if at.next().is_some() || through.is_some() || shift != 0 || day_before || facts.contains(&Fact::WeekOf) {
        return Err(DateProblem::Conflicting);
    }
    Ok(Some(&facts[first]))
}

/// Whether the fact is a weekday or week counted from the day said after it.
fn counted_from_a_day(fact: &Fact) -> bool {
    matches!(fact, Fact::WeekdayBeside(..) | Fact::WeekBeside(_))
}

/// Whether every day said is the next occurrence of a recurring day: a holiday, a date without a
/// year, a day of the month without one.
fn recurring(facts: &[Fact]) -> bool {
    let mut days = facts.iter().filter(|f| f.is_day() && !counted_from_a_day(f));
    let kind = |f: &Fact| matches!(f, Fact::Named(_) | Fact::Calendar { year: None, .. } | Fact::DayOfMonth(_, None));
    days.clone().next().is_some() && days.all(kind)
}

/// The days moved by `shift` days.
fn shifted(named: Days, shift: i64, today: NaiveDate) -> Result<Days, DateProblem> {
    let moved = ahead(named.first + Duration::days(shift), named.last + Duration::days(shift), today)?;
    Ok(Days { said: named.said, ..moved })
}

/// The days from `first` to `last` said by the caller, from today on; past when they end before today.
fn ahead(first: NaiveDate, last: NaiveDate, today: NaiveDate) -> Result<Days, DateProblem> {
    if last < today {
        return Err(DateProblem::Past);
    }
    Ok(Days { first: first.max(today), last, said: true })
}

/// "die Woche vom 14. Dezember": that day's week, Monday to Sunday, from today on; a Sunday names
/// the week it begins ("the week of October 6th", a Sunday: the 7th to the 13th).
fn week_of(facts: &[Fact], days: Option<Days>, today: NaiveDate) -> Result<Option<Days>, DateProblem> {
    match days {
        Some(day) if facts.contains(&Fact::WeekOf) => {
            if day.first != day.last {
                return Err(DateProblem::Conflicting);
            }
            let monday = monday_of(day.first + Duration::days(i64::from(day.first.weekday() == Weekday::Sun)));
            ahead(monday, monday + Duration::days(6), today).map(Some)
        }
        days => Ok(days),
    }
}

/// The days counted from the days `named`: the nearest weekday after or before them ("der Montag
/// nach Ostern"), or the calendar week after or before theirs ("die Woche nach Weihnachten").
fn beside_days(fact: &Fact, named: Days, today: NaiveDate) -> Result<Days, DateProblem> {
    match *fact {
        Fact::WeekdayBeside(weekday, side) => {
            let (from, step) = if side == Side::After { (named.last, 1) } else { (named.first, -1) };
            let day = (1..=7).map(|n| from + Duration::days(step * n)).find(|d| d.weekday() == weekday);
            let day = day.ok_or(DateProblem::Conflicting)?;
            ahead(day, day, today)
        }
        Fact::WeekBeside(Side::After) => {
            let monday = monday_of(named.last) + Duration::days(7);
            ahead(monday, monday + Duration::days(6), today)
        }
        Fact::WeekBeside(Side::Before) => week_before(named.first, today),
        _ => Err(DateProblem::Conflicting),
    }
}

/// "die Woche vor Weihnachten": the calendar week before the week of `day`, or the days of that
/// week before `day` — whichever is still ahead, and the question between them when both are
/// (unless `day` is a Monday: then the two are one).
fn week_before(day: NaiveDate, today: NaiveDate) -> Result<Days, DateProblem> {
    let monday = monday_of(day);
    // each reading from today on, or none when it has passed (or, for a Monday, is empty)
    let reading = |first: NaiveDate, last: NaiveDate| (first <= last).then(|| ahead(first, last, today).ok()).flatten();
    let week = reading(monday - Duration::days(7), monday - Duration::days(1));
    let days = reading(monday, day - Duration::days(1));
    match (week, days) {
        (Some(week), Some(days)) => {
            Err(DateProblem::WhichWeekBefore { week: (week.first, week.last), days: (days.first, days.last) })
        }
        (Some(only), None) | (None, Some(only)) => Ok(only),
        (None, None) => Err(DateProblem::Past),
    }
}

/// The span from the days `left` names to those `right` names. What one side says of the week or
/// month ("Montag bis Freitag nächste Woche", "10. bis 15. Dezember") holds for both, and the end is
/// read from the start on ("Freitag bis Montag": the Monday after that Friday).
fn span_between(left: &[Fact], right: &[Fact], today: NaiveDate) -> Result<Days, DateProblem> {
    if right.contains(&Fact::Through) {
        return Err(DateProblem::Conflicting);
    }
    let context = |side: &[Fact]| -> Vec<Fact> {
        side.iter().filter(|f| matches!(f, Fact::Week(..) | Fact::Month(..) | Fact::WeeksLater(_))).cloned().collect()
    };
    let with_context = |side: &[Fact], other: &[Fact]| -> Vec<Fact> {
        let mut facts: Vec<Fact> = side.iter().filter(|f| f.is_day()).cloned().collect();
        if context(side).is_empty() {
            facts.extend(context(other));
        }
        // "10. bis 15. Dezember": the month said at the end is the start's too
        let month_of_other = other.iter().find_map(|f| match f {
            Fact::Calendar { month, year, .. } => Some((*month, *year)),
            _ => None,
        });
        for fact in &mut facts {
            if let (Fact::DayOfMonth(day, None), Some((month, year))) = (&*fact, month_of_other) {
                *fact = Fact::Calendar { day: *day, month, year };
            }
        }
        facts
    };
    let (mut start, end) = (with_context(left, right), with_context(right, left));
    // "bis Freitag", "until the 3rd": from today on
    if start.is_empty() && !left.iter().any(Fact::is_day) {
        start.push(Fact::Relative(0));
    }
    if start.is_empty() || end.is_empty() {
        return Err(DateProblem::Conflicting);
    }
    let first = days_named(&start, today)?.ok_or(DateProblem::Conflicting)?;
    let mut last = days_named(&end, today)?.ok_or(DateProblem::Conflicting)?;
    if last.last < first.first {
        // read the end from the start on: "Freitag bis Montag", "vom 28. bis 3."
        last = days_named(&end, first.first)?.ok_or(DateProblem::Conflicting)?;
    }
    if last.last < first.first || (last.last - first.first).num_days() >= MAX_SPAN_DAYS {
        return Err(DateProblem::Conflicting);
    }
    Ok(Days { first: first.first, last: last.last, said: true })
}

/// The days named by facts without a span word: one date, a weekday (qualified), a week,
/// weekend or month.
fn days_named(facts: &[Fact], today: NaiveDate) -> Result<Option<Days>, DateProblem> {
    if facts.contains(&Fact::Past) {
        return Err(DateProblem::Past);
    }
    let weeks_later: i64 = facts.iter().filter_map(|f| if let Fact::WeeksLater(w) = f { Some(*w) } else { None }).sum();
    let weekdays: Vec<(Weekday, WeekdayMode)> =
        facts.iter().filter_map(|f| if let Fact::Weekday(d, m) = f { Some((*d, *m)) } else { None }).collect();
    if weekdays.iter().any(|(d, _)| *d != weekdays[0].0) {
        return Err(DateProblem::Conflicting);
    }
    let weekday = weekdays.first().copied();
    // A week or month said beside a date: "the 20th of the next month" is that month's 20th,
    // and a date outside the period said with it is no reading.
    let period = facts.iter().any(Fact::is_period).then(|| span(facts, today).ok().flatten()).flatten();
    // Dates named outright.
    let mut dates = Vec::new();
    for fact in facts {
        let date = match fact {
            Fact::DayOfMonth(day, None) if period.is_some() => {
                let (first, last) = period.unwrap_or((today, today));
                Some(first.iter_days().take_while(|d| *d <= last).find(|d| d.day() == *day).ok_or(DateProblem::Conflicting)?)
            }
            Fact::Calendar { day, month, year } => {
                Some(calendar_date(*day, *month, *year, today, weekday.map(|w| w.0))?)
            }
            Fact::DayOfMonth(day, month) => Some(day_of_month(*day, *month, today)?),
            Fact::Relative(days) => Some(today + Duration::days(*days)),
            Fact::NextWeekday => {
                let mut day = today + Duration::days(1);
                while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                    day += Duration::days(1);
                }
                Some(day)
            }
            Fact::MonthsLater(months) => {
                Some(today.checked_add_months(Months::new(*months)).ok_or(DateProblem::Impossible)?)
            }
            Fact::Exact(date) => Some(*date),
            Fact::Named(named) => Some(named_day(*named, today)),
            Fact::NthOfMonth { nth, weekday, month } => Some(nth_of_month(*nth, *weekday, *month, today)?),
            _ => None,
        };
        dates.extend(date);
    }
    dates.dedup();
    if dates.len() > 1 {
        return Err(DateProblem::Conflicting);
    }
    if let Some(mut date) = dates.first().copied() {
        if weekday.is_some() && weeks_later > 0 {
            return Err(DateProblem::Conflicting);
        }
        if period.is_some_and(|(first, last)| date < first || date > last) {
            return Err(DateProblem::Conflicting);
        }
        date += Duration::days(7 * weeks_later);
        if let Some((said, _)) = weekday {
            if date.weekday() != said {
                return Err(DateProblem::WeekdayMismatch { date, said });
            }
        }
        if date < today {
            return Err(DateProblem::Past);
        }
        return Ok(Some(Days { first: date, last: date, said: true }));
    }
    let span = span(facts, today)?;
    match (weekday, span) {
        (Some((day, _)), Some((first, last))) => {
            let date = first.iter_days().take_while(|d| *d <= last).find(|d| d.weekday() == day);
            match date {
                Some(date) if date >= today => Ok(Some(Days { first: date, last: date, said: true })),
                Some(_) => Err(DateProblem::Past),
                None => Err(DateProblem::Conflicting),
            }
        }
        (Some((day, mode)), None) => {
            let date = weekday_date(day, mode, today) + Duration::days(7 * weeks_later);
            Ok(Some(Days { first: date, last: date, said: true }))
        }
        (None, Some((first, last))) => Ok(Some(Days { first: first.max(today), last, said: true })),
        (None, None) if weeks_later > 0 => {
            let date = today + Duration::days(7 * weeks_later);
            Ok(Some(Days { first: date, last: date, said: true }))
        }
        (None, None) => Ok(None),
    }
}

/// The `nth` weekday (or day) of a month, from its end when negative. A named month is the next
/// one in which that day has not passed ("der erste Montag im November" late in November: next
/// year's); "dieses Monats" is this month only, so a day already past there is past.
fn nth_of_month(nth: i8, weekday: Option<Weekday>, month: MonthRef, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let this_month = today.with_day(1).ok_or(DateProblem::Impossible)?;
    let candidates: Vec<NaiveDate> = match month {
        MonthRef::Relative(offset) => {
            let months = u32::try_from(offset).map_err(|_| DateProblem::Past)?;
            vec![this_month.checked_add_months(Months::new(months)).ok_or(DateProblem::Impossible)?]
        }
        MonthRef::Named(named) => (0..=1)
            .filter_map(|years| NaiveDate::from_ymd_opt(today.year() + years, named, 1))
            .filter(|first| *first >= this_month)
            .collect(),
    };
    for first in candidates {
        // "der fünfte Montag im Februar" when February has four: no such day, said so
        let date = counted_day(nth, weekday, first).ok_or(DateProblem::Impossible)?;
        if date >= today {
            return Ok(date);
        }
    }
    Err(DateProblem::Past)
}

/// The `nth` day of the month starting at `first` that is a `weekday` (any day without one),
/// counted from the month's end when `nth` is negative.
fn counted_day(nth: i8, weekday: Option<Weekday>, first: NaiveDate) -> Option<NaiveDate> {
    let next_month = first.checked_add_months(Months::new(1))?;
    let mut days = first.iter_days().take_while(|d| *d < next_month).filter(|d| weekday.is_none_or(|w| d.weekday() == w));
    match usize::try_from(nth) {
        Ok(n) if n > 0 => days.nth(n - 1),
        _ => days.last(),
    }
}

/// A weekday as qualified: plain means the next one after today.
fn weekday_date(day: Weekday, mode: WeekdayMode, today: NaiveDate) -> NaiveDate {
    let ahead =
        (i64::from(day.num_days_from_monday()) - i64::from(today.weekday().num_days_from_monday())).rem_euclid(7);
    let in_week = |weeks: i64| monday_of(today) + Duration::days(7 * weeks + i64::from(day.num_days_from_monday()));
    match mode {
        WeekdayMode::Plain if ahead == 0 => today + Duration::days(7),
        WeekdayMode::Plain | WeekdayMode::This => today + Duration::days(ahead),
        WeekdayMode::Next => in_week(1),
        WeekdayMode::AfterNext => in_week(2),
    }
}

/// A day and month: the given year, or the nearest one not yet past (a weekday said with it may
/// pick the year).
fn calendar_date(
    day: u32,
    month: u32,
    year: Option<i32>,
    today: NaiveDate,
    weekday: Option<Weekday>,
) -> Result<NaiveDate, DateProblem> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(DateProblem::Impossible);
    }
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::Impossible);
    }
    let candidates: Vec<NaiveDate> = (0..=4)
        .filter_map(|delta| NaiveDate::from_ymd_opt(today.year() + delta, month, day))
        .filter(|d| *d >= today)
        .collect();
    let first = *candidates.first().ok_or(DateProblem::Impossible)?;
    if let Some(said) = weekday {
        // "Freitag, den 4.12." said when this year's 4.12. is no Friday but next year's is
        if first.weekday() != said {
            if let Some(next) = candidates.get(1).filter(|d| d.weekday() == said && d.year() == first.year() + 1) {
                return Ok(*next);
            }
        }
    }
    Ok(first)
}

/// "am dritten": this month's if it is still ahead, otherwise next month's.
fn day_of_month(day: u32, month: Option<MonthRef>, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let month_start = |offset: i32| {
        let index = today.year() * 12 + today.month0() as i32 + offset;
        (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
    };
    if let Some(MonthRef::Relative(offset)) = month {
        let (y, m) = month_start(offset);
        let date = NaiveDate::from_ymd_opt(y, m, day).ok_or(DateProblem::Impossible)?;
        return if date < today { Err(DateProblem::Past) } else { Ok(date) };
    }
    (0..=2)
        .filter_map(|offset| {
            let (y, m) = month_start(offset);
            NaiveDate::from_ymd_opt(y, m, day)
        })
        .find(|d| *d >= today)
        .ok_or(DateProblem::Impossible)
}

/// The next occurrence of a named day, today included.
fn named_day(named: NamedDay, today: NaiveDate) -> NaiveDate {
    let in_year = |year: i32| match named {
        NamedDay::Fixed(month, day) => NaiveDate::from_ymd_opt(year, month, day),
        NamedDay::Easter(offset) => Some(easter_sunday(year) + Duration::days(offset)),
    };
    (0..=1).filter_map(|d| in_year(today.year() + d)).find(|d| *d >= today).unwrap_or(today)
}

/// A week, weekend or month (or a part of one), from today on; a span already over moves on.
fn span(facts: &[Fact], today: NaiveDate) -> Result<Option<(NaiveDate, NaiveDate)>, DateProblem> {
    let spans: Vec<(NaiveDate, NaiveDate)> = facts
        .iter()
        .filter_map(|fact| match fact {
            Fact::Week(offset, section) => {
                let at = |weeks: i64| {
                    let monday = monday_of(today) + Duration::days(7 * weeks);
                    let (a, b) = match section {
                        Section::Whole => (0, 6),
                        Section::Start => (0, 1),
                        Section::Middle => (1, 3),
                        Section::End => (3, 5),
                    };
                    (monday + Duration::days(a), monday + Duration::days(b))
                };
                let (first, last) = at(*offset);
                Some(if last < today && *offset == 0 { at(1) } else { (first, last) })
            }
            Fact::Weekend(offset) => {
                let saturday = monday_of(today) + Duration::days(7 * offset + 5);
                Some((saturday, saturday + Duration::days(1)))
            }
            Fact::RelativeSpan(a, b) => Some((today + Duration::days(*a), today + Duration::days(*b))),
            Fact::Month(month, section) => Some(month_span(*month, *section, today)),
            _ => None,
        })
        .collect();
    match spans.as_slice() {
        [] => Ok(None),
        [(first, last)] => {
            if *last < today {
                return Err(DateProblem::Past);
            }
            Ok(Some((*first, *last)))
        }
        _ => Err(DateProblem::Conflicting),
    }
}

fn month_span(month: MonthRef, section: Section, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let bounds = |year: i32, month: u32| {
        let first = NaiveDate::from_ymd_opt(year, month, 1).expect("month 1..=12");
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let last = next.expect("valid month") - Duration::days(1);
        let (a, b) = match section {
            Section::Whole => (first, last),
            Section::Start => (first, first + Duration::days(9)),
            Section::Middle => (first + Duration::days(10), first + Duration::days(19)),
            Section::End => (first + Duration::days(20), last),
        };
        (a, b)
    };
    match month {
        MonthRef::Relative(offset) => {
            let index = today.year() * 12 + today.month0() as i32 + offset;
            let (first, last) = bounds(index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
            if last < today && offset == 0 {
                let index = index + 1;
                return bounds(index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
            }
            (first, last)
        }
        MonthRef::Named(month) => {
            let (first, last) = bounds(today.year(), month);
            if last < today {
                bounds(today.year() + 1, month)
            } else {
                (first, last)
            }
        }
    }
}
