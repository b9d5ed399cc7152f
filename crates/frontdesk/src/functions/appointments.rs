//! The caller's own appointments: `query_appointment` (alias `get_customer_appointments`) and
//! `cancel_appointment` within the company's policy. Only ever the caller's appointments of
//! this tenant, found by the calling number.

use super::args::{parse, ByNameArgs, CancelArgs, RescheduleArgs};
use super::availability::{alternatives_to, ask_for_a_time, spoken_list};
use super::asked::understood;
use super::{Backends, CallContext, Reply};
use crate::domain::Language;
use crate::speech::{join_choices, spoken_moment};
use crate::store::Appointment;
use chrono::Duration;
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct Listed {
    appointment_id: i64,
    service: String,
    staff: Option<String>,
    start: String,
    spoken: String,
}

fn spoken(ctx: &CallContext, appointment: &Appointment) -> String {
    let local = appointment.starts_at.with_timezone(&ctx.tz());
    spoken_moment(local.date_naive(), local.time(), ctx.today(), ctx.language())
}

fn listed(ctx: &CallContext, appointment: &Appointment) -> Listed {
    Listed {
        appointment_id: appointment.id,
        service: appointment.service_name.clone(),
        staff: appointment.staff_name.clone(),
        start: appointment.starts_at.with_timezone(&ctx.tz()).to_rfc3339(),
        spoken: spoken(ctx, appointment),
    }
}

/// The caller's upcoming appointments with this tenant, or the answer explaining why none can be shown.
async fn callers_appointments(backends: &Backends, ctx: &CallContext) -> Result<Vec<Appointment>, Reply> {
    let language = ctx.language();
    let Some(number) = ctx.call.customer_number() else {
        return Err(Reply::failure(
            "caller_unknown",
            language.pick(
                "Ihre Rufnummer ist unterdrückt, daher kann ich Ihre Termine nicht aufrufen. Darf ich Sie zurückrufen lassen?",
                "Your number is withheld, so I can't look up your appointments. May we call you back?",
            ),
        )
        .with("offer_callback", true));
    };
    let store = &backends.store;
    let internal = |e: crate::store::StoreError| {
        tracing::error!(error = %e, "appointment lookup failed");
        Reply::internal(language)
    };
    let Some(customer) = store.find_customer(ctx.company().id, &number).await.map_err(internal)? else {
        return Ok(vec![]);
    };
    store.upcoming_appointments(ctx.company().id, customer.id, ctx.now, 10).await.map_err(internal)
}

/// The caller's upcoming appointments, spoken.
pub async fn query_appointment(backends: &Backends, ctx: &CallContext) -> Reply {
    let language = ctx.language();
    let appointments = match callers_appointments(backends, ctx).await {
        Ok(appointments) => appointments,
        Err(reply) => return reply,
    };
    let phrases: Vec<String> = appointments
        .iter()
        .map(|a| match language {
            Language::De => format!("{} {}", spoken(ctx, a), a.service_name),
            Language::En => format!("{} for {}", spoken(ctx, a), a.service_name),
        })
        .collect();
    let message = match (language, phrases.len()) {
        (Language::De, 0) => "Ich finde unter Ihrer Nummer keinen anstehenden Termin.".to_string(),
        (Language::En, 0) => "I can't find an upcoming appointment under your number.".to_string(),
        (Language::De, 1) => format!("Ihr nächster Termin: {}.", phrases[0]),
        (Language::En, 1) => format!("Your next appointment: {}.", phrases[0]),
        (Language::De, _) => {
            format!("Sie haben {} Termine: {}.", phrases.len(), join_choices(&phrases, language, true))
        }
        (Language::En, _) => {
            format!("You have {} appointments: {}.", phrases.len(), join_choices(&phrases, language, true))
        }
    };
    let views: Vec<Listed> = appointments.iter().map(|a| listed(ctx, a)).collect();
    Reply::ok(message, ()).with("appointments", views)
}

