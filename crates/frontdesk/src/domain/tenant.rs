use super::{CalendarKind, DayRange, Language, OpeningHours, PhoneNumber, Region, Secret};
use chrono_tz::Tz;
use std::sync::Arc;

/// Database id of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId(pub i64);

/// Database id of a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StaffId(pub i64);

/// A business: the tenant.
#[derive(Debug, Clone)]
pub struct Company {
    /// Database id.
    pub id: i64,
    /// Display name, spoken to callers.
    pub name: String,
    /// Language of spoken messages.
    pub language: Language,
    /// Time zone slots and spoken dates are computed in.
    pub timezone: Tz,
    /// The tenant's calendar, when it overrides the default.
    pub calendar: Option<CalendarKind>,
    /// Minimum hours before an appointment that it may be cancelled or moved by phone.
    pub cancel_hours_before: Option<u32>,
    /// This tenant's own Cal.com API key, when it has one.
    pub calcom_api_key: Option<Secret>,
    /// Region whose public holidays close the calendar.
    pub region: Option<Region>,
    /// Whether callers write dates month first ("12/3" = 3 December; locale en-US).
    pub month_first: bool,
    /// This tenant's own Retell API key: its calls must be signed with it (else the global key).
    pub retell_api_key: Option<Secret>,
    /// What one call or one caller may do.
    pub limits: Limits,
}

/// Abuse limits of a company (tenants file: `max_bookings_per_call`, `max_upcoming_per_caller`,
/// `booking_horizon_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bookings one call may make.
    pub max_bookings_per_call: u32,
    /// Upcoming appointments one caller number may hold.
    pub max_upcoming_per_caller: u32,
    /// How far ahead anything is read or booked, in days.
    pub booking_horizon_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bookings_per_call: 2, max_upcoming_per_caller: 4, booking_horizon_days: 180 }
    }
}

impl Limits {
    /// Allowed ranges, checked when the tenants file is read.
    pub const BOOKINGS_PER_CALL: std::ops::RangeInclusive<u32> = 1..=20;
    /// Allowed range of upcoming appointments per caller.
    pub const UPCOMING_PER_CALLER: std::ops::RangeInclusive<u32> = 1..=100;
    /// Allowed range of the booking horizon.
    pub const HORIZON_DAYS: std::ops::RangeInclusive<u32> = 14..=730;
}

/// A service a branch offers.
#[derive(Debug, Clone)]
pub struct Service {
    /// Database id.
    pub id: ServiceId,
    /// Canonical name.
    pub name: String,
    /// Other names callers use.
    pub synonyms: Vec<String>,
    /// Length of an appointment.
    pub duration_minutes: u32,
    /// Price as the owner wrote it, spoken verbatim.
    pub price: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Cal.com event type, for Cal.com tenants.
    pub calcom_event_type_id: Option<i64>,
}

/// A person who performs services.
#[derive(Debug, Clone)]
pub struct Staff {
    /// Database id.
    pub id: StaffId,
    /// Name, spoken.
    pub name: String,
    /// Services this person performs.
    pub services: Vec<ServiceId>,
    /// This person's own Cal.com event type per service, where the tenant mapped one: a caller
    /// who asks for them is offered and booked on it.
    pub calcom_event_types: Vec<(ServiceId, i64)>,
}

impl Staff {
    /// This person's Cal.com event type for a service, if mapped.
    pub fn calcom_event_type(&self, service: ServiceId) -> Option<i64> {
        self.calcom_event_types.iter().find(|(s, _)| *s == service).map(|(_, event)| *event)
    }
}

/// A branch with everything a call needs to know about it.
#[derive(Debug, Clone)]
pub struct Branch {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Numbers that ring this branch.
    pub phone_numbers: Vec<PhoneNumber>,
    /// Weekly opening hours in the company's time zone.
    pub opening_hours: OpeningHours,
    /// Services offered, in file order.
    pub services: Vec<Service>,
    /// Staff working here.
    pub staff: Vec<Staff>,
    /// Days off besides the weekly hours and public holidays.
    pub closures: Vec<DayRange>,
    /// Retell agents whose web calls belong here (they carry no phone numbers).
    pub retell_agent_ids: Vec<String>,
}

impl Branch {
    /// The service with this id.
    pub fn service(&self, id: ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The staff member with this id.
    pub fn staff_member(&self, id: StaffId) -> Option<&Staff> {
        self.staff.iter().find(|s| s.id == id)
    }

    /// The Cal.com event type a booking of `service` (with `staff`, when asked for and mapped)
    /// goes to.
    pub fn calcom_event(&self, service: &Service, staff: Option<StaffId>) -> Option<i64> {
        staff
            .and_then(|id| self.staff_member(id))
            .and_then(|person| person.calcom_event_type(service.id))
            .or(service.calcom_event_type_id)
    }

    /// Whether `staff` has a Cal.com event type of their own for `service`.
    pub fn calcom_staff_mapped(&self, service: &Service, staff: Option<StaffId>) -> bool {
        staff.and_then(|id| self.staff_member(id)).is_some_and(|p| p.calcom_event_type(service.id).is_some())
    }

    /// The staff who perform a service (empty when the service is not tied to people).
    pub fn staff_for(&self, service: ServiceId) -> impl Iterator<Item = &Staff> {
        self.staff.iter().filter(move |s| s.services.contains(&service))
    }
}

/// What the directory resolves a dialled number to: the branch and its company.
#[derive(Debug, Clone)]
pub struct BranchContext {
    /// The tenant.
    pub company: Arc<Company>,
    /// The branch the number belongs to.
    pub branch: Branch,
}
