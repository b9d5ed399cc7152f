//! Who an SMS comes from: an E.164 number (the customer can reply) or an alphanumeric sender ID
//! of at most 11 characters (the business's name; replies are impossible).

use crate::domain::PhoneNumber;

/// A valid SMS sender, built only by [`SmsSender::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsSender {
    /// A number that can receive the customer's reply.
    Number(PhoneNumber),
    /// A name shown instead of a number ("SalonSchnit"): 1–11 of A–Z, a–z, 0–9 and spaces, at
    /// least one letter.
    Alphanumeric(String),
}

impl SmsSender {
    /// Reads a sender as configured; says what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.starts_with('+') {
            return PhoneNumber::parse(text).map(Self::Number);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == ' ';
        if text.is_empty() || text.chars().count() > 11 || !text.chars().all(allowed) || !text.chars().any(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "SMS sender {text:?} is neither an E.164 number nor an alphanumeric sender ID (1 to 11 letters, digits or spaces, at least one letter)"
            ));
        }
        Ok(Self::Alphanumeric(text.to_string()))
    }

    /// As the Messages API's `From`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Number(number) => number.as_str(),
            Self::Alphanumeric(name) => name,
        }
    }

    /// Whether a customer can answer it (reminder replies, waitlist offers need that).
    pub fn takes_replies(&self) -> bool {
        matches!(self, Self::Number(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_numbers_and_names_of_up_to_eleven_characters() {
        assert!(SmsSender::parse("+4930123456").unwrap().takes_replies());
        assert_eq!(SmsSender::parse("Schnittpkt").unwrap(), SmsSender::Alphanumeric("Schnittpkt".into()));
        assert!(SmsSender::parse("Salon 12345").is_ok());
        for bad in ["SalonSchnitt", "", "12345", "Salon-Nord", "Café", "+49 nope"] {
            assert!(SmsSender::parse(bad).is_err(), "{bad}");
        }
    }
}
