//! Reconciliation: an appointment whose Cal.com create timed out is looked up in Cal.com by the
//! frontdesk id in the booking's metadata — booked if found, released if not. Runs at start and
//! every 5 seconds, so nothing stays unknown for long while Cal.com answers.

use super::Booker;
use crate::calendar::calcom::wire::{BookingFilter, MetadataValue};
use crate::calendar::CalendarError;
use crate::domain::BranchContext;
use crate::store::{AppointmentStatus, PendingAppointment};
use chrono::Duration;
use std::sync::Arc;

/// How often pending appointments are checked.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// A pending attempt younger than this may still be in flight (a create never outlives the 3 s
/// deadline): left alone.
const IN_FLIGHT: Duration = Duration::seconds(5);

/// What reconciliation decided for one appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconciled {
    /// Cal.com has it: booked, with this uid.
    Booked(String),
    /// Cal.com does not have it: released.
    Released,
    /// Could not tell now (Cal.com unreachable, or the attempt may still be running).
    Undecided,
}

impl Booker {
    /// Settles every pending appointment it can; returns what it decided, by appointment id.
    pub async fn reconcile(&self, branches: &[Arc<BranchContext>]) -> Vec<(i64, Reconciled)> {
        let pending = match self.store.pending_appointments().await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::error!(%error, "pending appointments could not be read");
                return vec![];
            }
        };
        let mut decided = Vec::new();
        for appointment in pending {
            let Some(tenant) = branches.iter().find(|b| b.branch.id == appointment.branch_id) else { continue };
            let outcome = self.settle(tenant, &appointment).await;
            if outcome != Reconciled::Undecided {
                tracing::info!(appointment = appointment.id, ?outcome, "pending appointment reconciled");
            }
            decided.push((appointment.id, outcome));
        }
        decided
    }

    async fn settle(&self, tenant: &BranchContext, appointment: &PendingAppointment) -> Reconciled {
        if self.clock_now() - appointment.created_at < IN_FLIGHT {
            return Reconciled::Undecided;
        }
        let (Some(client), Some(key), Some(event_type)) =
            (&self.calcom, self.availability.calcom_key(&tenant.company), appointment.calcom_event_type_id)
        else {
            return Reconciled::Undecided;
        };
        let filter = BookingFilter {
            event_type_id: Some(event_type),
            after_start: Some(appointment.starts_at - Duration::minutes(1)),
            before_end: Some(appointment.ends_at + Duration::minutes(1)),
            ..Default::default()
        };
        let bookings = match client.bookings(key, &filter).await {
            Ok(bookings) => bookings,
            Err(CalendarError::Unavailable(_) | CalendarError::NotSent(_) | CalendarError::RateLimited) => {
                return Reconciled::Undecided
            }
            Err(error) => {
                tracing::warn!(%error, appointment = appointment.id, "reconciliation lookup refused");
                return Reconciled::Undecided;
            }
        };
        let ours = MetadataValue::Text(appointment.id.to_string());
        let found = bookings
            .iter()
            .find(|b| b.status != "cancelled" && b.metadata.get("frontdesk_appointment_id") == Some(&ours));
        let (status, uid, outcome) = match found {
            Some(booking) => {
                (AppointmentStatus::Booked, Some(booking.uid.clone()), Reconciled::Booked(booking.uid.clone()))
            }
            None => (AppointmentStatus::Cancelled, None, Reconciled::Released),
        };
        if let Err(error) = self.store.set_appointment_status(appointment.id, status, uid.as_deref()).await {
            tracing::error!(%error, appointment = appointment.id, "reconciled status could not be written");
            return Reconciled::Undecided;
        }
        if outcome == Reconciled::Released {
            let window = crate::availability::WindowKey::near(
                crate::domain::CalendarKind::Calcom,
                crate::calendar::calcom::account_label(key),
                event_type,
            );
            self.availability.freed(&window, appointment.starts_at, appointment.ends_at);
        }
        outcome
    }

    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.availability.now()
    }

    /// Reconciles now and then every [`RECONCILE_EVERY`], for as long as the process runs.
    pub fn spawn_reconciler(&self, branches: Vec<Arc<BranchContext>>) {
        let booker = self.clone();
        tokio::spawn(async move {
            loop {
                booker.reconcile(&branches).await;
                tokio::time::sleep(RECONCILE_EVERY).await;
            }
        });
    }
}
