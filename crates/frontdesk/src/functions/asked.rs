//! The one place function arguments become a typed wish: the service, the staff member (named as
//! an argument or in the words) and the understood [`Wish`] — or the spoken answer saying what
//! was not understood.

use super::args::WishArgs;
use super::catalog::resolve_service;
use super::{Backends, CallContext, Reply};
use crate::domain::{CalendarKind, Language, Service, Staff};
use crate::speech::join_choices;
use crate::speech::{understand, Wish};
use serde::Serialize;

/// What a call asks about: service, staff member and when.
#[derive(Debug)]
pub struct Asked<'a> {
    /// The service.
    pub service: &'a Service,
    /// The staff member asked for, if any.
    pub staff: Option<&'a Staff>,
    /// When.
    pub wish: Wish,
}

/// Understands date and time words into a wish, or the answer saying what was not understood.
/// A wish beyond the company's booking horizon is refused here, for every read and write.
pub fn understood(ctx: &CallContext, date: Option<&str>, time: Option<&str>) -> Result<Wish, Reply> {
    let wish = understand(date, time, &ctx.speech())
        .map_err(|problem| Reply::invalid_date(ctx.language(), ctx.today(), &problem))?;
    let horizon = ctx.company().limits.booking_horizon_days;
    if (wish.first_day - ctx.today()).num_days() > i64::from(horizon) {
        crate::booking::Limit::Horizon(horizon).counted();
        return Err(Reply::beyond_horizon(ctx.language(), ctx.today(), horizon));
    }
    Ok(wish)
}

/// Service, wish and staff of a call's wish arguments (in that order of asking back).
pub fn asked<'a>(backends: &Backends, ctx: &'a CallContext, args: &WishArgs) -> Result<Asked<'a>, Reply> {
    let service = resolve_service(ctx, args.service.get())?;
    let wish = understood(ctx, args.date.get(), args.time_words().as_deref())?;
    let staff = staff_of(backends, ctx, service, args, Some(&wish))?;
    Ok(Asked { service, staff, wish })
}

/// The staff member named as an argument or in the words, checked against the service and, on
/// Cal.com, against the event types that make a person bookable.
fn staff_of<'a>(
    backends: &Backends,
    ctx: &'a CallContext,
    service: &Service,
    args: &WishArgs,
    wish: Option<&Wish>,
) -> Result<Option<&'a Staff>, Reply> {
    let said = args.staff.get().or(wish.and_then(|w| w.staff.as_deref()));
    let staff = resolve_staff(ctx, service, said)?;
    selectable(backends, ctx, service, staff)?;
    Ok(staff)
}

/// The staff member asked for, checked against the service; or the answer when that fails.
fn resolve_staff<'a>(ctx: &'a CallContext, service: &Service, said: Option<&str>) -> Result<Option<&'a Staff>, Reply> {
    let Some(said) = said else { return Ok(None) };
    let language = ctx.language();
    let heard = crate::speech::echo(said);
    let able: Vec<String> = ctx.branch().staff_for(service.id).map(|s| s.name.clone()).collect();
    let staff = ctx.branch().match_staff(said).ok_or_else(|| {
        let list = join_choices(&able, language, false);
        Reply::failure(
            "unknown_staff",
            match language {
                Language::De => format!("{heard} kenne ich hier leider nicht. {} macht bei uns {list}.", service.name),
                Language::En => format!("I don't know {heard} here. {} is done by {list}.", service.name),
            },
        )
        .with("staff", &able)
    })?;
    if !staff.services.contains(&service.id) {
        let list = join_choices(&able, language, false);
        return Err(Reply::failure(
            "staff_not_qualified",
            match language {
                Language::De => {
                    format!("{} macht leider keinen {}. Das macht bei uns {list}.", staff.name, service.name)
                }
                Language::En => format!("{} doesn't do {}. It is done by {list}.", staff.name, service.name),
            },
        )
        .with("staff", &able));
    }
    Ok(Some(staff))
}

/// On Cal.com a staff member can be chosen only through an event type of their own (mapped in
/// the tenants file); otherwise Cal.com assigns the host, and the caller is told so rather than
/// offered someone else's time under their name.
fn selectable(backends: &Backends, ctx: &CallContext, service: &Service, staff: Option<&Staff>) -> Result<(), Reply> {
    let Some(person) = staff else { return Ok(()) };
    let calcom = backends.availability.calendars().kind_for(ctx.company()) == CalendarKind::Calcom;
    if !calcom || person.calcom_event_type(service.id).is_some() {
        return Ok(());
    }
    let message = match ctx.language() {
        Language::De => format!(
            "Bei {} vergibt unser Kalender die Mitarbeiter selbst; {} kann ich am Telefon leider nicht fest einplanen. Soll ich trotzdem nach einem Termin schauen?",
            service.name, person.name
        ),
        Language::En => format!(
            "For {} our calendar assigns the team member itself, so I can't book {} specifically by phone. Shall I look for a time anyway?",
            service.name, person.name
        ),
    };
    Err(Reply::failure("staff_not_selectable", message).with("staff", &person.name))
}

/// Service and staff only, with the wish when one was said (`find_next_available` without a day).
pub fn asked_maybe<'a>(
    backends: &Backends,
    ctx: &'a CallContext,
    args: &WishArgs,
    date: Option<&str>,
) -> Result<(&'a Service, Option<&'a Staff>, Option<Wish>), Reply> {
    let service = resolve_service(ctx, args.service.get())?;
    let time = args.time_words();
    let wish = match (date, time.as_deref()) {
        (None, None) => None,
        (date, time) => Some(understood(ctx, date, time)?),
    };
    let staff = staff_of(backends, ctx, service, args, wish.as_ref())?;
    Ok((service, staff, wish))
}

/// The wish as the agent receives it.
#[derive(Serialize)]
pub struct WishView {
    first_day: String,
    last_day: String,
    time: Option<String>,
    window_from: Option<String>,
    window_to: Option<String>,
    flexibility: &'static str,
}

/// The understood wish, for the agent's JSON.
pub fn wish_view(wish: &Wish) -> WishView {
    let hhmm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    WishView {
        first_day: wish.first_day.to_string(),
        last_day: wish.last_day.to_string(),
        time: wish.clock().map(hhmm),
        window_from: wish.window().map(|w| hhmm(w.from)),
        window_to: wish.window().map(|w| hhmm(w.to)),
        flexibility: wish.flexibility.as_str(),
    }
}
