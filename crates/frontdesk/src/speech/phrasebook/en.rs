//! English: what callers hear and what the console and the messages say.

use super::agent::{AgentVoice, Filler};
use super::word::{AppointmentWord, CallbacksWord, CallsWord, DayWord, MessageWord, OnboardingWord, OpsWord, PageWord, SettingsWord, StaffWord, Word};
use super::sentence::{
    AppointmentSentence, AvailabilitySentence, BookingSentence, CallerSentence, ClosedDays, FailureSentence, KnownCaller,
    Moment, Needed, Sentence, Upcoming,
};
use super::Phrasebook;
use super::sms::{SmsAppointment, SmsText};
use crate::domain::{Closed, Language, SettingsFault, SettingsProblem, MAX_BUFFER_MINUTES, MAX_CAPACITY, MAX_NOTICE_MINUTES};
use crate::speech::{
    capitalise, join_choices, spoken_date, spoken_day_hours, spoken_day_range, spoken_full_date, spoken_moment, spoken_moments,
    spoken_month, spoken_opening_hours, spoken_time, spoken_weekday, spoken_wish, DateProblem, Understood,
};
use chrono::{Datelike, NaiveDate};

const L: Language = Language::En;

/// The voice agent in English.
static AGENT: AgentVoice = AgentVoice {
    prompt: "You are the receptionist of {{company_name}} ({{branch_name}}) on the phone. Today is {{today}}, it is {{current_time}}; open today: {{opening_hours_today}}. Known caller: {{caller_known}}, name: {{caller_name}}.

How you work:
- Call initialize_call at the start of every call. Speak briefly, warmly and in full sentences.
- Say the sentences in the functions' message field faithfully and completely; never invent times, prices, staff or services. What no function told you, you do not know.
- Pass days and times to the functions as the caller said them (\"next Tuesday\", \"half past two\"); do not convert them yourself.
- Before booking: read back the service, day, time and name and wait for a clear yes. Only then call book_appointment (or collect_appointment_info with confirm=true). After booking, read the function's confirmation sentence.
- Before booking, ask whether the caller wants the confirmation and a reminder by text message to their number. Pass sms_ok=true only after a clear yes; otherwise leave it out.
- When a time is taken, offer the alternatives you were given. If none suits, offer the waitlist and add the caller with join_waitlist (service, day or days, time or part of the day, name). If the caller wants to think, hold the time with reserve_slot and let it go with release_slot_reservation if they decline.
- Move and cancel only through reschedule_appointment and cancel_appointment; the function's rules apply.
- When you are stuck (a question beyond appointments, the calendar does not answer, the caller wants a person): offer a callback and note it with request_callback. Nobody hangs up without knowing what happens next.
- End the call only when the caller needs nothing more.",
    greeting: "Hello, {{company_name}}! How can I help you?",
    end_call: "Ends the call once the caller needs nothing more and has said goodbye.",
    voice_id: "11labs-Myra",
    locale: "en-GB",
};

/// The English phrasebook.
pub struct English;

fn and(items: &[String]) -> String {
    join_choices(items, L, true)
}

fn or(items: &[String]) -> String {
    join_choices(items, L, false)
}

fn at(moment: &Moment, today: NaiveDate) -> String {
    spoken_moment(moment.date, moment.time, today, L)
}

fn list(moments: &[Moment], today: NaiveDate) -> String {
    let mut pairs: Vec<_> = moments.iter().map(|m| (m.date, m.time)).collect();
    pairs.sort();
    spoken_moments(&pairs, today, L)
}

/// "tomorrow", "on Tuesday, December 1".
fn on_day(date: NaiveDate, today: NaiveDate) -> String {
    let day = spoken_date(date, today, L);
    match (date - today).num_days() {
        0..=1 => day,
        _ => format!("on {day}"),
    }
}

fn needed(what: Needed) -> &'static str {
    match what {
        Needed::Service => "the service",
        Needed::ServiceWanted => "the service you'd like",
        Needed::Day => "the day",
        Needed::Time => "the time",
        Needed::Name => "your name",
        Needed::CallbackNumber => "a number to call you back on",
        Needed::NewTime => "the new time",
        Needed::NameAndDay => "your name and the day of the appointment",
    }
}

fn next_appointment(next: &Upcoming, today: NaiveDate) -> String {
    match &next.staff {
        Some(staff) => format!("The next appointment is {}: {} with {staff}.", at(&next.moment, today), next.service),
        None => format!("The next appointment is {}: {}.", at(&next.moment, today), next.service),
    }
}

fn date_problem(problem: &DateProblem, today: NaiveDate) -> String {
    let quoted = |words: &[String]| format!("\"{}\"", words.join(" "));
    match problem {
        DateProblem::Missing => "Which day and time would you like?".to_string(),
        DateProblem::Unrecognised(words) if !words.is_empty() => format!(
            "Sorry, I didn't understand {} as a day or time. Could you say it again, for example \"tomorrow at 2 pm\"?",
            quoted(words)
        ),
        DateProblem::Unrecognised(_) => {
            "Sorry, I didn't understand the date. Could you say it again, for example \"tomorrow at 2 pm\"?".to_string()
        }
        DateProblem::Partly(Understood::Day(day), _) => {
            format!("I got the day, {}, but not the time. What time would you like?", spoken_date(*day, today, L))
        }
        DateProblem::Partly(Understood::Time, _) => {
            "I got the time but not the day. Which day would you like to come?".to_string()
        }
        DateProblem::Impossible => "That date doesn't exist. Which day do you mean?".to_string(),
        DateProblem::Past => "That time is already in the past. Which day do you mean?".to_string(),
        DateProblem::WeekdayMismatch { date, said } => format!(
            "{} {} is a {}, not a {}. Which day do you mean?",
            spoken_month(date.month(), L),
            date.day(),
            spoken_weekday(date.weekday(), L),
            spoken_weekday(*said, L)
        ),
        DateProblem::Conflicting => "I heard two different times there. Which one would you like?".to_string(),
        DateProblem::NoEarlierDay => {
            "The day after which day? Please tell me the day, for example “Tuesday” or “December 8th”.".to_string()
        }
        DateProblem::WhichWeekBefore { week, days } => {
            let range = |(first, last): (NaiveDate, NaiveDate)| spoken_day_range(first, last, today, L);
            let just_before = if days.0 == days.1 { "the day just before it" } else { "the days just before it" };
            // "the whole week" only when all of it is still ahead
            let week_words = if week.0.weekday() == chrono::Weekday::Mon { "the whole week before it" } else { "the week before it" };
            format!("Do you mean {week_words}, {}, or {just_before}, {}?", range(*week), range(*days))
        }
    }
}

