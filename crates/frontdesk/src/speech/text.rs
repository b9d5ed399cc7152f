/// Lower-cases and folds German letters (ä→ae, ö→oe, ü→ue, ß→ss) so spellings compare equal.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        // ASCII first: it is most of every phrase, and needs no Unicode tables
        if c.is_ascii() {
            out.push(if c == '`' { '\'' } else { c.to_ascii_lowercase() });
            continue;
        }
        match c {
            'ä' | 'Ä' => out.push_str("ae"),
            'ö' | 'Ö' => out.push_str("oe"),
            'ü' | 'Ü' => out.push_str("ue"),
            'ß' | 'ẞ' => out.push_str("ss"),
            'é' | 'è' | 'É' | 'È' => out.push('e'),
            '’' | '´' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether two folded words are equal or differ by a small typo (scaled with length).
pub fn similar(a: &str, b: &str) -> bool {
    let (length_a, length_b) = (a.chars().count(), b.chars().count());
    let allowed = match length_a.max(length_b) {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    };
    // the distance is at least the difference in length: most words are spared the full count
    length_a.abs_diff(length_b) <= allowed && strsim::damerau_levenshtein(a, b) <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_umlauts_and_case() {
        assert_eq!(fold("Färben"), fold("faerben"));
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ÜBERMORGEN"), "uebermorgen");
    }

    #[test]
    fn tolerates_small_typos_only() {
        assert!(similar("herrenhaarschnitt", "herenhaarschnitt"));
        assert!(similar("faerben", "faerbem"));
        assert!(!similar("bart", "hart"));
        assert!(!similar("damenhaarschnitt", "herrenhaarschnitt"));
    }
}
