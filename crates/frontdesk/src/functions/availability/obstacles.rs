//! Why a wished start cannot be had when it is not simply taken — the branch is closed, the start
//! is too soon, the staff member asked for is away or does not work then — said with what
//! instead (DESIGN §13: "Maria ist bis einschließlich Freitag nicht da. Jonas hätte morgen um 10 Uhr frei.").

use super::{closed_reason, moments, offer, read, slot_view, SlotView, ALTERNATIVES};
use crate::availability::alternatives::alternatives;
use crate::calendar::Slot;
use crate::domain::{Service, Staff, TimeRange};
use crate::functions::{Backends, CallContext};
use crate::speech::{AvailabilitySentence, Moment};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, Timelike, Utc};

/// What stands in the way of a start.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::functions) enum Obstacle {
    /// The branch is closed that day, or at that time.
    Closed { reason: &'static str, lead: AvailabilitySentence },
    /// Inside the service's notice: the earliest start there can be.
    TooSoon(Moment),
    /// The staff member asked for is away; the last day away when it is not the wished day.
    Away { until: Option<chrono::NaiveDate> },
    /// The staff member asked for does not work then; their hours that weekday.
    Off { hours: Vec<TimeRange> },
}

impl Obstacle {
    /// The reason code in the answer.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Closed { reason, .. } => reason,
            Self::TooSoon(_) => "too_soon",
            Self::Away { .. } => "staff_absent",
            Self::Off { .. } => "staff_not_working",
        }
    }
}

/// The earliest start a caller may have, on the service's grid of the local clock.
pub(in crate::functions) fn earliest_moment(ctx: &CallContext, service: &Service) -> (DateTime<Utc>, Moment) {
    let earliest = service.earliest(ctx.company(), ctx.now).with_timezone(&ctx.tz());
    let step = service.interval().num_minutes().max(1);
    let minutes = i64::from(earliest.hour() * 60 + earliest.minute()) + i64::from(earliest.second() > 0);
    let rounded = (minutes + step - 1) / step * step;
    let local = earliest.date_naive().and_time(NaiveTime::MIN) + Duration::minutes(rounded);
    (ctx.instant(local), Moment { date: local.date(), time: local.time() })
}

/// The obstacle to `local` for `service` (with `staff`, when asked for), if there is one besides
/// the time being taken.
pub(in crate::functions) fn obstacle(
    ctx: &CallContext,
    (service, more): (&Service, &[&Service]),
    staff: Option<&Staff>,
    local: NaiveDateTime,
) -> Option<Obstacle> {
    let duration = more.iter().fold(service.duration(), |total, s| total + s.duration());
    let (date, time) = (local.date(), local.time());
    if let Some(closed) = ctx.tenant.closed_on(date) {
        let lead = AvailabilitySentence::ClosedOn { day: date, why: closed };
        return Some(Obstacle::Closed { reason: closed_reason(closed), lead });
    }
    let end_time = time + duration;
    let hours = ctx.branch().opening_hours.on(date.weekday());
    if !hours.iter().any(|r| r.open <= time && end_time <= r.close && end_time > time) {
        return Some(Obstacle::Closed { reason: "outside_opening_hours", lead: AvailabilitySentence::NotOpenAt(time) });
    }
    let start = ctx.instant(local);
    let (earliest, moment) = earliest_moment(ctx, service);
    if start < earliest {
        return Some(Obstacle::TooSoon(moment));
    }
    let person = staff?;
    if let Some(absence) = person.absence_during(start, start + duration) {
        let last = absence.last_day(ctx.tz());
        return Some(Obstacle::Away { until: (last > date).then_some(last) });
    }
    let working = person.working_hours.as_ref()?;
    let theirs: Vec<TimeRange> = working.on(date.weekday()).to_vec();
    if !theirs.iter().any(|r| r.open <= time && end_time <= r.close && end_time > time) {
        // as the caller can book them: their hours inside the branch's
        let bookable = theirs
            .iter()
            .flat_map(|w| hours.iter().filter_map(move |h| {
                let (open, close) = (w.open.max(h.open), w.close.min(h.close));
                (open < close).then_some(TimeRange { open, close })
            }))
            .collect();
        return Some(Obstacle::Off { hours: bookable });
    }
    None
}

/// What the caller hears for an obstacle, and what is offered: for the staff member's absence or
/// hours, the nearest time someone else who does the service is free; else the free times nearest
/// the wish (`slots`, read for the wished staff member).
pub(in crate::functions) async fn explained(
    backends: &Backends,
    ctx: &CallContext,
    services: (&Service, &[&Service]),
    staff: Option<&Staff>,
    local: NaiveDateTime,
    obstacle: Obstacle,
    slots: &[Slot],
) -> (AvailabilitySentence, Vec<SlotView>) {
    let start = ctx.instant(local);
    // best first
    let ranked = |slots: &[Slot]| -> Vec<Slot> {
        alternatives(slots, start, ctx.tz(), ALTERNATIVES).into_iter().map(|c| c.slot).collect()
    };
    let nearest = |slots: &[Slot]| -> Vec<Slot> {
        let mut offered = ranked(slots);
        offered.sort_by_key(|s| s.start);
        offered
    };
    let about_staff = matches!(obstacle, Obstacle::Away { .. } | Obstacle::Off { .. });
    let (Some(person), true) = (staff, about_staff) else {
        let lead = match obstacle {
            Obstacle::Closed { lead, .. } => lead,
            Obstacle::TooSoon(moment) => AvailabilitySentence::TooSoon(moment),
            _ => unreachable!("staff obstacles need a staff member"),
        };
        let offered = nearest(slots);
        return (offer(ctx, lead, &offered), offered.iter().map(|s| slot_view(ctx, s)).collect());
    };
    // Someone else who does the service, near the wish.
    let others = match read(backends, ctx, services, None, ctx.now, start + Duration::days(7)).await {
        Ok(read) => read.slots.into_iter().filter(|s| !s.staff.is_empty() && !s.staff.contains(&person.id)).collect(),
        Err(_) => Vec::new(),
    };
    // the wished time itself with someone else, else the nearest such times
    let mut instead_slots = ranked(&others);
    if let Some(same) = others.iter().find(|s| s.start == start) {
        instead_slots.retain(|s| s.start != start);
        instead_slots.insert(0, same.clone());
        instead_slots.truncate(ALTERNATIVES);
    }
    let instead = instead_slots.first().and_then(|slot| {
        let who = ctx.branch().staff_member(*slot.staff.first()?)?.name.clone();
        Some((who, moments(ctx, std::slice::from_ref(slot))[0]))
    });
    let (staff_name, date) = (person.name.clone(), local.date());
    let lead = match obstacle {
        Obstacle::Away { until } => {
            AvailabilitySentence::StaffAway { staff: staff_name, day: date, until, instead: instead.clone() }
        }
        Obstacle::Off { hours } => {
            AvailabilitySentence::StaffOff { staff: staff_name, weekday: date.weekday(), hours, instead: instead.clone() }
        }
        _ => unreachable!("matched above"),
    };
    if instead.is_some() {
        instead_slots.sort_by_key(|s| s.start);
        return (lead, instead_slots.iter().map(|s| slot_view(ctx, s)).collect());
    }
    // nobody else: the staff member's own next times
    let offered = nearest(slots);
    (offer(ctx, lead, &offered), offered.iter().map(|s| slot_view(ctx, s)).collect())
}
