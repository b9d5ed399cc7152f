//! ASR text → tokens: folded to lower case without umlauts, punctuation dropped, numbers glued to
//! units split ("14uhr", "2pm", "19h30"), ranges split ("10-12" → 10 bis 12), each token with its
//! number or ordinal value when it has one.

use super::numbers::{cardinal, ordinal};
use super::text::fold;

/// One word of what the caller said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded word ("uebermorgen", "14", "7.12.", "3rd").
    pub word: String,
    /// Its value as a cardinal number (digits or a number word).
    pub number: Option<u32>,
    /// Its value as an ordinal ("7.", "siebten", "3rd").
    pub ordinal: Option<u32>,
    /// Written with a trailing dot ("Mo.", "So."): an abbreviation.
    pub dotted: bool,
    /// The "bis" of a range written as one word ("10-12", "2-15"), not said.
    pub joined: bool,
}

impl Token {
    fn new(word: &str, dotted: bool) -> Self {
        Self { word: word.to_string(), number: cardinal(word), ordinal: ordinal(word), dotted, joined: false }
    }
}

/// The longest text that is read; anything past it is not understood (and says so).
pub const MAX_CHARS: usize = 200;

/// Splits what a caller said into tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let text = match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let folded = fold(text);
    let bytes = folded.as_bytes();
    let mut cleaned = String::with_capacity(folded.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = folded.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        // "a.m." / "p.m." (with or without the last dot) are one word
        if (c == 'a' || c == 'p')
            && !prev.is_some_and(char::is_alphabetic)
            && bytes.get(at + 1) == Some(&b'.')
            && bytes.get(at + 2) == Some(&b'm')
        {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push_str("m ");
            chars.next();
            chars.next();
            if chars.peek().is_some_and(|(_, n)| *n == '.') {
                chars.next();
            }
            prev = Some(' ');
            continue;
        }
        match c {
            '\'' | '’' => {}
            '-' if prev.is_some_and(|p| p.is_alphabetic()) || next.is_some_and(|n| n.is_alphabetic()) => {
                cleaned.push(' ')
            }
            '–' | '—' => cleaned.push_str(" bis "),
            c if c.is_alphanumeric() || matches!(c, '.' | ':' | '/' | '-' | '+') => cleaned.push(c),
            _ => cleaned.push(' '),
        }
        prev = Some(c);
    }
    let mut out = Vec::with_capacity(cleaned.len() / 4);
    for raw in cleaned.split_whitespace() {
        // "Montag - Mittwoch": a dash standing alone joins two days (or times) as "bis" does.
        if raw == "-" {
            out.push(Token::new("bis", false));
            continue;
        }
        // "+01:00", "-05:00": an offset from UTC, kept with its sign
        if raw.len() >= 3 && raw.starts_with(['+', '-']) && raw[1..].bytes().all(|b| b.is_ascii_digit() || b == b':') {
            out.push(Token::new(&format!("utc{raw}"), false));
            continue;
        }
        let raw = raw.trim_end_matches([':', '+', '-', '/']);
        let raw = raw.trim_start_matches(['.', ':', '+', '/']);
        if raw.is_empty() {
            continue;
        }
        if raw.starts_with(|c: char| c.is_ascii_digit()) {
            let after_in = out.last().is_some_and(|t: &Token| matches!(t.word.as_str(), "in" | "innerhalb" | "within"));
            numeric(raw, after_in, &mut out);
        } else {
            let dotted = raw.ends_with('.');
            let word = raw.trim_end_matches('.');
            if !word.is_empty() {
                out.push(Token::new(word, dotted));
            }
        }
    }
    out
}

