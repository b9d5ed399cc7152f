//! Phrasing dates, times and lists the way a receptionist says them.

use super::wish::{PartOfDay, TimeWindow, TimeWish, WindowLabel, Wish};
use crate::domain::{Language, OpeningHours, TimeRange};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

/// The German or the English of a grammar word (the grammar of a third language adds an arm).
fn pick<T>(language: Language, de: T, en: T) -> T {
    match language {
        Language::De => de,
        Language::En => en,
    }
}

const DE_WEEKDAYS: [&str; 7] = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
const EN_WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Dezember" / "December".
pub fn spoken_month(month: u32, language: Language) -> &'static str {
    pick(language, DE_MONTHS, EN_MONTHS)[(month.clamp(1, 12) - 1) as usize]
}

/// "Dienstag" / "Tuesday".
pub fn spoken_weekday(day: Weekday, language: Language) -> &'static str {
    pick(language, DE_WEEKDAYS, EN_WEEKDAYS)[day.num_days_from_monday() as usize]
}

/// "Di" / "Tue", for tables.
pub fn spoken_weekday_short(day: Weekday, language: Language) -> &'static str {
    const DE: [&str; 7] = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    pick(language, DE, EN)[day.num_days_from_monday() as usize]
}

/// "heute", "morgen", "übermorgen" or "Dienstag, den 3. Dezember" (year added when not this year).
pub fn spoken_date(date: NaiveDate, today: NaiveDate, language: Language) -> String {
    match ((date - today).num_days(), language) {
        (0, Language::De) => return "heute".into(),
        (1, Language::De) => return "morgen".into(),
        (2, Language::De) => return "übermorgen".into(),
        (0, Language::En) => return "today".into(),
        (1, Language::En) => return "tomorrow".into(),
        _ => {}
    }
    let weekday = spoken_weekday(date.weekday(), language);
    let month0 = date.month0() as usize;
    let year = if date.year() != today.year() { format!(" {}", date.year()) } else { String::new() };
    match language {
        Language::De => format!("{weekday}, den {}. {}{year}", date.day(), DE_MONTHS[month0]),
        Language::En => format!("{weekday}, {} {}{year}", EN_MONTHS[month0], date.day()),
    }
}

/// A public holiday's name: "1. Weihnachtstag" / "Christmas Day".
pub fn holiday_name(holiday: crate::domain::holidays::Holiday, language: Language) -> &'static str {
    pick(language, holiday.name_de(), holiday.name_en())
}

/// "Di 8.12. 10 Uhr" / "Tue Dec 8, 10 am": a moment written short, for the console's lines.
pub fn written_moment(at: chrono::NaiveDateTime, language: Language) -> String {
    let (date, time) = (at.date(), at.time());
    let weekday = spoken_weekday_short(date.weekday(), language);
    match language {
        Language::De => format!("{weekday} {}.{}. {}", date.day(), date.month(), spoken_time(time, language)),
        Language::En => format!("{weekday} {} {}, {}", &EN_MONTHS[date.month0() as usize][..3], date.day(), spoken_time(time, language)),
    }
}

/// "Donnerstag, der 26. November 2026" / "Thursday, November 26, 2026": today, said in full.
pub fn spoken_full_date(date: NaiveDate, language: Language) -> String {
    let weekday = spoken_weekday(date.weekday(), language);
    let month0 = date.month0() as usize;
    match language {
        Language::De => format!("{weekday}, der {}. {} {}", date.day(), DE_MONTHS[month0], date.year()),
        Language::En => format!("{weekday}, {} {}, {}", EN_MONTHS[month0], date.day(), date.year()),
    }
}

/// "14 Uhr", "14 Uhr 30" / "2 pm", "2:30 pm", "12 noon".
pub fn spoken_time(time: NaiveTime, language: Language) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    match language {
        Language::De if minute == 0 => format!("{hour} Uhr"),
        Language::De => format!("{hour} Uhr {minute}"),
        Language::En => {
            if hour == 12 && minute == 0 {
                return "12 noon".into();
            }
            let suffix = if hour < 12 { "am" } else { "pm" };
            let twelve = match hour % 12 {
                0 => 12,
                h => h,
            };
            if minute == 0 {
                format!("{twelve} {suffix}")
            } else {
                format!("{twelve}:{minute:02} {suffix}")
            }
        }
    }
}

/// "morgen um 10 Uhr 30", "am Dienstag, den 3. Dezember um 14 Uhr" / "tomorrow at 10:30 am".
pub fn spoken_moment(date: NaiveDate, time: NaiveTime, today: NaiveDate, language: Language) -> String {
    let day = spoken_date(date, today, language);
    let relative =
        (0..=2).contains(&(date - today).num_days()) && !(language == Language::En && (date - today).num_days() == 2);
    match (language, relative) {
        (Language::De, true) => format!("{day} um {}", spoken_time(time, language)),
        (Language::De, false) => format!("am {day} um {}", spoken_time(time, language)),
        (Language::En, true) => format!("{day} at {}", spoken_time(time, language)),
        (Language::En, false) => format!("on {day} at {}", spoken_time(time, language)),
    }
}

