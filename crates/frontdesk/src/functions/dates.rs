//! `parse_date`: what the caller said, understood as a wish (a day or days, a time or window, how
//! flexible), as ISO and as a spoken confirmation.

use super::args::{parse, WishArgs};
use super::asked::{understood, wish_view};
use super::{Backends, CallContext, Reply};
use crate::speech::{spoken_weekday, spoken_wish, AvailabilitySentence, TimeWish, WindowLabel};
use chrono::Datelike;
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct Understood {
    date: String,
    time: Option<String>,
    part_of_day: Option<&'static str>,
    weekday: String,
    spoken: String,
    staff: Option<String>,
}

/// Understands a spoken date and time and says it back for confirmation.
pub async fn parse_date(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let language = ctx.language();
    let Ok(args) = parse::<WishArgs>(raw) else { return Reply::invalid_arguments() };
    let wish = match understood(backends, ctx, args.date.get(), args.time_words().as_deref()).await {
        Ok(wish) => wish,
        Err(reply) => return reply,
    };
    let spoken = spoken_wish(&wish, ctx.today(), language);
    let message = AvailabilitySentence::WishReadBack(wish.clone());
    let part_of_day = match wish.time {
        TimeWish::Window(window) => match window.label {
            WindowLabel::Part(part) => Some(part.as_str()),
            _ => None,
        },
        _ => None,
    };
    Reply::ok(
        message,
        Understood {
            date: wish.first_day.to_string(),
            time: wish.clock().map(|t| t.format("%H:%M").to_string()),
            part_of_day,
            weekday: spoken_weekday(wish.first_day.weekday(), language).to_string(),
            spoken,
            staff: wish.staff.clone(),
        },
    )
    .with("wish", wish_view(&wish))
}
