//! One phrasebook per language: what a caller hears for each [`Sentence`], and the words of the
//! console and the messages. Code outside `speech/` never branches on a language; it asks
//! [`phrasebook`] for the tenant's book and hands it typed facts.

mod agent;
mod de;
mod en;
mod sentence;
mod sms;
mod word;

pub use sentence::{
    AppointmentSentence, AvailabilitySentence, BookingSentence, CallerSentence, ClosedDays, FailureSentence, KnownCaller,
    Moment, Needed, Sentence, Upcoming,
};
pub use word::{AppointmentWord, CallbacksWord, CallsWord, DayWord, MessageWord, OnboardingWord, OpsWord, PageWord, SettingsWord, StaffWord, Word};
pub use agent::{AgentVoice, Filler};
pub use sms::{SmsAppointment, SmsText};

use crate::domain::Language;
use chrono::NaiveDate;

/// Everything frontdesk says in one language.
pub trait Phrasebook: Send + Sync {
    /// The language of this book.
    fn language(&self) -> Language;

    /// The words for a sentence; `today` is the tenant's today, for "morgen" and "am Dienstag".
    fn say(&self, sentence: &Sentence, today: NaiveDate) -> String;

    /// A fixed word of the console or a message.
    fn word(&self, word: Word) -> &'static str;

    /// The voice agent's prompt, greeting and voice.
    fn agent(&self) -> &'static AgentVoice;

    /// What the agent says while a write runs.
    fn filler(&self, filler: Filler) -> &'static str;

    /// What is wrong with a branch's settings, for the owner on the settings page.
    fn settings_problem(&self, problem: &crate::domain::SettingsProblem) -> String;

    /// The text of an SMS to a customer (before the three-segment cap).
    fn sms(&self, sms: &SmsText) -> String;
}

/// A fixed word in a language (the console and the messages hold a language, not a book).
pub fn word(language: Language, word: impl Into<Word>) -> &'static str {
    phrasebook(language).word(word.into())
}

/// The phrasebook of a language.
pub fn phrasebook(language: Language) -> &'static dyn Phrasebook {
    match language {
        Language::De => &de::German,
        Language::En => &en::English,
    }
}
