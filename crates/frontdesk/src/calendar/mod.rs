//! Calendar providers: where free slots come from and bookings go to. The embedded calendar
//! (`local`) lives here; Cal.com implements the same trait.

pub mod calcom;
mod grid;
/// Branches and questions for tests.
#[cfg(test)]
pub(crate) use grid::fixtures;
mod local;

pub use grid::{free_slots, instants as day_range, Plan, SlotQuestion, GRID_MINUTES};
pub use local::LocalCalendar;

use crate::domain::{BranchContext, CalendarKind, Company, Service, StaffId};
use crate::store::Appointment;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// A bookable start for one service, with the staff who are free for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC): start plus the service's duration.
    pub end: DateTime<Utc>,
    /// Staff free for the whole slot; empty when the service is not tied to people.
    pub staff: Vec<StaffId>,
}

/// The question asked of a calendar: free slots of a service in `[from, to)`.
#[derive(Debug, Clone, Copy)]
pub struct SlotQuery<'a> {
    /// Tenant (time zone, region) and branch (hours, staff, resources, closures).
    pub tenant: &'a BranchContext,
    /// Service (duration, event type).
    pub service: &'a Service,
    /// Only this staff member, when the caller asked for someone.
    pub staff: Option<StaffId>,
    /// Window start; nothing earlier is offered.
    pub from: DateTime<Utc>,
    /// Window end.
    pub to: DateTime<Utc>,
}

/// Why a calendar could not answer.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    /// Unreachable, timed out, or failing.
    #[error("calendar unavailable: {0}")]
    Unavailable(String),
    /// The request was never sent (the account's circuit is open, or the deadline came first):
    /// nothing changed in the calendar.
    #[error("calendar not asked: {0}")]
    NotSent(String),
    /// The provider refused because of its rate limit.
    #[error("calendar rate limit reached")]
    RateLimited,
    /// The slot was taken in the meantime.
    #[error("slot already taken")]
    SlotTaken,
    /// The booking or event type does not exist.
    #[error("not found")]
    NotFound,
    /// The request was refused as invalid.
    #[error("invalid request: {0}")]
    Invalid(String),
}

/// The calendar providers, and which one answers for a tenant.
#[derive(Debug, Clone)]
pub struct Calendars {
    default: CalendarKind,
    local: Arc<dyn CalendarProvider>,
    calcom: Option<Arc<dyn CalendarProvider>>,
}

impl Calendars {
    /// Providers with `default` for tenants that do not choose; `calcom` when configured.
    pub fn new(
        default: CalendarKind,
        local: Arc<dyn CalendarProvider>,
        calcom: Option<Arc<dyn CalendarProvider>>,
    ) -> Self {
        Self { default, local, calcom }
    }

    /// One provider for every tenant (tests).
    pub fn single(provider: Arc<dyn CalendarProvider>) -> Self {
        Self { default: CalendarKind::Local, local: provider.clone(), calcom: Some(provider) }
    }

    /// The calendar a tenant uses.
    pub fn kind_for(&self, company: &Company) -> CalendarKind {
        company.calendar.unwrap_or(self.default)
    }

    /// The provider that answers for a tenant.
    pub fn for_company(&self, company: &Company) -> Result<&Arc<dyn CalendarProvider>, CalendarError> {
        match self.kind_for(company) {
            CalendarKind::Local => Ok(&self.local),
            CalendarKind::Calcom => {
                self.calcom.as_ref().ok_or_else(|| CalendarError::Invalid("Cal.com is not configured".into()))
            }
        }
    }
}

/// An appointment to write into the calendar of record.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    /// Tenant and branch.
    pub tenant: &'a BranchContext,
    /// Service.
    pub service: &'a Service,
    /// The staff member it is booked with, when frontdesk chose one.
    pub staff: Option<StaffId>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// frontdesk's appointment id (the calendar keeps it, so a lost answer can be found again).
    pub appointment_id: crate::domain::AppointmentId,
    /// The Retell call that booked it.
    pub call_id: &'a str,
    /// The customer's name.
    pub name: &'a str,
    /// The customer's number.
    pub phone: Option<&'a str>,
    /// The customer's e-mail.
    pub email: Option<&'a str>,
}

/// A slot kept for one caller while they confirm.
#[derive(Debug, Clone, Copy)]
pub struct HeldSlot<'a> {
    /// Tenant and branch.
    pub tenant: &'a BranchContext,
    /// Service.
    pub service: &'a Service,
    /// Staff member, when frontdesk chose one.
    pub staff: Option<StaffId>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// How long the calendar should keep it.
    pub minutes: u32,
}

/// A calendar: where free slots come from and bookings are written.
///
/// The write methods' defaults describe a calendar whose record is frontdesk's own database (the
/// embedded one): the appointment row *is* the booking, so there is nothing to write elsewhere.
/// A provider with an outside record (Cal.com) overrides all of them and answers
/// [`CalendarProvider::external`] with `true`.
pub trait CalendarProvider: Send + Sync + std::fmt::Debug {
    /// Short provider name for metrics (`local`, `calcom`).
    fn name(&self) -> &'static str;

    /// Free slots of the query's service, sorted by start.
    fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>>;

    /// Whether bookings live outside frontdesk: rows then wait as pending until the calendar
    /// confirms, the calendar assigns hosts and refuses taken slots itself, and it does not see
    /// frontdesk's holds.
    fn external(&self) -> bool {
        false
    }

    /// What concurrent writes of one slot are serialised on. Frontdesk assigns staff across the
    /// whole branch, so by default one write per branch at a time.
    fn lock_scope(
        &self,
        tenant: &BranchContext,
        _service: &Service,
        _staff: Option<StaffId>,
        _start: DateTime<Utc>,
    ) -> String {
        format!("local:{}", tenant.branch.id)
    }

    /// Writes a booking; the calendar's uid for it, if it keeps its own.
    fn create<'a>(&'a self, _entry: NewEntry<'a>) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async { Ok(None) })
    }

    /// Cancels the booking with this uid (none: nothing outside to cancel).
    fn cancel<'a>(
        &'a self,
        _tenant: &'a BranchContext,
        _uid: Option<&'a str>,
        _reason: &'a str,
    ) -> BoxFuture<'a, Result<(), CalendarError>> {
        Box::pin(async { Ok(()) })
    }

    /// Moves the booking with this uid to `start`; its new uid, if the calendar issues one.
    fn reschedule<'a>(
        &'a self,
        _tenant: &'a BranchContext,
        _uid: Option<&'a str>,
        _start: DateTime<Utc>,
        _reason: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async { Ok(None) })
    }

    /// Reserves a held slot in the calendar; the reservation's uid, if it keeps one.
    fn reserve<'a>(&'a self, _slot: HeldSlot<'a>) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async { Ok(None) })
    }

    /// Gives a reservation back.
    fn release<'a>(&'a self, _tenant: &'a BranchContext, _uid: &'a str) -> BoxFuture<'a, Result<(), CalendarError>> {
        Box::pin(async { Ok(()) })
    }

    /// The uid of the booking made for a pending appointment whose create went unanswered, found
    /// by frontdesk's id; `None` when the calendar has none. Only outside calendars leave rows
    /// pending, so by default there is nobody to ask.
    fn find_booking<'a>(
        &'a self,
        _tenant: &'a BranchContext,
        _appointment: &'a Appointment,
    ) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async { Err(CalendarError::NotSent("this calendar keeps no outside bookings".into())) })
    }
}
