//! Understanding what a caller said about *when* (and with whom): the date and time arguments
//! are tokenised, read by the grammar into facts, and the facts resolved into a [`Wish`] in the
//! tenant's calendar — nearest future readings, 12-hour clock times inside opening hours — or a
//! [`DateProblem`] saying what was not understood. Never a silent "today".

use super::grammar::{Clock, Fact, Field, Grammar, Meridiem, MonthRef, NamedDay, Section, WeekdayMode};
use super::tokens::tokens;
use super::wish::{
    hm, monday_of, DateProblem, Flexibility, PartOfDay, TimeWindow, TimeWish, Understood, WindowLabel, Wish, END_OF_DAY,
};
use crate::domain::holidays::easter_sunday;
use crate::domain::{Language, OpeningHours, Staff};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;

/// What the understanding needs to know about the caller's situation.
#[derive(Debug, Clone, Copy)]
pub struct SpeechContext<'a> {
    /// Now, in the tenant's time zone.
    pub now: DateTime<Tz>,
    /// The branch's hours, to resolve "halb drei" to 14:30 rather than 02:30.
    pub hours: &'a OpeningHours,
    /// The tenant's language ("am" is a preposition in German, a meridiem in English).
    pub language: Language,
    /// Whether "12/3" is 3 December (en-US) rather than 12 March.
    pub month_first: bool,
    /// The branch's staff, so "bei Jonas" is understood.
    pub staff: &'a [Staff],
}

/// How far ahead "so früh wie möglich" looks.
const EARLIEST_HORIZON_DAYS: i64 = 60;
/// At most this many not-understood words are echoed, each cut to this length.
const ECHO_WORDS: usize = 3;
const ECHO_CHARS: usize = 24;

/// Understands the date and time arguments of a function call. Either may carry both ("morgen
/// um 14 Uhr" in the date).
pub fn understand(date: Option<&str>, time: Option<&str>, ctx: &SpeechContext) -> Result<Wish, DateProblem> {
    let mut facts = Vec::new();
    let mut unknown = Vec::new();
    let mut said_anything = false;
    for (text, field) in [(date, Field::Date), (time, Field::Time)] {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { continue };
        said_anything = true;
        let tokens = tokens(text);
        let scan = Grammar::new(&tokens, field, ctx.language, ctx.month_first, ctx.staff).scan();
        if scan.impossible {
            return Err(DateProblem::Impossible);
        }
        facts.extend(scan.facts);
        unknown.extend(scan.unknown);
    }
    if !said_anything {
        return Err(DateProblem::Missing);
    }
    let has_day = facts.iter().any(Fact::is_day);
    let has_time = facts.iter().any(Fact::is_time);
    if !unknown.is_empty() || (!has_day && !has_time) {
        let echoed: Vec<String> =
            unknown.iter().take(ECHO_WORDS).map(|w| w.chars().take(ECHO_CHARS).collect()).collect();
        return Err(match (has_day, has_time) {
            (true, false) => {
                let wish = resolve(&facts, ctx)?;
                DateProblem::Partly(Understood::Day(wish.first_day), echoed)
            }
            (false, true) => DateProblem::Partly(Understood::Time, echoed),
            _ => DateProblem::Unrecognised(echoed),
        });
    }
    resolve(&facts, ctx)
}

/// The days a wish covers before times are applied.
struct Days {
    first: NaiveDate,
    last: NaiveDate,
    said: bool,
}

