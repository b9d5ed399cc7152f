//! `check_availability` and `find_next_available`: free slots of a service, read from the
//! calendar over a window and answered with spoken alternatives.

use super::args::{parse, NextAvailableArgs, ServiceAtArgs, Text};
use super::catalog::resolve_service;
use super::{Backends, CacheUse, CallContext, Reply};
use crate::calendar::{Slot, SlotQuery};
use crate::domain::{Language, Service, Staff};
use crate::speech::{join_choices, spoken_date, spoken_moment, spoken_moments, spoken_time, understand, Moment};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

/// How far ahead availability is searched (DESIGN §8).
const WINDOW_DAYS: i64 = 14;
/// How many alternatives are offered.
const ALTERNATIVES: usize = 3;

/// A slot as the agent receives it: ISO, spoken, and who is free.
#[derive(Debug, Serialize)]
pub struct SlotView {
    start: String,
    date: String,
    time: String,
    spoken: String,
    staff: Vec<String>,
}

fn slot_view(ctx: &CallContext, slot: &Slot) -> SlotView {
    let local = slot.start.with_timezone(&ctx.tz());
    let branch = ctx.branch();
    SlotView {
        start: local.to_rfc3339(),
        date: local.date_naive().to_string(),
        time: local.format("%H:%M").to_string(),
        spoken: spoken_moment(local.date_naive(), local.time(), ctx.today(), ctx.language()),
        staff: slot
            .staff
            .iter()
            .filter_map(|id| branch.staff.iter().find(|s| s.id == *id))
            .map(|s| s.name.clone())
            .collect(),
    }
}

