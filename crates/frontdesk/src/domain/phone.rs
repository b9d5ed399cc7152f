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
        // built in place, "+" first: every function call parses its business number
        let mut number = String::with_capacity(16);
        number.push('+');
        for c in rest.chars() {
            match c {
                '0'..='9' => number.push(c),
                ' ' | '-' | '.' | '/' | '(' | ')' => {}
                _ => return Err(format!("{:?} is not a phone number", mask(text))),
            }
        }
        let digits = &number[1..];
        if !plus || !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(format!("{:?} is not an E.164 phone number (+ and 8-15 digits)", mask(text)));
        }
        Ok(Self(number))
    }

    /// Reads a number as a person writes it — "0171 1234567", "030/123 456", "+49 171 …",
    /// "0049 171 …": a national form in `country` (the branch's), any form international; only
    /// numbers libphonenumber's rules accept, stored as E.164. (Numbers from payloads are E.164
    /// already: [`PhoneNumber::parse`].)
    pub fn read(text: &str, country: Option<Country>) -> Result<Self, String> {
        let refused = || format!("{:?} is not a phone number", mask(text));
        let trimmed = text.trim();
        // "0049 …" is "+49 …" everywhere in Europe; libphonenumber wants the plus without a country
        let international = trimmed.strip_prefix("00").map(|rest| format!("+{rest}"));
        let text = international.as_deref().unwrap_or(trimmed);
        let number = phonenumber::parse(country.map(|c| c.0), text).map_err(|_| refused())?;
        if !phonenumber::is_valid(&number) {
            return Err(refused());
        }
        Self::parse(&number.format().mode(phonenumber::Mode::E164).to_string())
    }

    /// The canonical `+4930…` text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number can receive SMS by libphonenumber's rules: a mobile number (or one a
    /// country does not tell apart from a landline, as in the US); a German landline cannot.
    pub fn takes_sms(&self) -> bool {
        let Ok(number) = phonenumber::parse(None, &self.0) else { return false };
        matches!(
            number.number_type(&phonenumber::metadata::DATABASE),
            phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
        )
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
    fn knows_which_numbers_take_sms() {
        assert!(PhoneNumber::parse("+4917612345678").unwrap().takes_sms());
        assert!(PhoneNumber::parse("+4915112345678").unwrap().takes_sms());
        assert!(!PhoneNumber::parse("+493012345678").unwrap().takes_sms());
    }

    #[test]
    fn masks_all_but_the_last_digits() {
        assert_eq!(PhoneNumber::parse("+4930123456").unwrap().masked(), "+*******456");
    }
}

/// A country whose national numbers can be read ("0171 …" in Germany).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(phonenumber::country::Id);

impl Country {
    /// The country an E.164 number belongs to: a branch's own number says where it is.
    pub fn of(number: &str) -> Option<Self> {
        phonenumber::parse(None, number).ok()?.country().id().map(Self)
    }

    /// By its ISO 3166-1 code ("DE", "at").
    pub fn parse(code: &str) -> Option<Self> {
        code.trim().to_uppercase().parse().ok().map(Self)
    }
}

#[cfg(test)]
mod reading {
    use super::*;

    #[test]
    fn reads_national_and_international_forms_in_the_branchs_country() {
        let germany = Country::of("+4930123456");
        assert_eq!(germany, Country::parse("de"));
        for typed in ["0171 1234567", "0171/1234567", "(0171) 123 45 67", "+49 171 1234567", "0049 171 1234567", "+491711234567"] {
            assert_eq!(PhoneNumber::read(typed, germany).map(|n| n.as_str().to_string()), Ok("+491711234567".into()), "{typed}");
        }
        // Vienna's 01 is Austria's, not Germany's
        let austria = Country::parse("AT");
        assert_eq!(PhoneNumber::read("01 5880010", austria).unwrap().as_str(), "+4315880010");
        // without a country only the international form can be read
        assert!(PhoneNumber::read("0171 1234567", None).is_err());
        assert!(PhoneNumber::read("+44 20 7946 0958", None).is_ok());
        for wrong in ["0171", "12", "Anna", "0171 1234567 99999999", ""] {
            assert!(PhoneNumber::read(wrong, germany).is_err(), "{wrong}");
        }
    }
}
