//! How many SMS segments a text costs (GSM 03.38 7-bit or UCS-2), and the cap that keeps every
//! message within three segments: longer texts are cut at a word with an ellipsis.

/// The most segments one message may take.
pub const MAX_SEGMENTS: usize = 3;

/// GSM 03.38's basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table (an escape plus the character: two septets each).
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// How a text is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    /// GSM 03.38, 7 bits a character: 160 in one segment, 153 each when split.
    Gsm7,
    /// UCS-2 (any other character, e.g. an emoji or „“): 70 units in one segment, 67 when split.
    Ucs2,
}

/// A text's cost in segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Segments {
    /// The encoding the whole text needs.
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    /// Segments it is sent in.
    pub count: usize,
}

/// Septets a character costs in GSM-7, or `None` when it has no GSM-7 form.
fn septets(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// What `text` costs.
pub fn segments(text: &str) -> Segments {
    let gsm: Option<usize> = text.chars().map(septets).sum();
    let (encoding, units, single, part) = match gsm {
        Some(units) => (Encoding::Gsm7, units, 160, 153),
        None => (Encoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let count = if units <= single { 1 } else { units.div_ceil(part) };
    Segments { encoding, units, count }
}

/// `text` within [`MAX_SEGMENTS`] segments: unchanged when it fits, else cut at the last word
/// that fits, followed by an ellipsis of the text's own encoding.
pub fn capped(text: &str) -> String {
    if segments(text).count <= MAX_SEGMENTS {
        return text.to_string();
    }
    let (limit, ellipsis) = match segments(text).encoding {
        Encoding::Gsm7 => (153 * MAX_SEGMENTS, "..."),
        Encoding::Ucs2 => (67 * MAX_SEGMENTS, "…"),
    };
    let mut cut = String::new();
    for c in text.chars() {
        let mut next = cut.clone();
        next.push(c);
        next.push_str(ellipsis);
        if segments(&next).units > limit {
            break;
        }
        cut.push(c);
    }
    // at a word, when there is one in the last fifth
    if let Some(space) = cut.rfind(' ').filter(|at| *at > cut.len() * 4 / 5) {
        cut.truncate(space);
    }
    format!("{}{ellipsis}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_gsm_and_ucs2_segments() {
        assert_eq!(segments("Hallo Anna"), Segments { encoding: Encoding::Gsm7, units: 10, count: 1 });
        assert_eq!(segments(&"a".repeat(160)).count, 1);
        assert_eq!(segments(&"a".repeat(161)).count, 2);
        assert_eq!(segments(&"a".repeat(306)).count, 2);
        assert_eq!(segments(&"a".repeat(307)).count, 3);
        // € is an escape plus a character: two septets
        assert_eq!(segments("10 €").units, 5);
        // German umlauts are GSM-7, typographic quotes are not
        assert_eq!(segments("Grüße aus Köln").encoding, Encoding::Gsm7);
        assert_eq!(segments("„Termin“").encoding, Encoding::Ucs2);
        assert_eq!(segments(&"ś".repeat(70)).count, 1);
        assert_eq!(segments(&"ś".repeat(71)).count, 2);
        // an emoji is two UTF-16 units
        assert_eq!(segments("🙂").units, 2);
    }

    #[test]
    fn caps_at_three_segments_in_the_texts_own_encoding() {
        let long = "Wort ".repeat(200);
        let cut = capped(&long);
        assert_eq!(segments(&cut).count, 3);
        assert!(cut.ends_with("Wort...") && cut.len() <= 459, "{cut}");
        let long = "Wört “ ".repeat(100);
        let cut = capped(&long);
        assert_eq!((segments(&cut).count, segments(&cut).encoding), (3, Encoding::Ucs2));
        assert!(cut.ends_with('…'));
        assert_eq!(capped("kurz"), "kurz");
    }
}
