//! Branches and questions for the engine's tests.

use super::{free_slots, Plan, SlotQuestion};
use crate::calendar::Slot;
use crate::domain::{
    Branch, BranchContext, BranchId, Company, CompanyId, OpeningHours, Service, ServiceId, Staff, StaffId,
};
use crate::store::BusyInterval;
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Weekly hours open on one weekday.
pub fn hours(day: &str, range: &str) -> OpeningHours {
    let map: BTreeMap<String, Vec<String>> = [(day.to_string(), vec![range.to_string()])].into();
    OpeningHours::parse(&map).unwrap()
}

/// An instant in UTC.
pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// A branch of a company in `tz` with these hours, services and staff.
pub fn tenant(tz: Tz, hours: OpeningHours, services: Vec<Service>, staff: Vec<Staff>) -> BranchContext {
    BranchContext {
        company: Arc::new(Company::plain(CompanyId(1), "Salon", tz)),
        branch: Branch {
            id: BranchId(1),
            name: "Mitte".into(),
            phone_numbers: vec![],
            opening_hours: hours,
            services,
            staff,
            closures: vec![],
            retell_agent_ids: vec![],
            resources: vec![],
        },
    }
}

/// The engine's answer for a plain service of `duration` (no notice): the grid as it was before
/// schedules, kept for the DST tests.
pub fn free_slots_on_grid(
    hours: &OpeningHours,
    tz: Tz,
    duration: Duration,
    staff: &[StaffId],
    busy: &[BusyInterval],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    let service = Service::plain(ServiceId(99), "Schnitt", duration.num_minutes() as u32);
    let people = staff.iter().map(|id| Staff::plain(*id, "S", vec![ServiceId(99)])).collect();
    let tenant = tenant(tz, hours.clone(), vec![service.clone()], people);
    let plan = Plan::of(&service, &tenant.branch);
    let question = SlotQuestion { tenant: &tenant, plan: &plan, staff, from, to, earliest: from, interval: service.interval() };
    free_slots(&question, busy)
}
