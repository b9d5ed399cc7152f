//! What the voice agent is told and how it sounds, per language (`frontdesk retell-agent`).

/// The voice agent's set-up in one language.
#[derive(Debug)]
pub struct AgentVoice {
    /// The receptionist's training; `{{…}}` are the dynamic variables `/retell/inbound` returns.
    pub prompt: &'static str,
    /// The agent's first sentence.
    pub greeting: &'static str,
    /// When the agent may end the call (the `end_call` tool's description).
    pub end_call: &'static str,
    /// Retell's voice.
    pub voice_id: &'static str,
    /// Retell's language setting.
    pub locale: &'static str,
}

/// What the agent says while a write runs (a calendar write can take a second or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filler {
    /// While a slot is held.
    Holding,
    /// While a booking is written.
    Booking,
    /// While an appointment is moved.
    Moving,
    /// While an appointment is cancelled.
    Cancelling,
    /// While gathered details are checked.
    OneMoment,
}