/// A token starting with a digit: a date, a clock time, an ordinal, a range, or a number glued to
/// a unit. After "in", "1h" is a duration ("in 1h": an hour from now), not one o'clock, and
/// "1/4h", "1/2h", "3/4h" are a quarter, half and three quarters of an hour, not dates.
fn numeric(raw: &str, after_in: bool, out: &mut Vec<Token>) {
    let fraction = match raw.trim_end_matches('.') {
        "1/4h" | "1/4std" => Some("viertelstunde"),
        "1/2h" | "1/2std" => Some("halbestunde"),
        "3/4h" | "3/4std" => Some("dreiviertelstunde"),
        _ => None,
    };
    if let Some(word) = fraction {
        out.push(Token::new(word, false));
        return;
    }
    // "10-12" (a range of hours), but not "2026-12-03" (ISO)
    if let Some((a, b)) = raw.split_once('-') {
        let short = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit() || b == b':');
        // "2-4pm": the end carries the unit for both
        let with_unit = |s: &str| {
            let digits = s.trim_end_matches(|c: char| c.is_alphabetic());
            short(digits) && digits.len() < s.len()
        };
        if short(a) && (short(b) || with_unit(b)) && !a.contains('.') {
            out.push(Token::new(a, false));
            out.push(Token { joined: true, ..Token::new("bis", false) });
            if short(b) {
                out.push(Token::new(b, false));
            } else {
                numeric(b, false, out);
            }
            return;
        }
    }
    let Some(at) = raw.find(|c: char| c.is_alphabetic()) else {
        out.push(Token::new(raw, false));
        return;
    };
    let (number, rest) = raw.split_at(at);
    let rest = rest.trim_end_matches('.');
    // ISO instants ("2026-12-03T14:00") stay whole.
    if number.len() >= 10 && number.as_bytes()[4] == b'-' {
        out.push(Token::new(raw, false));
        return;
    }
    if matches!(rest, "st" | "nd" | "rd" | "th" | "ten" | "te" | "ter" | "tes" | "sten") {
        out.push(Token::new(&format!("{number}{rest}"), false));
        return;
    }
    out.push(Token::new(number, false));
    // "19h30", "14uhr30", "14h", "2pm", "30min"
    let unit_end = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
    let (unit, minutes) = rest.split_at(unit_end);
    let unit = match unit {
        "h" | "std" if after_in && minutes.is_empty() => "stunden",
        "h" => "uhr",
        "min" => "minuten",
        // "7p", "3:18a": the meridiem's first letter, as typed in chats and by some ASR
        "a" if is_clock_number(number) => "am",
        "p" if is_clock_number(number) => "pm",
        other => other,
    };
    out.push(Token::new(unit, false));
    if !minutes.is_empty() {
        out.push(Token::new(minutes, false));
    }
}

/// Digits of an hour, or "h:mm".
fn is_clock_number(number: &str) -> bool {
    let (hour, minutes) = number.split_once(':').unwrap_or((number, "00"));
    matches!(hour.parse::<u32>(), Ok(1..=12)) && minutes.len() == 2 && minutes.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn splits_asr_text() {
        assert_eq!(words("Am Montag, um 14Uhr30!"), ["am", "montag", "um", "14", "uhr", "30"]);
        assert_eq!(words("19h30"), ["19", "uhr", "30"]);
        assert_eq!(words("2pm"), ["2", "pm"]);
        assert_eq!(words("2:30 p.m."), ["2:30", "pm"]);
        assert_eq!(words("10a.m. or 3 p.m"), ["10", "am", "or", "3", "pm"]);
        assert_eq!(words("3 o'clock"), ["3", "oclock"]);
        assert_eq!(words("10-12 Uhr"), ["10", "bis", "12", "uhr"]);
        assert_eq!(words("2026-12-03T14:00"), ["2026-12-03t14:00"]);
        assert_eq!(words("Übermorgen"), ["uebermorgen"]);
        assert_eq!(words("twenty-five past two"), ["twenty", "five", "past", "two"]);
        assert_eq!(words("3rd of Dec."), ["3rd", "of", "dec"]);
        assert_eq!(words("New Year's Eve"), ["new", "years", "eve"]);
        assert_eq!(words("7.12."), ["7.12."]);
        assert_eq!(words("in 1h"), ["in", "1", "stunden"]);
        assert_eq!(words("14h"), ["14", "uhr"]);
        assert_eq!(words("in 3/4h"), ["in", "dreiviertelstunde"]);
        assert_eq!(words("3:18a 7p"), ["3:18", "am", "7", "pm"]);
        assert!(tokens("Mo.")[0].dotted);
    }

    #[test]
    fn bounds_the_text_read() {
        let long = "morgen ".repeat(100);
        assert!(tokens(&long).len() <= MAX_CHARS / 7 + 1);
    }
}
