/// Which calendar of record a tenant uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CalendarKind {
    /// frontdesk's embedded calendar (the default).
    #[default]
    Local,
    /// Cal.com API v2.
    Calcom,
}

impl CalendarKind {
    /// Parses `local` or `calcom`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "local" => Ok(Self::Local),
            "calcom" => Ok(Self::Calcom),
            other => Err(format!("{other:?} is neither \"local\" nor \"calcom\"")),
        }
    }

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Calcom => "calcom",
        }
    }
}
