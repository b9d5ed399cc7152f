//! Numbers as callers say them: digits, German and English words, ordinals ("7.", "7th",
//! "siebten", "seventh", "15ten").

// Each table is a `match`: the compiler compares by length first, so a word costs a jump and a
// comparison or two instead of a walk through sixty entries (this runs for every word said).

fn german_unit(word: &str) -> Option<u32> {
    Some(match word {
        "null" => 0,
        "eins" | "ein" | "eine" => 1,
        "zwei" | "zwo" => 2,
        "drei" => 3,
        "vier" => 4,
        "fuenf" => 5,
        "sechs" => 6,
        "sieben" => 7,
        "acht" => 8,
        "neun" => 9,
        _ => return None,
    })
}

fn german_teen(word: &str) -> Option<u32> {
    Some(match word {
        "zehn" => 10,
        "elf" => 11,
        "zwoelf" => 12,
        "dreizehn" => 13,
        "vierzehn" => 14,
        "fuenfzehn" => 15,
        "sechzehn" => 16,
        "siebzehn" => 17,
        "achtzehn" => 18,
        "neunzehn" => 19,
        _ => return None,
    })
}

fn german_ten(word: &str) -> Option<u32> {
    Some(match word {
        "zwanzig" => 20,
        "dreissig" => 30,
        "vierzig" => 40,
        "fuenfzig" => 50,
        "sechzig" => 60,
        "siebzig" => 70,
        "achtzig" => 80,
        "neunzig" => 90,
        _ => return None,
    })
}

fn english_cardinal(word: &str) -> Option<u32> {
    Some(match word {
        "zero" | "oh" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return english_tens(word),
    })
}

fn english_ordinal(word: &str) -> Option<u32> {
    Some(match word {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

fn all_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a word can be a number word at all: German and English number words start with one
/// of these letters (a cheap test that spares most words the table lookups).
fn may_be_number_word(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(b'a' | b'd' | b'e' | b'f' | b'n' | b'o' | b's' | b't' | b'v' | b'z'))
        && word.len() <= 24
}

/// A cardinal number from digits (up to four) or a folded German or English word (0..=99).
pub fn cardinal(word: &str) -> Option<u32> {
    if all_digits(word) && word.len() <= 4 {
        return word.parse().ok();
    }
    if !may_be_number_word(word) {
        return None;
    }
    if let Some(n) = german_unit(word).or_else(|| german_teen(word)) {
        return Some(n);
    }
    if let Some(n) = german_ten(word).or_else(|| english_cardinal(word)) {
        return Some(n);
    }
    // "fuenfundzwanzig" = 5 + 20 (the shortest such word has ten letters)
    if word.len() < 10 {
        return None;
    }
    let (unit, ten) = word.split_once("und")?;
    Some(german_unit(unit)? + german_ten(ten)?)
}

/// Whether a word is an English tens word ("twenty" … "ninety") that a unit may follow.
pub fn english_tens(word: &str) -> Option<u32> {
    Some(match word {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// An ordinal: "7.", "7th", "1st", "15ten", "15te", "siebten", "dritter", "seventh", "third".
pub fn ordinal(word: &str) -> Option<u32> {
    // written with digits: a digit first (most words are spared the suffix tries)
    if word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let digits = word
            .strip_suffix('.')
            .or_else(|| ["st", "nd", "rd", "th", "ten", "te", "ter", "tes"].iter().find_map(|s| word.strip_suffix(s)))?;
        return if all_digits(digits) && digits.len() <= 2 { digits.parse().ok() } else { None };
    }
    if !may_be_number_word(word) {
        return None;
    }
    if let Some(n) = english_ordinal(word) {
        return Some(n);
    }
    // German ordinal words: "siebten", "ersten", "dritter", "zwanzigsten", "sechsten"
    ["sten", "ster", "stes", "ste", "ten", "ter", "tes", "te"].iter().find_map(|suffix| {
        let stem = word.strip_suffix(suffix)?;
        match stem {
            "ers" | "er" => Some(1),
            "drit" => Some(3),
            "sieb" => Some(7),
            "ach" => Some(8),
            _ => cardinal(stem).filter(|n| *n > 0 && !all_digits(stem)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_words() {
        for (word, n) in [
            ("drei", 3),
            ("zwoelf", 12),
            ("fuenfundzwanzig", 25),
            ("dreissig", 30),
            ("two", 2),
            ("14", 14),
            ("zwo", 2),
            ("fuenfundvierzig", 45),
            ("neunzig", 90),
            ("fuenfundneunzig", 95),
            ("ninety", 90),
        ] {
            assert_eq!(cardinal(word), Some(n), "{word}");
        }
        assert_eq!(cardinal("haus"), None);
        assert_eq!(cardinal("a"), None);
    }

    #[test]
    fn reads_ordinals() {
        for (word, n) in [
            ("7.", 7),
            ("21st", 21),
            ("3rd", 3),
            ("15ten", 15),
            ("15te", 15),
            ("siebten", 7),
            ("ersten", 1),
            ("zwanzigsten", 20),
            ("dritten", 3),
            ("dritter", 3),
            ("einunddreissigsten", 31),
            ("third", 3),
            ("twelfth", 12),
            ("zweiten", 2),
            ("sechzehnten", 16),
            ("sechsten", 6),
            ("achten", 8),
        ] {
            assert_eq!(ordinal(word), Some(n), "{word}");
        }
        assert_eq!(ordinal("monaten"), None);
        assert_eq!(ordinal("guten"), None);
    }
}
