//! `check_availability`: is this start free; if not, the best alternatives. A wish that is not one
//! start — a day, a span of days, a window, a part of the day — gets the free times inside it.

use super::{
    admitted, closed_lead, closed_reason, offer, offer_on, range_around, range_for, read, slot_view, spread, SlotView,
    ALTERNATIVES,
};
use crate::availability::alternatives::alternatives;
use crate::calendar::Slot;
use crate::domain::Language;
use crate::functions::args::{parse, WishArgs};
use crate::functions::asked::{asked, wish_view, Asked};
use crate::functions::{Backends, CallContext, Reply};
use crate::speech::{capitalise, join_choices, spoken_moment, spoken_time, spoken_wish, Flexibility, Wish};
use chrono::{Datelike, Duration, NaiveDateTime};
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
    let args = parse::<WishArgs>(raw).map_err(|_| Reply::invalid_arguments(ctx.language()))?;
    let asked = asked(backends, ctx, &args)?;
    Ok(availability_of(backends, ctx, &asked).await)
}

/// `check_availability`'s answer for a wish already understood (`collect_appointment_info` asks
/// it too): one start checked, or the free times inside a day or window.
pub(in crate::functions) async fn availability_of(backends: &Backends, ctx: &CallContext, asked: &Asked<'_>) -> Reply {
    let answer = match asked.wish.exact() {
        Some(start) => check_start(backends, ctx, asked, start).await,
        None => free_times(backends, ctx, asked).await,
    };
    answer.unwrap_or_else(|failure| failure)
}

/// One start: free, or why not and what instead.
async fn check_start(
    backends: &Backends,
    ctx: &CallContext,
    asked: &Asked<'_>,
    local: NaiveDateTime,
) -> Result<Reply, Reply> {
    let language = ctx.language();
    let Asked { service, staff, .. } = *asked;
    let (date, time) = (local.date(), local.time());
    let start = ctx.instant(local);
    let (from, to) = range_around(ctx, start);
    let read = read(backends, ctx, service, staff, from, to).await?;
    let spoken_wish = spoken_moment(date, time, ctx.today(), language);
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
    let hours = ctx.branch().opening_hours.on(date.weekday());
    let end_time = time + Duration::minutes(i64::from(service.duration_minutes));
    let (reason, lead) = match ctx.tenant.closed_on(date) {
        Some(closed) => (closed_reason(closed), closed_lead(ctx, date, closed)),
        None if !hours.iter().any(|r| r.open <= time && end_time <= r.close && end_time > time) => (
            "outside_opening_hours",
            match language {
                Language::De => format!("Um {} haben wir leider nicht geöffnet.", spoken_time(time, language)),
                Language::En => format!("We're not open at {}, I'm afraid.", spoken_time(time, language)),
            },
        ),
        None => (
            "taken",
            match language {
                Language::De => format!("{} ist leider schon vergeben.", capitalise(&spoken_wish)),
                Language::En => format!("{} is already taken, I'm afraid.", capitalise(&spoken_wish)),
            },
        ),
    };
    let mut offered: Vec<Slot> =
        alternatives(&read.slots, start, ctx.tz(), ALTERNATIVES).into_iter().map(|c| c.slot).collect();
    offered.sort_by_key(|s| s.start);
    let message = offer(ctx, lead, &offered);
    availability.reason = Some(reason);
    availability.alternatives = offered.iter().map(|s| slot_view(ctx, s)).collect();
    Ok(read.mark(Reply::ok(message, availability)))
}

/// Free times inside a wish that is not one start: a day, days, a window, "so früh wie möglich".
async fn free_times(backends: &Backends, ctx: &CallContext, asked: &Asked<'_>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let Asked { service, staff, ref wish } = *asked;
    let (from, to) = range_for(ctx, wish);
    let read = read(backends, ctx, service, staff, from, to).await?;
    let inside = admitted(ctx, wish, &read.slots);
    let spoken = spoken_wish(wish, ctx.today(), language);
    let (lead, offered, reason) = if inside.is_empty() {
        let (reason, lead) = match wish.single_day().and_then(|d| ctx.tenant.closed_on(d).map(|c| (d, c))) {
            Some((date, closed)) => (closed_reason(closed), closed_lead(ctx, date, closed)),
            None => (
                "taken",
                match language {
                    Language::De => format!("{} ist dafür leider nichts mehr frei.", capitalise(&spoken)),
                    Language::En => format!("Nothing is free {spoken}, I'm afraid."),
                },
            ),
        };
        let anchor = ctx.instant(wish.anchor()).max(ctx.now);
        let mut offered: Vec<Slot> =
            alternatives(&read.slots, anchor, ctx.tz(), ALTERNATIVES).into_iter().map(|c| c.slot).collect();
        offered.sort_by_key(|s| s.start);
        (lead, offered, Some(reason))
    } else {
        let offered = if wish.flexibility == Flexibility::Earliest || is_short(wish) {
            inside.iter().take(ALTERNATIVES).cloned().collect()
        } else {
            spread(&inside, ALTERNATIVES)
        };
        let lead = match language {
            Language::De => format!("{} ist noch etwas frei.", capitalise(&spoken)),
            Language::En => format!("There is still availability {spoken}."),
        };
        (lead, offered, None)
    };
    // When the lead named the one wished day, the times need not name it again.
    let said_day = wish.single_day().filter(|_| !inside.is_empty());
    let message = offer_on(ctx, lead, &offered, said_day);
    Ok(read.mark(
        Reply::ok(
            message,
            Availability {
                available: !inside.is_empty(),
                service: service.name.clone(),
                duration_minutes: service.duration_minutes,
                requested: None,
                reason,
                slot: None,
                alternatives: offered.iter().map(|s| slot_view(ctx, s)).collect(),
            },
        )
        .with("wish", wish_view(wish)),
    ))
}

/// A window of at most two hours on one day: its first free times are the natural offer.
fn is_short(wish: &Wish) -> bool {
    wish.single_day().is_some() && wish.window().is_some_and(|w| w.to - w.from <= Duration::hours(2))
}
