//! Property tests of the slot engine (issue 25): random schedules, breaks, absences, phases,
//! buffers, resources and appointments, on plain days and on both DST days of Berlin. Every
//! offered slot is checked against an independent, minute-by-minute reading of the rules, and
//! every start the rules allow must be offered.

use super::fixtures::tenant;
use super::{free_slots, Plan, SlotQuestion};
use crate::calendar::Slot;
use crate::domain::{
    Absence, AbsenceId, OpeningHours, Phase, Resource, Service, ServiceId, Staff, StaffId,
};
use crate::store::BusyInterval;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;
use std::collections::BTreeMap;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Weekly hours with the same range every day (`close` 24 is midnight).
fn every_day(open: u32, close: u32) -> OpeningHours {
    let range = format!("{open:02}:00-{close:02}:00");
    let map: BTreeMap<String, Vec<String>> = DAYS.iter().map(|d| (d.to_string(), vec![range.clone()])).collect();
    OpeningHours::parse(&map).unwrap()
}

/// A break every day at `hour:minute` for `minutes` (always between 10:00 and 17:00 local, away
/// from the DST hours, so local times are unambiguous).
fn daily_break(hour: u32, minute: u32, minutes: u32) -> OpeningHours {
    let start = NaiveTime::from_hms_opt(hour, minute, 0).unwrap();
    let end = start + Duration::minutes(i64::from(minutes));
    let range = format!("{}-{}", start.format("%H:%M"), end.format("%H:%M"));
    let map: BTreeMap<String, Vec<String>> = DAYS.iter().map(|d| (d.to_string(), vec![range.clone()])).collect();
    OpeningHours::parse(&map).unwrap()
}

/// The days the tests start on: spring forward, fall back, an ordinary Tuesday.
fn base_days() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::from_ymd_opt(2026, 3, 28).unwrap()),
        Just(NaiveDate::from_ymd_opt(2026, 10, 24).unwrap()),
        Just(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
    ]
}

#[derive(Debug, Clone)]
struct StaffDraft {
    working: Option<(u32, u32)>,
    lunch: Option<(u32, u32, u32)>,
    absences: Vec<(i64, i64)>,
}

fn staff_draft() -> impl Strategy<Value = StaffDraft> {
    (
        prop::option::of((0u32..12, 2u32..13)),
        prop::option::of((10u32..16, prop_oneof![Just(0u32), Just(30)], 3u32..13)),
        prop::collection::vec((0i64..(3 * 24 * 12), 3i64..120), 0..3),
    )
        .prop_map(|(working, lunch, absences)| StaffDraft {
            working: working.map(|(open, span)| (open, (open + span).min(24))),
            lunch: lunch.map(|(h, m, fives)| (h, m, fives * 5)),
            absences,
        })
}

#[derive(Debug, Clone)]
struct ServiceDraft {
    phases: Vec<(bool, u32)>,
    before: u32,
    after: u32,
    resources: Vec<bool>,
    interval: u32,
}

fn service_draft() -> impl Strategy<Value = ServiceDraft> {
    (
        prop::collection::vec((any::<bool>(), 1u32..13), 1..4),
        prop_oneof![Just(0u32), 5u32..21],
        prop_oneof![Just(0u32), 5u32..21],
        prop::collection::vec(any::<bool>(), 2),
        prop_oneof![Just(5u32), Just(10), Just(15), Just(30)],
    )
        .prop_map(|(mut phases, before, after, resources, interval)| {
            phases[0].0 = true; // a service starts with work
            ServiceDraft { phases: phases.into_iter().map(|(w, fives)| (w, fives * 5)).collect(), before, after, resources, interval }
        })
}

#[derive(Debug, Clone)]
struct World {
    base: NaiveDate,
    open: (u32, u32),
    staff: Vec<StaffDraft>,
    services: Vec<ServiceDraft>,
    capacities: Vec<u32>,
    taken: Vec<(usize, usize, i64, bool)>,
    asked: usize,
    notice_minutes: i64,
}

