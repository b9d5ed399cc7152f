//! Who may use the operator console: a login's e-mail, password and role, each built by parsing.

use std::fmt;

/// What a login may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every company; switches between them.
    Admin,
    /// One company, everything in it.
    Owner,
    /// One company, their own appointments only.
    Staff,
}

impl Role {
    /// Parses `admin`, `owner` or `staff`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Self::Admin),
            "owner" => Ok(Self::Owner),
            "staff" => Ok(Self::Staff),
            other => Err(format!("unknown role {other:?} (use admin, owner or staff)")),
        }
    }

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Owner => "owner",
            Self::Staff => "staff",
        }
    }
}

/// A login's e-mail address: trimmed, lower case, one `@` with text on both sides, at most 254
/// characters (RFC 5321's path limit). Masked in logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OperatorEmail(String);

impl OperatorEmail {
    /// Parses an address as typed into a form or the command line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_lowercase();
        let valid = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(text.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
        if valid {
            Ok(Self(text))
        } else {
            Err("is not an e-mail address".into())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address with the local part hidden, for logs: `m***@salon.example`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or(("", &self.0));
        format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
    }
}

impl fmt::Debug for OperatorEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OperatorEmail({})", self.masked())
    }
}

/// A new password: 10 to 1,024 characters (long enough to resist guessing, short enough that
/// hashing it cannot be abused to burn CPU).
pub struct NewPassword(String);

impl NewPassword {
    /// Shortest accepted password.
    pub const MIN_CHARS: usize = 10;
    /// Longest accepted password.
    pub const MAX_CHARS: usize = 1024;

    /// Parses a password as read from standard input (the line break removed).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim_end_matches(['\r', '\n']);
        let chars = text.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!("is too short: at least {} characters", Self::MIN_CHARS));
        }
        if chars > Self::MAX_CHARS {
            return Err(format!("is too long: at most {} characters", Self::MAX_CHARS));
        }
        Ok(Self(text.to_string()))
    }

    /// The password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_lower_cased_and_needs_a_domain() {
        assert_eq!(OperatorEmail::parse("  Inhaber@Salon.Example ").unwrap().as_str(), "inhaber@salon.example");
        for bad in ["", "inhaber", "@salon.example", "inhaber@salon", "in haber@salon.example", "a@b@c.de", "a@.de"] {
            assert!(OperatorEmail::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(OperatorEmail::parse("maria@salon.example").unwrap().masked(), "m***@salon.example");
    }

    #[test]
    fn a_password_has_a_length_between_10_and_1024() {
        assert!(NewPassword::parse("kurz\n").is_err());
        assert!(NewPassword::parse(&"x".repeat(1025)).is_err());
        assert_eq!(NewPassword::parse("lang genug!\n").unwrap().expose(), "lang genug!");
    }

    #[test]
    fn roles_parse_and_print() {
        for role in [Role::Admin, Role::Owner, Role::Staff] {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }
}
