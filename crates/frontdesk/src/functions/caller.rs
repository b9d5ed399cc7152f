//! Who is calling: `initialize_call` and `check_customer`.

use super::appointment_view::{upcoming, AppointmentView};
use super::{Backends, CallContext, Reply};
use crate::speech::{echo, spoken_full_date, spoken_opening_hours_of_day, spoken_time, CallerSentence, KnownCaller, Upcoming};
use crate::store::{Appointment, Customer};
use chrono::Datelike;
use serde::Serialize;

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
        Reply::internal()
    })?;
    let Some(customer) = customer else { return Ok(None) };
    let appointments =
        backends.store.upcoming_appointments(ctx.company().id, customer.id, ctx.now, 5).await.map_err(|error| {
            tracing::error!(%error, "appointment lookup failed");
            Reply::internal()
        })?;
    Ok(Some((customer, appointments)))
}

/// The caller as the agent receives them, and their next appointment as the caller hears it.
fn view(ctx: &CallContext, found: Option<(Customer, Vec<Appointment>)>) -> (CustomerView, Option<Upcoming>) {
    let Some((customer, appointments)) = found else {
        return (CustomerView { known: false, name: None, appointments: vec![] }, None);
    };
    let next = appointments.first().map(|a| upcoming(ctx, a));
    let appointments = appointments.iter().map(|a| AppointmentView::of(ctx, a).coming()).collect();
    (CustomerView { known: true, name: customer.name, appointments }, next)
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
    let (customer, next) = view(ctx, found);
    let now = ctx.local_now();
    let today = ctx.today();
    let hours = &ctx.branch().opening_hours;
    // A public holiday or a closure closes the whole day, whatever the weekly hours say.
    let closed_today = ctx.tenant.closed_for_the_day(today);
    let ranges_today = Some(hours.on(today.weekday()).to_vec()).filter(|r| !closed_today && !r.is_empty());
    let hours_today = ranges_today.as_deref().and_then(|r| spoken_opening_hours_of_day(r, language));
    let open_now = !closed_today && hours.is_open(today.weekday(), now.time());
    let caller = customer.name.as_deref().map(|name| KnownCaller { name: echo(name), next });
    let message = CallerSentence::CallOpened { today, now: now.time(), hours_today: ranges_today, caller };
    Reply::ok(
        message,
        CallStart {
            company_name: &ctx.company().name,
            branch_name: &ctx.branch().name,
            language: language.code(),
            timezone: ctx.tz().name(),
            today: today.to_string(),
            today_spoken: spoken_full_date(today, language),
            current_time: now.format("%H:%M").to_string(),
            current_time_spoken: spoken_time(now.time(), language),
            open_now,
            opening_hours_today: hours_today,
            customer,
        },
    )
}

/// Whether the caller is known, their name and upcoming appointments.
pub async fn check_customer(backends: &Backends, ctx: &CallContext) -> Reply {
    let hidden = ctx.call.customer_number().is_none();
    let found = match recognise(backends, ctx).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let (customer, next) = view(ctx, found);
    let message = match (hidden, customer.known) {
        // A web call (website widget, a test call in Retell's dashboard) has no number at all.
        (true, _) if ctx.call.is_web_call() => CallerSentence::AskName,
        (true, _) => CallerSentence::NumberWithheld,
        (false, false) => CallerSentence::NewCaller,
        (false, true) => CallerSentence::ReturningCaller { name: customer.name.as_deref().map(echo), next },
    };
    Reply::ok(message, customer)
}