fn world() -> impl Strategy<Value = World> {
    (
        base_days(),
        (0u32..10, 4u32..15),
        prop::collection::vec(staff_draft(), 1..4),
        prop::collection::vec(service_draft(), 1..4),
        prop::collection::vec(1u32..3, 2),
        prop::collection::vec((0usize..3, 0usize..3, 0i64..(3 * 24 * 12), any::<bool>()), 0..14),
        0usize..3,
        0i64..(24 * 12),
    )
        .prop_map(|(base, (open, span), staff, services, capacities, taken, asked, notice)| World {
            base,
            open: (open, (open + span).min(24)),
            staff,
            services,
            capacities,
            taken,
            asked,
            notice_minutes: notice * 5,
        })
}

/// The world as the engine sees it: a branch, and what is taken.
fn build(world: &World) -> (crate::domain::BranchContext, Vec<BusyInterval>, DateTime<Utc>) {
    let start_of_base = Berlin.from_local_datetime(&world.base.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
    let services: Vec<Service> = world
        .services
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let phases: Vec<Phase> = d.phases.iter().map(|(w, m)| if *w { Phase::Work(*m) } else { Phase::Wait(*m) }).collect();
            let duration = phases.iter().map(|p| p.minutes()).sum();
            Service {
                phases,
                buffer_before_minutes: d.before,
                buffer_after_minutes: d.after,
                resources: d.resources.iter().enumerate().filter(|(_, on)| **on).map(|(r, _)| format!("R{r}")).collect(),
                slot_interval_minutes: Some(d.interval),
                ..Service::plain(ServiceId(i as i64 + 1), &format!("S{i}"), duration)
            }
        })
        .collect();
    let all: Vec<ServiceId> = services.iter().map(|s| s.id).collect();
    let staff: Vec<Staff> = world
        .staff
        .iter()
        .enumerate()
        .map(|(i, d)| Staff {
            working_hours: d.working.map(|(o, c)| every_day(o, c)),
            breaks: d.lunch.map(|(h, m, len)| daily_break(h, m, len)).unwrap_or_default(),
            absences: d
                .absences
                .iter()
                .enumerate()
                .map(|(n, (at, fives))| {
                    let starts_at = start_of_base + Duration::minutes(at * 5);
                    let ends_at = starts_at + Duration::minutes(fives * 5);
                    Absence { id: AbsenceId(n as i64), starts_at, ends_at, all_day: false, reason: String::new() }
                })
                .collect(),
            ..Staff::plain(StaffId(i as i64 + 1), &format!("P{i}"), all.clone())
        })
        .collect();
    let mut tenant = tenant(Berlin, every_day(world.open.0, world.open.1), services, staff);
    tenant.branch.resources =
        world.capacities.iter().enumerate().map(|(r, c)| Resource { name: format!("R{r}"), capacity: *c }).collect();
    let taken = world
        .taken
        .iter()
        .map(|(who, what, at, solid)| {
            let service = &tenant.branch.services[*what % tenant.branch.services.len()];
            let person = &tenant.branch.staff[*who % tenant.branch.staff.len()];
            let starts_at = start_of_base + Duration::minutes(at * 5);
            // now and then an appointment whose time no longer matches its service
            let length = if *solid { Duration::minutes(25) } else { service.duration() };
            BusyInterval { staff_id: Some(person.id.0), service_id: service.id.0, starts_at, ends_at: starts_at + length }
        })
        .collect();
    (tenant, taken, start_of_base)
}

/// The minutes `[start, end)` a service started at `start` keeps its staff member busy, read
/// straight from its phases and buffers (independently of the engine's plan).
fn work_of(service: &Service, start: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let m = |n: u32| Duration::minutes(i64::from(n));
    let mut out = vec![(start - m(service.buffer_before_minutes), start)];
    let mut at = start;
    for phase in service.phases().iter() {
        if phase.is_work() {
            out.push((at, at + m(phase.minutes())));
        }
        at += m(phase.minutes());
    }
    out.push((at, at + m(service.buffer_after_minutes)));
    out.retain(|(a, b)| a < b);
    out
}

/// What a taken interval keeps its staff member busy with, by the same reading.
fn work_of_taken(tenant: &crate::domain::BranchContext, taken: &BusyInterval) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    match tenant.branch.service(ServiceId(taken.service_id)) {
        Some(s) if s.duration() == taken.ends_at - taken.starts_at => work_of(s, taken.starts_at),
        _ => vec![(taken.starts_at, taken.ends_at)],
    }
}

fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Local time range of a day as instants (unambiguous: breaks and hours here avoid the DST hour
/// or are whole days).
fn local(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    Berlin.from_local_datetime(&day.and_time(time)).earliest().unwrap_or_else(|| {
        Berlin.from_local_datetime(&(day.and_time(time) + Duration::hours(1))).earliest().unwrap()
    }).with_timezone(&Utc)
}

/// A local time of a day that happens exactly once, as an instant (`24:00` is the next midnight).
fn exact(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = if time == NaiveTime::from_hms_opt(23, 59, 59).unwrap() {
        (day + Duration::days(1)).and_time(NaiveTime::MIN)
    } else {
        day.and_time(time)
    };
    Berlin.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc))
}

/// Why `person` cannot take `service` at `start`, by the rules read minute by minute; `None`
/// when they can.
fn refusal(
    tenant: &crate::domain::BranchContext,
    service: &Service,
    person: &Staff,
    start: DateTime<Utc>,
    taken: &[BusyInterval],
    earliest: DateTime<Utc>,
) -> Option<&'static str> {
    let end = start + service.duration();
    let span = (start - Duration::minutes(i64::from(service.buffer_before_minutes)), end + Duration::minutes(i64::from(service.buffer_after_minutes)));
    if start < earliest {
        return Some("notice");
    }
    let day = start.with_timezone(&Berlin).date_naive();
    let inside = |hours: &OpeningHours| {
        hours.on(chrono::Datelike::weekday(&day)).iter().any(|r| {
            match (exact(day, r.open), exact(day, r.close)) {
                (Some(open), Some(close)) => open <= start && end <= close,
                // a bound in the hour DST skips or repeats: the engine's own DST tests cover it
                _ => true,
            }
        })
    };
    if !inside(&tenant.branch.opening_hours) {
        return Some("closed");
    }
    if person.working_hours.as_ref().is_some_and(|h| !inside(h)) {
        return Some("not working");
    }
    if person.absences.iter().any(|a| overlaps(span, (a.starts_at, a.ends_at))) {
        return Some("absence");
    }
    let first = span.0.with_timezone(&Berlin).date_naive();
    let last = span.1.with_timezone(&Berlin).date_naive();
    for day in first.iter_days().take_while(|d| *d <= last) {
        for range in person.breaks.on(chrono::Datelike::weekday(&day)) {
            if overlaps(span, (local(day, range.open), local(day, range.close))) {
                return Some("break");
            }
        }
    }
    let mine = work_of(service, start);
    for other in taken.iter().filter(|t| t.staff_id == Some(person.id.0)) {
        let theirs = work_of_taken(tenant, other);
        if mine.iter().any(|m| theirs.iter().any(|t| overlaps(*m, *t))) {
            return Some("work");
        }
    }
    for name in &service.resources {
        let (index, resource) = tenant.branch.resources.iter().enumerate().find(|(_, r)| &r.name == name).unwrap();
        let mut minute = start;
        while minute < end {
            let using = taken
                .iter()
                .filter(|t| {
                    let s = tenant.branch.service(ServiceId(t.service_id)).unwrap();
                    s.duration() == t.ends_at - t.starts_at
                        && s.resources.iter().any(|r| tenant.branch.resources.iter().position(|x| &x.name == r) == Some(index))
                        && t.starts_at <= minute
                        && minute < t.ends_at
                })
                .count();
            if using as u32 >= resource.capacity {
                return Some("resource");
            }
            minute += Duration::minutes(1);
        }
    }
    None
}

