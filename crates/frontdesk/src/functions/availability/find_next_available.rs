//! `find_next_available`: the first free slot — from the window, and past it with one more
//! range request, never a loop over days.

use super::{local_span, read, slot_view, SlotView};
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::domain::Language;
use crate::functions::args::{parse, NextAvailableArgs};
use crate::functions::asked::asked_maybe;
use crate::functions::{Backends, CallContext, Reply};
use crate::speech::Wish;
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
    let language = ctx.language();
    let args = parse::<NextAvailableArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let (service, staff, wish) = asked_maybe(backends, ctx, &args.wish, args.date())?;
    let after = match &wish {
        None => ctx.now,
        Some(wish) => ctx.now.max(ctx.instant(wish.earliest())),
    };
    let window_end = ctx.now + Duration::days(WINDOW_DAYS);
    let to = if after < window_end { window_end } else { after + Duration::days(WINDOW_DAYS) };
    let mut found = read(backends, ctx, service, staff, after, to).await?;
    let fits = |slots: &[Slot]| slots.iter().find(|s| fits_time_of_day(ctx, wish.as_ref(), s)).cloned();
    let mut first = fits(&found.slots);
    if first.is_none() && to == window_end {
        // Nothing left in the window: one more range request beyond it.
        found = read(backends, ctx, service, staff, window_end, window_end + Duration::days(WINDOW_DAYS)).await?;
        first = fits(&found.slots);
    }
    let Some(first) = first.as_ref() else {
        let message = match language {
            Language::De => format!(
                "Für {} ist in den nächsten Wochen leider nichts frei. Darf ich Sie zurückrufen lassen?",
                service.name
            ),
            Language::En => {
                format!("Nothing is free for {} in the coming weeks, I'm afraid. May we call you back?", service.name)
            }
        };
        return Ok(found.mark(Reply::failure("no_availability", message).with("offer_callback", true)));
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
    Ok(found.mark(Reply::ok(message, NextAvailable { service: service.name.clone(), slot: view })))
}

/// Whether a slot is at a time of day the wish allows (its window, on any day from its first).
fn fits_time_of_day(ctx: &CallContext, wish: Option<&Wish>, slot: &Slot) -> bool {
    let (start, end) = local_span(ctx, slot);
    wish.is_none_or(|wish| wish.admits_time_of_day(start, end))
}
