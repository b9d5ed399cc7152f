//! Numbers as callers say them: digits, German and English words, ordinals ("7.", "7th").

const GERMAN_UNITS: [(&str, u32); 12] = [
    ("null", 0),
    ("eins", 1),
    ("ein", 1),
    ("eine", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fuenf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
];
const GERMAN_TEENS: [(&str, u32); 10] = [
    ("zehn", 10),
    ("elf", 11),
    ("zwoelf", 12),
    ("dreizehn", 13),
    ("vierzehn", 14),
    ("fuenfzehn", 15),
    ("sechzehn", 16),
    ("siebzehn", 17),
    ("achtzehn", 18),
    ("neunzehn", 19),
];
const GERMAN_TENS: [(&str, u32); 4] = [("zwanzig", 20), ("dreissig", 30), ("vierzig", 40), ("fuenfzig", 50)];
const ENGLISH: [(&str, u32); 25] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("a", 1),
];

fn lookup(table: &[(&str, u32)], word: &str) -> Option<u32> {
    table.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}

/// A cardinal number from digits or a (folded) German or English word, 0..=59.
pub fn cardinal(word: &str) -> Option<u32> {
    if !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    if word == "a" {
        return None; // only meaningful in "a week"; handled by the caller
    }
    if let Some(n) = lookup(&GERMAN_UNITS, word).or_else(|| lookup(&GERMAN_TEENS, word)) {
        return Some(n);
    }
    if let Some(n) = lookup(&GERMAN_TENS, word).or_else(|| lookup(&ENGLISH, word)) {
        return Some(n);
    }
    // "fuenfundzwanzig" = 5 + 20
    let (unit, ten) = word.split_once("und")?;
    Some(lookup(&GERMAN_UNITS, unit)? + lookup(&GERMAN_TENS, ten)?)
}

/// A day-of-month ordinal: "7.", "7th", "1st", "siebten", or a bare number.
pub fn ordinal(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix('.')
        .or_else(|| ["st", "nd", "rd", "th"].iter().find_map(|s| word.strip_suffix(s)))
        .unwrap_or(word);
    if let Some(n) = cardinal(digits).filter(|_| digits.bytes().all(|b| b.is_ascii_digit())) {
        return Some(n);
    }
    // German ordinal words: "siebten", "ersten", "dritten", "zwanzigsten"
    let stem = word.strip_suffix("sten").or_else(|| word.strip_suffix("ten")).or_else(|| word.strip_suffix("ter"))?;
    match stem {
        "ers" | "er" => Some(1),
        "drit" => Some(3),
        "sieb" => Some(7),
        "ach" => Some(8),
        _ => cardinal(stem).or_else(|| cardinal(&format!("{stem}s"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_words() {
        for (word, n) in
            [("drei", 3), ("zwoelf", 12), ("fuenfundzwanzig", 25), ("dreissig", 30), ("two", 2), ("14", 14)]
        {
            assert_eq!(cardinal(word), Some(n), "{word}");
        }
        assert_eq!(cardinal("haus"), None);
    }

    #[test]
    fn reads_ordinals() {
        for (word, n) in
            [("7.", 7), ("21st", 21), ("3rd", 3), ("siebten", 7), ("ersten", 1), ("zwanzigsten", 20), ("dritten", 3)]
        {
            assert_eq!(ordinal(word), Some(n), "{word}");
        }
    }
}
