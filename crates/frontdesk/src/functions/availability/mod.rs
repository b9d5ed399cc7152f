//! The availability functions — `check_availability`, `get_alternatives`, `find_next_available` —
//! answered from the availability engine's windows and phrased for the caller.

mod check_availability;
mod find_next_available;
mod get_alternatives;

pub use get_alternatives::get_alternatives;
pub(super) use check_availability::availability_of;
pub use check_availability::check_availability;
pub use find_next_available::find_next_available;

use super::asked::wish_view;
use super::{Backends, CacheUse, CallContext, Reply};
use crate::availability::WINDOW_DAYS;
use crate::calendar::Slot;
use crate::domain::{Closed, Language, Service, Staff};
use crate::speech::{capitalise, join_choices, spoken_date, spoken_moment, spoken_moments, spoken_time, Wish};
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
    offer_on(ctx, lead, alternatives, None)
}

/// The same, for a lead that already named `day`: times on that day are said without it again
/// ("Am Dienstag … ist noch etwas frei. Ich könnte Ihnen 10 Uhr oder 10 Uhr 30 anbieten.").
fn offer_on(ctx: &CallContext, lead: String, alternatives: &[Slot], day: Option<NaiveDate>) -> String {
    let tz = ctx.tz();
    let all_that_day =
        day.is_some_and(|day| alternatives.iter().all(|s| s.start.with_timezone(&tz).date_naive() == day));
    let list = if all_that_day {
        let times: Vec<String> =
            alternatives.iter().map(|s| spoken_time(s.start.with_timezone(&tz).time(), ctx.language())).collect();
        join_choices(&times, ctx.language(), false)
    } else {
        spoken_list(ctx, alternatives)
    };
    match (ctx.language(), alternatives.is_empty()) {
        (Language::De, false) => format!("{lead} Ich könnte Ihnen {list} anbieten. Was passt Ihnen?"),
        (Language::En, false) => format!("{lead} I could offer you {list}. What would suit you?"),
        (Language::De, true) => {
            format!("{lead} In den nächsten zwei Wochen ist leider nichts mehr frei. Darf ich Sie zurückrufen lassen?")
        }
        (Language::En, true) => {
            format!("{lead} Nothing is free in the next two weeks, I'm afraid. May we call you back?")
        }
    }
}

fn on_day(ctx: &CallContext, date: NaiveDate, language: Language) -> String {
    let day = spoken_date(date, ctx.today(), language);
    match (language, (date - ctx.today()).num_days()) {
        (Language::De, 0..=2) => day,
        (Language::De, _) => format!("am {day}"),
        (Language::En, 0..=1) => day,
        (Language::En, _) => format!("on {day}"),
    }
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

/// At most `n` slots spread over the list (over the days of a span, not three neighbours).
fn spread(slots: &[Slot], n: usize) -> Vec<Slot> {
    let step = (slots.len() / n).max(1);
    slots.iter().step_by(step).take(n).cloned().collect()
}

/// Why a day is closed, said the way a receptionist would ("Am 25. Dezember haben wir
/// geschlossen — Feiertag (1. Weihnachtstag).").
fn closed_lead(ctx: &CallContext, date: NaiveDate, closed: Closed) -> String {
    let language = ctx.language();
    let day = on_day(ctx, date, language);
    match (closed, language) {
        (Closed::Holiday(holiday), Language::De) => {
            format!("{} haben wir geschlossen — Feiertag ({}).", capitalise(&day), holiday.name_de())
        }
        (Closed::Holiday(holiday), Language::En) => {
            format!("We're closed {day}: it's a public holiday ({}).", holiday.name_en())
        }
        (Closed::Closure, Language::De) => {
            format!("{} haben wir leider geschlossen — Betriebsferien.", capitalise(&day))
        }
        (Closed::Closure, Language::En) => format!("We're closed {day}, I'm afraid — we're away then."),
        (Closed::Weekly, Language::De) => format!("{} haben wir leider geschlossen.", capitalise(&day)),
        (Closed::Weekly, Language::En) => format!("We're closed {day}, I'm afraid."),
    }
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
    service: &Service,
    staff: Option<&Staff>,
    wish: &Wish,
) -> Reply {
    let language = ctx.language();
    let (from, to) = range_for(ctx, wish);
    let offered = match read(backends, ctx, service, staff, from, to).await {
        Ok(read) => spread(&admitted(ctx, wish, &read.slots), ALTERNATIVES),
        Err(reply) => return reply,
    };
    let spoken = crate::speech::spoken_wish(wish, ctx.today(), language);
    let message = match (language, offered.is_empty()) {
        (Language::De, false) => {
            format!(
                "Zu welcher Uhrzeit genau? {} wäre zum Beispiel {} frei.",
                capitalise(&spoken),
                spoken_list(ctx, &offered)
            )
        }
        (Language::En, false) => {
            format!(
                "At what time exactly? {}, {} would be free, for example.",
                capitalise(&spoken),
                spoken_list(ctx, &offered)
            )
        }
        (Language::De, true) => {
            format!("{} ist leider nichts frei. Darf ich Ihnen einen anderen Tag vorschlagen?", capitalise(&spoken))
        }
        (Language::En, true) => format!("Nothing is free {spoken}, I'm afraid. Shall I suggest another day?"),
    };
    let views: Vec<SlotView> = offered.iter().map(|s| slot_view(ctx, s)).collect();
    Reply::failure("time_needed", message).with("alternatives", views).with("wish", wish_view(wish))
}