/// Several moments as one natural phrase, naming each day once:
/// "morgen um 9 Uhr, um 9 Uhr 30 oder am Montag, den 30. November um 10 Uhr".
pub fn spoken_moments(moments: &[(NaiveDate, NaiveTime)], today: NaiveDate, language: Language) -> String {
    let parts: Vec<String> = moments
        .iter()
        .enumerate()
        .map(|(i, (date, time))| {
            let same_day_as_previous = i > 0 && moments[i - 1].0 == *date;
            match (same_day_as_previous, language) {
                (false, _) => spoken_moment(*date, *time, today, language),
                (true, Language::De) => format!("um {}", spoken_time(*time, language)),
                (true, Language::En) => spoken_time(*time, language),
            }
        })
        .collect();
    join_choices(&parts, language, false)
}

/// A window of times: "zwischen 10 und 12 Uhr", "ab 14 Uhr", "nachmittags" / "between 10 am and 12 noon".
pub fn spoken_window(window: &TimeWindow, language: Language) -> String {
    let (from, to) = (spoken_time(window.from, language), spoken_time(window.to, language));
    match (window.label, language) {
        (WindowLabel::Part(part), Language::De) => match part {
            PartOfDay::Morning => "vormittags",
            PartOfDay::Midday => "mittags",
            PartOfDay::Afternoon => "nachmittags",
            PartOfDay::Evening => "abends",
        }
        .to_string(),
        (WindowLabel::Part(part), Language::En) => match part {
            PartOfDay::Morning => "in the morning",
            PartOfDay::Midday => "around midday",
            PartOfDay::Afternoon => "in the afternoon",
            PartOfDay::Evening => "in the evening",
        }
        .to_string(),
        (WindowLabel::After, Language::De) => format!("ab {from}"),
        (WindowLabel::After, Language::En) => format!("from {from}"),
        (WindowLabel::Before, Language::De) => format!("bis {to}"),
        (WindowLabel::Before, Language::En) => format!("by {to}"),
        (WindowLabel::Between | WindowLabel::Near, Language::De) => {
            // "zwischen 10 und 12 Uhr" rather than "zwischen 10 Uhr und 12 Uhr"
            let from = from.strip_suffix(" Uhr").unwrap_or(&from).to_string();
            format!("zwischen {from} und {to}")
        }
        (WindowLabel::Between | WindowLabel::Near, Language::En) => format!("between {from} and {to}"),
    }
}

/// The days of a wish: "am Dienstag, den 1. Dezember", "morgen", "zwischen Montag, dem 30. November
/// und Freitag, dem 4. Dezember" / "between Monday, November 30 and Friday, December 4".
pub fn spoken_days(wish: &Wish, today: NaiveDate, language: Language) -> String {
    spoken_day_range(wish.first_day, wish.last_day, today, language)
}

/// The days from `first` to `last` as [`spoken_days`] says a wish's: one day, or "zwischen … und …".
pub fn spoken_day_range(first_day: NaiveDate, last_day: NaiveDate, today: NaiveDate, language: Language) -> String {
    let on = |date: NaiveDate| {
        let day = spoken_date(date, today, language);
        match (language, (date - today).num_days()) {
            (Language::De, 0..=2) | (Language::En, 0..=1) => day,
            (Language::De, _) => format!("am {day}"),
            (Language::En, _) => format!("on {day}"),
        }
    };
    match (first_day == last_day).then_some(first_day) {
        Some(date) => on(date),
        None => {
            let (first, last) = (spoken_date(first_day, today, language), spoken_date(last_day, today, language));
            match language {
                Language::De => {
                    let (first, last) = (first.replace(", den ", ", dem "), last.replace(", den ", ", dem "));
                    // "zwischen Dienstag, dem 8., und Donnerstag, dem 10. Dezember": the month once
                    // when it is the same, and the apposition closed by a comma
                    let same_month = (first_day.year(), first_day.month()) == (last_day.year(), last_day.month());
                    let first = match (first.rsplit_once(' '), last.rsplit_once(' ')) {
                        (Some((head, month)), Some((_, other))) if same_month && month == other && head.contains(", dem ") => {
                            head.to_string()
                        }
                        _ => first,
                    };
                    if first.contains(", dem ") {
                        format!("zwischen {first}, und {last}")
                    } else {
                        format!("zwischen {first} und {last}")
                    }
                }
                Language::En => format!("between {first} and {last}"),
            }
        }
    }
}

