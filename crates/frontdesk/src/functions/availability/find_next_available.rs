//! `find_next_available`: the first free slot — from the window, and past it with one more
//! range request, never a loop over days.

use super::{label, local_span, read, slot_view, SlotView};
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::functions::args::{parse, NextAvailableArgs};
use crate::functions::asked::asked_maybe;
use crate::functions::{Backends, CallContext, Reply};
use crate::speech::{AvailabilitySentence, Moment, Wish};
use chrono::Duration;
use serde::Serialize;
use serde_json::value::RawValue;

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
    let args = parse::<NextAvailableArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let (services, staff, wish) = asked_maybe(backends, ctx, &args.wish, args.date()).await?;
    let (service, more) = (services[0], &services[1..]);
    let after = match &wish {
        None => ctx.now,
        Some(wish) => ctx.now.max(ctx.instant(wish.earliest())),
    };
    let window_end = ctx.now + Duration::days(WINDOW_DAYS);
    let to = if after < window_end { window_end } else { after + Duration::days(WINDOW_DAYS) };
    let mut found = read(backends, ctx, (service, more), staff, after, to).await?;
    let fits = |slots: &[Slot]| slots.iter().find(|s| fits_time_of_day(ctx, wish.as_ref(), s)).cloned();
    let mut first = fits(&found.slots);
    if first.is_none() && to == window_end {
        // Nothing left in the window: one more range request beyond it.
        found = read(backends, ctx, (service, more), staff, window_end, window_end + Duration::days(WINDOW_DAYS)).await?;
        first = fits(&found.slots);
    }
    let Some(first) = first.as_ref() else {
        let message = AvailabilitySentence::NothingSoon { service: label(ctx, (service, more)) };
        return Ok(found.mark(Reply::failure("no_availability", message).with("offer_callback", true)));
    };
    let view = slot_view(ctx, first);
    let local = first.start.with_timezone(&ctx.tz());
    let message = AvailabilitySentence::NextFree {
        service: label(ctx, (service, more)),
        moment: Moment { date: local.date_naive(), time: local.time() },
        staff: view.staff.first().cloned(),
    };
    Ok(found.mark(Reply::ok(message, NextAvailable { service: label(ctx, (service, more)), slot: view })))
}

/// Whether a slot is at a time of day the wish allows (its window, on any day from its first).
fn fits_time_of_day(ctx: &CallContext, wish: Option<&Wish>, slot: &Slot) -> bool {
    let (start, end) = local_span(ctx, slot);
    wish.is_none_or(|wish| wish.admits_time_of_day(start, end))
}
