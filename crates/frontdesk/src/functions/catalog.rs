//! What the branch offers and when it is open: `get_available_services`, `get_service_info`,
//! `get_opening_hours`.

use super::args::{parse, ServiceArgs};
use super::{CallContext, Reply};
use crate::domain::{Closed, Language, Service, ServiceMatch};
use crate::speech::{join_choices, spoken_date, spoken_opening_hours};
use chrono::NaiveDate;
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
    let language = ctx.language();
    let services = &ctx.branch().services;
    let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
    let message = match (language, names.is_empty()) {
        (Language::De, true) => "Für diese Filiale sind derzeit keine Leistungen hinterlegt.".to_string(),
        (Language::En, true) => "No services are listed for this branch at the moment.".to_string(),
        (Language::De, false) => format!("Wir bieten {} an.", join_choices(&names, language, true)),
        (Language::En, false) => format!("We offer {}.", join_choices(&names, language, true)),
    };
    let views: Vec<ServiceView> = services
        .iter()
        .map(|s| ServiceView { name: &s.name, duration_minutes: s.duration_minutes, price: s.price.as_deref() })
        .collect();
    Reply::ok(message, ()).with("services", views)
}

/// Resolves the service a caller named, or the answer to give when that fails.
pub fn resolve_service<'a>(ctx: &'a CallContext, said: Option<&str>) -> Result<&'a Service, Reply> {
    let language = ctx.language();
    let Some(said) = said else {
        return Err(Reply::missing(language, "die gewünschte Leistung", "the service you'd like"));
    };
    match ctx.branch().match_service(said) {
        ServiceMatch::Found(service) => Ok(service),
        ServiceMatch::Ambiguous(candidates) => Err(Reply::ambiguous_service(language, &candidates)),
        ServiceMatch::NotFound => Err(Reply::unknown_service(language, said, &ctx.branch().services)),
    }
}

#[derive(Serialize)]
struct ServiceInfo<'a> {
    service: &'a str,
    duration_minutes: u32,
    price: Option<&'a str>,
    description: Option<&'a str>,
    staff: Vec<&'a str>,
}

/// One service: duration, price, description and who performs it.
pub fn service_info(ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let language = ctx.language();
    let Ok(args) = parse::<ServiceArgs>(raw) else { return Reply::invalid_arguments(language) };
    let service = match resolve_service(ctx, args.service.get()) {
        Ok(service) => service,
        Err(reply) => return reply,
    };
    let staff: Vec<&str> = ctx.branch().staff_for(service.id).map(|s| s.name.as_str()).collect();
    let staff_list = join_choices(&staff.iter().map(|s| s.to_string()).collect::<Vec<_>>(), language, true);
    let mut message = match language {
        Language::De => format!("{} dauert etwa {} Minuten", service.name, service.duration_minutes),
        Language::En => format!("{} takes about {} minutes", service.name, service.duration_minutes),
    };
    if let Some(price) = &service.price {
        message.push_str(&match language {
            Language::De => format!(" und kostet {price}"),
            Language::En => format!(" and costs {price}"),
        });
    }
    message.push('.');
    if let Some(description) = &service.description {
        message.push(' ');
        message.push_str(description);
    }
    if !staff.is_empty() {
        message.push_str(&match language {
            Language::De => format!(" Das macht bei uns {staff_list}."),
            Language::En => format!(" It is done by {staff_list}."),
        });
    }
    Reply::ok(
        message,
        ServiceInfo {
            service: &service.name,
            duration_minutes: service.duration_minutes,
            price: service.price.as_deref(),
            description: service.description.as_deref(),
            staff,
        },
    )
}

/// The branch's opening hours for the week, spoken and structured.
pub fn opening_hours(ctx: &CallContext) -> Reply {
    let language = ctx.language();
    let hours = &ctx.branch().opening_hours;
    let spoken = spoken_opening_hours(hours, language);
    let mut message = match language {
        Language::De => format!("Unsere Öffnungszeiten: {spoken}. An den übrigen Tagen haben wir geschlossen."),
        Language::En => format!("Our opening hours are {spoken}. We are closed on the other days."),
    };
    // Holidays and closures of the coming two weeks, as a receptionist would mention them.
    let closed = closed_days_ahead(ctx);
    if !closed.is_empty() {
        let days: Vec<String> = closed.iter().map(|c| c.spoken(ctx)).collect();
        message.push(' ');
        message.push_str(&match language {
            Language::De => format!("Außerdem geschlossen: {}.", join_choices(&days, language, true)),
            Language::En => format!("We are also closed {}.", join_choices(&days, language, true)),
        });
    }
    let listed: Vec<ClosedView> = closed.iter().map(ClosedView::from).collect();
    Reply::ok(message, ()).with("opening_hours", hours.to_map()).with("spoken", spoken).with("closed", listed)
}

/// Days off of the coming two weeks (besides the weekly hours): consecutive days of one reason
/// as one range.
fn closed_days_ahead(ctx: &CallContext) -> Vec<ClosedRange> {
    let mut ranges: Vec<ClosedRange> = Vec::new();
    for date in ctx.today().iter_days().take(crate::availability::WINDOW_DAYS as usize) {
        let reason = match ctx.tenant.closed_on(date) {
            Some(Closed::Weekly) | None => continue,
            Some(closed) => closed,
        };
        match ranges.last_mut() {
            Some(last)
                if last.reason == Closed::Closure && reason == last.reason && last.last.succ_opt() == Some(date) =>
            {
                last.last = date
            }
            _ => ranges.push(ClosedRange { first: date, last: date, reason }),
        }
    }
    ranges
}

/// Days the branch is closed, first to last, for a holiday or a closure (never `Weekly`).
struct ClosedRange {
    first: NaiveDate,
    last: NaiveDate,
    reason: Closed,
}

impl ClosedRange {
    /// "am Freitag, den 25. Dezember (1. Weihnachtstag)", "vom … bis … (Betriebsferien)".
    fn spoken(&self, ctx: &CallContext) -> String {
        let language = ctx.language();
        let day = |d: NaiveDate| spoken_date(d, ctx.today(), language);
        let why = match (self.reason, language) {
            (Closed::Holiday(h), Language::De) => h.name_de(),
            (Closed::Holiday(h), Language::En) => h.name_en(),
            (Closed::Closure | Closed::Weekly, Language::De) => "Betriebsferien",
            (Closed::Closure | Closed::Weekly, Language::En) => "we are away",
        };
        match (self.first == self.last, language) {
            (true, Language::De) => format!("am {} ({why})", day(self.first)),
            (true, Language::En) => format!("on {} ({why})", day(self.first)),
            (false, Language::De) => format!("vom {} bis {} ({why})", day(self.first), day(self.last)),
            (false, Language::En) => format!("from {} to {} ({why})", day(self.first), day(self.last)),
        }
    }
}

/// A closed range as the agent receives it.
#[derive(Serialize)]
struct ClosedView {
    first_day: String,
    last_day: String,
    reason: &'static str,
    holiday: Option<&'static str>,
}

impl From<&ClosedRange> for ClosedView {
    fn from(range: &ClosedRange) -> Self {
        let (reason, holiday) = match range.reason {
            Closed::Holiday(h) => ("holiday", Some(h.name_en())),
            Closed::Closure | Closed::Weekly => ("closure", None),
        };
        Self { first_day: range.first.to_string(), last_day: range.last.to_string(), reason, holiday }
    }
}
