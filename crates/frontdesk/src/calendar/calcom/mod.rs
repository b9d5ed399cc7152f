//! Cal.com as a calendar provider: the API v2 client with its breaker, rate limiter and
//! deadlines, and the `CalendarProvider` that reads a whole availability window in one request.

mod breaker;
mod client;
mod limiter;
pub mod webhook;
pub mod wire;

pub use breaker::Phase as BreakerPhase;
pub use client::{account_label, AccountUsage, CalcomClient, CalcomSettings, Deadlines};
pub use limiter::SharedBudget;

use super::{CalendarError, CalendarProvider, HeldSlot, NewEntry, Slot, SlotQuery};
use crate::domain::{BranchContext, Company, Secret, Service, StaffId};
use crate::store::Appointment;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::BoxFuture;
use std::sync::Arc;
use wire::{AttendeeInput, BookingFilter, MetadataValue, NewBooking};

/// Availability from Cal.com, for tenants whose calendar is `calcom`.
#[derive(Debug, Clone)]
pub struct CalcomCalendar {
    client: Arc<CalcomClient>,
    default_key: Option<Secret>,
}

impl CalcomCalendar {
    /// A provider over `client`, using `default_key` for tenants without their own.
    pub fn new(client: Arc<CalcomClient>, default_key: Option<Secret>) -> Self {
        Self { client, default_key }
    }

    /// The API key a tenant's requests are made with.
    fn key<'a>(&'a self, company: &'a Company) -> Result<&'a Secret, CalendarError> {
        company
            .calcom_api_key
            .as_ref()
            .or(self.default_key.as_ref())
            .ok_or_else(|| CalendarError::Invalid("no Cal.com API key for this tenant".into()))
    }

    /// The event type a service is booked on: a mapped staff member's own, or the service's.
    fn event_type(tenant: &BranchContext, service: &Service, staff: Option<StaffId>) -> Result<i64, CalendarError> {
        tenant
            .branch
            .calcom_event(service, staff)
            .ok_or_else(|| CalendarError::Invalid(format!("service {:?} has no Cal.com event type", service.name)))
    }
}

