//! The caller's own appointments: `query_appointment` (alias `get_customer_appointments`) and
//! `cancel_appointment` within the company's policy. Only ever the caller's appointments of
//! this tenant, found by the calling number.

use super::args::{parse, ByNameArgs, CancelArgs, RescheduleArgs};
use super::availability::{alternatives_to, ask_for_a_time, moments};
use super::asked::understood;
use super::appointment_view::{moment, upcoming, AppointmentView};
use super::{Backends, CallContext, Reply};
use crate::speech::{AppointmentSentence, Moment, Needed};
use crate::booking::MoveTo;
use crate::store::Appointment;
use chrono::Duration;
use serde_json::value::RawValue;

/// The caller's upcoming appointments with this tenant, or the answer explaining why none can be shown.
async fn callers_appointments(backends: &Backends, ctx: &CallContext) -> Result<Vec<Appointment>, Reply> {
    let Some(number) = ctx.call.customer_number() else {
        return Err(Reply::failure("caller_unknown", AppointmentSentence::CannotLookUp).with("offer_callback", true));
    };
    let store = &backends.store;
    let internal = |e: crate::store::StoreError| {
        tracing::error!(error = %e, "appointment lookup failed");
        Reply::internal()
    };
    let Some(customer) = store.find_customer(ctx.company().id, &number).await.map_err(internal)? else {
        return Ok(vec![]);
    };
    store.upcoming_appointments(ctx.company().id, customer.id, ctx.now, 10).await.map_err(internal)
}

/// The caller's upcoming appointments, spoken.
pub async fn query_appointment(backends: &Backends, ctx: &CallContext) -> Reply {
    let appointments = match callers_appointments(backends, ctx).await {
        Ok(appointments) => appointments,
        Err(reply) => return reply,
    };
    let message = AppointmentSentence::Appointments(appointments.iter().map(|a| upcoming(ctx, a)).collect());
    let views: Vec<AppointmentView> = appointments.iter().map(|a| AppointmentView::of(ctx, a)).collect();
    Reply::ok(message, ()).with("appointments", views)
}