/// The engine's slots, and the start of the day they begin on.
fn ask(world: &World) -> (crate::domain::BranchContext, Vec<BusyInterval>, Vec<Slot>, DateTime<Utc>, DateTime<Utc>) {
    let (tenant, taken, base) = build(world);
    let service = &tenant.branch.services[world.asked % tenant.branch.services.len()];
    let plan = Plan::of(service, &tenant.branch);
    let staff: Vec<StaffId> = tenant.branch.staff.iter().map(|s| s.id).collect();
    let earliest = base + Duration::minutes(world.notice_minutes);
    let question = SlotQuestion {
        tenant: &tenant,
        plan: &plan,
        staff: &staff,
        from: base,
        to: base + Duration::days(2),
        earliest,
        interval: service.interval(),
    };
    let slots = free_slots(&question, &taken);
    (tenant, taken, slots, base, earliest)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// No offered slot overlaps an absence, a break, another appointment's work or buffer of the
    /// same staff member, a full resource or the notice period; and every start the rules allow
    /// on the branch's grid is offered with everyone who can take it.
    #[test]
    fn offered_exactly_what_the_rules_allow(world in world()) {
        let (tenant, taken, slots, base, earliest) = ask(&world);
        let service = &tenant.branch.services[world.asked % tenant.branch.services.len()];
        for slot in &slots {
            prop_assert!(slot.start >= earliest && slot.start >= base && slot.start < base + Duration::days(2));
            prop_assert_eq!(slot.end - slot.start, service.duration());
            for id in &slot.staff {
                let person = tenant.branch.staff_member(*id).unwrap();
                let why = refusal(&tenant, service, person, slot.start, &taken, earliest);
                prop_assert!(why.is_none(), "{} offered at {} despite {:?}", person.name, slot.start, why);
            }
        }
        // Completeness: the starts of the same branch with nothing taken, nobody away and no
        // notice are the grid; every one of them the rules allow must be offered.
        let mut bare = world.clone();
        bare.taken.clear();
        bare.notice_minutes = 0;
        for person in &mut bare.staff {
            person.lunch = None;
            person.absences.clear();
        }
        let (_, _, grid, _, _) = ask(&bare);
        for candidate in &grid {
            for id in &candidate.staff {
                let person = tenant.branch.staff_member(*id).unwrap();
                if refusal(&tenant, service, person, candidate.start, &taken, earliest).is_none() {
                    let offered = slots.iter().find(|s| s.start == candidate.start);
                    prop_assert!(
                        offered.is_some_and(|s| s.staff.contains(id)),
                        "{} free at {} but not offered", person.name, candidate.start
                    );
                }
            }
        }
    }

    /// A booked colour's wait is free time: a shorter service is offered inside it exactly when
    /// it fits, and never over the colour's work.
    #[test]
    fn a_wait_phase_is_offered_exactly_when_a_service_fits(
        work_before in 1u32..13, wait in 1u32..19, work_after in 1u32..13, short in 1u32..25,
    ) {
        let (a, w, b, l) = (work_before * 5, wait * 5, work_after * 5, short * 5);
        let colour = Service {
            phases: vec![Phase::Work(a), Phase::Wait(w), Phase::Work(b)],
            ..Service::plain(ServiceId(1), "Färben", a + w + b)
        };
        let cut = Service { slot_interval_minutes: Some(5), ..Service::plain(ServiceId(2), "Schnitt", l) };
        let maria = Staff::plain(StaffId(1), "Maria", vec![ServiceId(1), ServiceId(2)]);
        let tenant = tenant(Berlin, every_day(7, 22), vec![colour.clone(), cut.clone()], vec![maria]);
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ten = local(day, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        let booked = BusyInterval { staff_id: Some(1), service_id: 1, starts_at: ten, ends_at: ten + colour.duration() };
        let plan = Plan::of(&cut, &tenant.branch);
        let from = local(day, NaiveTime::MIN);
        let question = SlotQuestion {
            tenant: &tenant, plan: &plan, staff: &[StaffId(1)], from, to: from + Duration::days(1), earliest: from,
            interval: cut.interval(),
        };
        let slots = free_slots(&question, &[booked]);
        let m = |n: u32| Duration::minutes(i64::from(n));
        let (first_work, second_work) = ((ten, ten + m(a)), (ten + m(a + w), ten + m(a + w + b)));
        let mut start = local(day, NaiveTime::from_hms_opt(7, 0, 0).unwrap());
        while start + m(l) <= local(day, NaiveTime::from_hms_opt(22, 0, 0).unwrap()) {
            let fits = !overlaps((start, start + m(l)), first_work) && !overlaps((start, start + m(l)), second_work);
            let offered = slots.iter().any(|s| s.start == start);
            prop_assert_eq!(offered, fits, "start {} (colour {}+{}+{}, cut {})", start, a, w, b, l);
            start += m(5);
        }
    }
}
