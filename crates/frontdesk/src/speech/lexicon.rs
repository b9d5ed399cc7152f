//! The words: weekdays, months, holidays, parts of the day and the words that carry no date
//! (fillers), German and English, folded (ä → ae, ß → ss).

use super::wish::PartOfDay;
use crate::domain::Language;
use chrono::Weekday;

/// A weekday by full name (either language), plural ("montags"), or abbreviation. German
/// abbreviations count for German tenants only ("do" is an English word); "So." needs its dot.
pub fn weekday(word: &str, dotted: bool, language: Language) -> Option<Weekday> {
    let full = match word.strip_suffix('s').filter(|w| w.ends_with("tag") || w.ends_with("woch")).unwrap_or(word) {
        "montag" | "monday" | "mon" => Weekday::Mon,
        "dienstag" | "tuesday" | "tue" | "tues" => Weekday::Tue,
        "mittwoch" | "wednesday" | "wed" => Weekday::Wed,
        "donnerstag" | "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "freitag" | "friday" | "fri" => Weekday::Fri,
        "samstag" | "sonnabend" | "saturday" | "sat" => Weekday::Sat,
        "sonntag" | "sunday" | "sun" => Weekday::Sun,
        _ => return german_abbreviation(word, dotted).filter(|_| language == Language::De),
    };
    Some(full)
}

fn german_abbreviation(word: &str, dotted: bool) -> Option<Weekday> {
    Some(match word {
        "mo" => Weekday::Mon,
        "di" => Weekday::Tue,
        "mi" => Weekday::Wed,
        "do" => Weekday::Thu,
        "fr" => Weekday::Fri,
        "sa" => Weekday::Sat,
        "so" if dotted => Weekday::Sun,
        _ => return None,
    })
}

const MONTHS: [(&str, u32); 38] = [
    ("januar", 1),
    ("jaenner", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("february", 2),
    ("feb", 2),
    ("maerz", 3),
    ("march", 3),
    ("mar", 3),
    ("mrz", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("december", 12),
    ("dez", 12),
    ("dec", 12),
    ("jaenner", 1),
    ("feber", 2),
];

/// A month by name or abbreviation (1-based).
pub fn month(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// A part of the day by name; "morgen" is not one (it is tomorrow unless after a day).
pub fn part_of_day(word: &str) -> Option<PartOfDay> {
    Some(match word {
        "vormittag" | "vormittags" | "morgens" | "frueh" | "morning" | "mornings" | "vormittagstermin" => {
            PartOfDay::Morning
        }
        "mittag" | "mittags" | "mittagszeit" | "mittagspause" | "lunchtime" | "lunch" | "midday" => PartOfDay::Midday,
        "nachmittag" | "nachmittags" | "afternoon" | "afternoons" | "nachmittagstermin" => PartOfDay::Afternoon,
        "abend" | "abends" | "evening" | "evenings" | "tonight" | "feierabend" => PartOfDay::Evening,
        _ => return None,
    })
}

/// Whether a word is filler in this language: German "ist" ("is") is a time zone in English —
/// India's, Israel's or Ireland's standard time, ambiguous — so there it is not understood.
pub fn is_filler_in(word: &str, language: crate::domain::Language) -> bool {
    is_filler(word) && !(language == crate::domain::Language::En && word == "ist")
}

/// Words that say nothing about the date or time: articles, prepositions the grammar does not
/// need, politeness, hesitation. A word not here and not read by a rule is "not understood".
pub fn is_filler(word: &str) -> bool {
    matches!(
        word,
        // German
        "am" | "um" | "den" | "der" | "die" | "das" | "dem" | "des" | "im" | "in" | "an" | "zum" | "zur"
            | "bitte" | "gern" | "gerne" | "vielleicht" | "eventuell" | "also" | "aeh" | "aehm" | "aehh" | "hm"
            | "hmm" | "ja" | "ok" | "okay" | "genau" | "dann" | "so" | "und" | "oder" | "es" | "ist"
            | "geht" | "ginge" | "auch" | "ich" | "wir" | "mir" | "uns" | "haette" | "haetten" | "moechte"
            | "moechten" | "wuerde" | "wuerden" | "waere" | "passt" | "passen" | "einen" | "ein" | "eine" | "termin"
            | "terminen" | "uhr" | "wenn" | "moeglich" | "schon" | "noch" | "mal" | "doch" | "denn" | "liebsten"
            | "irgendwie" | "wieder" | "gut" | "super" | "prima" | "naja" | "tja" | "hallo"
            | "kommen" | "vorbeikommen" | "vorbei" | "frei" | "zeit" | "kann" | "koennte" | "koennen" | "da"
            | "dort" | "hier" | "bei" | "ihnen" | "euch" | "kurz" | "wie" | "waers"
            // English
            | "at" | "on" | "the" | "of" | "for" | "a" | "please" | "maybe" | "perhaps" | "and" | "or"
            | "uh" | "uhm" | "er" | "erm" | "well" | "yes" | "yeah" | "i" | "id" | "we" | "it" | "is" | "would"
            | "could" | "can" | "like" | "love" | "appointment" | "be" | "great" | "good" | "fine" | "that"
            | "works" | "me" | "us" | "oclock" | "o" | "clock" | "then" | "sometime"
            | "some" | "time" | "come" | "thanks" | "thank" | "you" | "if" | "possible" | "free"
    )
}