fn resolve(facts: &[Fact], ctx: &SpeechContext) -> Result<Wish, DateProblem> {
    let now = ctx.now;
    let today = now.date_naive();
    // An exact instant ("…T13:00:00Z") is complete on its own.
    if let Some(instant) = facts.iter().find_map(|f| if let Fact::Instant(t) = f { Some(*t) } else { None }) {
        let local = instant.with_timezone(&now.timezone());
        if local < now - Duration::minutes(1) {
            return Err(DateProblem::Past);
        }
        let time = local.time().with_second(0).unwrap_or(local.time());
        return Ok(wish(local.date_naive(), local.date_naive(), TimeWish::At(time), Flexibility::Exact, facts, true));
    }
    let earliest = facts.contains(&Fact::Earliest);
    let in_minutes = facts.iter().find_map(|f| if let Fact::InMinutes(m) = f { Some(*m) } else { None });
    let mut days = resolve_days(facts, today)?;
    if let Some(minutes) = in_minutes {
        // "in zwei Stunden": that time, rounded up to the next quarter hour, approximately.
        let at = now + Duration::minutes(minutes);
        let rounded = (at.minute().div_ceil(15) * 15) as i64 - i64::from(at.minute());
        let at = (at + Duration::minutes(rounded)).with_second(0).unwrap_or(at);
        let day = at.date_naive();
        if days.as_ref().is_some_and(|d| d.first != day || d.last != day) {
            return Err(DateProblem::Conflicting);
        }
        return Ok(wish(
            day,
            day,
            TimeWish::At(at.time().with_nanosecond(0).unwrap_or(at.time())),
            Flexibility::Around,
            facts,
            true,
        ));
    }
    if earliest && days.is_none() {
        days = Some(Days { first: today, last: today + Duration::days(EARLIEST_HORIZON_DAYS), said: true });
    }
    let provisional = days.as_ref().map(|d| (d.first, d.last)).unwrap_or((today, today));
    let time = resolve_time(facts, provisional, ctx)?;
    let mut days = days.unwrap_or(Days { first: today, last: today, said: false });
    // Today only as far as it is still ahead: a time already past means tomorrow unless the day
    // was said.
    let now_time = now.time().with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now.time());
    let passed_today = match time {
        TimeWish::At(t) => t < now_time,
        TimeWish::Window(w) => w.to <= now_time,
        TimeWish::Any => false,
    };
    if days.first == today && passed_today {
        if days.last > today {
            days.first = today + Duration::days(1);
        } else if days.said {
            return Err(DateProblem::Past);
        } else {
            days.first = today + Duration::days(1);
            days.last = days.first;
        }
    }
    let flexibility = if earliest {
        Flexibility::Earliest
    } else if facts.iter().any(|f| matches!(f, Fact::Around | Fact::Near(..))) {
        Flexibility::Around
    } else {
        Flexibility::Exact
    };
    Ok(wish(days.first, days.last, time, flexibility, facts, days.said))
}

fn wish(
    first: NaiveDate,
    last: NaiveDate,
    time: TimeWish,
    flexibility: Flexibility,
    facts: &[Fact],
    said: bool,
) -> Wish {
    let staff = facts.iter().find_map(|f| if let Fact::Staff(name) = f { Some(name.clone()) } else { None });
    Wish { first_day: first, last_day: last, time, flexibility, staff, day_said: said }
}

/// The days named, if any: one date, a weekday (qualified), a week, weekend or month.
fn resolve_days(facts: &[Fact], today: NaiveDate) -> Result<Option<Days>, DateProblem> {
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
    // Dates named outright.
    let mut dates = Vec::new();
    for fact in facts {
        let date = match fact {
            Fact::Calendar { day, month, year } => {
                Some(calendar_date(*day, *month, *year, today, weekday.map(|w| w.0))?)
            }
            Fact::DayOfMonth(day, month) => Some(day_of_month(*day, *month, today)?),
            Fact::Relative(days) => Some(today + Duration::days(*days)),
            Fact::MonthsLater(months) => {
                Some(today.checked_add_months(Months::new(*months)).ok_or(DateProblem::Impossible)?)
            }
            Fact::Exact(date) => Some(*date),
            Fact::Named(named) => Some(named_day(*named, today)),
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

/// The time of day named: one clock time, or a window from parts of the day and bounds.
fn resolve_time(facts: &[Fact], days: (NaiveDate, NaiveDate), ctx: &SpeechContext) -> Result<TimeWish, DateProblem> {
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
        return at(clock.hour);
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
