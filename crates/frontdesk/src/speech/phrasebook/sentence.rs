//! Everything a caller can hear, as data: what a function decided, with the typed facts the
//! sentence needs. A phrasebook turns one into words; nothing here is in any language.

use super::super::{DateProblem, Wish};
use crate::domain::{Closed, OpeningHours, TimeRange};
use chrono::{NaiveDate, NaiveTime};

/// A day and a time on the tenant's wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    /// The day.
    pub date: NaiveDate,
    /// The time on it.
    pub time: NaiveTime,
}

/// What is still needed before a function can act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// The service, asked while gathering a booking.
    Service,
    /// The service, when a function was called without one.
    ServiceWanted,
    /// The day.
    Day,
    /// The time.
    Time,
    /// The caller's name.
    Name,
    /// A number to call back on.
    CallbackNumber,
    /// The new time of a moved appointment.
    NewTime,
    /// Name and day, to find an appointment of a hidden number.
    NameAndDay,
}

/// An appointment as the caller hears it named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    /// When.
    pub moment: Moment,
    /// The service's name.
    pub service: String,
    /// Who does it, when known.
    pub staff: Option<String>,
}

/// A caller recognised by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCaller {
    /// The name on record (already bounded for echoing).
    pub name: String,
    /// The next appointment, if any.
    pub next: Option<Upcoming>,
}

/// Days the branch is closed, first to last, for one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedDays {
    /// The first closed day.
    pub first: NaiveDate,
    /// The last closed day (equal to `first` for one day).
    pub last: NaiveDate,
    /// Why (a holiday or a closure).
    pub reason: Closed,
}

/// One sentence (or a few) for the caller: what happened, with its facts, by concern.
#[derive(Debug, Clone, PartialEq)]
pub enum Sentence {
    /// Why a function could not do what was asked.
    Failure(FailureSentence),
    /// Who is calling, what the branch offers, whom the caller asked for.
    Caller(CallerSentence),
    /// Dates understood and what is free.
    Availability(AvailabilitySentence),
    /// Booking, holding and callbacks.
    Booking(BookingSentence),
    /// The caller's own appointments.
    Appointment(AppointmentSentence),
}

/// Why a function could not do what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum FailureSentence {
    /// The arguments could not be read at all.
    NotUnderstood,
    /// Something required is missing.
    Missing(Vec<Needed>),
    /// No service matches what was said (`said` already bounded); lists what is offered.
    UnknownService { said: String, offered: Vec<String> },
    /// Several services match.
    AmbiguousService { candidates: Vec<String> },
    /// A day beyond the booking horizon; appointments are given up to `last_day`.
    BeyondHorizon { last_day: NaiveDate },
    /// A date or time that cannot be used.
    DateProblem(DateProblem),
    /// The calendar cannot be read.
    CalendarUnavailable,
    /// Something unexpected failed inside frontdesk.
    Internal,
    /// The dialled number belongs to no business.
    UnknownNumber,
}

impl From<FailureSentence> for Sentence {
    fn from(sentence: FailureSentence) -> Self {
        Sentence::Failure(sentence)
    }
}

/// Who is calling, what the branch offers, whom the caller asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum CallerSentence {
    /// The call's opening facts: today, now, today's hours (none when closed) and the caller.
    CallOpened { today: NaiveDate, now: NaiveTime, hours_today: Option<Vec<TimeRange>>, caller: Option<KnownCaller> },
    /// A web call has no number: asks for the name.
    AskName,
    /// The number is withheld: asks for the name.
    NumberWithheld,
    /// A number without customer record: asks for the name.
    NewCaller,
    /// A returning caller, greeted, with the next appointment.
    ReturningCaller { name: Option<String>, next: Option<Upcoming> },
    /// The branch's services (none listed when empty).
    Services(Vec<String>),
    /// One service in detail.
    ServiceInfo {
        name: String,
        minutes: u32,
        waiting: u32,
        price: Option<String>,
        description: Option<String>,
        staff: Vec<String>,
    },
    /// The week's hours and the closed days ahead.
    OpeningHours { hours: OpeningHours, closed: Vec<ClosedDays> },
    /// A name nobody on the team has (`heard` already bounded).
    UnknownStaff { heard: String, service: String, able: Vec<String> },
    /// The person does not do the service.
    StaffNotQualified { staff: String, service: String, able: Vec<String> },
    /// On Cal.com the calendar assigns the person for this service.
    StaffNotSelectable { service: String, staff: String },
}

impl From<CallerSentence> for Sentence {
    fn from(sentence: CallerSentence) -> Self {
        Sentence::Caller(sentence)
    }
}

