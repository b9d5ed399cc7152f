//! `get_alternatives`: candidates from every strategy at once, ranked, in one sentence. In
//! baseline mode each strategy asks the calendar itself, one after another, as the old system did.

use super::{admitted, label, offer_on, read, slot_view, spread, Read, SlotView, ALTERNATIVES};
use crate::availability::alternatives::{alternatives, find, rank, strategy_day, Candidate, Strategy};
use crate::availability::WINDOW_DAYS;
use crate::domain::{Service, Staff};
use crate::functions::args::{parse, AlternativesArgs};
use crate::functions::asked::asked;
use crate::functions::{Backends, CallContext, Reply};
use crate::speech::{spoken_wish, AvailabilitySentence};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct Alternative {
    #[serde(flatten)]
    slot: SlotView,
    strategy: &'static str,
}

#[derive(Serialize)]
struct Alternatives {
    service: String,
    requested: String,
    alternatives: Vec<Alternative>,
}

/// Ranked alternatives around a wished date and time.
pub async fn get_alternatives(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    alternatives_for(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn alternatives_for(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<AlternativesArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let asked = asked(backends, ctx, &args.wish).await?;
    let (service, staff, more) = (asked.service, asked.staff, asked.more.as_slice());
    let max = args.max.get().and_then(|m| m.parse::<usize>().ok()).unwrap_or(ALTERNATIVES).clamp(1, 5);
    let wish = ctx.instant(asked.wish.anchor()).max(ctx.now);
    let (found, read) = if backends.availability.cached() {
        let services = (service, more);
        let read = read(backends, ctx, services, staff, ctx.now, ctx.now + Duration::days(WINDOW_DAYS)).await?;
        // A day or window: free times inside it; a start, or nothing inside: the strategies.
        let inside = match asked.wish.exact() {
            Some(_) => Vec::new(),
            None => admitted(ctx, &asked.wish, &read.slots),
        };
        let found = if inside.is_empty() {
            alternatives(&read.slots, wish, ctx.tz(), max)
        } else {
            spread(&inside, max, ctx.tz()).into_iter().map(|slot| Candidate { slot, strategy: Strategy::InsideWish }).collect()
        };
        (found, read)
    } else {
        one_strategy_at_a_time(backends, ctx, (service, more), staff, wish, max).await?
    };
    let mut spoken: Vec<_> = found.iter().map(|c| c.slot.clone()).collect();
    spoken.sort_by_key(|s| s.start);
    let lead = (!found.is_empty()).then_some(AvailabilitySentence::Certainly);
    let message = offer_on(ctx, lead, &spoken, None);
    let view = Alternatives {
        service: label(ctx, (service, more)),
        requested: spoken_wish(&asked.wish, ctx.today(), language),
        alternatives: found
            .iter()
            .map(|c| Alternative { slot: slot_view(ctx, &c.slot), strategy: c.strategy.as_str() })
            .collect(),
    };
    let reply = if found.is_empty() {
        Reply::failure("no_availability", message).with("offer_callback", true)
    } else {
        Reply::ok(message, view)
    };
    Ok(read.mark(reply))
}

/// The old system's pattern, kept for measuring: a calendar request per strategy, in sequence.
async fn one_strategy_at_a_time(
    backends: &Backends,
    ctx: &CallContext,
    services: (&Service, &[&Service]),
    staff: Option<&Staff>,
    wish: DateTime<Utc>,
    max: usize,
) -> Result<(Vec<Candidate>, Read), Reply> {
    let tz = ctx.tz();
    let mut found = Vec::new();
    let mut all = Vec::new();
    let mut last = None;
    for strategy in Strategy::ALL {
        let (from, to) = match strategy_day(strategy, wish.with_timezone(&tz).date_naive()) {
            Some(day) => (
                ctx.instant(day.and_time(NaiveTime::MIN)),
                ctx.instant((day + Duration::days(1)).and_time(NaiveTime::MIN)),
            ),
            None => (ctx.now, ctx.now + Duration::days(WINDOW_DAYS)),
        };
        let read = read(backends, ctx, services, staff, from, to).await?;
        if let Some(slot) = find(strategy, &read.slots, wish, tz) {
            found.push(Candidate { slot, strategy });
        }
        all.extend(read.slots.iter().cloned());
        last = Some(read);
    }
    all.sort_by_key(|s| s.start);
    all.dedup_by_key(|s| s.start);
    let read = last.expect("at least one strategy ran");
    Ok((rank(found, &all, wish, tz, max), Read { slots: all, cache: read.cache }))
}
