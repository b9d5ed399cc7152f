//! `check_availability`: is this start free; if not, the best alternatives. A wish that is not one
//! start — a day, a span of days, a window, a part of the day — gets the free times inside it.

use super::{
    admitted, closed_reason, explained, label, mark, obstacle, offer, offer_on, range_around, range_for, read, slot_view, spread,
    SlotView, ALTERNATIVES,
};
use crate::availability::alternatives::alternatives;
use crate::calendar::Slot;
use crate::functions::args::{parse, WishArgs};
use crate::functions::asked::{asked, wish_view, Asked, WishView};
use crate::functions::{Backends, CacheUse, CallContext, Reply};
use crate::speech::{AvailabilitySentence, Flexibility, Moment, Wish};
use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::value::RawValue;

/// Whether a wish can be had, and what instead: the answer's data.
#[derive(Serialize)]
pub(in crate::functions) struct Availability {
    /// Free as wished (one start), or something free inside the wished days.
    pub available: bool,
    service: String,
    duration_minutes: u32,
    requested: Option<String>,
    reason: Option<&'static str>,
    /// The free start asked for.
    pub slot: Option<SlotView>,
    alternatives: Vec<SlotView>,
}

/// `check_availability`'s outcome: the typed availability, what to say, and how it was read.
pub(in crate::functions) struct Checked {
    /// What was found.
    pub availability: Availability,
    /// What the caller hears.
    message: AvailabilitySentence,
    /// The wish as understood, for answers about days or windows.
    wish: Option<WishView>,
    /// How availability was read.
    pub cache: CacheUse,
}

impl Checked {
    /// The answer to the agent.
    pub fn into_reply(self) -> Reply {
        let reply = Reply::ok(self.message, &self.availability);
        let reply = match self.wish {
            Some(wish) => reply.with("wish", wish),
            None => reply,
        };
        mark(self.cache, reply)
    }
}

/// Is the requested start free for the service (for someone who can do it)? If not, the best 3.
pub async fn check_availability(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    check(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn check(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<WishArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let asked = asked(backends, ctx, &args).await?;
    Ok(availability_of(backends, ctx, &asked).await?.into_reply())
}

/// `check_availability`'s answer for a wish already understood (`collect_appointment_info` asks
/// it too): one start checked, or the free times inside a day or window.
pub(in crate::functions) async fn availability_of(
    backends: &Backends,
    ctx: &CallContext,
    asked: &Asked<'_>,
) -> Result<Checked, Reply> {
    match asked.wish.exact() {
        Some(start) => check_start(backends, ctx, asked, start).await,
        None => free_times(backends, ctx, asked).await,
    }
}

/// One start: free, or why not and what instead.
async fn check_start(
    backends: &Backends,
    ctx: &CallContext,
    asked: &Asked<'_>,
    local: NaiveDateTime,
) -> Result<Checked, Reply> {
    let Asked { service, staff, ref more, .. } = *asked;
    let services = (service, more.as_slice());
    let (date, time) = (local.date(), local.time());
    let start = ctx.instant(local);
    let (from, to) = range_around(ctx, start);
    let read = read(backends, ctx, services, staff, from, to).await?;
    let wished = Moment { date, time };
    let mut availability = Availability {
        available: false,
        service: label(ctx, (service, more.as_slice())),
        duration_minutes: service.duration_minutes + more.iter().map(|s| s.duration_minutes).sum::<u32>(),
        requested: Some(ctx.local_instant_text(start)),
        reason: None,
        slot: None,
        alternatives: vec![],
    };
    if let Some(slot) = read.slots.iter().find(|s| s.start == start) {
        let view = slot_view(ctx, slot);
        let message = AvailabilitySentence::Free { moment: wished, service: label(ctx, (service, more.as_slice())), staff: view.staff.clone() };
        availability.available = true;
        availability.slot = Some(view);
        return Ok(Checked { availability, message, wish: None, cache: read.cache });
    }
    let (reason, message, alternatives) = match obstacle(ctx, services, staff, local) {
        Some(obstacle) => {
            let reason = obstacle.reason();
            let (message, offered) = explained(backends, ctx, services, staff, local, obstacle, &read.slots).await;
            (reason, message, offered)
        }
        None => {
            let mut offered: Vec<Slot> =
                alternatives(&read.slots, start, ctx.tz(), ALTERNATIVES).into_iter().map(|c| c.slot).collect();
            offered.sort_by_key(|s| s.start);
            let views = offered.iter().map(|s| slot_view(ctx, s)).collect();
            ("taken", offer(ctx, AvailabilitySentence::Taken(wished), &offered), views)
        }
    };
    availability.reason = Some(reason);
    availability.alternatives = alternatives;
    Ok(Checked { availability, message, wish: None, cache: read.cache })
}

/// Free times inside a wish that is not one start: a day, days, a window, "so früh wie möglich".
async fn free_times(backends: &Backends, ctx: &CallContext, asked: &Asked<'_>) -> Result<Checked, Reply> {
    let Asked { service, staff, ref wish, ref more } = *asked;
    let (from, to) = range_for(ctx, wish);
    let read = read(backends, ctx, (service, more), staff, from, to).await?;
    let inside = admitted(ctx, wish, &read.slots);
    let (lead, offered, reason) = if inside.is_empty() {
        let (reason, lead) = match wish.single_day().and_then(|d| ctx.tenant.closed_on(d).map(|c| (d, c))) {
            Some((date, closed)) => (closed_reason(closed), AvailabilitySentence::ClosedOn { day: date, why: closed }),
            None => ("taken", AvailabilitySentence::NothingFreeIn(wish.clone())),
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
            spread(&inside, ALTERNATIVES, ctx.tz())
        };
        (AvailabilitySentence::FreeIn(wish.clone()), offered, None)
    };
    // When the lead named the one wished day, the times need not name it again.
    let said_day = wish.single_day().filter(|_| !inside.is_empty());
    let message = offer_on(ctx, Some(lead), &offered, said_day);
    let availability = Availability {
        available: !inside.is_empty(),
        service: label(ctx, (service, more.as_slice())),
        duration_minutes: service.duration_minutes + more.iter().map(|s| s.duration_minutes).sum::<u32>(),
        requested: None,
        reason,
        slot: None,
        alternatives: offered.iter().map(|s| slot_view(ctx, s)).collect(),
    };
    Ok(Checked { availability, message, wish: Some(wish_view(wish)), cache: read.cache })
}

/// A window of at most two hours on one day: its first free times are the natural offer.
fn is_short(wish: &Wish) -> bool {
    wish.single_day().is_some() && wish.window().is_some_and(|w| w.to - w.from <= Duration::hours(2))
}