/// Cancels the caller's appointment (named by day, or the only one) within the company's policy.
pub async fn cancel_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    cancel(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

/// The caller's appointment named by day (and time), or the only one; or the answer why not.
async fn pick(backends: &Backends, ctx: &CallContext, which: &CancelArgs) -> Result<Appointment, Reply> {
    let mut candidates = callers_appointments(backends, ctx).await?;
    if which.date.get().is_some() || which.time.get().is_some() {
        let wish = understood(backends, ctx, which.date.get(), which.time.get()).await?;
        let tz = ctx.tz();
        candidates.retain(|a| {
            let local = a.starts_at.with_timezone(&tz).naive_local();
            let end = local + Duration::minutes(1);
            wish.admits(local, end)
        });
    }
    match candidates.as_slice() {
        [] => Err(Reply::failure("not_found", AppointmentSentence::AppointmentNotFound).with("offer_callback", true)),
        [one] => Ok(one.clone()),
        several => Err(Reply::failure(
            "ambiguous_appointment",
            AppointmentSentence::WhichAppointment(several.iter().map(|a| moment(ctx, a)).collect()),
        )),
    }
}

/// Refuses changes by phone closer to the appointment than the company allows.
fn within_policy(ctx: &CallContext, appointment: &Appointment) -> Result<(), Reply> {
    let Some(hours) = ctx.company().cancel_hours_before else { return Ok(()) };
    if appointment.starts_at - Duration::hours(i64::from(hours)) >= ctx.now {
        return Ok(());
    }
    let message = AppointmentSentence::TooLateToChange { hours };
    Err(Reply::failure("policy", message).with("offer_callback", true).with("cancel_hours_before", hours))
}

async fn cancel(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<CancelArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let appointment = pick(backends, ctx, &args).await?;
    within_policy(ctx, &appointment)?;
    let reason = args.reason.get().unwrap_or("cancelled by phone");
    backends.booker.cancel(&ctx.tenant, &appointment, reason, &crate::store::Actor::PhoneAgent).await.map_err(|error| {
        tracing::warn!(%error, appointment = appointment.id.0, "cancellation failed");
        Reply::calendar_unavailable()
    })?;
    let message = AppointmentSentence::Cancelled(upcoming(ctx, &appointment));
    Ok(Reply::ok(message, ()).with("cancelled", AppointmentView::of(ctx, &appointment)))
}

/// Moves the caller's appointment to a new time within the company's policy; alternatives if taken.
pub async fn reschedule_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    reschedule(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn reschedule(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<RescheduleArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let target = understood(backends, ctx, args.new_date.get(), args.new_time.get()).await?;
    let appointment = pick(backends, ctx, &args.which).await?;
    within_policy(ctx, &appointment)?;
    let Some(local) = target.exact() else {
        let service = ctx.branch().service(crate::domain::ServiceId(appointment.service_id));
        return Err(match service {
            Some(service) => ask_for_a_time(backends, ctx, (service, &[]), None, &target).await,
            None => Reply::missing(Needed::NewTime),
        });
    };
    let (date, time) = (local.date(), local.time());
    let start = ctx.instant(local);
    let moved = backends.booker.reschedule(&ctx.tenant, &appointment, &MoveTo { start, staff: None, service: None }, &crate::store::Actor::PhoneAgent).await.map_err(|error| {
        tracing::warn!(%error, appointment = appointment.id.0, "reschedule failed");
        Reply::calendar_unavailable()
    })?;
    let wanted = Moment { date, time };
    if !moved {
        // Alternatives around the wished new time, for the same service.
        let offered = match ctx.branch().service(crate::domain::ServiceId(appointment.service_id)) {
            Some(service) => alternatives_to(backends, ctx, (service, &[]), None, start).await,
            None => vec![],
        };
        let message = AppointmentSentence::MoveNotFree { wanted, offered: moments(ctx, &offered) };
        let starts: Vec<String> = offered.iter().map(|s| ctx.local_instant_text(s.start)).collect();
        return Err(Reply::failure("slot_taken", message)
            .with("alternatives", starts)
            .with("offer_callback", offered.is_empty()));
    }
    let message = AppointmentSentence::Moved { service: appointment.service_name.clone(), to: wanted };
    Ok(Reply::ok(message, ()).with("appointment_id", appointment.id).with("start", ctx.local_instant_text(start)))
}

/// For a hidden number: the appointment booked under a name on a day — both are required, and
/// nothing is revealed unless both match.
pub async fn query_appointment_by_name(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let Ok(args) = parse::<ByNameArgs>(raw) else { return Reply::invalid_arguments() };
    let (Some(name), Some(date)) = (args.name.get(), args.date.get()) else {
        return Reply::missing(Needed::NameAndDay);
    };
    let wish = match understood(backends, ctx, Some(date), None).await {
        Ok(wish) => wish,
        Err(reply) => return reply,
    };
    let from = ctx.instant(wish.first_day.and_time(chrono::NaiveTime::MIN));
    let to = ctx.instant((wish.last_day + Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let found = match backends.store.appointments_with_names(ctx.company().id, from, to).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "appointment lookup by name failed");
            return Reply::internal();
        }
    };
    let said = crate::speech::fold(name.trim());
    let mine: Vec<Appointment> = found
        .into_iter()
        .filter(|a| a.customer_name.as_deref().is_some_and(|n| crate::speech::fold(n.trim()) == said))
        .collect();
    if mine.is_empty() {
        return Reply::failure("not_found", AppointmentSentence::NameNotFound).with("offer_callback", true);
    }
    let message = AppointmentSentence::FoundByName(mine.iter().map(|a| upcoming(ctx, a)).collect());
    let views: Vec<AppointmentView> = mine.iter().map(|a| AppointmentView::of(ctx, a)).collect();
    Reply::ok(message, ()).with("appointments", views)
}