/// Dates understood and what is free.
#[derive(Debug, Clone, PartialEq)]
pub enum AvailabilitySentence {
    /// A wish read back for confirmation.
    WishReadBack(Wish),
    /// A start is free for the service, with whoever is free then.
    Free { moment: Moment, service: String, staff: Vec<String> },
    /// Closed that day, and why.
    ClosedOn { day: NaiveDate, why: Closed },
    /// Not open at that time.
    NotOpenAt(NaiveTime),
    /// The start is taken.
    Taken(Moment),
    /// Nothing free inside a wish.
    NothingFreeIn(Wish),
    /// Something is free inside a wish.
    FreeIn(Wish),
    /// A friendly yes before a list of times.
    Certainly,
    /// A lead (if any) followed by the times on offer, or the callback offer when there are none.
    /// `day_named` is the day the lead already said, whose times need not name it again.
    Offer { lead: Option<Box<AvailabilitySentence>>, offered: Vec<Moment>, day_named: Option<NaiveDate> },
    /// A day or window was heard where one start is needed: which time, with free ones inside.
    WhichTime { wish: Wish, offered: Vec<Moment> },
    /// Nothing free for the service in the coming weeks.
    NothingSoon { service: String },
    /// The first free start.
    NextFree { service: String, moment: Moment, staff: Option<String> },
    /// The start lies inside the service's notice; the earliest start there can be.
    TooSoon(Moment),
    /// The staff member asked for is away then (`until`: the last day away, when that is not
    /// the wished day); `instead`: someone else free near the wish.
    StaffAway { staff: String, day: NaiveDate, until: Option<NaiveDate>, instead: Option<(String, Moment)> },
    /// The staff member asked for does not work then: their hours that weekday (none: not at
    /// all); `instead`: someone else free near the wish.
    StaffOff { staff: String, weekday: chrono::Weekday, hours: Vec<TimeRange>, instead: Option<(String, Moment)> },
}

impl From<AvailabilitySentence> for Sentence {
    fn from(sentence: AvailabilitySentence) -> Self {
        Sentence::Availability(sentence)
    }
}

/// Booking, holding and callbacks.
#[derive(Debug, Clone, PartialEq)]
pub enum BookingSentence {
    /// Booked.
    Booked(Upcoming),
    /// Booked; the caller wanted SMS, but their number cannot take it (`by_email`: the
    /// confirmation goes by e-mail instead).
    BookedWithoutSms {
        /// What was booked.
        booked: Upcoming,
        /// Whether an e-mail confirms it.
        by_email: bool,
    },
    /// Several services booked back to back, in order.
    BookedLinked(Vec<Upcoming>),
    /// Taken between asking and booking; other times, or a callback.
    JustTaken { offered: Vec<Moment> },
    /// The calendar did not confirm the booking.
    BookingUnconfirmed,
    /// The per-call booking limit is reached.
    TooManyInOneCall { max: u32 },
    /// The caller's number has as many upcoming appointments as may be booked by phone.
    TooManyUpcoming { max: u32 },
    /// A callback number that could not be read.
    PhoneNotUnderstood,
    /// A callback request was noted (the preferred time already bounded).
    CallbackNoted { preferred: Option<String> },
    /// A start that can no longer be held.
    NoLongerFree(Moment),
    /// A start held while the caller confirms.
    Holding(Moment),
    /// The held start was let go (`false`: nothing was held).
    Released(bool),
    /// A gathered booking read back (`summary` is [`Sentence::Summary`]'s facts).
    ReadBack(Upcoming),
    /// The short form of a gathered booking, as it is put in the answer's data.
    Summary(Upcoming),
    /// Put on the waitlist for a service on these days (`by_sms`: offers come by SMS, else the
    /// team calls).
    WaitlistJoined {
        /// The service.
        service: String,
        /// First and last day.
        days: (NaiveDate, NaiveDate),
        /// Whether a free time is offered by SMS.
        by_sms: bool,
    },
    /// A hidden number cannot be told of a free time.
    WaitlistNeedsNumber,
    /// The caller waits for as many wishes as allowed.
    WaitlistFull { max: u32 },
}

impl From<BookingSentence> for Sentence {
    fn from(sentence: BookingSentence) -> Self {
        Sentence::Booking(sentence)
    }
}

/// The caller's own appointments.
#[derive(Debug, Clone, PartialEq)]
pub enum AppointmentSentence {
    /// A hidden number cannot look up appointments.
    CannotLookUp,
    /// The caller's upcoming appointments (none, one or several).
    Appointments(Vec<Upcoming>),
    /// No such appointment under the caller's number.
    AppointmentNotFound,
    /// Several appointments match: which one.
    WhichAppointment(Vec<Moment>),
    /// Changes by phone end this many hours before.
    TooLateToChange { hours: u32 },
    /// Cancelled.
    Cancelled(Upcoming),
    /// The new time of a move is not free; other times, or a callback.
    MoveNotFree { wanted: Moment, offered: Vec<Moment> },
    /// Moved.
    Moved { service: String, to: Moment },
    /// Nothing under that name on that day.
    NameNotFound,
    /// Found under a name.
    FoundByName(Vec<Upcoming>),
}

impl From<AppointmentSentence> for Sentence {
    fn from(sentence: AppointmentSentence) -> Self {
        Sentence::Appointment(sentence)
    }
}
