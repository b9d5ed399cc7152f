//! Calendar providers: where free slots come from and bookings go to. The embedded calendar
//! (`local`) lives here; Cal.com implements the same trait.

pub mod calcom;
mod grid;
mod local;

pub use grid::{free_slots_on_grid, GRID_MINUTES};
pub use local::LocalCalendar;

use crate::domain::{Branch, CalendarKind, Company, Service, StaffId};
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
    /// Tenant (time zone).
    pub company: &'a Company,
    /// Branch (hours, staff).
    pub branch: &'a Branch,
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

/// A source of free slots (and, in later issues, the place bookings are written).
pub trait CalendarProvider: Send + Sync + std::fmt::Debug {
    /// Short provider name for metrics (`local`, `calcom`).
    fn name(&self) -> &'static str;

    /// Free slots of the query's service, sorted by start.
    fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>>;
}
