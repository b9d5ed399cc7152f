//! Bookings as Cal.com reports them in its webhooks: one frontdesk made is confirmed or corrected,
//! one made, moved or cancelled in Cal.com itself becomes (or stops being) an appointment row
//! with source `calcom`, so the console shows the business's whole day.

use crate::calendar::calcom::webhook::{BookingEvent, Trigger};
use crate::domain::{AppointmentId, BranchContext, PhoneNumber, ServiceId, StaffId};
use crate::store::{AppointmentSource, AppointmentStatus, NewAppointment, Store};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Longest attendee name kept from a webhook.
const NAME_CHARS: usize = 100;

/// Applies a booking event of `event_type` to the appointment rows (availability is the
/// caller's concern). `now` stamps a row it creates.
pub async fn record(store: &Store, branches: &[Arc<BranchContext>], event: &BookingEvent, event_type: i64, now: DateTime<Utc>) {
    match event.ours {
        Some(appointment) => confirm_ours(store, event, event_type, appointment).await,
        None => record_outside(store, branches, event, event_type, now).await,
    }
}

/// The branch, service and (for a staff member's own type) person that own an event type: event
/// type ids are Cal.com-wide, one service or one staff member's own type owns each.
fn owner_of(branches: &[Arc<BranchContext>], event_type: i64) -> Option<(Arc<BranchContext>, ServiceId, Option<StaffId>)> {
    branches.iter().find_map(|ctx| {
        let service = ctx.branch.services.iter().find(|s| s.calcom_event_type_id == Some(event_type));
        match service {
            Some(service) => Some((ctx.clone(), service.id, None)),
            None => ctx.branch.staff.iter().find_map(|person| {
                person
                    .calcom_event_types
                    .iter()
                    .find(|(_, e)| *e == event_type)
                    .map(|(service, _)| (ctx.clone(), *service, Some(person.id)))
            }),
        }
    })
}

/// A booking made, moved or cancelled in Cal.com itself. Webhooks repeat: the booking's uid is
/// the row's idempotency key.
async fn record_outside(store: &Store, branches: &[Arc<BranchContext>], event: &BookingEvent, event_type: i64, now: DateTime<Utc>) {
    let Some((tenant, service, staff)) = owner_of(branches, event_type) else { return };
    let company = tenant.company.id;
    let cancel = |uid: &str| {
        let uid = uid.to_string();
        async move {
            if let Err(error) = store.cancel_by_external_uid(company, &uid).await {
                tracing::error!(%error, "a booking cancelled in Cal.com could not be cancelled here");
            }
        }
    };
    match &event.trigger {
        Trigger::Cancelled | Trigger::Rejected => {
            if let Some(uid) = &event.uid {
                cancel(uid).await;
            }
            return;
        }
        Trigger::Rescheduled => {
            if let Some(previous) = &event.reschedule_uid {
                cancel(previous).await;
            }
        }
        Trigger::Created => {}
        Trigger::Requested | Trigger::Other(_) => return,
    }
    let (Some(uid), Some((start, end))) = (&event.uid, event.time) else { return };
    let name = event
        .attendee
        .name
        .as_deref()
        .map(|n| n.trim().chars().filter(|c| !c.is_control()).take(NAME_CHARS).collect::<String>())
        .filter(|n| !n.is_empty());
    let phone = event.attendee.phone_number.as_deref().and_then(|n| PhoneNumber::parse(n).ok());
    let customer = match &phone {
        Some(number) => store.upsert_customer(company, number, name.as_deref(), None).await.ok().map(|c| c.id),
        None => None,
    };
    let new = NewAppointment {
        idempotency_key: format!("calcom:{uid}"),
        company_id: company,
        branch_id: tenant.branch.id,
        customer_id: customer,
        service_id: service.0,
        staff_id: staff.map(|s| s.0),
        call_id: None,
        starts_at: start,
        ends_at: end,
        status: AppointmentStatus::Booked,
        // Without a number there is no customer row: the name is kept with the appointment.
        notes: if customer.is_none() { name } else { None },
        source: AppointmentSource::Calcom,
        created_at: now,
        by: crate::store::Actor::Calcom,
    };
    match store.insert_appointment(&new).await {
        Ok(id) => {
            if let Err(error) = store.set_appointment_status(id, AppointmentStatus::Booked, Some(uid), &crate::store::Actor::Calcom).await {
                tracing::error!(%error, "the Cal.com booking uid could not be recorded");
            }
        }
        // The same webhook again, or a slot a row of ours already holds: nothing to add.
        Err(error) if error.is_unique_violation() => {}
        Err(error) => tracing::error!(%error, "a booking made in Cal.com could not be recorded"),
    }
}

/// A booking frontdesk made (its id is in the metadata) confirms or corrects the local row, when
/// the event type and booking uid are that appointment's own.
async fn confirm_ours(store: &Store, event: &BookingEvent, event_type: i64, appointment: Option<AppointmentId>) {
    let Some(id) = appointment else { return };
    let status = match event.trigger {
        Trigger::Created => AppointmentStatus::Booked,
        Trigger::Cancelled | Trigger::Rejected => AppointmentStatus::Cancelled,
        _ => return,
    };
    match store.confirm_from_calcom(id, status, event_type, event.uid.as_deref()).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(appointment = id.0, event_type, "webhook names an appointment of another event type or booking; ignored")
        }
        Err(error) => tracing::error!(%error, appointment = id.0, "webhook could not update the appointment"),
    }
}