/// "on Friday, December 25 (Christmas Day)", "from … to … (we are away)".
fn closed_days(days: &ClosedDays, today: NaiveDate) -> String {
    let day = |d: NaiveDate| spoken_date(d, today, L);
    let why = match days.reason {
        Closed::Holiday(h) => h.name_en(),
        Closed::Closure | Closed::Weekly => "we are away",
    };
    if days.first == days.last {
        format!("on {} ({why})", day(days.first))
    } else {
        format!("from {} to {} ({why})", day(days.first), day(days.last))
    }
}

fn offer(
    lead: Option<&AvailabilitySentence>,
    offered: &[Moment],
    day_named: Option<NaiveDate>,
    today: NaiveDate,
) -> String {
    let lead = lead.map(|l| availability(l, today)).unwrap_or_default();
    let all_that_day = day_named.is_some_and(|day| offered.iter().all(|m| m.date == day));
    let choices = if all_that_day {
        or(&offered.iter().map(|m| spoken_time(m.time, L)).collect::<Vec<_>>())
    } else {
        list(offered, today)
    };
    let text = if offered.is_empty() {
        format!("{lead} Nothing is free in the next two weeks, I'm afraid. May we call you back?")
    } else {
        format!("{lead} I could offer you {choices}. What would suit you?")
    };
    text.trim_start().to_string()
}

fn summary(booking: &Upcoming, today: NaiveDate) -> String {
    let day = spoken_date(booking.moment.date, today, L);
    let time = spoken_time(booking.moment.time, L);
    match &booking.staff {
        Some(who) => format!("{day} at {time}, {} with {who}", booking.service),
        None => format!("{day} at {time}, {}", booking.service),
    }
}

/// Why a function could not do what was asked.
fn failure(sentence: &FailureSentence, today: NaiveDate) -> String {
    match sentence {
        FailureSentence::NotUnderstood => "Sorry, I didn't quite catch that. Could you say it again, please?".into(),
        FailureSentence::Missing(what) => {
            format!("For that I still need {}.", and(&what.iter().map(|w| needed(*w).to_string()).collect::<Vec<_>>()))
        }
        FailureSentence::UnknownService { said, offered } => {
            format!("I'm afraid we don't offer \"{said}\". We offer {}.", and(offered))
        }
        FailureSentence::AmbiguousService { candidates } => format!("Do you mean {}?", or(candidates)),
        FailureSentence::BeyondHorizon { last_day } => format!(
            "I'm afraid we don't give appointments that far ahead, only up to {}. Would an earlier day suit you?",
            spoken_date(*last_day, today, L)
        ),
        FailureSentence::DateProblem(problem) => date_problem(problem, today),
        FailureSentence::CalendarUnavailable => {
            "I can't reach our calendar right now. May we call you back as soon as it works again?".into()
        }
        FailureSentence::Internal => "Sorry, something went wrong on my side. May we call you back?".into(),
        FailureSentence::UnknownNumber => "This number is not assigned to any business.".into(),
    }
}

/// Who is calling, what the branch offers, whom the caller asked for.
fn caller(sentence: &CallerSentence, today: NaiveDate) -> String {
    match sentence {
        CallerSentence::CallOpened { today: day, now, hours_today, caller } => {
            let date = spoken_full_date(*day, L);
            let time = spoken_time(*now, L);
            let mut text = match hours_today.as_deref().and_then(|h| spoken_day_hours(h, L)) {
                Some(h) => format!("Today is {date}, it is {time}. We are open today {h}."),
                None => format!("Today is {date}, it is {time}. We are closed today."),
            };
            if let Some(KnownCaller { name, next }) = caller {
                text.push_str(&format!(" The caller is a known customer: {name}."));
                if let Some(next) = next {
                    text.push(' ');
                    text.push_str(&next_appointment(next, today));
                }
            }
            text
        }
        CallerSentence::AskName => "May I have your name, please?".into(),
        CallerSentence::NumberWithheld => {
            "Your number is withheld, so I can't look you up automatically. May I have your name?".into()
        }
        CallerSentence::NewCaller => {
            "I don't have any customer details for this number yet. May I have your name?".into()
        }
        CallerSentence::ReturningCaller { name, next } => {
            let greeting = match name {
                Some(name) => format!("Good to hear from you again, {name}."),
                None => "Good to hear from you again.".to_string(),
            };
            let next = match next {
                Some(next) => next_appointment(next, today),
                None => "You have no upcoming appointments.".to_string(),
            };
            format!("{greeting} {next}")
        }
        CallerSentence::Services(names) if names.is_empty() => {
            "No services are listed for this branch at the moment.".into()
        }
        CallerSentence::Services(names) => format!("We offer {}.", and(names)),
        CallerSentence::ServiceInfo { name, minutes, waiting, price, description, staff } => {
            let mut text = format!("{name} takes about {minutes} minutes");
            if *waiting > 0 {
                text.push_str(&format!(" (about {waiting} minutes of it waiting while it sets)"));
            }
            if let Some(price) = price {
                text.push_str(&format!(" and costs {price}"));
            }
            text.push('.');
            if let Some(description) = description {
                text.push(' ');
                text.push_str(description);
            }
            if !staff.is_empty() {
                text.push_str(&format!(" It is done by {}.", and(staff)));
            }
            text
        }
        CallerSentence::OpeningHours { hours, closed } => {
            let mut text = format!(
                "Our opening hours are {}. We are closed on the other days.",
                spoken_opening_hours(hours, L)
            );
            if !closed.is_empty() {
                let days: Vec<String> = closed.iter().map(|c| closed_days(c, today)).collect();
                text.push_str(&format!(" We are also closed {}.", and(&days)));
            }
            text
        }
        CallerSentence::UnknownStaff { heard, service, able } => {
            format!("I don't know {heard} here. {service} is done by {}.", or(able))
        }
        CallerSentence::StaffNotQualified { staff, service, able } => {
            format!("{staff} doesn't do {service}. It is done by {}.", or(able))
        }
        CallerSentence::StaffNotSelectable { service, staff } => format!(
            "For {service} our calendar assigns the team member itself, so I can't book {staff} specifically by phone. Shall I look for a time anyway?"
        ),
    }
}

