//! `collect_appointment_info`: normalises what the agent gathered, says what is missing, reads
//! the summary back for confirmation — and with `confirm` books exactly like `book_appointment`.

use super::args::{parse, CollectArgs};
use super::asked::asked;
use super::availability::availability_of;
use super::booking::book_with;
use super::{Backends, CallContext, Reply};
use crate::speech::{BookingSentence, FailureSentence, Moment, Needed, Upcoming};
use serde_json::value::RawValue;

/// Gathers, confirms and (when confirmed) books.
pub async fn collect_appointment_info(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    collect(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn collect(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<CollectArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let wish = &args.booking.wish;
    let time_words = wish.time_words();
    let missing: Vec<(&str, Needed)> = [
        (wish.service.get(), "service", Needed::Service),
        (wish.date.get(), "date", Needed::Day),
        (time_words.as_deref(), "time", Needed::Time),
        (args.booking.name.get(), "name", Needed::Name),
    ]
    .into_iter()
    .filter(|(given, _, _)| given.is_none())
    .map(|(_, key, needed)| (key, needed))
    .collect();
    if !missing.is_empty() {
        let message = FailureSentence::Missing(missing.iter().map(|(_, needed)| *needed).collect());
        let keys: Vec<&str> = missing.iter().map(|(key, _)| *key).collect();
        return Ok(Reply::failure("missing_argument", message).with("missing", keys));
    }
    if args.confirmed() {
        return book_with(backends, ctx, &args.booking).await;
    }
    // Complete but not confirmed: understood once, here; a day or window gets the free times in
    // it (check_availability's answer) — only one free start is read back for confirmation.
    let asked = asked(backends, ctx, wish).await?;
    let checked = availability_of(backends, ctx, &asked).await?;
    let Some(local) = asked.wish.exact() else {
        return Ok(checked.into_reply().with("ready_to_book", false));
    };
    let Some(slot) = checked.availability.slot.as_ref().filter(|_| checked.availability.available) else {
        return Ok(checked.into_reply());
    };
    let booking = Upcoming {
        moment: Moment { date: local.date(), time: local.time() },
        service: asked.service.name.clone(),
        staff: slot.staff.first().cloned(),
    };
    let summary = ctx.phrasebook().say(&BookingSentence::Summary(booking.clone()).into(), ctx.today());
    Ok(Reply::ok(BookingSentence::ReadBack(booking), ())
        .with("ready_to_book", true)
        .with("summary", summary)
        .with("cache", checked.cache.as_str())
        .cached(checked.cache))
}
