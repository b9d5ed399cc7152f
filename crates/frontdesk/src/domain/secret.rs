use std::fmt;

/// A secret value whose `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret from a setting: refused when empty or only whitespace (an empty key would sign
    /// and verify anything), trimmed otherwise.
    pub fn parse(value: &str) -> Result<Self, EmptySecret> {
        let value = value.trim();
        if value.is_empty() {
            return Err(EmptySecret);
        }
        Ok(Self(value.to_string()))
    }

    /// Wraps a secret known to be non-empty (tests and generated keys); empty text is refused
    /// the same way as by [`Secret::parse`].
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        assert!(!value.trim().is_empty(), "a secret is never empty");
        Self(value)
    }

    /// The secret itself, for signing and verifying only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A secret setting that was empty or only whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("is empty; set a real secret or remove the setting")]
pub struct EmptySecret;

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}