impl CalendarProvider for CalcomCalendar {
    fn name(&self) -> &'static str {
        "calcom"
    }

    fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
        Box::pin(async move {
            let key = self.key(&query.tenant.company)?;
            // A staff member with their own event type is read there; otherwise the service's.
            let own = query.staff.filter(|_| query.tenant.branch.calcom_staff_mapped(query.service, query.staff));
            let event_type = query.tenant.branch.calcom_event(query.service, own).ok_or_else(|| {
                CalendarError::Invalid(format!("service {:?} has no Cal.com event type", query.service.name))
            })?;
            let days = self.client.slots(key, event_type, query.from, query.to, query.tenant.company.timezone).await?;
            let length = Duration::minutes(i64::from(query.service.duration_minutes));
            // On the service's event type Cal.com assigns the host: slots carry no staff of ours.
            let staff: Vec<_> = own.into_iter().collect();
            let mut slots: Vec<Slot> = days
                .into_values()
                .flatten()
                .map(|item| item.start.with_timezone(&Utc))
                .filter(|start| *start >= query.from && *start < query.to)
                .map(|start| Slot { start, end: start + length, staff: staff.clone() })
                .collect();
            slots.sort_by_key(|s| s.start);
            slots.dedup_by_key(|s| s.start);
            Ok(slots)
        })
    }

    fn external(&self) -> bool {
        true
    }

    /// Cal.com assigns hosts itself: one write per event type and start at a time.
    fn lock_scope(
        &self,
        tenant: &BranchContext,
        service: &Service,
        staff: Option<StaffId>,
        start: DateTime<Utc>,
    ) -> String {
        format!("calcom:{}:{}", tenant.branch.calcom_event(service, staff).unwrap_or_default(), start.timestamp())
    }

    fn create<'a>(&'a self, entry: NewEntry<'a>) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async move {
            let tenant = entry.tenant;
            let key = self.key(&tenant.company)?;
            let event_type_id = Self::event_type(tenant, entry.service, entry.staff)?;
            let booking = NewBooking {
                start: entry.start,
                event_type_id,
                attendee: AttendeeInput {
                    name: entry.name.to_string(),
                    time_zone: tenant.company.timezone.name().to_string(),
                    email: entry.email.map(str::to_string),
                    phone_number: entry.phone.map(str::to_string),
                    language: Some(tenant.company.language.code().to_string()),
                },
                length_in_minutes: None,
                // how a booking whose answer was lost is found again (see `find_booking`)
                metadata: [
                    (APPOINTMENT_ID.to_string(), MetadataValue::Text(entry.appointment_id.to_string())),
                    ("frontdesk_call_id".to_string(), MetadataValue::Text(entry.call_id.to_string())),
                ]
                .into(),
            };
            tracing::info!(appointment = entry.appointment_id.0, account = %account_label(key), event_type_id, "creating Cal.com booking");
            Ok(Some(self.client.create_booking(key, &booking).await?.uid))
        })
    }

    fn cancel<'a>(
        &'a self,
        tenant: &'a BranchContext,
        uid: Option<&'a str>,
        reason: &'a str,
    ) -> BoxFuture<'a, Result<(), CalendarError>> {
        Box::pin(async move {
            let key = self.key(&tenant.company)?;
            let Some(uid) = uid else { return Ok(()) };
            match self.client.cancel_booking(key, uid, reason).await {
                // Already gone in Cal.com: the local row follows.
                Ok(_) | Err(CalendarError::NotFound) => Ok(()),
                Err(error) => Err(error),
            }
        })
    }

    fn reschedule<'a>(
        &'a self,
        tenant: &'a BranchContext,
        uid: Option<&'a str>,
        start: DateTime<Utc>,
        reason: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async move {
            let key = self.key(&tenant.company)?;
            let uid = uid.ok_or_else(|| CalendarError::Invalid("the appointment has no Cal.com booking".into()))?;
            // Cal.com answers with the new booking, which replaces the old one.
            Ok(Some(self.client.reschedule_booking(key, uid, start, reason).await?.uid))
        })
    }

    fn reserve<'a>(&'a self, slot: HeldSlot<'a>) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async move {
            let key = self.key(&slot.tenant.company)?;
            let event_type = Self::event_type(slot.tenant, slot.service, slot.staff)?;
            let length = slot.service.duration_minutes;
            let reservation = self.client.reserve_slot(key, event_type, slot.start, length, slot.minutes).await?;
            Ok(Some(reservation.reservation_uid))
        })
    }

    fn release<'a>(&'a self, tenant: &'a BranchContext, uid: &'a str) -> BoxFuture<'a, Result<(), CalendarError>> {
        Box::pin(async move { self.client.release_reservation(self.key(&tenant.company)?, uid).await })
    }

    fn find_booking<'a>(
        &'a self,
        tenant: &'a BranchContext,
        appointment: &'a Appointment,
    ) -> BoxFuture<'a, Result<Option<String>, CalendarError>> {
        Box::pin(async move {
            let key = self.key(&tenant.company)?;
            let event_type = appointment
                .calcom_event_type_id
                .ok_or_else(|| CalendarError::Invalid("the appointment has no Cal.com event type".into()))?;
            let filter = BookingFilter {
                event_type_id: Some(event_type),
                after_start: Some(appointment.starts_at - Duration::minutes(1)),
                before_end: Some(appointment.ends_at + Duration::minutes(1)),
                ..Default::default()
            };
            let ours = MetadataValue::Text(appointment.id.to_string());
            let bookings = self.client.bookings(key, &filter).await?;
            Ok(bookings
                .into_iter()
                .find(|b| b.status != "cancelled" && b.metadata.get(APPOINTMENT_ID) == Some(&ours))
                .map(|b| b.uid))
        })
    }
}

/// The metadata field of a Cal.com booking that holds frontdesk's appointment id.
pub const APPOINTMENT_ID: &str = "frontdesk_appointment_id";