/// Dates understood and what is free.
fn availability(sentence: &AvailabilitySentence, today: NaiveDate) -> String {
    match sentence {
        AvailabilitySentence::WishReadBack(wish) => format!("You mean {}, is that right?", spoken_wish(wish, today, L)),
        AvailabilitySentence::Free { moment, service, staff } => {
            let with = if staff.is_empty() { String::new() } else { format!(" with {}", or(staff)) };
            format!("Yes, {} is free for {service}{with}. Shall I book it for you?", at(moment, today))
        }
        AvailabilitySentence::ClosedOn { day, why } => {
            let day = on_day(*day, today);
            match why {
                Closed::Holiday(holiday) => {
                    format!("We're closed {day}: it's a public holiday ({}).", holiday.name_en())
                }
                Closed::Closure => format!("We're closed {day}, I'm afraid — we're away then."),
                Closed::Weekly => format!("We're closed {day}, I'm afraid."),
            }
        }
        AvailabilitySentence::NotOpenAt(time) => format!("We're not open at {}, I'm afraid.", spoken_time(*time, L)),
        AvailabilitySentence::Taken(moment) => format!("{} is already taken, I'm afraid.", capitalise(&at(moment, today))),
        AvailabilitySentence::NothingFreeIn(wish) => format!("Nothing is free {}, I'm afraid.", spoken_wish(wish, today, L)),
        AvailabilitySentence::FreeIn(wish) => format!("There is still availability {}.", spoken_wish(wish, today, L)),
        AvailabilitySentence::Certainly => "Certainly.".into(),
        AvailabilitySentence::Offer { lead, offered, day_named } => offer(lead.as_deref(), offered, *day_named, today),
        AvailabilitySentence::WhichTime { wish, offered } => {
            let spoken = spoken_wish(wish, today, L);
            if offered.is_empty() {
                format!("Nothing is free {spoken}, I'm afraid. Shall I suggest another day?")
            } else {
                format!(
                    "At what time exactly? {}, {} would be free, for example.",
                    capitalise(&spoken),
                    list(offered, today)
                )
            }
        }
        AvailabilitySentence::NothingSoon { service } => {
            format!("Nothing is free for {service} in the coming weeks, I'm afraid. May we call you back?")
        }
        AvailabilitySentence::TooSoon(moment) if moment.date == today => {
            format!("That is too short notice, I'm afraid: the earliest is {}.", spoken_time(moment.time, L))
        }
        AvailabilitySentence::TooSoon(moment) => {
            format!("That is too short notice, I'm afraid: the earliest is {}.", at(moment, today))
        }
        AvailabilitySentence::StaffAway { staff, day, until, instead } => {
            let away = match until {
                Some(last) => format!("{staff} is away until {} inclusive.", weekday_or_date(*last, today)),
                None => format!("{staff} is not in {}.", on_day(*day, today)),
            };
            with_instead(away, instead, today)
        }
        AvailabilitySentence::StaffOff { staff, weekday, hours, instead } => {
            let days = format!("{}s", spoken_weekday(*weekday, L));
            let off = match spoken_day_hours(hours, L) {
                Some(hours) => format!("On {days} {staff} only works {hours}."),
                None => format!("{staff} does not work on {days}."),
            };
            with_instead(off, instead, today)
        }
        AvailabilitySentence::NextFree { service, moment, staff } => {
            let with = staff.as_ref().map(|name| format!(" with {name}")).unwrap_or_default();
            format!("The next free appointment for {service} is {}{with}. Does that suit you?", at(moment, today))
        }
    }
}

/// "Friday" within the coming week, else the date ("Monday, December 14").
fn weekday_or_date(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0..=2 => spoken_date(day, today, L),
        3..=6 => spoken_weekday(day.weekday(), L).to_string(),
        _ => spoken_date(day, today, L),
    }
}

/// A reason followed by who else is free: "… Jonas would be free tomorrow at 10 am."
fn with_instead(reason: String, instead: &Option<(String, Moment)>, today: NaiveDate) -> String {
    match instead {
        Some((who, moment)) => format!("{reason} {who} would be free {}. Would that suit you?", at(moment, today)),
        None => reason,
    }
}

/// Booking, holding and callbacks.
fn booking(sentence: &BookingSentence, today: NaiveDate) -> String {
    match sentence {
        BookingSentence::BookedLinked(parts) => {
            let with = |b: &Upcoming| b.staff.as_ref().map(|s| format!(" with {s}")).unwrap_or_default();
            let mut text = String::from("Your appointments are booked: ");
            for (i, part) in parts.iter().enumerate() {
                match i {
                    0 => text.push_str(&format!("{}, {}{}", at(&part.moment, today), part.service, with(part))),
                    _ => text.push_str(&format!(", straight after that {}{}", part.service, with(part))),
                }
            }
            text.push_str(". We look forward to seeing you!");
            text
        }
        BookingSentence::Booked(booked) => {
            let with = booked.staff.as_ref().map(|s| format!(" with {s}")).unwrap_or_default();
            format!(
                "You're booked: {}, {}{with}. We look forward to seeing you!",
                at(&booked.moment, today),
                booked.service
            )
        }
        BookingSentence::JustTaken { offered } if offered.is_empty() => {
            "That time has just been taken, I'm afraid. May we call you back?".into()
        }
        BookingSentence::JustTaken { offered } => {
            format!("That time has just been taken, I'm afraid. I could offer you {}.", list(offered, today))
        }
        BookingSentence::BookingUnconfirmed => {
            "I couldn't confirm the booking just now. We'll check and get back to you. May I note a callback?".into()
        }
        BookingSentence::TooManyInOneCall { max } => format!(
            "I can book at most {max} appointments in one call. Shall someone from the team call you back about more?"
        ),
        BookingSentence::TooManyUpcoming { max } => format!(
            "Your number already has {max} upcoming appointments, which is as many as I can book by phone. Shall someone from the team call you back?"
        ),
        BookingSentence::PhoneNotUnderstood => {
            "I didn't catch that number. Could you repeat it with the area code, please?".into()
        }
        BookingSentence::CallbackNoted { preferred } => {
            let when = preferred.as_ref().map(|t| format!(" ({t})")).unwrap_or_default();
            format!("I've noted your callback request{when}. We'll call you back as soon as we can.")
        }
        BookingSentence::NoLongerFree(moment) => {
            format!("{} is no longer free, I'm afraid. Shall I suggest alternatives?", at(moment, today))
        }
        BookingSentence::Holding(moment) => format!("I'm holding {} for you. Shall I book it?", at(moment, today)),
        BookingSentence::Released(true) => "All right, I've released that time again.".into(),
        BookingSentence::Released(false) => "There was no time held for you.".into(),
        BookingSentence::ReadBack(booking) => format!("{} — is that right?", capitalise(&summary(booking, today))),
        BookingSentence::Summary(booking) => summary(booking, today),
        BookingSentence::BookedWithoutSms { booked, by_email } => {
            let instead = if *by_email { " You will get the confirmation by e-mail." } else { "" };
            format!(
                "{} I cannot send text messages to your landline number, I'm afraid.{instead}",
                booking(&BookingSentence::Booked(booked.clone()), today)
            )
        }
        BookingSentence::WaitlistJoined { service, days, by_sms } => {
            let when = match days {
                (first, last) if first == last => spoken_date(*first, today, L),
                (first, last) => format!("between {} and {}", spoken_date(*first, today, L), spoken_date(*last, today, L)),
            };
            let how = if *by_sms {
                "If a time becomes free, you will get a text and can book it by replying YES."
            } else {
                "If a time becomes free, someone from the team will call you."
            };
            format!("I have put you on the waitlist for {service} {when}. {how}")
        }
        BookingSentence::WaitlistNeedsNumber => {
            "Your number is withheld, so I cannot put you on the waitlist. May I note a callback instead?".into()
        }
        BookingSentence::WaitlistFull { max } => format!(
            "You are already on our waitlist with {max} wishes; I cannot add more by phone. Shall someone from the team call you back?"
        ),
    }
}

