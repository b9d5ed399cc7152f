//! `collect_appointment_info`: normalises what the agent gathered, says what is missing, reads
//! the summary back for confirmation — and with `confirm` books exactly like `book_appointment`.

use super::args::{parse, CollectArgs};
use super::availability::availability_of;
use super::booking::book_with;
use super::asked::asked;
use super::{Backends, CallContext, Reply};
use crate::domain::Language;
use crate::speech::{capitalise, join_choices, spoken_date, spoken_time};
use serde_json::value::RawValue;

/// Gathers, confirms and (when confirmed) books.
pub async fn collect_appointment_info(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    collect(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn collect(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let language = ctx.language();
    let args = parse::<CollectArgs>(raw).map_err(|_| Reply::invalid_arguments(language))?;
    let wish = &args.booking.wish;
    let time_words = wish.time_words();
    let mut missing: Vec<(&str, &str, &str)> = Vec::new();
    for (given, key, de, en) in [
        (wish.service.get(), "service", "die gewünschte Leistung", "the service"),
        (wish.date.get(), "date", "den Tag", "the day"),
        (time_words.as_deref(), "time", "die Uhrzeit", "the time"),
        (args.booking.name.get(), "name", "Ihren Namen", "your name"),
    ] {
        if given.is_none() {
            missing.push((key, de, en));
        }
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|(_, de, en)| language.pick(*de, *en).to_string()).collect();
        let message = match language {
            Language::De => format!("Dafür brauche ich noch {}.", join_choices(&names, language, true)),
            Language::En => format!("For that I still need {}.", join_choices(&names, language, true)),
        };
        let keys: Vec<&str> = missing.iter().map(|(key, _, _)| *key).collect();
        return Ok(Reply::failure("missing_argument", message).with("missing", keys));
    }
    if args.confirmed() {
        return book_with(backends, ctx, &args.booking).await;
    }
    // Complete but not confirmed: understood once, here; a day or window gets the free times in
    // it (check_availability's answer) — only one free start is read back for confirmation.
    let asked = asked(backends, ctx, wish)?;
    let availability = availability_of(backends, ctx, &asked).await;
    let Some(local) = asked.wish.exact() else {
        return Ok(availability.with("ready_to_book", false));
    };
    if availability.data.get("available") != Some(&serde_json::Value::Bool(true)) {
        return Ok(availability);
    }
    let service = asked.service;
    let (date, time) = (local.date(), local.time());
    let staff =
        availability.data.get("slot").and_then(|s| s["staff"].get(0)).and_then(|s| s.as_str()).map(str::to_string);
    let day = spoken_date(date, ctx.today(), language);
    let summary = match (language, &staff) {
        (Language::De, Some(who)) => format!("{day} um {}, {} bei {who}", spoken_time(time, language), service.name),
        (Language::De, None) => format!("{day} um {}, {}", spoken_time(time, language), service.name),
        (Language::En, Some(who)) => format!("{day} at {}, {} with {who}", spoken_time(time, language), service.name),
        (Language::En, None) => format!("{day} at {}, {}", spoken_time(time, language), service.name),
    };
    let message = match language {
        Language::De => format!("{} — richtig?", capitalise(&summary)),
        Language::En => format!("{} — is that right?", capitalise(&summary)),
    };
    Ok(Reply::ok(message, ())
        .with("ready_to_book", true)
        .with("summary", summary)
        .with("cache", availability.cache.as_str())
        .cached(availability.cache))
}
