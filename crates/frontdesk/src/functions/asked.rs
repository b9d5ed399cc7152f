//! The one place function arguments become a typed wish: the service, the staff member (named as
//! an argument or in the words) and the understood [`Wish`] — or the spoken answer saying what
//! was not understood.

use super::args::WishArgs;
use super::catalog::resolve_services;
use super::{Backends, CallContext, Reply};
use crate::domain::{CalendarKind, Service, Staff};
use crate::speech::{understand, CallerSentence, DateProblem, SpeechContext, Wish};
use chrono::NaiveDate;
use serde::Serialize;

/// What a call asks about: service, staff member and when.
#[derive(Debug)]
pub struct Asked<'a> {
    /// The service (the first, when several are booked back to back).
    pub service: &'a Service,
    /// The services after it, back to back (empty for one service).
    pub more: Vec<&'a Service>,
    /// The staff member asked for, if any.
    pub staff: Option<&'a Staff>,
    /// When.
    pub wish: Wish,
}

/// Understands date and time words into a wish, or the answer saying what was not understood.
/// "am Tag danach" counts from the day the call spoke about before, kept with the call's row so
/// that any instance knows it; a single day said is kept for that. A wish beyond the company's
/// booking horizon is refused here, for every read and write.
pub async fn understood(backends: &Backends, ctx: &CallContext, date: Option<&str>, time: Option<&str>) -> Result<Wish, Reply> {
    let speech = ctx.speech();
    let read = match understand(date, time, &speech) {
        // asked only when the words need it: most questions name their day
        Err(DateProblem::NoEarlierDay) => {
            let earlier_day = day_discussed(backends, ctx).await;
            understand(date, time, &SpeechContext { earlier_day, ..speech })
        }
        read => read,
    };
    let wish = read.map_err(|problem| Reply::invalid_date(&problem))?;
    let horizon = ctx.company().limits.booking_horizon_days;
    if (wish.first_day - ctx.today()).num_days() > i64::from(horizon) {
        crate::booking::Limit::Horizon(horizon).counted();
        return Err(Reply::beyond_horizon(ctx.today(), horizon));
    }
    remember_day(backends, ctx, &wish).await;
    Ok(wish)
}

/// The day the call spoke about before, if it named one (and its row could be written).
async fn day_discussed(backends: &Backends, ctx: &CallContext) -> Option<NaiveDate> {
    backends.days_discussed.recall(&backends.store, ctx.call_row_id?).await
}

/// Keeps the one day a wish names with the call, before the answer: the caller's next question
/// ("und am Tag danach?") may reach another instance a moment later and must find it.
async fn remember_day(backends: &Backends, ctx: &CallContext, wish: &Wish) {
    if let (Some(id), Some(day)) = (ctx.call_row_id, wish.single_day().filter(|_| wish.day_said)) {
        backends.days_discussed.remember(&backends.store, id, day).await;
    }
}

/// Service, wish and staff of a call's wish arguments (in that order of asking back).
pub async fn asked<'a>(backends: &Backends, ctx: &'a CallContext, args: &WishArgs) -> Result<Asked<'a>, Reply> {
    let mut services = resolve_services(ctx, args.service.get(), args.services.items())?.into_iter();
    let service = services.next().ok_or_else(|| Reply::missing(crate::speech::Needed::ServiceWanted))?;
    let more: Vec<&Service> = services.collect();
    let wish = understood(backends, ctx, args.date.get(), args.time_words().as_deref()).await?;
    let staff = staff_of(backends, ctx, service, args, Some(&wish))?;
    // the person asked for must do every service
    for other in &more {
        staff_of(backends, ctx, other, args, Some(&wish))?;
    }
    Ok(Asked { service, more, staff, wish })
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
    let heard = crate::speech::echo(said);
    let able: Vec<String> = ctx.branch().staff_for(service.id).map(|s| s.name.clone()).collect();
    let staff = ctx.branch().match_staff(said).ok_or_else(|| {
        let message = CallerSentence::UnknownStaff { heard, service: service.name.clone(), able: able.clone() };
        Reply::failure("unknown_staff", message).with("staff", &able)
    })?;
    if !staff.services.contains(&service.id) {
        let message =
            CallerSentence::StaffNotQualified { staff: staff.name.clone(), service: service.name.clone(), able: able.clone() };
        return Err(Reply::failure("staff_not_qualified", message).with("staff", &able));
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
    let message = CallerSentence::StaffNotSelectable { service: service.name.clone(), staff: person.name.clone() };
    Err(Reply::failure("staff_not_selectable", message).with("staff", &person.name))
}

/// The services (first one first), the staff member and the wish when one was said.
pub type MaybeAsked<'a> = (Vec<&'a Service>, Option<&'a Staff>, Option<Wish>);

/// Service and staff only, with the wish when one was said (`find_next_available` without a day).
pub async fn asked_maybe<'a>(
    backends: &Backends,
    ctx: &'a CallContext,
    args: &WishArgs,
    date: Option<&str>,
) -> Result<MaybeAsked<'a>, Reply> {
    let services = resolve_services(ctx, args.service.get(), args.services.items())?;
    let service = *services.first().ok_or_else(|| Reply::missing(crate::speech::Needed::ServiceWanted))?;
    let time = args.time_words();
    let wish = match (date, time.as_deref()) {
        (None, None) => None,
        (date, time) => Some(understood(backends, ctx, date, time).await?),
    };
    let staff = staff_of(backends, ctx, service, args, wish.as_ref())?;
    for other in &services[1..] {
        staff_of(backends, ctx, other, args, wish.as_ref())?;
    }
    Ok((services, staff, wish))
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