/// A whole wish as it would be read back: days, then the time or window.
pub fn spoken_wish(wish: &Wish, today: NaiveDate, language: Language) -> String {
    let days = spoken_days(wish, today, language);
    match (wish.time, language) {
        (TimeWish::Any, _) => days,
        (TimeWish::At(time), Language::De) => format!("{days} um {}", spoken_time(time, language)),
        (TimeWish::At(time), Language::En) => format!("{days} at {}", spoken_time(time, language)),
        // "…, dem 10. Dezember, nachmittags": the date's apposition closed before the window
        (TimeWish::Window(window), Language::De) if wish.single_day().is_none() && days.contains(", dem ") => {
            format!("{days}, {}", spoken_window(&window, language))
        }
        (TimeWish::Window(window), _) => format!("{days} {}", spoken_window(&window, language)),
    }
}

/// The text with its first letter upper case, to open a sentence ("morgen …" → "Morgen …").
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "A", "A oder B", "A, B oder C" (with `und`/`and` when `all` is true).
pub fn join_choices(items: &[String], language: Language, all: bool) -> String {
    let word = match (language, all) {
        (Language::De, false) => "oder",
        (Language::De, true) => "und",
        (Language::En, false) => "or",
        (Language::En, true) => "and",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

fn spoken_range(range: &TimeRange, language: Language) -> String {
    match language {
        Language::De => {
            let short = |t: NaiveTime| {
                if t.minute() == 0 {
                    t.hour().to_string()
                } else {
                    format!("{}:{:02}", t.hour(), t.minute())
                }
            };
            format!("{} bis {} Uhr", short(range.open), short(range.close))
        }
        Language::En => format!("{} to {}", spoken_time(range.open, language), spoken_time(range.close, language)),
    }
}

/// The hours of one day: "von 9 bis 13 Uhr und von 14 bis 18 Uhr" / "from 9 am to 6 pm"; `None` when closed.
pub fn spoken_day_hours(ranges: &[TimeRange], language: Language) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    let parts: Vec<String> =
        ranges.iter().map(|r| format!("{} {}", pick(language, "von", "from"), spoken_range(r, language))).collect();
    Some(join_choices(&parts, language, true))
}

/// The week, grouping consecutive days with equal hours: "Montag bis Freitag von 9 bis 18 Uhr, …".
pub fn spoken_opening_hours(hours: &OpeningHours, language: Language) -> String {
    let days = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
    let mut groups: Vec<(Weekday, Weekday, String)> = Vec::new();
    for day in days {
        let Some(text) = spoken_day_hours(hours.on(day), language) else { continue };
        match groups.last_mut() {
            Some((_, last, previous)) if *previous == text && last.succ() == day => *last = day,
            _ => groups.push((day, day, text)),
        }
    }
    if groups.is_empty() {
        return pick(language, "Wir haben derzeit keine Öffnungszeiten hinterlegt.", "No opening hours are on record.")
            .into();
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(first, last, text)| {
            let span = if first == last {
                spoken_weekday(*first, language).to_string()
            } else if first.succ() == *last {
                format!(
                    "{} {} {}",
                    spoken_weekday(*first, language),
                    pick(language, "und", "and"),
                    spoken_weekday(*last, language)
                )
            } else {
                format!(
                    "{} {} {}",
                    spoken_weekday(*first, language),
                    pick(language, "bis", "to"),
                    spoken_weekday(*last, language)
                )
            };
            format!("{span} {text}")
        })
        .collect();
    join_choices(&parts, language, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn speaks_dates_relative_to_today() {
        let today = d(2026, 11, 26);
        assert_eq!(spoken_date(today, today, Language::De), "heute");
        assert_eq!(spoken_date(d(2026, 11, 28), today, Language::De), "übermorgen");
        assert_eq!(spoken_date(d(2026, 12, 1), today, Language::De), "Dienstag, den 1. Dezember");
        assert_eq!(spoken_date(d(2027, 1, 5), today, Language::En), "Tuesday, January 5 2027");
    }

    #[test]
    fn speaks_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(spoken_time(t(14, 0), Language::De), "14 Uhr");
        assert_eq!(spoken_time(t(14, 30), Language::De), "14 Uhr 30");
        assert_eq!(spoken_time(t(14, 5), Language::En), "2:05 pm");
        assert_eq!(spoken_time(t(0, 0), Language::En), "12 am");
        assert_eq!(spoken_time(t(12, 0), Language::En), "12 noon");
    }

    #[test]
    fn names_each_day_once() {
        let today = d(2026, 11, 26);
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let moments = [(d(2026, 11, 27), t(9, 0)), (d(2026, 11, 27), t(9, 30)), (d(2026, 11, 30), t(10, 0))];
        assert_eq!(
            spoken_moments(&moments, today, Language::De),
            "morgen um 9 Uhr, um 9 Uhr 30 oder am Montag, den 30. November um 10 Uhr"
        );
        assert_eq!(
            spoken_moments(&moments, today, Language::En),
            "tomorrow at 9 am, 9:30 am or on Monday, November 30 at 10 am"
        );
    }

    #[test]
    fn joins_choices() {
        let items = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join_choices(&items, Language::De, false), "a, b oder c");
        assert_eq!(join_choices(&items[..2], Language::En, true), "a and b");
    }
}
