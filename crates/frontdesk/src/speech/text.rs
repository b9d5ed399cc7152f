/// Lower-cases and folds German letters (ä→ae, ö→oe, ü→ue, ß→ss) so spellings compare equal.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'é' | 'è' => out.push('e'),
            '’' | '´' | '`' => out.push('\''),
            _ => out.push(c),
        }
    }
    out
}

/// Whether two folded words are equal or differ by a small typo (scaled with length).
pub fn similar(a: &str, b: &str) -> bool {
    let allowed = match a.chars().count().max(b.chars().count()) {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    };
    strsim::damerau_levenshtein(a, b) <= allowed
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
