//! One staff member's day on a time axis (the day view): when the branch is open, when they work,
//! their breaks and absences, the appointments and the free gaps between — or why the day is
//! closed. Computed from the directory and the day's appointments; pure.

use crate::domain::{BranchContext, Staff};
use crate::speech::{word, DayWord};
use crate::store::Appointment;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use maud::{html, Markup};

/// The shortest gap worth showing as free.
const SHORTEST_GAP: Duration = Duration::minutes(15);

/// What a stretch of the axis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Working,
    Break,
    Away,
    Booked,
    Free,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Self::Working => "working",
            Self::Break => "break",
            Self::Away => "away",
            Self::Booked => "booked",
            Self::Free => "free",
        }
    }
}

/// A stretch of the day.
struct Stretch {
    kind: Kind,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

/// The local ranges of a weekly schedule on `day` as instants.
fn on_day(tenant: &BranchContext, hours: &crate::domain::OpeningHours, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let tz = tenant.company.timezone;
    hours.on(day.weekday()).iter().map(|r| crate::calendar::day_range(tz, day, r)).collect()
}

/// `[from, to)` minus the `taken` stretches, as the gaps left of at least [`SHORTEST_GAP`].
fn gaps(from: DateTime<Utc>, to: DateTime<Utc>, taken: &[(DateTime<Utc>, DateTime<Utc>)]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut sorted = taken.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut at = from;
    for (start, end) in sorted {
        if start > at {
            out.push((at, start.min(to)));
        }
        at = at.max(end);
    }
    if at < to {
        out.push((at, to));
    }
    out.retain(|(a, b)| *b - *a >= SHORTEST_GAP);
    out
}

/// The stretches of a staff member's day: working time, breaks, absences, appointments, gaps.
fn stretches(tenant: &BranchContext, person: &Staff, day: NaiveDate, booked: &[&Appointment]) -> Vec<Stretch> {
    let open = on_day(tenant, &tenant.branch.opening_hours, day);
    let working: Vec<_> = match &person.working_hours {
        None => open.clone(),
        Some(hours) => on_day(tenant, hours, day)
            .into_iter()
            .flat_map(|(a, b)| open.iter().map(move |(o, c)| (a.max(*o), b.min(*c))).filter(|(from, to)| from < to))
            .collect(),
    };
    let breaks = on_day(tenant, &person.breaks, day);
    // absences as far as they reach into the branch's day
    let (first, last) = match (open.iter().map(|r| r.0).min(), open.iter().map(|r| r.1).max()) {
        (Some(first), Some(last)) => (first, last),
        _ => (crate::domain::start_of(day, tenant.company.timezone), crate::domain::start_of(day + Duration::days(1), tenant.company.timezone)),
    };
    let away: Vec<_> = person.absences.iter().filter(|a| a.overlaps(first, last)).map(|a| (a.starts_at.max(first), a.ends_at.min(last))).collect();
    let appointments: Vec<_> = booked.iter().map(|a| (a.starts_at, a.ends_at)).collect();
    let mut out: Vec<Stretch> = Vec::new();
    let mut push = |kind, list: &[(DateTime<Utc>, DateTime<Utc>)]| out.extend(list.iter().map(|(from, to)| Stretch { kind, from: *from, to: *to }));
    push(Kind::Working, &working);
    push(Kind::Break, &breaks);
    push(Kind::Away, &away);
    push(Kind::Booked, &appointments);
    let taken: Vec<_> = breaks.iter().chain(&away).chain(&appointments).copied().collect();
    let free: Vec<_> = working.iter().flat_map(|(a, b)| gaps(*a, *b, &taken)).collect();
    push(Kind::Free, &free);
    out
}

/// The axis of one staff member's day, from the branch's opening to its closing.
pub fn axis(l: crate::domain::Language, tenant: &BranchContext, person: &Staff, day: NaiveDate, booked: &[&Appointment]) -> Markup {
    if let Some(closed) = tenant.closed_on(day) {
        // why, when known: the holiday's name or the closure's reason
        let why = match closed {
            crate::domain::Closed::Holiday(holiday) => Some(crate::speech::holiday_name(holiday, l).to_string()),
            crate::domain::Closed::Closure => tenant.closure_on(day).and_then(|c| c.reason.clone()),
            crate::domain::Closed::Weekly => None,
        };
        return html! { p.muted.axis-closed { (word(l, DayWord::ClosedDay)) @if let Some(why) = why { ": " (why) } } };
    }
    let open = on_day(tenant, &tenant.branch.opening_hours, day);
    let (Some(start), Some(end)) = (open.iter().map(|r| r.0).min(), open.iter().map(|r| r.1).max()) else {
        return html! {};
    };
    let tz = tenant.company.timezone;
    let span = (end - start).num_seconds().max(1) as f64;
    let at = |t: DateTime<Utc>| (t.max(start).min(end) - start).num_seconds() as f64 / span * 100.0;
    let hhmm = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let all = stretches(tenant, person, day, booked);
    let label = |kind: Kind| match kind {
        Kind::Working => word(l, DayWord::WorkingTime),
        Kind::Break => word(l, DayWord::Break),
        Kind::Away => word(l, DayWord::Away),
        Kind::Booked => word(l, DayWord::Booked),
        Kind::Free => word(l, DayWord::Free),
    };
    let works = all.iter().any(|s| s.kind == Kind::Working);
    html! {
        div.axis role="img" aria-label={ (person.name) " · " (hhmm(start)) "–" (hhmm(end)) } {
            @for s in &all {
                div class={ "span " (s.kind.class()) }
                    style={ "top:" (format!("{:.2}", at(s.from))) "%;height:" (format!("{:.2}", (at(s.to) - at(s.from)).max(0.5))) "%" }
                    title={ (label(s.kind)) " " (hhmm(s.from)) "–" (hhmm(s.to)) } {}
            }
        }
        @if !works { p.muted { (word(l, DayWord::NotWorkingToday)) } }
        ul.gaps {
            @for s in all.iter().filter(|s| matches!(s.kind, Kind::Free | Kind::Break | Kind::Away)) {
                @if s.kind == Kind::Free {
                    // a free gap opens the booking form with its time and this staff member
                    li class=(s.kind.class()) { a href={ "/admin/today?day=" (day) "&at=" (hhmm(s.from)) "&staff=" (super::settings::urlencode(&person.name)) "#new" } {
                        (label(s.kind)) " " (hhmm(s.from)) "–" (hhmm(s.to)) } }
                } @else {
                    li class=(s.kind.class()) { (label(s.kind)) " " (hhmm(s.from)) "–" (hhmm(s.to)) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn gaps_are_what_is_left_of_at_least_a_quarter_hour() {
        let t = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
        let left = gaps(t(9, 0), t(12, 0), &[(t(9, 30), t(10, 0)), (t(10, 10), t(11, 0)), (t(11, 50), t(12, 30))]);
        assert_eq!(left, vec![(t(9, 0), t(9, 30)), (t(11, 0), t(11, 50))]);
    }
}
