//! `check_availability`: is this start free; if not, the best alternatives.

use super::{capitalise, offer, on_day, range_around, read, resolve_wish, slot_view, SlotView, ALTERNATIVES};
use crate::availability::alternatives::alternatives;
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::domain::{Language, Service, Staff};
use crate::functions::args::{parse, ServiceAtArgs};
use crate::functions::{Backends, CallContext, Reply};
use crate::speech::{join_choices, spoken_moment, spoken_time, understand, Moment};
use chrono::{Datelike, Duration, NaiveTime};
use serde::Serialize;
use serde_json::value::RawValue;

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

/// Is the requested start free for the service (for someone who can do it)? If not, the best 3.
pub async fn check_availability(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    check(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
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
    let (from, to) = range_around(ctx, start);
    let read = read(backends, ctx, service, staff, from, to).await?;
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
    if let Some(slot) = read.slots.iter().find(|s| s.start == start) {
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
        return Ok(read.mark(Reply::ok(message, availability)));
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
    let mut offered: Vec<Slot> =
        alternatives(&read.slots, start, ctx.tz(), ALTERNATIVES).into_iter().map(|c| c.slot).collect();
    offered.sort_by_key(|s| s.start);
    let message = offer(ctx, lead, &offered);
    availability.reason = Some(reason);
    availability.alternatives = offered.iter().map(|s| slot_view(ctx, s)).collect();
    Ok(read.mark(Reply::ok(message, availability)))
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
    let (from, to) = range_around(ctx, day_start);
    let read = read(backends, ctx, service, staff, from, to.max(day_start + Duration::days(WINDOW_DAYS / 2))).await?;
    let tz = ctx.tz();
    let on_that_day: Vec<Slot> = read
        .slots
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
        let mut offered: Vec<Slot> =
            alternatives(&read.slots, target, tz, ALTERNATIVES).into_iter().map(|c| c.slot).collect();
        offered.sort_by_key(|s| s.start);
        (lead, offered)
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
    Ok(read.mark(Reply::ok(
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
    )))
}
