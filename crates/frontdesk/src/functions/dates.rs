//! `parse_date`: what the caller said, as ISO and as a spoken confirmation.

use super::args::{parse, MomentArgs};
use super::{CallContext, Reply};
use crate::domain::Language;
use crate::speech::{spoken_date, spoken_moment, understand, PartOfDay};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct Understood {
    date: String,
    time: Option<String>,
    part_of_day: Option<&'static str>,
    weekday: String,
    spoken: String,
}

fn part_name(part: PartOfDay) -> &'static str {
    match part {
        PartOfDay::Morning => "morning",
        PartOfDay::Midday => "midday",
        PartOfDay::Afternoon => "afternoon",
        PartOfDay::Evening => "evening",
    }
}

/// Understands a spoken date and time and says it back for confirmation.
pub fn parse_date(ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    let language = ctx.language();
    let Ok(args) = parse::<MomentArgs>(raw) else { return Reply::invalid_arguments(language) };
    let moment = match understand(args.date.get(), args.time.get(), &ctx.speech()) {
        Ok(moment) => moment,
        Err(problem) => return Reply::invalid_date(language, problem),
    };
    let today = ctx.today();
    let spoken = match moment.time {
        Some(time) => spoken_moment(moment.date, time, today, language),
        None => spoken_date(moment.date, today, language),
    };
    let message = match language {
        Language::De => format!("Sie meinen {spoken}, richtig?"),
        Language::En => format!("You mean {spoken}, is that right?"),
    };
    Reply::ok(
        message,
        Understood {
            date: moment.date.to_string(),
            time: moment.time.map(|t| t.format("%H:%M").to_string()),
            part_of_day: moment.part_of_day.map(part_name),
            weekday: crate::speech::spoken_weekday(chrono::Datelike::weekday(&moment.date), language).to_string(),
            spoken,
        },
    )
}