/// The caller's own appointments.
fn appointment(sentence: &AppointmentSentence, today: NaiveDate) -> String {
    match sentence {
        AppointmentSentence::CannotLookUp => {
            "Your number is withheld, so I can't look up your appointments. May we call you back?".into()
        }
        AppointmentSentence::Appointments(found) => {
            let phrases: Vec<String> =
                found.iter().map(|a| format!("{} for {}", at(&a.moment, today), a.service)).collect();
            match phrases.as_slice() {
                [] => "I can't find an upcoming appointment under your number.".into(),
                [one] => format!("Your next appointment: {one}."),
                several => format!("You have {} appointments: {}.", several.len(), and(several)),
            }
        }
        AppointmentSentence::AppointmentNotFound => {
            "I can't find that appointment under your number. Would you like us to call you back?".into()
        }
        AppointmentSentence::WhichAppointment(moments) => {
            let phrases: Vec<String> = moments.iter().map(|m| at(m, today)).collect();
            format!("Which appointment do you mean: {}?", or(&phrases))
        }
        AppointmentSentence::TooLateToChange { hours } => format!(
            "Appointments can only be changed or cancelled by phone up to {hours} hours before. May someone from the team call you back?"
        ),
        AppointmentSentence::Cancelled(appointment) => {
            format!("Your appointment {} ({}) is cancelled.", at(&appointment.moment, today), appointment.service)
        }
        AppointmentSentence::MoveNotFree { wanted, offered } if offered.is_empty() => {
            format!("{} isn't free, I'm afraid. May we call you back?", at(wanted, today))
        }
        AppointmentSentence::MoveNotFree { wanted, offered } => format!(
            "{} isn't free, I'm afraid. I could offer you {}.",
            at(wanted, today),
            list(offered, today)
        ),
        AppointmentSentence::Moved { service, to } => format!("Your appointment ({service}) is moved to {}.", at(to, today)),
        AppointmentSentence::NameNotFound => {
            "I can't find an appointment under that name on that day. May we call you back?".into()
        }
        AppointmentSentence::FoundByName(found) => {
            let phrases: Vec<String> =
                found.iter().map(|a| format!("{} ({})", at(&a.moment, today), a.service)).collect();
            format!("I found your appointment: {}.", and(&phrases))
        }
    }
}

impl Phrasebook for English {
    fn language(&self) -> Language {
        L
    }

    fn word(&self, key: Word) -> &'static str {
        word(key)
    }

    fn agent(&self) -> &'static AgentVoice {
        &AGENT
    }

    fn settings_problem(&self, problem: &SettingsProblem) -> String {
        settings_problem(problem)
    }

    fn sms(&self, text: &SmsText) -> String {
        sms(text)
    }

    fn filler(&self, filler: Filler) -> &'static str {
        match filler {
            Filler::Holding => "One moment, I'm holding that time for you.",
            Filler::Booking => "One moment, I'm booking that for you.",
            Filler::Moving => "One moment, I'm moving your appointment.",
            Filler::Cancelling => "One moment, I'm cancelling that appointment.",
            Filler::OneMoment => "One moment, please.",
        }
    }

    fn say(&self, sentence: &Sentence, today: NaiveDate) -> String {
        match sentence {
            Sentence::Failure(sentence) => failure(sentence, today),
            Sentence::Caller(sentence) => caller(sentence, today),
            Sentence::Availability(sentence) => availability(sentence, today),
            Sentence::Booking(sentence) => booking(sentence, today),
            Sentence::Appointment(sentence) => appointment(sentence, today),
        }
    }
}

/// The fixed words of the console and the messages, by page.
pub(super) fn word(word: Word) -> &'static str {
    match word {
        Word::Page(word) => page_word(word),
        Word::Day(word) => day_word(word),
        Word::Settings(word) => settings_word(word),
        Word::Staff(word) => staff_word(word),
        Word::Callbacks(word) => callbacks_word(word),
        Word::Calls(word) => calls_word(word),
        Word::Ops(word) => ops_word(word),
        Word::Onboarding(word) => onboarding_word(word),
        Word::Appointment(word) => appointment_word(word),
        Word::Message(word) => message_word(word),
    }
}

