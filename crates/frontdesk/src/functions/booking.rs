//! `book_appointment` (alias `start_booking`) and `request_callback`: writing what the caller
//! asked for, exactly once, and never leaving a caller without a way forward.

use super::args::{parse, BookArgs, CallbackArgs, WishArgs};
use super::availability::{alternatives_to, ask_for_a_time, moments, refusal};
use super::asked::asked;
use super::appointment_view::{upcoming, AppointmentView};
use super::{Backends, CallContext, Reply};
use crate::booking::{BookingOutcome, BookingRequest, Limit};
use crate::domain::PhoneNumber;
use crate::speech::{BookingSentence, Moment, Needed};
use crate::store::{Appointment, NewCallback, Priority};
use serde_json::value::RawValue;

fn view(ctx: &CallContext, row: &Appointment, repeated: bool) -> AppointmentView {
    AppointmentView::of(ctx, row).booked(row, repeated)
}

fn internal(ctx: &CallContext, error: impl std::fmt::Display) -> Reply {
    tracing::error!(%error, company = ctx.company().id.0, "booking storage failed");
    Reply::internal()
}

/// Records the caller's yes to SMS — only to their own verified number, when SMS is set up and
/// the number can take it; whether they said yes from a landline (they are told so).
async fn sms_consent(
    backends: &Backends,
    ctx: &CallContext,
    args: &BookArgs,
    customer: Option<&crate::store::Customer>,
    caller: Option<&PhoneNumber>,
) -> Result<bool, Reply> {
    if !args.sms_agreed() || !backends.sms {
        return Ok(false);
    }
    let (Some(customer), Some(number)) = (customer, caller) else { return Ok(false) };
    if !number.takes_sms() {
        return Ok(true);
    }
    backends.store.record_sms_consent(ctx.company().id, customer.id, ctx.now).await.map_err(|e| internal(ctx, e))?;
    Ok(false)
}

