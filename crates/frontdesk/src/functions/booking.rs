//! `book_appointment` (alias `start_booking`) and `request_callback`: writing what the caller
//! asked for, exactly once, and never leaving a caller without a way forward.

use super::args::{parse, BookArgs, CallbackArgs, WishArgs};
use super::availability::{alternatives_to, ask_for_a_time, spoken_list};
use super::asked::asked;
use super::{Backends, CallContext, Reply};
use crate::booking::{BookingOutcome, BookingRequest, Limit};
use crate::domain::{Language, PhoneNumber, Service};
use crate::speech::spoken_moment;
use crate::store::{AppointmentSource, NewCallback, StoredAppointment};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct AppointmentView {
    appointment_id: i64,
    status: String,
    service: String,
    staff: Option<String>,
    start: String,
    spoken: String,
    repeated: bool,
}

fn view(ctx: &CallContext, service: &Service, row: &StoredAppointment, repeated: bool) -> AppointmentView {
    let local = row.starts_at.with_timezone(&ctx.tz());
    AppointmentView {
        appointment_id: row.id,
        status: row.status.clone(),
        service: service.name.clone(),
        staff: row.staff_id.and_then(|id| ctx.branch().staff.iter().find(|s| s.id.0 == id)).map(|s| s.name.clone()),
        start: local.to_rfc3339(),
        spoken: spoken_moment(local.date_naive(), local.time(), ctx.today(), ctx.language()),
        repeated,
    }
}

fn internal(ctx: &CallContext, error: impl std::fmt::Display) -> Reply {
    tracing::error!(%error, company = ctx.company().id, "booking storage failed");
    Reply::internal(ctx.language())
}

