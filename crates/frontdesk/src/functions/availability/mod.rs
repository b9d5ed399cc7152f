//! The availability functions — `check_availability`, `get_alternatives`, `find_next_available` —
//! answered from the availability engine's windows and phrased for the caller.

mod check_availability;
mod find_next_available;
mod get_alternatives;
mod obstacles;

pub use get_alternatives::get_alternatives;
pub(super) use check_availability::availability_of;
pub use check_availability::check_availability;
pub use find_next_available::find_next_available;
use obstacles::{explained, obstacle, Obstacle};

use super::asked::wish_view;
use super::{Backends, CacheUse, CallContext, Reply};
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::domain::{Closed, Service, Staff};
use crate::speech::{spoken_moment, AvailabilitySentence, Moment, Wish};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

/// How many alternatives are offered unless asked otherwise.
const ALTERNATIVES: usize = 3;

/// A slot as the agent receives it: ISO, spoken, and who is free.
#[derive(Debug, Serialize)]
pub struct SlotView {
    start: String,
    date: String,
    time: String,
    spoken: String,
    /// Who is free then.
    pub staff: Vec<String>,
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

/// Free slots read for one question.
struct Read {
    slots: Vec<Slot>,
    cache: CacheUse,
}

impl Read {
    /// Puts the cache outcome on a reply, and `stale: true` when the window was past its TTL.
    fn mark(&self, reply: Reply) -> Reply {
        mark(self.cache, reply)
    }
}

/// Puts a cache outcome on a reply, and `stale: true` when the window was past its TTL.
fn mark(cache: CacheUse, reply: Reply) -> Reply {
    let reply = reply.cached(cache);
    if cache == CacheUse::Stale {
        reply.with("stale", true)
    } else {
        reply
    }
}

/// What the caller hears for the services asked about: "Herrenhaarschnitt und Bartpflege".
fn label(ctx: &CallContext, (service, more): (&Service, &[&Service])) -> String {
    let names: Vec<String> = std::iter::once(service).chain(more.iter().copied()).map(|s| s.name.clone()).collect();
    crate::speech::join_choices(&names, ctx.language(), true)
}

/// Free slots of a service in `[from, to)` from the availability engine; with `more`, of the
/// service and those after it back to back.
async fn read(
    backends: &Backends,
    ctx: &CallContext,
    (service, more): (&Service, &[&Service]),
    staff: Option<&Staff>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Read, Reply> {
    let availability = &backends.availability;
    let read = if more.is_empty() {
        availability.slots(&ctx.tenant, service, staff.map(|s| s.id), from, to).await
    } else {
        let services: Vec<&Service> = std::iter::once(service).chain(more.iter().copied()).collect();
        availability.chain_slots(&ctx.tenant, &services, staff.map(|s| s.id), from, to).await
    };
    let read = read.map_err(|error| {
            tracing::warn!(%error, company = ctx.company().id.0, "availability could not be read");
            Reply::calendar_unavailable()
        })?;
    let mut slots = read.slots;
    if let Some(person) = staff {
        // Offer the person asked for, not whoever else is free at that time.
        for slot in &mut slots {
            if slot.staff.contains(&person.id) {
                slot.staff = vec![person.id];
            }
        }
    }
    Ok(Read { slots, cache: read.freshness.into() })
}

/// The range to read around a wished start: the window while the wish lies in it, otherwise a
/// week either side of the wish.
fn range_around(ctx: &CallContext, start: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let window_end = ctx.now + Duration::days(WINDOW_DAYS);
    if start < window_end - Duration::days(1) {
        (ctx.now, window_end)
    } else {
        (ctx.now.max(start - Duration::days(WINDOW_DAYS / 2)), start + Duration::days(WINDOW_DAYS / 2))
    }
}

/// The best alternatives to a wished start from the window (best effort: none when it cannot be
/// read), in time order — for answers that have to say no.
pub(super) async fn alternatives_to(
    backends: &Backends,
    ctx: &CallContext,
    services: (&Service, &[&Service]),
    staff: Option<&Staff>,
    wish: DateTime<Utc>,
) -> Vec<Slot> {
    let slots = read(backends, ctx, services, staff, ctx.now, ctx.now + Duration::days(WINDOW_DAYS))
        .await
        .map(|read| read.slots)
        .unwrap_or_default();
    let mut offered: Vec<Slot> = crate::availability::alternatives::alternatives(&slots, wish, ctx.tz(), ALTERNATIVES)
        .into_iter()
        .map(|c| c.slot)
        .collect();
    offered.sort_by_key(|s| s.start);
    offered
}

/// Slots as moments on the tenant's wall clock, in the order given.
pub(super) fn moments(ctx: &CallContext, slots: &[Slot]) -> Vec<Moment> {
    let tz = ctx.tz();
    slots
        .iter()
        .map(|s| {
            let local = s.start.with_timezone(&tz);
            Moment { date: local.date_naive(), time: local.time() }
        })
        .collect()
}

/// The sentence offering alternatives after `lead`, or offering a callback when there are none.
fn offer(ctx: &CallContext, lead: AvailabilitySentence, alternatives: &[Slot]) -> AvailabilitySentence {
    offer_on(ctx, Some(lead), alternatives, None)
}

/// The same, for a lead that already named `day`: times on that day are said without it again
/// ("Am Dienstag … ist noch etwas frei. Ich könnte Ihnen 10 Uhr oder 10 Uhr 30 anbieten.").
fn offer_on(
    ctx: &CallContext,
    lead: Option<AvailabilitySentence>,
    alternatives: &[Slot],
    day: Option<NaiveDate>,
) -> AvailabilitySentence {
    AvailabilitySentence::Offer { lead: lead.map(Box::new), offered: moments(ctx, alternatives), day_named: day }
}

/// The local start and end of a slot.
fn local_span(ctx: &CallContext, slot: &Slot) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let tz = ctx.tz();
    (slot.start.with_timezone(&tz).naive_local(), slot.end.with_timezone(&tz).naive_local())
}

/// The instants a wish's days run from and to: the first day's start, the day after the last.
fn day_bounds(ctx: &CallContext, wish: &Wish) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = ctx.instant(wish.first_day.and_time(NaiveTime::MIN));
    let after_last = ctx.instant((wish.last_day + Duration::days(1)).and_time(NaiveTime::MIN));
    (first, after_last)
}