/// Books the wished slot for the caller; a retried call returns the first answer.
pub async fn book_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    book(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn book(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<BookArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    book_with(backends, ctx, &args).await
}

/// Books what `args` describe (shared with `collect_appointment_info` once confirmed).
pub(super) async fn book_with(backends: &Backends, ctx: &CallContext, args: &BookArgs) -> Result<Reply, Reply> {
    let asked = asked(backends, ctx, &args.wish).await?;
    let (service, staff) = (asked.service, asked.staff);
    // Never book a time the caller did not name: a day or window gets the question which time.
    let Some(local) = asked.wish.exact() else {
        return Err(ask_for_a_time(backends, ctx, (service, &asked.more), staff, &asked.wish).await);
    };
    if let Some(refused) = refusal(backends, ctx, (service, &asked.more), staff, local).await {
        return Err(refused);
    }
    let Some(name) = args.name.get() else {
        return Err(Reply::missing(Needed::Name));
    };
    // Who the caller is comes from the verified calling number only; a number they say is a
    // contact detail on the appointment and never touches anybody's customer record (else
    // caller Y saying X's number would rename X and then hear X's appointments).
    let caller = ctx.call.customer_number();
    let contact = args.phone.get().and_then(|p| PhoneNumber::parse(p).ok()).or_else(|| caller.clone());
    let customer = match &caller {
        Some(number) => Some(
            backends
                .store
                .upsert_customer(ctx.company().id, number, Some(name), args.email.get())
                .await
                .map_err(|e| internal(ctx, e))?,
        ),
        None => None,
    };
    let landline = sms_consent(backends, ctx, args, customer.as_ref(), caller.as_ref()).await?;
    let start = ctx.instant(local);
    let request = BookingRequest {
        tenant: ctx.tenant.clone(),
        call_id: ctx.call.call_id.clone(),
        call_row_id: ctx.call_row_id,
        service: service.id,
        more: asked.more.iter().map(|s| s.id).collect(),
        staff: staff.map(|s| s.id),
        start,
        customer_id: customer.map(|c| c.id),
        name: name.to_string(),
        phone: contact.map(|p| p.as_str().to_string()),
        email: args.email.get().map(str::to_string),
        notes: args.notes.get().map(str::to_string),
        by: crate::store::Actor::PhoneAgent,
    };
    let outcome = backends.booker.book(&request).await.map_err(|e| internal(ctx, e))?;
    Ok(match outcome {
        BookingOutcome::Booked { appointment, repeated, linked } if linked.is_empty() => {
            let view = view(ctx, &appointment, repeated);
            let booked = upcoming(ctx, &appointment);
            if landline {
                let sentence = BookingSentence::BookedWithoutSms { booked, by_email: args.email.get().is_some() };
                return Ok(Reply::ok(sentence, view).with("sms", "not_mobile"));
            }
            Reply::ok(BookingSentence::Booked(booked), view)
        }
        BookingOutcome::Booked { appointment, repeated, linked } => {
            let parts: Vec<_> = std::iter::once(&appointment).chain(&linked).map(|a| upcoming(ctx, a)).collect();
            let views: Vec<AppointmentView> = linked.iter().map(|a| view(ctx, a, repeated)).collect();
            Reply::ok(BookingSentence::BookedLinked(parts), view(ctx, &appointment, repeated)).with("linked", views)
        }
        BookingOutcome::Taken => {
            let offered = alternatives_to(backends, ctx, (service, &asked.more), staff, start).await;
            let message = BookingSentence::JustTaken { offered: moments(ctx, &offered) };
            let starts: Vec<String> = offered.iter().map(|s| s.start.with_timezone(&ctx.tz()).to_rfc3339()).collect();
            Reply::failure("slot_taken", message).with("alternatives", starts).with("offer_callback", offered.is_empty())
        }
        BookingOutcome::Unconfirmed(row) => Reply::failure("booking_unconfirmed", BookingSentence::BookingUnconfirmed)
            .with("appointment", view(ctx, &row, false))
            .with("offer_callback", true),
        BookingOutcome::Failed(error) => {
            tracing::warn!(%error, "booking refused by the calendar");
            Reply::calendar_unavailable()
        }
        BookingOutcome::Refused(limit) => refused(ctx, limit),
    })
}

/// What the caller hears when a company limit stops a booking: the limit, and a way forward.
fn refused(ctx: &CallContext, limit: Limit) -> Reply {
    match limit {
        Limit::Horizon(days) => Reply::beyond_horizon(ctx.today(), days),
        Limit::BookingsPerCall(max) => Reply::failure("limit_bookings_per_call", BookingSentence::TooManyInOneCall { max })
            .with("offer_callback", true),
        Limit::UpcomingPerCaller(max) => {
            Reply::failure("limit_upcoming_per_caller", BookingSentence::TooManyUpcoming { max }).with("offer_callback", true)
        }
    }
}
/// Stores a callback request; the number defaults to the caller's.
pub async fn request_callback(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let Ok(args) = parse::<CallbackArgs>(raw) else { return Reply::invalid_arguments() };
    let phone = match args.phone.get() {
        Some(text) => match PhoneNumber::parse(text) {
            Ok(phone) => Some(phone),
            Err(_) => return Reply::failure("invalid_phone", BookingSentence::PhoneNotUnderstood),
        },
        None => ctx.call.customer_number(),
    };
    let Some(phone) = phone else {
        return Reply::missing(Needed::CallbackNumber);
    };
    let urgent = args.priority.get().is_some_and(|p| {
        let p = crate::speech::fold(p);
        p.contains("high") || p.contains("hoch") || p.contains("dringend") || p.contains("urgent")
    });
    let callback = NewCallback {
        company_id: ctx.company().id,
        branch_id: ctx.branch().id,
        call_id: ctx.call_row_id,
        customer_name: args.name.get().map(str::to_string),
        phone: phone.as_str().to_string(),
        preferred_time: args.preferred_time.get().map(str::to_string),
        reason: args.reason.get().map(str::to_string),
        priority: if urgent { Priority::High } else { Priority::Normal },
        created_at: ctx.now,
    };
    match backends.store.insert_callback(&callback).await {
        Ok(id) => {
            let preferred = args.preferred_time.get().map(crate::speech::echo);
            Reply::ok(BookingSentence::CallbackNoted { preferred }, ())
                .with("callback_id", id)
                .with("priority", callback.priority)
        }
        Err(error) => internal(ctx, error),
    }
}

/// Holds the wished slot for this call for about five minutes while the caller confirms.
pub async fn reserve_slot(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    reserve(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn reserve(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<WishArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let asked = asked(backends, ctx, &args).await?;
    let (service, staff) = (asked.service, asked.staff);
    let Some(local) = asked.wish.exact() else {
        return Err(ask_for_a_time(backends, ctx, (service, &asked.more), staff, &asked.wish).await);
    };
    if let Some(refused) = refusal(backends, ctx, (service, &asked.more), staff, local).await {
        return Err(refused);
    }
    let start = ctx.instant(local);
    let (booker, call_id, staff) = (&backends.booker, &ctx.call.call_id, staff.map(|s| s.id));
    // several services are held back to back, as they would be booked
    let held = match asked.more.is_empty() {
        true => booker.hold(&ctx.tenant, call_id, service, staff, start).await.map(|hold| hold.map(|h| vec![h])),
        false => {
            let services: Vec<_> = std::iter::once(service).chain(asked.more.iter().copied()).cloned().collect();
            booker.hold_linked(&ctx.tenant, call_id, &services, staff, start).await
        }
    };
    let held = held.map_err(|error| {
        tracing::warn!(%error, "slot could not be held");
        Reply::calendar_unavailable()
    })?;
    let moment = Moment { date: local.date(), time: local.time() };
    let (Some(first), Some(last)) = (held.as_ref().and_then(|h| h.first()), held.as_ref().and_then(|h| h.last())) else {
        return Err(Reply::failure("slot_taken", BookingSentence::NoLongerFree(moment)));
    };
    let reply = Reply::ok(BookingSentence::Holding(moment), ())
        .with("held_until", ctx.local_instant_text(first.until))
        .with("start", ctx.local_instant_text(first.start));
    Ok(match asked.more.is_empty() {
        true => reply,
        false => reply.with("end", ctx.local_instant_text(last.end)),
    })
}

/// Lets this call's held slot go.
pub async fn release_slot_reservation(backends: &Backends, ctx: &CallContext) -> Reply {
    let released = backends.booker.release(&ctx.tenant, &ctx.call.call_id).await;
    Reply::ok(BookingSentence::Released(released), ()).with("released", released)
}
