//! Spoken language: understanding dates and times callers say (de, en) and phrasing answers.
//! Pure code: "now" is passed in, nothing here does I/O.

mod numbers;
mod phrase;
mod text;
mod understand;

pub use phrase::{
    join_choices, spoken_date, spoken_day_hours as spoken_opening_hours_of_day, spoken_full_date, spoken_moment,
    spoken_moments, spoken_opening_hours, spoken_time, spoken_weekday,
};
pub use text::{fold, similar};
pub use understand::{understand, DateProblem, Moment, PartOfDay, SpeechContext};

#[cfg(test)]
mod tests;