/// Cancels the caller's appointment (named by day, or the only one) within the company's policy.
pub async fn cancel_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    cancel(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

/// The caller's appointment named by day (and time), or the only one; or the answer why not.
async fn pick(backends: &Backends, ctx: &CallContext, which: &CancelArgs) -> Result<Appointment, Reply> {
    let language = ctx.language();
    let mut candidates = callers_appointments(backends, ctx).await?;
    if which.date.get().is_some() || which.time.get().is_some() {
        let wish = understood(ctx, which.date.get(), which.time.get())?;
        let tz = ctx.tz();
        candidates.retain(|a| {
            let local = a.starts_at.with_timezone(&tz).naive_local();
            let end = local + Duration::minutes(1);
            wish.admits(local, end)
        });
    }
    match candidates.as_slice() {
        [] => Err(Reply::failure(
            "not_found",
            language.pick(
                "Dazu finde ich unter Ihrer Nummer keinen Termin. Möchten Sie, dass wir Sie zurückrufen?",
                "I can't find that appointment under your number. Would you like us to call you back?",
            ),
        )
        .with("offer_callback", true)),
        [one] => Ok(one.clone()),
        several => {
            let phrases: Vec<String> = several.iter().map(|a| spoken(ctx, a)).collect();
            Err(Reply::failure(
                "ambiguous_appointment",
                match language {
                    Language::De => format!("Welchen Termin meinen Sie: {}?", join_choices(&phrases, language, false)),
                    Language::En => {
                        format!("Which appointment do you mean: {}?", join_choices(&phrases, language, false))
                    }
                },
            ))
        }
    }
}

/// Refuses changes by phone closer to the appointment than the company allows.
fn within_policy(ctx: &CallContext, appointment: &Appointment) -> Result<(), Reply> {
    let Some(hours) = ctx.company().cancel_hours_before else { return Ok(()) };
    if appointment.starts_at - Duration::hours(i64::from(hours)) >= ctx.now {
        return Ok(());
    }
    let message = match ctx.language() {
        Language::De => format!(
            "Telefonisch können wir Termine nur bis {hours} Stunden vorher ändern oder absagen. Darf ich Sie mit jemandem aus dem Team zurückrufen lassen?"
        ),
        Language::En => format!(
            "Appointments can only be changed or cancelled by phone up to {hours} hours before. May someone from the team call you back?"
        ),
    };
    Err(Reply::failure("policy", message).with("offer_callback", true).with("cancel_hours_before", hours))
}

async fn cancel(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<CancelArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let appointment = pick(backends, ctx, &args).await?;
    within_policy(ctx, &appointment)?;
    let reason = args.reason.get().unwrap_or("cancelled by phone");
    backends.booker.cancel(&ctx.tenant, &appointment, reason).await.map_err(|error| {
        tracing::warn!(%error, appointment = appointment.id, "cancellation failed");
        Reply::calendar_unavailable(language)
    })?;
    let message = match language {
        Language::De => {
            format!("Ihr Termin {} ({}) ist storniert.", spoken(ctx, &appointment), appointment.service_name)
        }
        Language::En => {
            format!("Your appointment {} ({}) is cancelled.", spoken(ctx, &appointment), appointment.service_name)
        }
    };
    Ok(Reply::ok(message, ()).with("cancelled", listed(ctx, &appointment)))
}

/// Moves the caller's appointment to a new time within the company's policy; alternatives if taken.
pub async fn reschedule_appointment(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    reschedule(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn reschedule(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<RescheduleArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let target = understood(ctx, args.new_date.get(), args.new_time.get())?;
    let appointment = pick(backends, ctx, &args.which).await?;
    within_policy(ctx, &appointment)?;
    let Some(local) = target.exact() else {
        let service = ctx.branch().service(crate::domain::ServiceId(appointment.service_id));
        return Err(match service {
            Some(service) => ask_for_a_time(backends, ctx, service, None, &target).await,
            None => Reply::missing(language, "die neue Uhrzeit", "the new time"),
        });
    };
    let (date, time) = (local.date(), local.time());
    let start = ctx.instant(local);
    let moved = backends.booker.reschedule(&ctx.tenant, &appointment, start).await.map_err(|error| {
        tracing::warn!(%error, appointment = appointment.id, "reschedule failed");
        Reply::calendar_unavailable(language)
    })?;
    let new_time = spoken_moment(date, time, ctx.today(), language);
    if !moved {
        // Alternatives around the wished new time, for the same service.
        let offered = match ctx.branch().service(crate::domain::ServiceId(appointment.service_id)) {
            Some(service) => alternatives_to(backends, ctx, service, None, start).await,
            None => vec![],
        };
        let choices = spoken_list(ctx, &offered);
        let message = match (language, offered.is_empty()) {
            (Language::De, false) => format!("{new_time} ist leider nicht frei. Ich könnte Ihnen {choices} anbieten."),
            (Language::En, false) => format!("{new_time} isn't free, I'm afraid. I could offer you {choices}."),
            (Language::De, true) => format!("{new_time} ist leider nicht frei. Darf ich Sie zurückrufen lassen?"),
            (Language::En, true) => format!("{new_time} isn't free, I'm afraid. May we call you back?"),
        };
        let starts: Vec<String> = offered.iter().map(|s| ctx.local_instant_text(s.start)).collect();
        return Err(Reply::failure("slot_taken", message)
            .with("alternatives", starts)
            .with("offer_callback", offered.is_empty()));
    }
    let message = match language {
        Language::De => format!("Ihr Termin ({}) ist verschoben auf {new_time}.", appointment.service_name),
        Language::En => format!("Your appointment ({}) is moved to {new_time}.", appointment.service_name),
    };
    Ok(Reply::ok(message, ()).with("appointment_id", appointment.id).with("start", ctx.local_instant_text(start)))
}

/// For a hidden number: the appointment booked under a name on a day — both are required, and
/// nothing is revealed unless both match.
pub async fn query_appointment_by_name(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let language = ctx.language();
    let Ok(args) = parse::<ByNameArgs>(raw) else { return Reply::invalid_arguments(language) };
    let (Some(name), Some(date)) = (args.name.get(), args.date.get()) else {
        return Reply::missing(
            language,
            "Ihren Namen und den Tag des Termins",
            "your name and the day of the appointment",
        );
    };
    let wish = match understood(ctx, Some(date), None) {
        Ok(wish) => wish,
        Err(reply) => return reply,
    };
    let from = ctx.instant(wish.first_day.and_time(chrono::NaiveTime::MIN));
    let to = ctx.instant((wish.last_day + Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let found = match backends.store.appointments_with_names(ctx.company().id, from, to).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "appointment lookup by name failed");
            return Reply::internal(language);
        }
    };
    let said = crate::speech::fold(name.trim());
    let mine: Vec<Appointment> = found
        .into_iter()
        .filter(|(booked_as, _)| booked_as.as_deref().is_some_and(|n| crate::speech::fold(n.trim()) == said))
        .map(|(_, a)| a)
        .collect();
    if mine.is_empty() {
        return Reply::failure(
            "not_found",
            language.pick(
                "Unter diesem Namen finde ich an dem Tag keinen Termin. Darf ich Sie zurückrufen lassen?",
                "I can't find an appointment under that name on that day. May we call you back?",
            ),
        )
        .with("offer_callback", true);
    }
    let phrases: Vec<String> = mine.iter().map(|a| format!("{} ({})", spoken(ctx, a), a.service_name)).collect();
    let message = match language {
        Language::De => format!("Ich habe Ihren Termin gefunden: {}.", join_choices(&phrases, language, true)),
        Language::En => format!("I found your appointment: {}.", join_choices(&phrases, language, true)),
    };
    let views: Vec<Listed> = mine.iter().map(|a| listed(ctx, a)).collect();
    Reply::ok(message, ()).with("appointments", views)
}
