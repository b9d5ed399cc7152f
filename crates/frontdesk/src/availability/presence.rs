//! What frontdesk knows about its staff that an outside calendar may not: absences and breaks.
//! They apply to every calendar (DESIGN §13): a slot is never offered with a staff member known
//! to be away, even where Cal.com still offers it. (The embedded calendar's engine has taken
//! them out already.)

use crate::calendar::{day_range, Plan};
use crate::domain::{BranchContext, Service, Staff, StaffId};
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;

/// Stretches of time away, sorted by start.
type Away = Vec<(DateTime<Utc>, DateTime<Utc>)>;

/// A staff member's absences and breaks touching `[from, to)`, as instants.
pub fn away_between(person: &Staff, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Away {
    let mut away: Away = person.absences.iter().filter(|a| a.overlaps(from, to)).map(|a| (a.starts_at, a.ends_at)).collect();
    if person.breaks != Default::default() {
        let (first, last) = (from.with_timezone(&tz).date_naive(), to.with_timezone(&tz).date_naive());
        for day in first.iter_days().take_while(|d| *d <= last) {
            away.extend(person.breaks.on(day.weekday()).iter().map(|range| day_range(tz, day, range)));
        }
    }
    away.sort_unstable();
    away
}

/// Filters an outside calendar's slots of one service by who is there.
pub struct Presence {
    plan: Plan,
    /// Each person who matters with their time away: the one asked for, else all able.
    people: Vec<(StaffId, Away)>,
    /// Whether the service is tied to people at all.
    staffed: bool,
}

impl Presence {
    /// The filter for slots of `service` in `[from, to)`; `wanted` is the person asked for (or
    /// whose own event type the slots come from).
    pub fn new(tenant: &BranchContext, service: &Service, wanted: Option<StaffId>, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        let plan = Plan::of(service, &tenant.branch);
        let tz = tenant.company.timezone;
        let (from, to) = (from - plan.lead() - Duration::days(1), to + plan.length + plan.tail() + Duration::days(1));
        let able: Vec<&Staff> = match wanted.and_then(|id| tenant.branch.staff_member(id)) {
            Some(person) => vec![person],
            None => tenant.branch.staff_for(service.id).collect(),
        };
        let people = able.iter().map(|p| (p.id, away_between(p, tz, from, to))).collect();
        Self { plan, people, staffed: !able.is_empty() }
    }

    /// Whether someone who can do the service is there for a booking at `start`.
    pub fn is_open(&self, start: DateTime<Utc>) -> bool {
        if !self.staffed {
            return true;
        }
        let (from, to) = self.plan.span(start);
        self.people.iter().any(|(_, away)| !away.iter().any(|(s, e)| *s < to && *e > from))
    }

}
