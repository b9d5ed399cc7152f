//! Spoken language: understanding what callers say about dates, times and staff (de, en) and
//! phrasing answers. Pure code: "now" is passed in, nothing here does I/O.
//!
//! Understanding walks text → [`tokens`](tokens::tokens) → grammar rules → facts → a typed
//! [`Wish`]; phrasing turns dates, times and windows back into sentences.

mod absence;
mod closure;
mod echo;
mod grammar;
mod lexicon;
mod numbers;
mod phrase_table;
mod phrasebook;
mod spoken;
mod text;
mod tokens;
mod understand;
mod wish;

pub use absence::{understand_absence, AbsenceWords};
pub use closure::understand_closure;
pub use echo::{echo, MAX_ECHO_CHARS};
pub use phrasebook::{
    phrasebook, word, AgentVoice, AppointmentSentence, AvailabilitySentence, BookingSentence, CallerSentence, ClosedDays,
    FailureSentence, Filler, KnownCaller, Moment, Needed, Phrasebook, Sentence, SmsAppointment, SmsText, Upcoming, Word,
    AppointmentWord, CallbacksWord, CallsWord, DayWord, MessageWord, OnboardingWord, OpsWord, PageWord, SettingsWord, StaffWord,
};
pub use spoken::{
    capitalise, join_choices, spoken_date, spoken_day_hours, spoken_day_range, spoken_day_hours as spoken_opening_hours_of_day, spoken_days,
    spoken_full_date, spoken_moment, spoken_moments, spoken_month, spoken_opening_hours, spoken_time, spoken_weekday, spoken_weekday_short,
    spoken_window, spoken_wish, written_moment, holiday_name,
};
pub use text::{fold, similar};
pub use understand::{understand, SpeechContext};
pub use wish::{DateProblem, Flexibility, PartOfDay, TimeWindow, TimeWish, Understood, WindowLabel, Wish};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod held_out;
