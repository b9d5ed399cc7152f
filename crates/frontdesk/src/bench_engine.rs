//! `frontdesk bench --function slot_engine`: the slot engine alone (DESIGN §13), on a 10-staff
//! branch with working hours, breaks, absences, work/wait phases, buffers, a shared resource and
//! about 800 appointments, computing the 14-day window of each service. A measurement tool.

use crate::calendar::{free_slots, Plan, SlotQuestion};
use crate::domain::{
    Absence, AbsenceId, Branch, BranchContext, BranchId, Company, CompanyId, OpeningHours, Phase, Resource, Service,
    ServiceId, Staff, StaffId,
};
use crate::store::BusyInterval;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

const DAYS: [&str; 6] = ["mon", "tue", "wed", "thu", "fri", "sat"];

fn weekly(range: &str) -> OpeningHours {
    let map: BTreeMap<String, Vec<String>> = DAYS.iter().map(|d| (d.to_string(), vec![range.to_string()])).collect();
    OpeningHours::parse(&map).expect("valid hours")
}

/// The branch: Mon–Sat 8–20, six services, ten staff (three on own hours, all with a lunch
/// break, every third with an absence), two colour places.
fn branch(now: DateTime<Utc>) -> BranchContext {
    let services = vec![
        Service::plain(ServiceId(1), "Herrenhaarschnitt", 30),
        Service { buffer_after_minutes: 10, ..Service::plain(ServiceId(2), "Damenhaarschnitt", 45) },
        Service {
            phases: vec![Phase::Work(30), Phase::Wait(35), Phase::Work(25)],
            buffer_after_minutes: 10,
            resources: vec!["Farbplatz".into()],
            ..Service::plain(ServiceId(3), "Färben", 90)
        },
        Service::plain(ServiceId(4), "Bartpflege", 15),
        Service { slot_interval_minutes: Some(5), ..Service::plain(ServiceId(5), "Pony", 20) },
        Service {
            phases: vec![Phase::Work(20), Phase::Wait(20), Phase::Work(20)],
            resources: vec!["Farbplatz".into()],
            ..Service::plain(ServiceId(6), "Strähnen", 60)
        },
    ];
    let all: Vec<ServiceId> = services.iter().map(|s| s.id).collect();
    let staff = (0..10)
        .map(|i| Staff {
            working_hours: (i % 3 == 0).then(|| weekly(if i % 2 == 0 { "12:00-20:00" } else { "08:00-16:00" })),
            breaks: weekly("12:30-13:00"),
            absences: if i % 3 == 1 {
                let starts_at = now + Duration::days(i64::from(i));
                vec![Absence { id: AbsenceId(i64::from(i)), starts_at, ends_at: starts_at + Duration::days(2), all_day: false, reason: "Urlaub".into() }]
            } else {
                Vec::new()
            },
            ..Staff::plain(StaffId(i64::from(i) + 1), &format!("Person {i}"), all.clone())
        })
        .collect();
    BranchContext {
        company: Arc::new(Company::plain(CompanyId(1), "Salon", chrono_tz::Europe::Berlin)),
        branch: Branch {
            id: BranchId(1),
            name: "Mitte".into(),
            phone_numbers: vec![],
            opening_hours: weekly("08:00-20:00"),
            services,
            staff,
            closures: vec![],
            retell_agent_ids: vec![],
            resources: vec![Resource { name: "Farbplatz".into(), capacity: 2 }],
        },
    }
}

/// About six appointments per staff member and day, services in turn.
fn appointments(tenant: &BranchContext, now: DateTime<Utc>) -> Vec<BusyInterval> {
    let mut taken = Vec::new();
    for day in 0..14 {
        for (i, person) in tenant.branch.staff.iter().enumerate() {
            for slot in 0..6 {
                let service = &tenant.branch.services[(i + slot + day) % tenant.branch.services.len()];
                let starts_at = now + Duration::days(day as i64) + Duration::minutes((slot * 100 + i * 5) as i64);
                taken.push(BusyInterval { staff_id: Some(person.id.0), service_id: service.id.0, starts_at, ends_at: starts_at + service.duration() });
            }
        }
    }
    taken
}

/// Times `rounds` window computations of every service and prints p50 / p99 / max per service.
pub fn run(rounds: usize) -> anyhow::Result<()> {
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap().with_timezone(&Utc);
    let tenant = branch(now);
    let taken = appointments(&tenant, now);
    let staff: Vec<StaffId> = tenant.branch.staff.iter().map(|s| s.id).collect();
    println!(
        "slot engine: {} staff, {} services, {} appointments, 14-day windows, {rounds} rounds",
        staff.len(),
        tenant.branch.services.len(),
        taken.len()
    );
    let mut all = Vec::new();
    for service in &tenant.branch.services {
        let plan = Plan::of(service, &tenant.branch);
        let question = SlotQuestion {
            tenant: &tenant,
            plan: &plan,
            staff: &staff,
            from: now,
            to: now + Duration::days(14),
            earliest: now + Duration::hours(1),
            interval: service.interval(),
        };
        let mut times = Vec::with_capacity(rounds);
        let mut slots = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            slots = std::hint::black_box(free_slots(&question, &taken)).len();
            times.push(started.elapsed());
        }
        times.sort();
        let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0;
        println!(
            "  {:<18} {slots:>4} slots  p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
            service.name,
            at(0.5),
            at(0.99),
            at(1.0)
        );
        all.extend(times);
    }
    all.sort();
    let at = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0;
    println!("  every window       p50 {:.3} ms  p99 {:.3} ms  (goal: p99 ≤ 2 ms)", at(0.5), at(0.99));
    Ok(())
}
