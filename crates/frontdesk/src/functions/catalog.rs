//! What the branch offers and when it is open: `get_available_services`, `get_service_info`,
//! `get_opening_hours`.

use super::args::{parse, ServiceArgs};
use super::{CallContext, Reply};
use crate::domain::{Language, Service, ServiceMatch};
use crate::speech::{join_choices, spoken_opening_hours};
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
    let message = match language {
        Language::De => format!("Unsere Öffnungszeiten: {spoken}. An den übrigen Tagen haben wir geschlossen."),
        Language::En => format!("Our opening hours are {spoken}. We are closed on the other days."),
    };
    Reply::ok(message, ()).with("opening_hours", hours.to_map()).with("spoken", spoken)
}