/// Every page's frame, the sign-in and the Retell page.
fn page_word(word: PageWord) -> &'static str {
    match word {
        PageWord::Branch => "Branch",
        PageWord::Callbacks => "Callbacks",
        PageWord::Calls => "Calls",
        PageWord::Customers => "Customers",
        PageWord::Waitlist => "Waitlist",
        PageWord::WaitlistDays => "Days",
        PageWord::WaitlistTimes => "Times",
        PageWord::WaitlistOffered => "offered",
        PageWord::NobodyWaiting => "Nobody is waiting.",
        PageWord::WaitlistExplained => "Callers whose wish was fully booked. When a matching time becomes free, those waiting longest get a text; it is held 15 minutes for them, and the first YES books it.",
        PageWord::CustomerSearchHint => "Name or digits of the number",
        PageWord::Search => "Search",
        PageWord::NobodyFound => "Nobody found.",
        PageWord::Upcoming => "Upcoming",
        PageWord::Past => "Past",
        PageWord::CancelledAppointments => "Cancelled",
        PageWord::LastVisit => "Last visit",
        PageWord::Notes => "Notes",
        PageWord::AddNote => "Save note",
        PageWord::NoNotes => "No notes yet.",
        PageWord::Company => "Company",
        PageWord::Console => "console",
        PageWord::Copied => "Copied ✓",
        PageWord::CopyToolDefinitions => "Copy tool definitions",
        PageWord::EMail => "E-mail",
        PageWord::FrontdeskPublicUrlIsNot => "FRONTDESK_PUBLIC_URL is not set: the addresses below are examples.",
        PageWord::Functions => "Functions",
        PageWord::InTheLast24Hours => " in the last 24 hours, last at ",
        PageWord::InboundCalls => "Inbound calls",
        PageWord::Name => "Name",
        PageWord::NewAppointment => "New appointment",
        PageWord::NoSignedRequestArrivedIn => "No signed request arrived in the last 24 hours.",
        PageWord::NotAllowed => "Not allowed",
        PageWord::NotFound => "Not found",
        PageWord::Numbers => "Numbers",
        PageWord::Operations => "Operations",
        PageWord::OtherLanguageCode => "de",
        PageWord::OtherLanguageName => "Deutsch",
        PageWord::Password => "Password",
        PageWord::Phone => "Phone",
        PageWord::PhoneAgent => "phone agent",
        PageWord::PreferredTime => "Preferred time",
        PageWord::Reason => "Reason",
        PageWord::Service => "Service",
        PageWord::Settings => "Settings",
        PageWord::SignIn => "Sign in",
        PageWord::SignOut => "Sign out",
        PageWord::SignedRequestsAreArriving => "Signed requests are arriving: ",
        PageWord::SigningInIsNotPossible => "Signing in is not possible right now. Please try again.",
        PageWord::Staff => "Staff",
        PageWord::TheFormExpiredOrDid => "The form expired or did not come from this page. Please reload the page.",
        PageWord::TheFormExpiredPleaseSign => "The form expired. Please sign in again.",
        PageWord::ThisPageDoesNotExist => "This page does not exist.",
        PageWord::Today => "Today",
        PageWord::TooManyFailedAttemptsPlease => "Too many failed attempts. Please try again in 15 minutes.",
        PageWord::Week => "Week",
        PageWord::WrongEMailOrPassword => "Wrong e-mail or password.",
    }
}

/// The day and week views.
fn day_word(word: DayWord) -> &'static str {
    match word {
        DayWord::WorkingTime => "Working",
        DayWord::Break => "Break",
        DayWord::Away => "away",
        DayWord::Booked => "booked",
        DayWord::Free => "free",
        DayWord::Print => "Print",
        DayWord::PrintTime => "Time",
        DayWord::PrintCustomer => "Customer",
        DayWord::ClosedDay => "Closed",
        DayWord::NotWorkingToday => "Not working this day.",
        DayWord::Any => "any",
        DayWord::AppointmentBooked => "Appointment booked.",
        DayWord::AppointmentCancelled => "Appointment cancelled.",
        DayWord::AppointmentMoved => "Appointment moved.",
        DayWord::Book => "Book",
        DayWord::Cancel => "Cancel",
        DayWord::ClockTime => "Time",
        DayWord::DateFormat => "%Y-%m-%d",
        DayWord::Day => "Day",
        DayWord::Move => "Move",
        DayWord::SameStaff => "with the same person",
        DayWord::NextDay => "Next day",
        DayWord::NextWeek => "Next week",
        DayWord::NoAppointmentsOnThisDay => "No appointments on this day.",
        DayWord::NoAppointmentsThisWeek => "No appointments this week.",
        DayWord::NotAssigned => "not assigned",
        DayWord::PreviousDay => "Previous day",
        DayWord::PreviousWeek => "Previous week",
        DayWord::ThatTimeIsNotFree => "That time is not free.",
        DayWord::TheCalendarCannotBeReached => "The calendar cannot be reached right now; please try again.",
        DayWord::TheCalendarDidNotAnswer => "The calendar did not answer in time; the booking is being reconciled.",
        DayWord::TheCalendarDidNotConfirm => "The calendar did not confirm the cancellation; please try again.",
        DayWord::TheDetailsAreIncompleteOr => "The details are incomplete or invalid.",
        DayWord::ThisWeek => "This week",
        DayWord::PhoneNotUnderstood => "This phone number is not one I can read (for example 0171 1234567 or +49 171 1234567):",
        DayWord::NameMissing => "Please give the name.",
        DayWord::DayOrTimeNotUnderstood => "Day and time are not clear.",
        DayWord::TimeIsOver => "That time is over already.",
        DayWord::Optional => "optional",
    }
}

/// The settings page.
fn staff_word(word: StaffWord) -> &'static str {
    match word {
        StaffWord::Title => "Staff and absences",
        StaffWord::EnterAbsence => "Enter an absence",
        StaffWord::AbsenceExample => "For example “Maria sick today and tomorrow”, “Jonas holiday 14.12.–18.12.” or “Maria doctor tomorrow 2–4 pm”",
        StaffWord::Enter => "Enter",
        StaffWord::NeedsAttention => "Needs attention",
        StaffWord::NeedsAttentionHint => "These appointments fall in an absence. Please move, reassign or cancel them.",
        StaffWord::Absences => "Absences",
        StaffWord::NoAbsences => "No absences entered.",
        StaffWord::WorkingHours => "Working hours",
        StaffWord::Breaks => "Breaks",
        StaffWord::AsOpeningHours => "as the opening hours",
        StaffWord::SaveHours => "Save working hours",
        StaffWord::Remove => "Remove",
        StaffWord::WhoIsAway => "Who is away? Please add their name.",
        StaffWord::NotUnderstood => "Not understood:",
        StaffWord::Entered => "Entered, in effect now.",
        StaffWord::NoBreaks => "none",
        StaffWord::Reason => "Reason",
    }
}