/// The slots a wish admits (its days and its time or window).
fn admitted(ctx: &CallContext, wish: &Wish, slots: &[Slot]) -> Vec<Slot> {
    // Compare instants first: only slots on the wished days are converted to wall-clock time.
    let (first, after_last) = day_bounds(ctx, wish);
    slots
        .iter()
        .filter(|slot| slot.start >= first && slot.start < after_last)
        .filter(|slot| {
            let (start, end) = local_span(ctx, slot);
            wish.admits(start, end)
        })
        .cloned()
        .collect()
}

/// The range to read for a wish's days: the window while they lie in it, else those days.
fn range_for(ctx: &CallContext, wish: &Wish) -> (DateTime<Utc>, DateTime<Utc>) {
    let (first, after_last) = day_bounds(ctx, wish);
    let window_end = ctx.now + Duration::days(WINDOW_DAYS);
    if after_last <= window_end {
        (ctx.now, window_end)
    } else {
        // beyond the window: those days (at most a month), plus a week for alternatives
        (
            ctx.now.max(first - Duration::days(WINDOW_DAYS / 2)),
            after_last.min(first + Duration::days(31)) + Duration::days(7),
        )
    }
}

/// At most `n` of the free times, spread: over a span, the first time of as many different days
/// as there are (the days themselves spread when there are more), the rest spread over the
/// remaining times; on one day, spread over it. Never three neighbours.
fn spread(slots: &[Slot], n: usize, tz: chrono_tz::Tz) -> Vec<Slot> {
    let evenly = |slots: &[&Slot], n: usize| -> Vec<Slot> {
        let step = (slots.len() / n.max(1)).max(1);
        slots.iter().step_by(step).take(n).map(|s| (*s).clone()).collect()
    };
    // the first free time of each day, in order
    let mut firsts: Vec<&Slot> = Vec::new();
    for slot in slots {
        let day = slot.start.with_timezone(&tz).date_naive();
        if firsts.last().is_none_or(|f| f.start.with_timezone(&tz).date_naive() != day) {
            firsts.push(slot);
        }
    }
    if firsts.len() < 2 {
        return evenly(&slots.iter().collect::<Vec<_>>(), n);
    }
    let mut chosen = evenly(&firsts, n);
    let rest: Vec<&Slot> = slots.iter().filter(|s| !chosen.iter().any(|c| c.start == s.start)).collect();
    let missing = n.saturating_sub(chosen.len());
    chosen.extend(evenly(&rest, missing).into_iter().take(missing));
    chosen.sort_by_key(|s| s.start);
    chosen
}

