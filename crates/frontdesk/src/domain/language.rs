use serde::{Deserialize, Serialize};

/// The language a tenant's callers are spoken to in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// German (the default).
    #[default]
    De,
    /// English.
    En,
}

impl Language {
    /// Every language frontdesk speaks, the default first.
    pub const ALL: [Language; 2] = [Language::De, Language::En];

    /// Parses `de` or `en` (case-insensitive).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "de" => Ok(Self::De),
            "en" => Ok(Self::En),
            other => Err(format!("unsupported language {other:?} (expected \"de\" or \"en\")")),
        }
    }

    /// The ISO code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::De => "de",
            Self::En => "en",
        }
    }

    /// The language a browser prefers (`Accept-Language`, first tag), the default otherwise.
    pub fn preferred(accept_language: &str) -> Self {
        let first = accept_language.trim_start().to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| first.starts_with(l.code())).unwrap_or_default()
    }
}
