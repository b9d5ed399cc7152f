//! A move to another service in a calendar that keeps a booking's event type (Cal.com): the
//! new booking is made first and the old one cancelled after, so the customer never holds
//! neither; when the old one cannot be cancelled, the new one is taken back and nothing moved.

use super::Booker;
use crate::calendar::{CalendarError, CalendarProvider};
use crate::domain::{BranchContext, Service, StaffId};
use crate::store::{Actor, Appointment, MovedTo};
use chrono::{DateTime, Utc};

/// The new booking of a replacing move.
pub(super) struct Replacement<'a> {
    /// The service it becomes.
    pub service: &'a Service,
    /// Its staff member.
    pub staff: Option<StaffId>,
    /// Its start (UTC).
    pub start: DateTime<Utc>,
}

impl Booker {
    /// Replaces `appointment`'s calendar booking with one of another service; `Ok(false)` when
    /// the calendar has the new time taken. The local row points at the new booking before the
    /// old one is cancelled: the old booking's cancellation webhook then matches nothing here.
    pub(super) async fn replace_booking(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &BranchContext,
        appointment: &Appointment,
        new: Replacement<'_>,
        by: &Actor,
    ) -> Result<bool, CalendarError> {
        let unavailable = |e: crate::store::StoreError| CalendarError::Unavailable(e.to_string());
        let name = appointment.customer_name.clone().unwrap_or_default();
        // one key per target: a repeated attempt finds its own booking in Cal.com's metadata
        let call_id = format!("move:{}:{}:{}", appointment.id, new.service.id.0, new.start.timestamp());
        let entry = super::entry_again(appointment, (tenant, new.service, new.staff, new.start), &call_id, &name);
        let uid = match calendar.create(entry).await {
            Ok(uid) => uid,
            Err(CalendarError::SlotTaken) => return Ok(false),
            Err(error) => return Err(error),
        };
        let end = new.start + new.service.duration();
        let moved = MovedTo {
            starts_at: new.start,
            ends_at: end,
            staff_id: new.staff.map(|s| s.0),
            service_id: new.service.id.0,
            external_uid: uid.as_deref(),
        };
        if let Err(error) = self.store.move_appointment(appointment.id, &moved, appointment, by).await {
            self.take_back(calendar, tenant, uid.as_deref()).await;
            return Err(unavailable(error));
        }
        let old = appointment.external_uid.as_deref();
        match calendar.cancel(tenant, old, "moved to another service").await {
            Ok(()) => {}
            // no answer in time: Cal.com may have cancelled the old booking already, so the new
            // one stays (the customer keeps an appointment); a stray old one is for the owner
            Err(CalendarError::Unavailable(why)) => {
                tracing::error!(why, old, "the old booking of a move to another service may still stand in Cal.com");
            }
            // refused: both bookings stand in Cal.com: the new one goes, the row returns to the old one
            Err(error) => {
                self.take_back(calendar, tenant, uid.as_deref()).await;
                let back = MovedTo {
                    starts_at: appointment.starts_at,
                    ends_at: appointment.ends_at,
                    staff_id: appointment.staff_id,
                    service_id: appointment.service_id,
                    external_uid: old,
                };
                let moved_back = Appointment {
                    starts_at: new.start,
                    ends_at: end,
                    service_id: new.service.id.0,
                    service_name: new.service.name.clone(),
                    ..appointment.clone()
                };
                self.store.move_appointment(appointment.id, &back, &moved_back, &Actor::Frontdesk).await.map_err(unavailable)?;
                return Err(error);
            }
        }
        Ok(true)
    }

    /// Cancels a booking made for a move that did not complete; a failure is logged with the
    /// uid, so the owner's stray Cal.com booking can be found.
    async fn take_back(&self, calendar: &dyn CalendarProvider, tenant: &BranchContext, uid: Option<&str>) {
        if let Err(error) = calendar.cancel(tenant, uid, "move not completed").await {
            tracing::error!(%error, uid, "a booking made for a move that failed could not be cancelled in the calendar");
        }
    }
}