/// The reason code for a closed day.
fn closed_reason(closed: Closed) -> &'static str {
    match closed {
        Closed::Holiday(_) => "holiday",
        Closed::Closure => "closure",
        Closed::Weekly => "closed",
    }
}

/// For functions that need one start but heard a day or window: the answer asking which time,
/// offering free times inside the wish.
pub(super) async fn ask_for_a_time(
    backends: &Backends,
    ctx: &CallContext,
    services: (&Service, &[&Service]),
    staff: Option<&Staff>,
    wish: &Wish,
) -> Reply {
    let (from, to) = range_for(ctx, wish);
    let offered = match read(backends, ctx, services, staff, from, to).await {
        Ok(read) => spread(&admitted(ctx, wish, &read.slots), ALTERNATIVES, ctx.tz()),
        Err(reply) => return reply,
    };
    let views: Vec<SlotView> = offered.iter().map(|s| slot_view(ctx, s)).collect();
    let message = AvailabilitySentence::WhichTime { wish: wish.clone(), offered: moments(ctx, &offered) };
    Reply::failure("time_needed", message).with("alternatives", views).with("wish", wish_view(wish))
}

/// Whether this call holds a live slot starting at `start`.
async fn holds(backends: &Backends, ctx: &CallContext, start: DateTime<Utc>) -> bool {
    match backends.store.holds(ctx.company().id, &ctx.call.call_id).await {
        Ok(parts) => parts.first().is_some_and(|hold| hold.starts_at == start && hold.held_until > ctx.now),
        Err(_) => false,
    }
}

/// For functions that write a start (booking, holding): the refusal when something other than
/// another booking stands in the way — closed, too soon, the staff member away or off — said
/// with what instead, before anything is attempted. `None` when nothing does.
pub(super) async fn refusal(
    backends: &Backends,
    ctx: &CallContext,
    services: (&Service, &[&Service]),
    staff: Option<&Staff>,
    local: chrono::NaiveDateTime,
) -> Option<Reply> {
    let start = ctx.instant(local);
    let obstacle = obstacle(ctx, services, staff, local)?;
    // A slot this call holds was far enough ahead when it was held: the notice is not asked again.
    if matches!(obstacle, Obstacle::TooSoon(_)) && holds(backends, ctx, start).await {
        return None;
    }
    let reason = obstacle.reason();
    let (from, to) = range_around(ctx, start);
    let slots = match read(backends, ctx, services, staff, from, to).await {
        Ok(read) => read.slots,
        Err(reply) => return Some(reply),
    };
    let (message, offered) = explained(backends, ctx, services, staff, local, obstacle, &slots).await;
    let none = offered.is_empty();
    Some(Reply::failure(reason, message).with("alternatives", offered).with("offer_callback", none))
}
