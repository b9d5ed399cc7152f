//! The availability functions — `check_availability`, `get_alternatives`, `find_next_available` —
//! answered from the availability engine's windows and phrased for the caller.

mod alternatives;
mod check;
mod next;

pub use alternatives::get_alternatives;
pub use check::check_availability;
pub use next::find_next_available;

use super::args::Text;
use super::catalog::resolve_service;
use super::{Backends, CacheUse, CallContext, Reply};
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::domain::{Language, Service, Staff};
use crate::speech::{join_choices, spoken_date, spoken_moment, spoken_moments, Moment};
use chrono::{DateTime, Duration, Utc};
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

/// The service and staff member a call asks about, or the answer explaining why not.
pub(super) fn resolve_wish<'a>(
    ctx: &'a CallContext,
    service: &Text,
    staff: &Text,
) -> Result<(&'a Service, Option<&'a Staff>), Reply> {
    let service = resolve_service(ctx, service.get())?;
    Ok((service, resolve_staff(ctx, service, staff)?))
}

/// Free slots read for one question.
struct Read {
    slots: Vec<Slot>,
    cache: CacheUse,
}

impl Read {
    /// Puts the cache outcome on a reply, and `stale: true` when the window was past its TTL.
    fn mark(&self, reply: Reply) -> Reply {
        let reply = reply.cached(self.cache);
        if self.cache == CacheUse::Stale {
            reply.with("stale", true)
        } else {
            reply
        }
    }
}

/// Free slots of a service in `[from, to)` from the availability engine.
async fn read(
    backends: &Backends,
    ctx: &CallContext,
    service: &Service,
    staff: Option<&Staff>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Read, Reply> {
    let read =
        backends.availability.slots(&ctx.tenant, service, staff.map(|s| s.id), from, to).await.map_err(|error| {
            tracing::warn!(%error, company = ctx.company().id, "availability could not be read");
            Reply::calendar_unavailable(ctx.language())
        })?;
    Ok(Read { slots: read.slots, cache: read.freshness.into() })
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
    service: &Service,
    staff: Option<&Staff>,
    wish: DateTime<Utc>,
) -> Vec<Slot> {
    let slots = backends
        .availability
        .slots(&ctx.tenant, service, staff.map(|s| s.id), ctx.now, ctx.now + Duration::days(WINDOW_DAYS))
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

/// Slots as one spoken phrase, each day named once.
pub(super) fn spoken_list(ctx: &CallContext, slots: &[Slot]) -> String {
    let tz = ctx.tz();
    let mut moments: Vec<_> = slots
        .iter()
        .map(|s| {
            let local = s.start.with_timezone(&tz);
            (local.date_naive(), local.time())
        })
        .collect();
    moments.sort();
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