fn settings_word(word: SettingsWord) -> &'static str {
    match word {
        SettingsWord::Timing => "Phases, buffers and resources",
        SettingsWord::Phases => "Phases",
        SettingsWord::PhasesHint => "For example “30 work, 35 wait, 25 work”: during the wait the person is free. Empty: work throughout.",
        SettingsWord::Work => "work",
        SettingsWord::Wait => "wait",
        SettingsWord::BufferBefore => "Set-up (min)",
        SettingsWord::BufferAfter => "Clean-up (min)",
        SettingsWord::Resources => "Resources (comma)",
        SettingsWord::ResourcesHint => "One per line as name: count, for example “Colour place: 2”.",
        SettingsWord::Notice => "Notice (min)",
        SettingsWord::Interval => "Interval (min)",
        SettingsWord::SaveTiming => "Save phases and resources",
        SettingsWord::Closed => "closed",
        SettingsWord::Closures => "Closures",
        SettingsWord::Minutes => "Minutes",
        SettingsWord::NewPerson => "new person",
        SettingsWord::NewService => "new service",
        SettingsWord::ClosuresNotUnderstood => "These closures are not clear (for example “24.12.–1.1. Holidays” or “tomorrow stocktaking”):",
        SettingsWord::FieldTooLong => "too long or not text",
        SettingsWord::NotANumber => "is not a number",
        SettingsWord::MinutesMissing => "the minutes are missing",
        SettingsWord::MinutesOutOfRange => "the minutes must be 1 to 1440",
        SettingsWord::NotMinutes => "is not a number of minutes",
        SettingsWord::ResourceAsNameCount => "write it as “name: count”",
        SettingsWord::CountNotANumber => "the count is not a number",
        SettingsWord::PhaseMinutesFirst => "minutes first, e.g. “30 work”",
        SettingsWord::HoursNotUnderstood => "These hours are not clear (for example 9–16 or 9:00–13:00, 14:00–18:00):",
        SettingsWord::NotSaved => "Not saved:",
        SettingsWord::OneDayOrRangePer => "One day or range per line, then the reason – for example: 24.12.–1.1. Holidays, or: tomorrow stocktaking.",
        SettingsWord::OpeningHours => "Opening hours",
        SettingsWord::Price => "Price",
        SettingsWord::Remove => "Remove",
        SettingsWord::RemoveLower => "remove",
        SettingsWord::SaveClosures => "Save closures",
        SettingsWord::SaveOpeningHours => "Save opening hours",
        SettingsWord::SaveServices => "Save services",
        SettingsWord::SaveStaff => "Save staff",
        SettingsWord::SavedInEffectNow => "Saved — in effect now.",
        SettingsWord::Services => "Services",
        SettingsWord::SynonymsComma => "Synonyms (comma)",
        SettingsWord::TimesLike090013 => "Times like 09:00-13:00, 14:00-18:00; empty = closed.",
    }
}

/// The callbacks page and its failed notices.
fn callbacks_word(word: CallbacksWord) -> &'static str {
    match word {
        CallbacksWord::Done => "Done",
        CallbacksWord::DoneLast30Days => "Done in the last 30 days",
        CallbacksWord::NewCallback => "New callback",
        CallbacksWord::Urgent => "urgent",
        CallbacksWord::SaveCallback => "Save callback",
        CallbacksWord::CallbackSaved => "Callback saved.",
        CallbacksWord::Error => "Error",
        CallbacksWord::Event => "Event",
        CallbacksWord::GivenUpAfterADay => "Given up after a day of attempts. Check the address or webhook, then send them again.",
        CallbacksWord::MarkedDone => "Marked done.",
        CallbacksWord::NoOpenCallbacks => "No open callbacks.",
        CallbacksWord::Note => "Note",
        CallbacksWord::NotificationsAreBeingSentAgain => "Notifications are being sent again.",
        CallbacksWord::NotificationsNotDelivered => "Notifications not delivered",
        CallbacksWord::OfSpaced => " of ",
        CallbacksWord::OpenShownTheMostUrgent => " open shown: the most urgent and newest.",
        CallbacksWord::Overdue => "overdue",
        CallbacksWord::SendAgain => "Send again",
        CallbacksWord::Since => "Since",
        CallbacksWord::To => "To",
        CallbacksWord::UrgentSuffix => " urgent",
    }
}

/// The calls page.
fn calls_word(word: CallsWord) -> &'static str {
    match word {
        CallsWord::Analysis => "Analysis",
        CallsWord::Booked => "booked",
        CallsWord::Callback => "callback",
        CallsWord::Caller => "Caller",
        CallsWord::Cancelled => "cancelled",
        CallsWord::Length => "Length",
        CallsWord::Moved => "moved",
        CallsWord::NoCallsYet => "No calls yet.",
        CallsWord::Nothing => "nothing",
        CallsWord::Outcome => "Outcome",
        CallsWord::Recording => "Recording",
        CallsWord::SentimentLabel => "Sentiment: ",
        CallsWord::Time => "Time",
        CallsWord::AppointmentBooked => "Appointment booked:",
        CallsWord::With => "with",
        CallsWord::Wanted => "Wanted",
        CallsWord::NotOffered => "— we do not offer it",
        CallsWord::CallbackWanted => "Callback requested",
        CallsWord::AppointmentMoved => "Appointment moved",
        CallsWord::AppointmentCancelled => "Appointment cancelled",
        CallsWord::HungUp => "hung up without an appointment",
        CallsWord::EndedWithNothing => "ended without an appointment",
        CallsWord::Ongoing => "still going on",
        CallsWord::UnknownCaller => "unknown",
        CallsWord::ShowAll => "All",
        CallsWord::ShowLost => "Lost calls",
        CallsWord::ShowBookings => "Bookings",
        CallsWord::ShowCallbacks => "Callbacks",
        CallsWord::Details => "Details",
        CallsWord::ToTheAppointment => "to the appointment",
        CallsWord::ToTheCallback => "to the callback",
        CallsWord::Who => "Who",
        CallsWord::WhatHappened => "What happened",
    }
}

