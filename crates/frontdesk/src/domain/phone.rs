use std::fmt;

/// A phone number in E.164 form (`+` followed by 8 to 15 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a number, tolerating spaces, dashes, dots, slashes and parentheses.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match trimmed.strip_prefix("00") {
                Some(rest) => (true, rest),
                None => (false, trimmed),
            },
        };
        let mut digits = String::with_capacity(16);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '/' | '(' | ')' => {}
                _ => return Err(format!("{:?} is not a phone number", mask(text))),
            }
        }
        if !plus || !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(format!("{:?} is not an E.164 phone number (+ and 8-15 digits)", mask(text)));
        }
        Ok(Self(format!("+{digits}")))
    }

    /// The canonical `+4930…` text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A form safe for logs: only the last three digits are kept.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks all but the last three characters of a phone-like text, for logs.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = chars.len().saturating_sub(3);
    chars.iter().enumerate().map(|(i, c)| if i < keep && c.is_ascii_digit() { '*' } else { *c }).collect()
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for text in ["+4930123456", "+49 30 123456", "0049 (30) 123-456", "+49/30/123.456"] {
            assert_eq!(PhoneNumber::parse(text).unwrap().as_str(), "+4930123456", "{text}");
        }
    }

    #[test]
    fn rejects_non_numbers() {
        for text in ["", "030123456", "+49abc", "+1234", "+1234567890123456"] {
            assert!(PhoneNumber::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn masks_all_but_the_last_digits() {
        assert_eq!(PhoneNumber::parse("+4930123456").unwrap().masked(), "+*******456");
    }
}