/// Books the wished slot for the caller; a retried call returns the first answer.
pub async fn book_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    book(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn book(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<BookArgs>(raw).map_err(|_| Reply::invalid_arguments(ctx.language()))?;
    book_with(backends, ctx, &args).await
}

/// Books what `args` describe (shared with `collect_appointment_info` once confirmed).
pub(super) async fn book_with(backends: &Backends, ctx: &CallContext, args: &BookArgs) -> Result<Reply, Reply> {
    let language = ctx.language();
    let asked = asked(backends, ctx, &args.wish)?;
    let (service, staff) = (asked.service, asked.staff);
    // Never book a time the caller did not name: a day or window gets the question which time.
    let Some(local) = asked.wish.exact() else {
        return Err(ask_for_a_time(backends, ctx, service, staff, &asked.wish).await);
    };
    let Some(name) = args.name.get() else {
        return Err(Reply::missing(language, "Ihren Namen", "your name"));
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
    let start = ctx.instant(local);
    let request = BookingRequest {
        tenant: ctx.tenant.clone(),
        call_id: ctx.call.call_id.clone(),
        call_row_id: ctx.call_row_id,
        service: service.id,
        staff: staff.map(|s| s.id),
        start,
        customer_id: customer.map(|c| c.id),
        name: name.to_string(),
        phone: contact.map(|p| p.as_str().to_string()),
        email: args.email.get().map(str::to_string),
        notes: args.notes.get().map(str::to_string),
        source: AppointmentSource::Phone,
    };
    let outcome = backends.booker.book(&request).await.map_err(|e| internal(ctx, e))?;
    Ok(match outcome {
        BookingOutcome::Booked { appointment, repeated } => {
            let view = view(ctx, service, &appointment, repeated);
            let with = view.staff.as_ref().map(|s| format!(" {} {s}", language.pick("bei", "with"))).unwrap_or_default();
            let message = match language {
                Language::De => format!("Ihr Termin ist gebucht: {}, {}{with}. Wir freuen uns auf Sie!", view.spoken, service.name),
                Language::En => format!("You're booked: {}, {}{with}. We look forward to seeing you!", view.spoken, service.name),
            };
            Reply::ok(message, view)
        }
        BookingOutcome::Taken => {
            let offered = alternatives_to(backends, ctx, service, staff, start).await;
            let spoken = spoken_list(ctx, &offered);
            let message = match (language, offered.is_empty()) {
                (Language::De, false) => format!("Dieser Termin ist leider gerade vergeben worden. Ich könnte Ihnen {spoken} anbieten."),
                (Language::En, false) => format!("That time has just been taken, I'm afraid. I could offer you {spoken}."),
                (Language::De, true) => "Dieser Termin ist leider gerade vergeben worden. Darf ich Sie zurückrufen lassen?".into(),
                (Language::En, true) => "That time has just been taken, I'm afraid. May we call you back?".into(),
            };
            let starts: Vec<String> = offered.iter().map(|s| s.start.with_timezone(&ctx.tz()).to_rfc3339()).collect();
            Reply::failure("slot_taken", message).with("alternatives", starts).with("offer_callback", offered.is_empty())
        }
        BookingOutcome::Unconfirmed(row) => Reply::failure(
            "booking_unconfirmed",
            language.pick(
                "Ich konnte die Buchung gerade nicht bestätigen. Wir prüfen das und melden uns bei Ihnen. Darf ich einen Rückruf notieren?",
                "I couldn't confirm the booking just now. We'll check and get back to you. May I note a callback?",
            ),
        )
        .with("appointment", view(ctx, service, &row, false))
        .with("offer_callback", true),
        BookingOutcome::Failed(error) => {
            tracing::warn!(%error, "booking refused by the calendar");
            Reply::calendar_unavailable(language)
        }
        BookingOutcome::Refused(limit) => refused(ctx, limit),
    })
}

/// What the caller hears when a company limit stops a booking: the limit, and a way forward.
fn refused(ctx: &CallContext, limit: Limit) -> Reply {
    let language = ctx.language();
    match limit {
        Limit::Horizon(days) => Reply::beyond_horizon(language, ctx.today(), days),
        Limit::BookingsPerCall(n) => Reply::failure(
            "limit_bookings_per_call",
            match language {
                Language::De => format!("In einem Anruf kann ich höchstens {n} Termine eintragen. Soll jemand aus dem Team Sie für weitere Termine zurückrufen?"),
                Language::En => format!("I can book at most {n} appointments in one call. Shall someone from the team call you back about more?"),
            },
        )
        .with("offer_callback", true),
        Limit::UpcomingPerCaller(n) => Reply::failure(
            "limit_upcoming_per_caller",
            match language {
                Language::De => format!("Unter Ihrer Nummer sind schon {n} kommende Termine eingetragen, mehr kann ich am Telefon nicht buchen. Soll jemand aus dem Team Sie zurückrufen?"),
                Language::En => format!("Your number already has {n} upcoming appointments, which is as many as I can book by phone. Shall someone from the team call you back?"),
            },
        )
        .with("offer_callback", true),
    }
}

/// Stores a callback request; the number defaults to the caller's.
pub async fn request_callback(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let language = ctx.language();
    let Ok(args) = parse::<CallbackArgs>(raw) else { return Reply::invalid_arguments(language) };
    let phone = match args.phone.get() {
        Some(text) => match PhoneNumber::parse(text) {
            Ok(phone) => Some(phone),
            Err(_) => {
                return Reply::failure(
                    "invalid_phone",
                    language.pick(
                        "Die Nummer habe ich nicht richtig verstanden. Können Sie sie bitte noch einmal mit Vorwahl nennen?",
                        "I didn't catch that number. Could you repeat it with the area code, please?",
                    ),
                )
            }
        },
        None => ctx.call.customer_number(),
    };
    let Some(phone) = phone else {
        return Reply::missing(language, "eine Telefonnummer für den Rückruf", "a number to call you back on");
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
        priority: if urgent { "high" } else { "normal" }.to_string(),
        created_at: ctx.now,
    };
    match backends.store.insert_callback(&callback).await {
        Ok(id) => {
            let when = args.preferred_time.get().map(|t| format!(" ({})", crate::speech::echo(t))).unwrap_or_default();
            let message = match language {
                Language::De => {
                    format!("Ich habe Ihren Rückrufwunsch notiert{when}. Wir melden uns so bald wie möglich bei Ihnen.")
                }
                Language::En => {
                    format!("I've noted your callback request{when}. We'll call you back as soon as we can.")
                }
            };
            Reply::ok(message, ()).with("callback_id", id).with("priority", callback.priority)
        }
        Err(error) => internal(ctx, error),
    }
}

/// Holds the wished slot for this call for about five minutes while the caller confirms.
pub async fn reserve_slot(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    reserve(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn reserve(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<WishArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let asked = asked(backends, ctx, &args)?;
    let (service, staff) = (asked.service, asked.staff);
    let Some(local) = asked.wish.exact() else {
        return Err(ask_for_a_time(backends, ctx, service, staff, &asked.wish).await);
    };
    let start = ctx.instant(local);
    let held =
        backends.booker.hold(&ctx.tenant, &ctx.call.call_id, service, staff.map(|s| s.id), start).await.map_err(
            |error| {
                tracing::warn!(%error, "slot could not be held");
                Reply::calendar_unavailable(language)
            },
        )?;
    let spoken = spoken_moment(local.date(), local.time(), ctx.today(), language);
    let Some(hold) = held else {
        let message = match language {
            Language::De => format!("{spoken} ist leider nicht mehr frei. Soll ich Ihnen Alternativen nennen?"),
            Language::En => format!("{spoken} is no longer free, I'm afraid. Shall I suggest alternatives?"),
        };
        return Err(Reply::failure("slot_taken", message));
    };
    let message = match language {
        Language::De => format!("Ich halte {spoken} für Sie fest. Darf ich den Termin verbindlich eintragen?"),
        Language::En => format!("I'm holding {spoken} for you. Shall I book it?"),
    };
    Ok(Reply::ok(message, ())
        .with("held_until", ctx.local_instant_text(hold.until))
        .with("start", ctx.local_instant_text(hold.start)))
}

/// Lets this call's held slot go.
pub async fn release_slot_reservation(backends: &Backends, ctx: &CallContext) -> Reply {
    let released = backends.booker.release(&ctx.tenant, &ctx.call.call_id).await;
    let message = match (ctx.language(), released) {
        (Language::De, true) => "In Ordnung, ich habe den Termin wieder freigegeben.",
        (Language::De, false) => "Es war kein Termin für Sie reserviert.",
        (Language::En, true) => "All right, I've released that time again.",
        (Language::En, false) => "There was no time held for you.",
    };
    Reply::ok(message, ()).with("released", released)
}