/// The operations page.
fn onboarding_word(word: OnboardingWord) -> &'static str {
    match word {
        OnboardingWord::SetYourPassword => "Set your password",
        OnboardingWord::RepeatThePassword => "Repeat the password",
        OnboardingWord::ThePasswordsDoNotMatch => "The two passwords do not match.",
        OnboardingWord::PasswordSavedPleaseSignIn => "Your password is saved. Please sign in.",
        OnboardingWord::SetUpAtRetell => "Set up at Retell",
        OnboardingWord::RetellSetUp => "Set up at Retell: LLM, agent and numbers are current.",
        OnboardingWord::RetellOutdated => "Out of date at Retell: services, staff or numbers changed since.",
        OnboardingWord::RetellNotSetUp => "Not set up at Retell yet.",
        OnboardingWord::RetellFailed => "Setting up at Retell failed: ",
        OnboardingWord::NewBusiness => "New business",
        OnboardingWord::BusinessName => "Name of the business",
        OnboardingWord::BranchName => "Name of the first branch",
        OnboardingWord::PhoneNumberCallersDial => "Phone number callers dial",
        OnboardingWord::TimeZone => "Time zone",
        OnboardingWord::LanguageOfTheAgent => "Language of the phone agent",
        OnboardingWord::OwnersEMail => "Owner's e-mail",
        OnboardingWord::CreateBusiness => "Create business",
        OnboardingWord::BusinessCreatedSendLink => "Created. Send this link to the owner; it works once, for 72 hours:",
        OnboardingWord::PasswordTooShort => "The password needs at least 10 characters.",
        OnboardingWord::PasswordTooLong => "The password may have at most 1024 characters.",
        OnboardingWord::TimeZoneNotKnown => "This time zone is not known; write it like Europe/Berlin.",
        OnboardingWord::NumberNotE164 => "Write the number with its country code, like +4930123456.",
        OnboardingWord::EMailNotValid => "This e-mail address is not valid.",
        OnboardingWord::NotCreated => "Not created: ",
        OnboardingWord::NameIsRequired => "The business and its branch need a name.",
    }
}

fn ops_word(word: OpsWord) -> &'static str {
    match word {
        OpsWord::AvailabilityCache => "Availability cache",
        OpsWord::BookingsWhoseOutcomeIsNot => "bookings whose outcome is not known yet",
        OpsWord::ClosedHealthy => "closed (healthy)",
        OpsWord::FunctionCalls => "Calls",
        OpsWord::HalfOpenProbing => "half open (probing)",
        OpsWord::Hits => "hits",
        OpsWord::Key => "Key",
        OpsWord::NoCalComAccountIn => "No Cal.com account in use.",
        OpsWord::NoFunctionCallsYet => "No calls yet.",
        OpsWord::OpenCalComFailing => "open (Cal.com failing)",
        OpsWord::OpenReconciliations => "Open reconciliations",
        OpsWord::RequestsLastMinute => "Requests last minute",
        OpsWord::ThisProcessLastHour => "This process, last hour.",
    }
}

/// The words of the e-mails, the digest and the agent's call variables.
fn message_word(word: MessageWord) -> &'static str {
    match word {
        MessageWord::ClosedToday => "closed today",
        MessageWord::AgentEndedTheCall => "agent ended the call",
        MessageWord::AnsweringMachine => "answering machine",
        MessageWord::Appointment => "When",
        MessageWord::AppointmentCancelledTitle => "Appointment cancelled",
        MessageWord::AppointmentConfirmed => "Appointment confirmed:",
        MessageWord::ReminderTitle => "Reminder of your appointment:",
        MessageWord::RemindersSent => "Reminders sent",
        MessageWord::CancelledBySms => "Cancelled by text reply",
        MessageWord::RefilledFromWaitlist => "Refilled from the waitlist",
        MessageWord::WaitlistOfferTitle => "A time became free:",
        MessageWord::LookingForward => "We look forward to seeing you.",
        MessageWord::AppointmentMovedTitle => "Appointment moved",
        MessageWord::BookingUnconfirmed => "Booking unconfirmed",
        MessageWord::CallbackOverdue => "Callback overdue",
        MessageWord::CallbackRequested => "Callback requested",
        MessageWord::CallbacksOpen => "Callbacks open",
        MessageWord::CallbacksRequested => "Callbacks requested",
        MessageWord::CallerHungUp => "caller hung up",
        MessageWord::CallerWentSilent => "caller went silent",
        MessageWord::CallsLower => "calls",
        MessageWord::CancelledHeading => "Cancelled",
        MessageWord::DailyReport => "Daily report",
        MessageWord::DateAtTimeFormat => "%-d %B %Y at %H:%M",
        MessageWord::DateTimeFormat => "%Y-%m-%d %H:%M",
        MessageWord::DidNotConnect => "did not connect",
        MessageWord::Ended => "ended",
        MessageWord::EndedWithNothing => "Ended with nothing",
        MessageWord::Hello => "Hello",
        MessageWord::HelloComma => "Hello,",
        MessageWord::IsCancelled => "is cancelled.",
        MessageWord::IsConfirmed => "is confirmed.",
        MessageWord::IsNowOn => "is now on",
        MessageWord::LongDateFormat => "%-d %B %Y",
        MessageWord::MaximumLengthReached => "maximum length reached",
        MessageWord::MovedHeading => "Moved",
        MessageWord::NewAppointments => "new appointments",
        MessageWord::NewAppointmentsHeading => "New appointments",
        MessageWord::NoName => "(no name)",
        MessageWord::On => "on",
        MessageWord::OpenInTheConsole => "Open in the console",
        MessageWord::PleaseCheck => "please check",
        MessageWord::Priority => "Priority",
        MessageWord::Signature => "— frontdesk, your phone front desk",
        MessageWord::SignatureAfterGap => "\n\n— frontdesk, your phone front desk",
        MessageWord::SuspectedScam => "suspected scam",
        MessageWord::TechnicalError => "technical error",
        MessageWord::TheAppointmentIsAttachedAs => "The appointment is attached as a calendar file.",
        MessageWord::TheAttachedCalendarFileMoves => "The attached calendar file moves it in your calendar.",
        MessageWord::TheAttachedCalendarFileRemoves => "The attached calendar file removes it from your calendar.",
        MessageWord::TheCalendarDidNotConfirm2 => "The calendar did not confirm this booking; frontdesk keeps asking. Please check the calendar for the appointment and call the customer if needed.",
        MessageWord::TooManyCallsAtOnce => "too many calls at once",
        MessageWord::Transferred => "transferred",
        MessageWord::Urgent => "urgent",
        MessageWord::With => "at",
        MessageWord::YourAppointmentFor => "Your appointment for",
        MessageWord::YourAppointmentWasCancelled => "Your appointment was cancelled:",
        MessageWord::YourAppointmentWasMoved => "Your appointment was moved:",
    }
}

