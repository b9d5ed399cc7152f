//! Who is calling: `initialize_call` and `check_customer`.

use super::{Backends, CallContext, Reply};
use crate::domain::Language;
use crate::speech::{spoken_full_date, spoken_moment, spoken_opening_hours_of_day, spoken_time};
use crate::store::{Appointment, Customer};
use chrono::Datelike;
use serde::Serialize;

#[derive(Serialize)]
struct AppointmentView {
    service: String,
    staff: Option<String>,
    start: String,
    spoken: String,
}

#[derive(Serialize)]
struct CustomerView {
    known: bool,
    name: Option<String>,
    appointments: Vec<AppointmentView>,
}

/// The caller's customer record and upcoming appointments, if the number is known.
async fn recognise(backends: &Backends, ctx: &CallContext) -> Result<Option<(Customer, Vec<Appointment>)>, Reply> {
    let Some(number) = ctx.call.customer_number() else { return Ok(None) };
    let customer = backends.store.find_customer(ctx.company().id, &number).await.map_err(|error| {
        tracing::error!(%error, "customer lookup failed");
        Reply::internal(ctx.language())
    })?;
    let Some(customer) = customer else { return Ok(None) };
    let appointments =
        backends.store.upcoming_appointments(ctx.company().id, customer.id, ctx.now, 5).await.map_err(|error| {
            tracing::error!(%error, "appointment lookup failed");
            Reply::internal(ctx.language())
        })?;
    Ok(Some((customer, appointments)))
}

fn view(ctx: &CallContext, found: Option<(Customer, Vec<Appointment>)>) -> CustomerView {
    match found {
        None => CustomerView { known: false, name: None, appointments: vec![] },
        Some((customer, appointments)) => CustomerView {
            known: true,
            name: customer.name,
            appointments: appointments
                .into_iter()
                .map(|a| {
                    let local = a.starts_at.with_timezone(&ctx.tz());
                    AppointmentView {
                        spoken: spoken_moment(local.date_naive(), local.time(), ctx.today(), ctx.language()),
                        start: local.to_rfc3339(),
                        service: a.service_name,
                        staff: a.staff_name,
                    }
                })
                .collect(),
        },
    }
}

fn next_appointment_sentence(customer: &CustomerView, language: Language) -> Option<String> {
    let next = customer.appointments.first()?;
    Some(match (language, &next.staff) {
        (Language::De, Some(staff)) => format!("Der nächste Termin ist {}: {} bei {staff}.", next.spoken, next.service),
        (Language::De, None) => format!("Der nächste Termin ist {}: {}.", next.spoken, next.service),
        (Language::En, Some(staff)) => {
            format!("The next appointment is {}: {} with {staff}.", next.spoken, next.service)
        }
        (Language::En, None) => format!("The next appointment is {}: {}.", next.spoken, next.service),
    })
}

#[derive(Serialize)]
struct CallStart<'a> {
    company_name: &'a str,
    branch_name: &'a str,
    language: &'static str,
    timezone: &'static str,
    today: String,
    today_spoken: String,
    current_time: String,
    current_time_spoken: String,
    open_now: bool,
    opening_hours_today: Option<String>,
    customer: CustomerView,
}

/// Tenant, today's date and time spoken, today's hours, and the caller recognised by number.
pub async fn initialize_call(backends: &Backends, ctx: &CallContext) -> Reply {
    let language = ctx.language();
    let found = match recognise(backends, ctx).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let customer = view(ctx, found);
    let now = ctx.local_now();
    let today = ctx.today();
    let hours = &ctx.branch().opening_hours;
    // A public holiday or a closure closes the whole day, whatever the weekly hours say.
    let closed_today = ctx.tenant.closed_for_the_day(today);
    let hours_today = spoken_opening_hours_of_day(hours.on(today.weekday()), language).filter(|_| !closed_today);
    let open_now = !closed_today && hours.is_open(today.weekday(), now.time());
    let weekday_date = spoken_full_date(today, language);
    let time_spoken = spoken_time(now.time(), language);
    let mut message = match (language, &hours_today) {
        (Language::De, Some(h)) => {
            format!("Heute ist {weekday_date}, es ist {time_spoken}. Wir haben heute {h} geöffnet.")
        }
        (Language::De, None) => format!("Heute ist {weekday_date}, es ist {time_spoken}. Heute haben wir geschlossen."),
        (Language::En, Some(h)) => format!("Today is {weekday_date}, it is {time_spoken}. We are open today {h}."),
        (Language::En, None) => format!("Today is {weekday_date}, it is {time_spoken}. We are closed today."),
    };
    if let Some(name) = customer.name.as_deref().map(crate::speech::echo) {
        message.push(' ');
        message.push_str(&match language {
            Language::De => format!("Der Anrufer ist bekannt: {name}."),
            Language::En => format!("The caller is a known customer: {name}."),
        });
        if let Some(next) = next_appointment_sentence(&customer, language) {
            message.push(' ');
            message.push_str(&next);
        }
    }
    Reply::ok(
        message,
        CallStart {
            company_name: &ctx.company().name,
            branch_name: &ctx.branch().name,
            language: language.code(),
            timezone: ctx.tz().name(),
            today: today.to_string(),
            today_spoken: weekday_date.clone(),
            current_time: now.format("%H:%M").to_string(),
            current_time_spoken: time_spoken,
            open_now,
            opening_hours_today: hours_today,
            customer,
        },
    )
}

/// Whether the caller is known, their name and upcoming appointments.
pub async fn check_customer(backends: &Backends, ctx: &CallContext) -> Reply {
    let language = ctx.language();
    let hidden = ctx.call.customer_number().is_none();
    let found = match recognise(backends, ctx).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let customer = view(ctx, found);
    let name = customer.name.as_deref().map(crate::speech::echo);
    let message = match (language, hidden, &name, customer.known) {
        // A web call (website widget, a test call in Retell's dashboard) has no number at all.
        (Language::De, true, _, _) if ctx.call.is_web_call() => "Mit wem spreche ich bitte?".to_string(),
        (Language::En, true, _, _) if ctx.call.is_web_call() => "May I have your name, please?".to_string(),
        (Language::De, true, _, _) => {
            "Die Rufnummer ist unterdrückt, daher kann ich Sie nicht automatisch zuordnen. Wie ist Ihr Name?"
                .to_string()
        }
        (Language::En, true, _, _) => {
            "Your number is withheld, so I can't look you up automatically. May I have your name?".to_string()
        }
        (Language::De, false, _, false) => {
            "Unter dieser Nummer habe ich noch keine Kundendaten. Wie ist Ihr Name?".to_string()
        }
        (Language::En, false, _, false) => {
            "I don't have any customer details for this number yet. May I have your name?".to_string()
        }
        (_, false, name, true) => {
            let greeting = match (language, name) {
                (Language::De, Some(name)) => format!("Schön, dass Sie wieder anrufen, {name}."),
                (Language::De, None) => "Schön, dass Sie wieder anrufen.".to_string(),
                (Language::En, Some(name)) => format!("Good to hear from you again, {name}."),
                (Language::En, None) => "Good to hear from you again.".to_string(),
            };
            let next = next_appointment_sentence(&customer, language).unwrap_or_else(|| {
                language
                    .pick("Sie haben derzeit keinen anstehenden Termin.", "You have no upcoming appointments.")
                    .to_string()
            });
            format!("{greeting} {next}")
        }
    };
    Reply::ok(message, customer)
}