/// The staff member asked for, checked against the service; or the answer when that fails.
fn resolve_staff<'a>(ctx: &'a CallContext, service: &Service, said: &Text) -> Result<Option<&'a Staff>, Reply> {
    let Some(said) = said.get() else { return Ok(None) };
    let language = ctx.language();
    let able: Vec<String> = ctx.branch().staff_for(service.id).map(|s| s.name.clone()).collect();
    let staff = ctx.branch().match_staff(said).ok_or_else(|| {
        let list = join_choices(&able, language, false);
        Reply::failure(
            "unknown_staff",
            match language {
                Language::De => format!("{said} kenne ich hier leider nicht. {} macht bei uns {list}.", service.name),
                Language::En => format!("I don't know {said} here. {} is done by {list}.", service.name),
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

/// Free slots of a service in `[from, to)` from the tenant's calendar (which counts its own requests).
async fn free_slots(
    backends: &Backends,
    ctx: &CallContext,
    service: &Service,
    staff: Option<&Staff>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Slot>, Reply> {
    let query =
        SlotQuery { company: ctx.company(), branch: ctx.branch(), service, staff: staff.map(|s| s.id), from, to };
    let calendar = backends.calendars.for_company(ctx.company()).map_err(|error| {
        tracing::error!(%error, company = ctx.company().id, "no calendar for this tenant");
        Reply::calendar_unavailable(ctx.language())
    })?;
    calendar.free_slots(query).await.map_err(|error| {
        tracing::warn!(%error, provider = calendar.name(), "calendar could not answer");
        Reply::calendar_unavailable(ctx.language())
    })
}

/// Up to `n` alternatives to `target`: the nearest free start before and the nearest after it
/// first (so a closed Sunday offers Saturday and Monday), then the rest by distance with the
/// same day preferred; returned in time order. `slots` is sorted by start.
fn nearest(slots: &[Slot], target: DateTime<Utc>, ctx: &CallContext, n: usize) -> Vec<Slot> {
    let tz = ctx.tz();
    let day = target.with_timezone(&tz).date_naive();
    let same_day = |s: &Slot| s.start.with_timezone(&tz).date_naive() == day;
    let before = slots.iter().rev().find(|s| s.start < target);
    let after = slots.iter().find(|s| s.start > target);
    let mut chosen: Vec<Slot> = before.into_iter().chain(after).take(n).cloned().collect();
    let mut rest: Vec<&Slot> = slots.iter().filter(|s| s.start != target && !chosen.contains(s)).collect();
    rest.sort_by_key(|s| (!same_day(s), (s.start - target).num_seconds().abs()));
    chosen.extend(rest.into_iter().take(n.saturating_sub(chosen.len())).cloned());
    chosen.sort_by_key(|s| s.start);
    chosen
}

fn spoken_list(ctx: &CallContext, slots: &[Slot]) -> String {
    let tz = ctx.tz();
    let moments: Vec<_> = slots
        .iter()
        .map(|s| {
            let local = s.start.with_timezone(&tz);
            (local.date_naive(), local.time())
        })
        .collect();
    spoken_moments(&moments, ctx.today(), ctx.language())
}

/// The sentence offering alternatives, or offering a callback when there are none.
fn offer(ctx: &CallContext, lead: String, alternatives: &[Slot]) -> String {
    match (ctx.language(), alternatives.is_empty()) {
        (Language::De, false) => {
            format!("{lead} Ich könnte Ihnen {} anbieten. Was passt Ihnen?", spoken_list(ctx, alternatives))
        }
        (Language::En, false) => {
            format!("{lead} I could offer you {}. What would suit you?", spoken_list(ctx, alternatives))
        }
        (Language::De, true) => {
            format!("{lead} In den nächsten zwei Wochen ist leider nichts mehr frei. Darf ich Sie zurückrufen lassen?")
        }
        (Language::En, true) => {
            format!("{lead} Nothing is free in the next two weeks, I'm afraid. May we call you back?")
        }
    }
}

#[derive(Serialize)]
struct Availability {
    available: bool,
    service: String,
    duration_minutes: u32,
    requested: Option<String>,
    reason: Option<&'static str>,
    slot: Option<SlotView>,
    alternatives: Vec<SlotView>,
}

/// Is the requested start free for the service (for someone who can do it)? If not, the nearest 3.
pub async fn check_availability(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    check(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

/// The service and staff member a call asks about, or the answer explaining why not.
fn resolve_wish<'a>(
    ctx: &'a CallContext,
    service: &Text,
    staff: &Text,
) -> Result<(&'a Service, Option<&'a Staff>), Reply> {
    let service = resolve_service(ctx, service.get())?;
    Ok((service, resolve_staff(ctx, service, staff)?))
}

async fn check(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<ServiceAtArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let (service, staff) = resolve_wish(ctx, &args.service, &args.staff)?;
    let moment =
        understand(args.date.get(), args.time.get(), &ctx.speech()).map_err(|p| Reply::invalid_date(language, p))?;
    let Some(time) = moment.time else {
        return free_times_on_day(backends, ctx, service, staff, moment).await;
    };
    let start = ctx.instant(moment.date.and_time(time));
    // A window around the wish: alternatives on both sides, however far ahead the wish is.
    let from = ctx.now.max(start - Duration::days(WINDOW_DAYS / 2));
    let to = (from + Duration::days(WINDOW_DAYS)).max(start + Duration::days(WINDOW_DAYS / 2));
    let slots = free_slots(backends, ctx, service, staff, from, to).await?;
    let spoken_wish = spoken_moment(moment.date, time, ctx.today(), language);
    let mut availability = Availability {
        available: false,
        service: service.name.clone(),
        duration_minutes: service.duration_minutes,
        requested: Some(ctx.local_instant_text(start)),
        reason: None,
        slot: None,
        alternatives: vec![],
    };
    if let Some(slot) = slots.iter().find(|s| s.start == start) {
        let view = slot_view(ctx, slot);
        let with = match (language, view.staff.as_slice()) {
            (_, []) => String::new(),
            (Language::De, names) => format!(", bei {}", join_choices(names, language, false)),
            (Language::En, names) => format!(" with {}", join_choices(names, language, false)),
        };
        let message = match language {
            Language::De => format!(
                "Ja, {spoken_wish} ist für {} noch frei{with}. Soll ich den Termin für Sie eintragen?",
                service.name
            ),
            Language::En => format!("Yes, {spoken_wish} is free for {}{with}. Shall I book it for you?", service.name),
        };
        availability.available = true;
        availability.slot = Some(view);
        return Ok(Reply::ok(message, availability).cached(CacheUse::Miss));
    }
    let hours = ctx.branch().opening_hours.on(moment.date.weekday());
    let end_time = time + Duration::minutes(i64::from(service.duration_minutes));
    let reason = if hours.is_empty() {
        "closed"
    } else if !hours.iter().any(|r| r.open <= time && end_time <= r.close && end_time > time) {
        "outside_opening_hours"
    } else {
        "taken"
    };
    let lead = match (language, reason) {
        (Language::De, "closed") => {
            format!("{} haben wir leider geschlossen.", capitalise(&on_day(ctx, moment, language)))
        }
        (Language::En, "closed") => format!("We're closed {}, I'm afraid.", on_day(ctx, moment, language)),
        (Language::De, "outside_opening_hours") => {
            format!("Um {} haben wir leider nicht geöffnet.", spoken_time(time, language))
        }
        (Language::En, "outside_opening_hours") => {
            format!("We're not open at {}, I'm afraid.", spoken_time(time, language))
        }
        (Language::De, _) => format!("{} ist leider schon vergeben.", capitalise(&spoken_wish)),
        (Language::En, _) => format!("{} is already taken, I'm afraid.", capitalise(&spoken_wish)),
    };
    let alternatives = nearest(&slots, start, ctx, ALTERNATIVES);
    let message = offer(ctx, lead, &alternatives);
    availability.reason = Some(reason);
    availability.alternatives = alternatives.iter().map(|s| slot_view(ctx, s)).collect();
    Ok(Reply::ok(message, availability).cached(CacheUse::Miss))
}

fn on_day(ctx: &CallContext, moment: Moment, language: Language) -> String {
    let day = spoken_date(moment.date, ctx.today(), language);
    match (language, (moment.date - ctx.today()).num_days()) {
        (Language::De, 0..=2) => day,
        (Language::De, _) => format!("am {day}"),
        (Language::En, 0..=1) => day,
        (Language::En, _) => format!("on {day}"),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A day (and maybe a part of it) without a clock time: the free times of that day.
async fn free_times_on_day(
    backends: &Backends,
    ctx: &CallContext,
    service: &Service,
    staff: Option<&Staff>,
    moment: Moment,
) -> Result<Reply, Reply> {
    let language = ctx.language();
    let day_start = ctx.instant(moment.date.and_time(NaiveTime::MIN));
    let from = ctx.now.max(day_start);
    let slots = free_slots(backends, ctx, service, staff, from, from + Duration::days(WINDOW_DAYS)).await?;
    let tz = ctx.tz();
    let on_that_day: Vec<Slot> = slots
        .iter()
        .filter(|s| {
            let local = s.start.with_timezone(&tz);
            local.date_naive() == moment.date && moment.part_of_day.is_none_or(|p| p.contains(local.time()))
        })
        .cloned()
        .collect();
    let day = on_day(ctx, moment, language);
    let (lead, offered) = if on_that_day.is_empty() {
        let lead = match language {
            Language::De => format!("{} ist dafür leider nichts mehr frei.", capitalise(&day)),
            Language::En => format!("Nothing is free {day}, I'm afraid."),
        };
        let target =
            ctx.instant(moment.date.and_time(moment.part_of_day.map(|p| p.range().0).unwrap_or(NaiveTime::MIN)));
        (lead, nearest(&slots, target, ctx, ALTERNATIVES))
    } else {
        // Spread the offer over the day rather than three neighbouring quarter-hours.
        let step = (on_that_day.len() / ALTERNATIVES).max(1);
        let offered: Vec<Slot> = on_that_day.iter().step_by(step).take(ALTERNATIVES).cloned().collect();
        let lead = match language {
            Language::De => format!("{} ist noch etwas frei.", capitalise(&day)),
            Language::En => format!("There is still availability {day}."),
        };
        (lead, offered)
    };
    let message = offer(ctx, lead, &offered);
    Ok(Reply::ok(
        message,
        Availability {
            available: !on_that_day.is_empty(),
            service: service.name.clone(),
            duration_minutes: service.duration_minutes,
            requested: None,
            reason: on_that_day.is_empty().then_some("taken"),
            slot: None,
            alternatives: offered.iter().map(|s| slot_view(ctx, s)).collect(),
        },
    )
    .cached(CacheUse::Miss))
}

#[derive(Serialize)]
struct NextAvailable {
    service: String,
    slot: SlotView,
}

/// The first free slot for a service, optionally after a moment and with a staff member.
pub async fn find_next_available(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    next_available(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn next_available(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<NextAvailableArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let (service, staff) = resolve_wish(ctx, &args.service, &args.staff)?;
    let after = if args.date.get().is_none() && args.time.get().is_none() {
        ctx.now
    } else {
        let moment = understand(args.date.get(), args.time.get(), &ctx.speech())
            .map_err(|p| Reply::invalid_date(language, p))?;
        let time = moment.time.or(moment.part_of_day.map(|p| p.range().0)).unwrap_or(NaiveTime::MIN);
        ctx.now.max(ctx.instant(moment.date.and_time(time)))
    };
    let slots = free_slots(backends, ctx, service, staff, after, after + Duration::days(WINDOW_DAYS)).await?;
    let Some(first) = slots.first() else {
        let message = match language {
            Language::De => format!(
                "Für {} ist in den nächsten zwei Wochen leider nichts frei. Darf ich Sie zurückrufen lassen?",
                service.name
            ),
            Language::En => {
                format!("Nothing is free for {} in the next two weeks, I'm afraid. May we call you back?", service.name)
            }
        };
        return Ok(Reply::failure("no_availability", message).with("offer_callback", true).cached(CacheUse::Miss));
    };
    let view = slot_view(ctx, first);
    let with = match (language, view.staff.first()) {
        (_, None) => String::new(),
        (Language::De, Some(name)) => format!(" bei {name}"),
        (Language::En, Some(name)) => format!(" with {name}"),
    };
    let message = match language {
        Language::De => {
            format!("Der nächste freie Termin für {} ist {}{with}. Passt Ihnen das?", service.name, view.spoken)
        }
        Language::En => {
            format!("The next free appointment for {} is {}{with}. Does that suit you?", service.name, view.spoken)
        }
    };
    Ok(Reply::ok(message, NextAvailable { service: service.name.clone(), slot: view }).cached(CacheUse::Miss))
}
