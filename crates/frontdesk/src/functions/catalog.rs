//! What the branch offers and when it is open: `get_available_services`, `get_service_info`,
//! `get_opening_hours`.

use super::args::{parse, ServiceArgs};
use super::{CallContext, Reply};
use crate::domain::{Closed, Service, ServiceMatch};
use crate::speech::{spoken_opening_hours, CallerSentence, ClosedDays, Needed};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct ServiceView<'a> {
    name: &'a str,
    duration_minutes: u32,
    price: Option<&'a str>,
}

/// The branch's services with durations and prices.
pub fn available_services(ctx: &CallContext) -> Reply {
    let services = &ctx.branch().services;
    let message = CallerSentence::Services(services.iter().map(|s| s.name.clone()).collect());
    let views: Vec<ServiceView> = services
        .iter()
        .map(|s| ServiceView { name: &s.name, duration_minutes: s.duration_minutes, price: s.price.as_deref() })
        .collect();
    Reply::ok(message, ()).with("services", views)
}

/// Resolves the service a caller named, or the answer to give when that fails.
pub fn resolve_service<'a>(ctx: &'a CallContext, said: Option<&str>) -> Result<&'a Service, Reply> {
    let Some(said) = said else {
        return Err(Reply::missing(Needed::ServiceWanted));
    };
    match ctx.branch().match_service(said) {
        ServiceMatch::Found(service) => Ok(service),
        ServiceMatch::Ambiguous(candidates) => Err(Reply::ambiguous_service(&candidates)),
        ServiceMatch::NotFound => Err(Reply::unknown_service(said, &ctx.branch().services)),
    }
}

/// Words that join several services in one wish ("Schnitt und Bart", "cut and beard trim").
const JOINERS: [&str; 8] = [" und ", " and ", ",", " + ", " & ", " plus ", " sowie ", " mit "];

/// The services a wish names: the `services` list, else the `service` words — one service, or
/// several joined ("Schnitt und Bart") when every part names a different one. The first is the
/// one the caller comes for first.
pub fn resolve_services<'a>(ctx: &'a CallContext, said: Option<&str>, list: &[String]) -> Result<Vec<&'a Service>, Reply> {
    if !list.is_empty() {
        let mut services = Vec::new();
        for item in list.iter().chain(said.map(str::to_string).iter()) {
            let service = resolve_service(ctx, Some(item))?;
            if !services.iter().any(|s: &&Service| s.id == service.id) {
                services.push(service);
            }
        }
        return Ok(services);
    }
    let Some(text) = said else { return Err(Reply::missing(Needed::ServiceWanted)) };
    // A name that is itself joined ("Waschen und Föhnen") is one service.
    if let ServiceMatch::Found(service) = ctx.branch().match_service(text) {
        if crate::speech::fold(&service.name) == crate::speech::fold(text.trim()) {
            return Ok(vec![service]);
        }
    }
    if let Some(several) = joined(ctx, text) {
        return Ok(several);
    }
    resolve_service(ctx, Some(text)).map(|s| vec![s])
}

/// Several different services, one per joined part, when every part names exactly one.
fn joined<'a>(ctx: &'a CallContext, text: &str) -> Option<Vec<&'a Service>> {
    let mut parts = vec![text.to_string()];
    for joiner in JOINERS {
        parts = parts.iter().flat_map(|p| p.split(joiner).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    let parts: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 || parts.len() > super::args::MAX_LIST_ITEMS {
        return None;
    }
    let mut services: Vec<&Service> = Vec::new();
    for part in parts {
        match ctx.branch().match_service(part) {
            ServiceMatch::Found(service) if !services.iter().any(|s| s.id == service.id) => services.push(service),
            _ => return None,
        }
    }
    Some(services)
}

#[derive(Serialize)]
struct ServiceInfo<'a> {
    service: &'a str,
    duration_minutes: u32,
    #[serde(skip_serializing_if = "is_zero")]
    waiting_minutes: u32,
    price: Option<&'a str>,
    description: Option<&'a str>,
    staff: Vec<&'a str>,
}

/// Whether a count is zero (left out of the answer, as before phases existed).
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One service: duration, price, description and who performs it.
pub fn service_info(ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let Ok(args) = parse::<ServiceArgs>(raw) else { return Reply::invalid_arguments() };
    let service = match resolve_service(ctx, args.service.get()) {
        Ok(service) => service,
        Err(reply) => return reply,
    };
    let staff: Vec<&str> = ctx.branch().staff_for(service.id).map(|s| s.name.as_str()).collect();
    let waiting: u32 = service.phases().iter().filter(|p| !p.is_work()).map(|p| p.minutes()).sum();
    let message = CallerSentence::ServiceInfo {
        name: service.name.clone(),
        minutes: service.duration_minutes,
        waiting,
        price: service.price.clone(),
        description: service.description.clone(),
        staff: staff.iter().map(|s| s.to_string()).collect(),
    };
    Reply::ok(
        message,
        ServiceInfo {
            service: &service.name,
            duration_minutes: service.duration_minutes,
            waiting_minutes: waiting,
            price: service.price.as_deref(),
            description: service.description.as_deref(),
            staff,
        },
    )
}

/// The branch's opening hours for the week, spoken and structured.
pub fn opening_hours(ctx: &CallContext) -> Reply {
    let hours = &ctx.branch().opening_hours;
    let spoken = spoken_opening_hours(hours, ctx.language());
    // Holidays and closures of the coming two weeks, as a receptionist would mention them.
    let closed = closed_days_ahead(ctx);
    let listed: Vec<ClosedView> = closed.iter().map(ClosedView::from).collect();
    let message = CallerSentence::OpeningHours { hours: hours.clone(), closed };
    Reply::ok(message, ()).with("opening_hours", hours.to_map()).with("spoken", spoken).with("closed", listed)
}

/// Days off of the coming two weeks (besides the weekly hours): consecutive days of one reason
/// as one range.
fn closed_days_ahead(ctx: &CallContext) -> Vec<ClosedDays> {
    let mut ranges: Vec<ClosedDays> = Vec::new();
    let first = ctx.today();
    let last = first + chrono::Duration::days(crate::availability::WINDOW_DAYS - 1);
    for (date, reason) in ctx.tenant.closures_between(first, last) {
        match ranges.last_mut() {
            Some(last)
                if last.reason == Closed::Closure && reason == last.reason && last.last.succ_opt() == Some(date) =>
            {
                last.last = date
            }
            _ => ranges.push(ClosedDays { first: date, last: date, reason }),
        }
    }
    ranges
}

/// A closed range as the agent receives it.
#[derive(Serialize)]
struct ClosedView {
    first_day: String,
    last_day: String,
    reason: &'static str,
    holiday: Option<&'static str>,
}

impl From<&ClosedDays> for ClosedView {
    fn from(range: &ClosedDays) -> Self {
        let (reason, holiday) = match range.reason {
            Closed::Holiday(h) => ("holiday", Some(h.name_en())),
            Closed::Closure | Closed::Weekly => ("closure", None),
        };
        Self { first_day: range.first.to_string(), last_day: range.last.to_string(), reason, holiday }
    }
}
