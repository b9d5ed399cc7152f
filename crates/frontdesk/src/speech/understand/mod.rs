//! Understanding what a caller said about *when* (and with whom): the date and time arguments
//! are tokenised, read by the grammar into facts, and the facts resolved into a [`Wish`] in the
//! tenant's calendar — nearest future readings, 12-hour clock times inside opening hours — or a
//! [`DateProblem`] saying what was not understood. Never a silent "today".

mod clock;
mod days;

use super::grammar::{Fact, Field, Grammar, ZoneRef};
use super::tokens::tokens;
use super::wish::{DateProblem, Flexibility, TimeWish, Understood, Wish};
use crate::domain::{Language, OpeningHours, Staff};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;
use clock::resolve_time;
use days::resolve_days;

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
    /// The day the call spoke about before, so "am Tag danach" is understood (`None`: not known
    /// yet — such words then answer [`DateProblem::NoEarlierDay`] and the caller may ask again
    /// with it).
    pub earlier_day: Option<NaiveDate>,
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
    // Words not understood, by the argument they came from (date, time).
    let mut unknown: [Vec<String>; 2] = Default::default();
    let mut said_anything = false;
    for (slot, (text, field)) in [(date, Field::Date), (time, Field::Time)].into_iter().enumerate() {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { continue };
        said_anything = true;
        let tokens = tokens(text);
        let scan = Grammar::new(&tokens, field, ctx.language, ctx.month_first, ctx.staff).scan();
        if scan.impossible {
            return Err(DateProblem::Impossible);
        }
        facts.extend(scan.facts);
        unknown[slot] = scan.unknown;
    }
    if !said_anything {
        return Err(DateProblem::Missing);
    }
    // "am Tag danach": counted from the day spoken about before, when there was one
    for fact in &mut facts {
        if let Fact::AfterEarlier(days) = *fact {
            let earlier = ctx.earlier_day.ok_or(DateProblem::NoEarlierDay)?;
            *fact = Fact::Exact(earlier + Duration::days(days));
        }
    }
    let has_day = facts.iter().any(Fact::is_day);
    let has_time = facts.iter().any(Fact::is_time);
    let [in_date, in_time] = &unknown;
    if !in_date.is_empty() || !in_time.is_empty() || (!has_day && !has_time) {
        let echoed: Vec<String> = in_date
            .iter()
            .chain(in_time.iter())
            .take(ECHO_WORDS)
            .map(|w| w.chars().take(ECHO_CHARS).collect())
            .collect();
        // Only half understood: said so only when the other half's words were all read — an
        // unknown word beside the day ("die Woche vor Weihnachten") may change the day itself.
        return Err(match (has_day, has_time, in_date.is_empty(), in_time.is_empty()) {
            (true, false, true, false) => {
                let wish = resolve(&facts, ctx)?;
                DateProblem::Partly(Understood::Day(wish.first_day), echoed)
            }
            (false, true, false, true) => DateProblem::Partly(Understood::Time, echoed),
            _ => DateProblem::Unrecognised(echoed),
        });
    }
    let wish = resolve(&facts, ctx)?;
    match facts.iter().find_map(|f| if let Fact::Zone(zone) = f { Some(*zone) } else { None }) {
        Some(zone) => in_tenant_zone(wish, zone, ctx),
        None => Ok(wish),
    }
}

/// A wish whose times were said in another zone, moved to the tenant's: "16 Uhr MESZ" is 15:00 in
/// Berlin in winter, and that is what is searched and said back.
fn in_tenant_zone(mut wish: Wish, zone: ZoneRef, ctx: &SpeechContext) -> Result<Wish, DateProblem> {
    let tenant = ctx.now.timezone();
    // The minutes to add to a wall-clock time said in `zone` to read it on the tenant's clock.
    let shift = |at: NaiveDateTime| -> Result<Duration, DateProblem> {
        let said = match zone {
            ZoneRef::Offset(minutes) => {
                let offset = chrono::FixedOffset::east_opt(minutes * 60).ok_or(DateProblem::Impossible)?;
                offset.from_local_datetime(&at).single().ok_or(DateProblem::Impossible)?.with_timezone(&tenant)
            }
            ZoneRef::Named(tz) => tz.from_local_datetime(&at).earliest().ok_or(DateProblem::Impossible)?.with_timezone(&tenant),
        };
        Ok(said.naive_local() - at)
    };
    let moved = |day: NaiveDate, time: chrono::NaiveTime| -> Result<NaiveDateTime, DateProblem> {
        let at = day.and_time(time);
        Ok(at + shift(at)?)
    };
    match wish.time {
        TimeWish::At(time) => {
            let at = moved(wish.first_day, time)?;
            let days = (at.date() - wish.first_day).num_days();
            wish.first_day = at.date();
            wish.last_day += Duration::days(days);
            wish.time = TimeWish::At(at.time());
        }
        TimeWish::Window(mut window) => {
            let (from, to) = (moved(wish.first_day, window.from)?, moved(wish.first_day, window.to)?);
            // a window that crosses midnight on the tenant's clock is not one window of a day
            if from.date() != to.date() && to.time() != chrono::NaiveTime::MIN {
                return Err(DateProblem::Conflicting);
            }
            let days = (from.date() - wish.first_day).num_days();
            wish.first_day = from.date();
            wish.last_day += Duration::days(days);
            window.from = from.time();
            window.to = if to.date() == from.date() { to.time() } else { super::wish::END_OF_DAY };
            wish.time = TimeWish::Window(window);
        }
        TimeWish::Any => return Err(DateProblem::Partly(Understood::Day(wish.first_day), vec![])),
    }
    let now = ctx.now.naive_local();
    if wish.exact().is_some_and(|at| at < now) {
        return Err(DateProblem::Past);
    }
    Ok(wish)
}

/// The days a wish covers before times are applied.
#[derive(Debug, Clone, Copy)]
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