/// One appointment's page and a customer's data.
fn appointment_word(word: AppointmentWord) -> &'static str {
    match word {
        AppointmentWord::Appointment => "Appointment",
        AppointmentWord::History => "History",
        AppointmentWord::Details => "Details",
        AppointmentWord::ActionBooked => "booked",
        AppointmentWord::ActionMoved => "moved",
        AppointmentWord::ActionCancelled => "cancelled",
        AppointmentWord::ActionRestored => "restored",
        AppointmentWord::ActionNoShow => "did not come",
        AppointmentWord::ActionReminded => "reminded",
        AppointmentWord::BySms => "by SMS",
        AppointmentWord::ByWaitlist => "from the waitlist",
        AppointmentWord::ByPhoneAgent => "by the phone agent",
        AppointmentWord::ByCalcom => "in Cal.com",
        AppointmentWord::ByFrontdesk => "by frontdesk",
        AppointmentWord::By => "by",
        AppointmentWord::Before => "before:",
        AppointmentWord::StatusBooked => "Booked",
        AppointmentWord::StatusPending => "Being confirmed by the calendar",
        AppointmentWord::StatusCancelled => "Cancelled",
        AppointmentWord::StatusNoShow => "Did not come",
        AppointmentWord::Restore => "Restore",
        AppointmentWord::Restored => "The appointment is booked again.",
        AppointmentWord::NoLongerFree => "Its time is no longer free: book a new appointment instead.",
        AppointmentWord::MarkNoShow => "Mark as no-show",
        AppointmentWord::NoShowMarked => "Marked as no-show.",
        AppointmentWord::NotPossibleNow => "That is not possible for this appointment.",
        AppointmentWord::FromCall => "From the call of",
        AppointmentWord::NoCall => "Not booked in a call.",
        AppointmentWord::Customer => "Customer",
        AppointmentWord::CancelAppointmentOf => "Cancel the appointment of",
        AppointmentWord::ExportData => "Export data (GDPR)",
        AppointmentWord::EraseData => "Erase data (GDPR)",
        AppointmentWord::EraseConfirm => "Erase everything stored about this person for good? The appointments stay, without the name.",
        AppointmentWord::Erased => "The customer's data is erased.",
        AppointmentWord::MergeDuplicate => "Merge a duplicate into this customer",
        AppointmentWord::DuplicateNumber => "Customer number of the duplicate",
        AppointmentWord::Merge => "Merge",
        AppointmentWord::CustomerNumber => "Customer no.",
    }
}

/// What is wrong with a branch's settings, for the owner.
fn settings_problem(problem: &SettingsProblem) -> String {
    let s = &problem.subject;
    match &problem.fault {
        SettingsFault::NumberTwice => format!("The number {s} is entered twice."),
        SettingsFault::ServiceTwice => format!("“{s}” is in the list of services twice."),
        SettingsFault::Duration => format!("“{s}”: the length must be between 1 and 1440 minutes."),
        SettingsFault::EventTypeMissing => format!("“{s}”: Cal.com needs its event type id."),
        SettingsFault::Buffer(n) => format!("“{s}”: set-up and clean-up may last at most {MAX_BUFFER_MINUTES} minutes, not {n}."),
        SettingsFault::UnknownResource(r) => format!("“{s}” needs “{r}”, which this branch does not have. Add it under resources below."),
        SettingsFault::Notice(n) => format!("“{s}”: the notice may be at most {MAX_NOTICE_MINUTES} minutes (30 days), not {n}."),
        SettingsFault::Interval(n) => format!("“{s}”: the interval must be between 5 and 240 minutes, not {n}."),
        SettingsFault::EmptyPhase => format!("“{s}”: every phase must last at least one minute."),
        SettingsFault::NoWorkPhase => format!("“{s}”: at least one phase must be work."),
        SettingsFault::PhasesSum { total, duration } => {
            format!("“{s}”: the phases add up to {total} minutes, but the service lasts {duration}.")
        }
        SettingsFault::ResourceName => "A resource needs a name of 1 to 60 characters.".to_string(),
        SettingsFault::Capacity(n) => format!("“{s}”: the count must be between 1 and {MAX_CAPACITY}, not {n}."),
        SettingsFault::ResourceTwice => format!("The resource “{s}” is in the list twice."),
        SettingsFault::UnknownService(service) => format!("{s} is to do “{service}”, which this branch does not offer."),
        SettingsFault::EventTypeNotPerformed(service) => {
            format!("{s} has a Cal.com event type for “{service}” but does not perform it.")
        }
        SettingsFault::AgentId => format!("“{s}” is not a Retell agent id."),
        SettingsFault::Unreadable(why) => format!("“{s}” cannot be read ({why})."),
    }
}

/// An appointment in an SMS: "Tue 8 Dec 10:00 Check-up with Dr. Patel".
fn sms_appointment(a: &SmsAppointment) -> String {
    let at = format!("{} {}", a.start.format("%a %-d %b %H:%M"), a.service);
    match &a.staff {
        Some(staff) => format!("{at} with {staff}"),
        None => at,
    }
}

/// What a customer reads in an SMS.
fn sms(text: &SmsText) -> String {
    match text {
        SmsText::Confirmed(a) => format!("{}: your appointment {} is booked. See you soon!", a.business, sms_appointment(a)),
        SmsText::Moved(a) => format!("{}: your appointment has moved to {}.", a.business, sms_appointment(a)),
        SmsText::Cancelled(a) => format!("{}: your appointment {} is cancelled.", a.business, sms_appointment(a)),
        SmsText::Reminder { appointment: a, replies: true } => {
            format!("{}: a reminder of your appointment {}. If you cannot come, reply CANCEL.", a.business, sms_appointment(a))
        }
        SmsText::Reminder { appointment: a, replies: false } => format!("{}: a reminder of your appointment {}.", a.business, sms_appointment(a)),
        SmsText::Stopped { business } => format!("{business}: you will get no more texts from us. Reply START to get them again."),
        SmsText::Started { business } => format!("{business}: you will get texts about your appointments again. Reply STOP to end them."),
        SmsText::TooLateToCancel { appointment: a, phone } => format!(
            "{}: your appointment {} is too soon to cancel by text. Please call us{}.",
            a.business,
            sms_appointment(a),
            phone.as_deref().map(|p| format!(" on {p}")).unwrap_or_default()
        ),
        SmsText::CancelFailed { business, phone } => format!(
            "{business}: we could not cancel just now. Please call us{}.",
            phone.as_deref().map(|p| format!(" on {p}")).unwrap_or_default()
        ),
        SmsText::WaitlistOffer { appointment: a, minutes } => format!("{}: a time became free: {}. Reply YES to book it. We hold it for you for {minutes} minutes.", a.business, sms_appointment(a)),
        SmsText::OfferGone { business } => format!("{business}: sorry, that time has been taken. You stay on the waitlist."),
        SmsText::NothingToCancel { business, phone } => format!(
            "{business}: we found no upcoming appointment for this number. If you have questions, please call us{}.",
            phone.as_deref().map(|p| format!(" on {p}")).unwrap_or_default()
        ),
    }
}
