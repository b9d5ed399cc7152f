use super::{
    Absence, BranchId, CalendarKind, CompanyId, DayRange, Language, OpeningHours, Phase, PhoneNumber, Region, Resource,
    Secret, DEFAULT_SLOT_INTERVAL_MINUTES,
};
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;
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
    pub id: CompanyId,
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
    /// No start sooner than this many minutes from now (services may ask for more or less).
    pub min_notice_minutes: u32,
    /// The secret of the webhook frontdesk registered at Cal.com for this company (connect).
    pub calcom_webhook_secret: Option<Secret>,
}

impl Company {
    /// A company with nothing but a name and a zone set: German, the embedded calendar, default
    /// limits and notice (fixtures and the engine's tests).
    pub fn plain(id: CompanyId, name: &str, timezone: Tz) -> Self {
        Self {
            id,
            name: name.to_string(),
            language: Language::default(),
            timezone,
            calendar: None,
            cancel_hours_before: None,
            calcom_api_key: None,
            region: None,
            month_first: false,
            retell_api_key: None,
            limits: Limits::default(),
            min_notice_minutes: super::DEFAULT_NOTICE_MINUTES,
            calcom_webhook_secret: None,
        }
    }
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
    /// Work and wait parts, adding up to the duration (empty: one work phase).
    pub phases: Vec<Phase>,
    /// Minutes the staff member is busy before the customer's time (setting up).
    pub buffer_before_minutes: u32,
    /// Minutes the staff member is busy after it (cleaning).
    pub buffer_after_minutes: u32,
    /// Names of the branch's resources it holds for the whole appointment.
    pub resources: Vec<String>,
    /// Notice this service needs, overriding the company's.
    pub min_notice_minutes: Option<u32>,
    /// Starts every this many minutes from the opening (default 15).
    pub slot_interval_minutes: Option<u32>,
}

impl Service {
    /// A service of `duration_minutes` with nothing else set: one work phase, no buffers, no
    /// resources, the company's notice, the default interval.
    pub fn plain(id: ServiceId, name: &str, duration_minutes: u32) -> Self {
        Self {
            id,
            name: name.to_string(),
            synonyms: Vec::new(),
            duration_minutes,
            price: None,
            description: None,
            calcom_event_type_id: None,
            phases: Vec::new(),
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            resources: Vec::new(),
            min_notice_minutes: None,
            slot_interval_minutes: None,
        }
    }

    /// Its phases, one work phase of the whole duration when none are set.
    pub fn phases(&self) -> Cow<'_, [Phase]> {
        if self.phases.is_empty() {
            Cow::Owned(vec![Phase::Work(self.duration_minutes)])
        } else {
            Cow::Borrowed(&self.phases)
        }
    }

    /// The customer's time.
    pub fn duration(&self) -> Duration {
        Duration::minutes(i64::from(self.duration_minutes))
    }

    /// How far ahead a start must be for this service in this company.
    pub fn notice(&self, company: &Company) -> Duration {
        Duration::minutes(i64::from(self.min_notice_minutes.unwrap_or(company.min_notice_minutes)))
    }

    /// The earliest start a caller may book at `now`.
    pub fn earliest(&self, company: &Company, now: DateTime<Utc>) -> DateTime<Utc> {
        now + self.notice(company)
    }

    /// Minutes between two possible starts.
    pub fn interval(&self) -> Duration {
        Duration::minutes(i64::from(self.slot_interval_minutes.unwrap_or(DEFAULT_SLOT_INTERVAL_MINUTES).max(1)))
    }

    /// Whether it has more to it than one stretch of work (phases, buffers or resources).
    pub fn is_plain(&self) -> bool {
        self.phases.len() <= 1 && self.buffer_before_minutes == 0 && self.buffer_after_minutes == 0 && self.resources.is_empty()
    }
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
    /// Weekly working hours; `None`: the branch's opening hours.
    pub working_hours: Option<OpeningHours>,
    /// Weekly breaks.
    pub breaks: OpeningHours,
    /// Absences that have not ended yet, by start.
    pub absences: Vec<Absence>,
}

impl Staff {
    /// A staff member performing `services`, working the branch's hours, without breaks or absences.
    pub fn plain(id: StaffId, name: &str, services: Vec<ServiceId>) -> Self {
        Self {
            id,
            name: name.to_string(),
            services,
            calcom_event_types: Vec::new(),
            working_hours: None,
            breaks: OpeningHours::default(),
            absences: Vec::new(),
        }
    }

    /// The absence that overlaps `[start, end)`, if any.
    pub fn absence_during(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<&Absence> {
        self.absences.iter().find(|a| a.overlaps(start, end))
    }

    /// This person's Cal.com event type for a service, if mapped.
    pub fn calcom_event_type(&self, service: ServiceId) -> Option<i64> {
        self.calcom_event_types.iter().find(|(s, _)| *s == service).map(|(_, event)| *event)
    }
}

/// A branch with everything a call needs to know about it.
#[derive(Debug, Clone)]
pub struct Branch {
    /// Database id.
    pub id: BranchId,
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
    /// Things services need besides a person, with how many can be used at once.
    pub resources: Vec<Resource>,
}

impl Branch {
    /// The country its own numbers are in: where a number typed without "+49" is read.
    pub fn country(&self) -> Option<super::Country> {
        self.phone_numbers.first().and_then(|n| super::Country::of(n.as_str()))
    }

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
