//! Reconciliation: an appointment whose Cal.com create timed out is looked up in Cal.com by the
//! frontdesk id in the booking's metadata — booked if found, released if not. Runs at start and
//! every 5 seconds, so nothing stays unknown for long while Cal.com answers.

use super::Booker;
use crate::calendar::CalendarError;
use crate::domain::BranchContext;
use crate::store::{AppointmentStatus, Appointment};
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
    pub async fn reconcile(&self, branches: &[Arc<BranchContext>]) -> Vec<(crate::domain::AppointmentId, Reconciled)> {
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
                tracing::info!(appointment = appointment.id.0, ?outcome, "pending appointment reconciled");
            }
            decided.push((appointment.id, outcome));
        }
        decided
    }

    async fn settle(&self, tenant: &BranchContext, appointment: &Appointment) -> Reconciled {
        if self.clock_now() - appointment.created_at < IN_FLIGHT {
            return Reconciled::Undecided;
        }
        let found = match self.calendar(tenant) {
            Ok(calendar) => calendar.find_booking(tenant, appointment).await,
            Err(error) => Err(error),
        };
        let (status, uid, outcome) = match found {
            Ok(Some(uid)) => (AppointmentStatus::Booked, Some(uid.clone()), Reconciled::Booked(uid)),
            Ok(None) => (AppointmentStatus::Cancelled, None, Reconciled::Released),
            Err(CalendarError::Unavailable(_) | CalendarError::NotSent(_) | CalendarError::RateLimited) => {
                return Reconciled::Undecided
            }
            Err(error) => {
                tracing::warn!(%error, appointment = appointment.id.0, "reconciliation lookup refused");
                return Reconciled::Undecided;
            }
        };
        if let Err(error) = self.store.set_appointment_status(appointment.id, status, uid.as_deref(), &crate::store::Actor::Frontdesk).await {
            tracing::error!(%error, appointment = appointment.id.0, "reconciled status could not be written");
            return Reconciled::Undecided;
        }
        if outcome == Reconciled::Released {
            let window =
                self.availability.appointment_window(tenant, appointment.service_id, appointment.calcom_event_type_id);
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
