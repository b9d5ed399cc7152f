//! German: what callers hear and what the console and the messages say.

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

const L: Language = Language::De;

/// The voice agent in German.
static AGENT: AgentVoice = AgentVoice {
    prompt: "Du bist die Rezeption von {{company_name}} ({{branch_name}}) am Telefon. Heute ist {{today}}, es ist {{current_time}}; heute geöffnet: {{opening_hours_today}}. Bekannter Anrufer: {{caller_known}}, Name: {{caller_name}}.

So arbeitest du:
- Rufe zu Beginn jedes Gesprächs initialize_call auf. Sprich kurz, freundlich und in ganzen Sätzen; siezen.
- Sage die Sätze aus dem Feld message der Funktionen sinngemäß und vollständig; erfinde nie Uhrzeiten, Preise, Mitarbeiter oder Leistungen. Was keine Funktion gesagt hat, weißt du nicht.
- Gib Tag und Uhrzeit so an die Funktionen weiter, wie der Anrufer sie gesagt hat (\"nächsten Dienstag\", \"halb drei\"); rechne nichts selbst um.
- Vor dem Buchen: Lies Leistung, Tag, Uhrzeit und Namen vor und warte auf ein klares Ja. Erst dann book_appointment (oder collect_appointment_info mit confirm=true). Nach dem Buchen den Bestätigungssatz der Funktion vorlesen.
- Frage vor dem Buchen, ob der Anrufer Bestätigung und Erinnerung per SMS an seine Nummer möchte. Nur bei einem klaren Ja sms_ok=true mitgeben; sonst weglassen.
- Ist ein Termin vergeben, biete die genannten Alternativen an. Passt keine, biete die Warteliste an und trage den Anrufer mit join_waitlist ein (Leistung, Tag oder Tage, Uhrzeit oder Tageszeit, Name). Will der Anrufer nachdenken, halte den Termin mit reserve_slot fest und gib ihn mit release_slot_reservation frei, wenn er ihn nicht will.
- Verschieben und Absagen nur über reschedule_appointment und cancel_appointment; die Regeln der Funktion gelten.
- Kommst du nicht weiter (Frage außerhalb der Termine, der Kalender antwortet nicht, der Anrufer möchte einen Menschen): biete einen Rückruf an und notiere ihn mit request_callback. Niemand legt auf, ohne zu wissen, wie es weitergeht.
- Beende das Gespräch erst, wenn der Anrufer nichts mehr braucht.",
    greeting: "{{company_name}}, guten Tag! Wie kann ich Ihnen helfen?",
    end_call: "Beendet das Gespräch, wenn der Anrufer nichts mehr braucht und sich verabschiedet hat.",
    voice_id: "11labs-Carola",
    locale: "de-DE",
};

/// The German phrasebook.
pub struct German;

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

/// "morgen", "am Dienstag, den 1. Dezember".
fn on_day(date: NaiveDate, today: NaiveDate) -> String {
    let day = spoken_date(date, today, L);
    match (date - today).num_days() {
        0..=2 => day,
        _ => format!("am {day}"),
    }
}

fn needed(what: Needed) -> &'static str {
    match what {
        Needed::Service | Needed::ServiceWanted => "die gewünschte Leistung",
        Needed::Day => "den Tag",
        Needed::Time => "die Uhrzeit",
        Needed::Name => "Ihren Namen",
        Needed::CallbackNumber => "eine Telefonnummer für den Rückruf",
        Needed::NewTime => "die neue Uhrzeit",
        Needed::NameAndDay => "Ihren Namen und den Tag des Termins",
    }
}

fn next_appointment(next: &Upcoming, today: NaiveDate) -> String {
    match &next.staff {
        Some(staff) => format!("Der nächste Termin ist {}: {} bei {staff}.", at(&next.moment, today), next.service),
        None => format!("Der nächste Termin ist {}: {}.", at(&next.moment, today), next.service),
    }
}

fn date_problem(problem: &DateProblem, today: NaiveDate) -> String {
    let quoted = |words: &[String]| format!("„{}“", words.join(" "));
    match problem {
        DateProblem::Missing => "Für welchen Tag und welche Uhrzeit hätten Sie gern einen Termin?".to_string(),
        DateProblem::Unrecognised(words) if !words.is_empty() => format!(
            "{} habe ich leider nicht als Tag oder Uhrzeit verstanden. Können Sie das bitte noch einmal sagen, zum Beispiel „morgen um 14 Uhr“?",
            quoted(words)
        ),
        DateProblem::Unrecognised(_) => {
            "Das Datum habe ich leider nicht verstanden. Können Sie es bitte noch einmal sagen, zum Beispiel „morgen um 14 Uhr“?".to_string()
        }
        DateProblem::Partly(Understood::Day(day), _) => format!(
            "Den Tag habe ich verstanden, {}, die Uhrzeit nicht. Um wie viel Uhr hätten Sie gern den Termin?",
            spoken_date(*day, today, L)
        ),
        DateProblem::Partly(Understood::Time, _) => {
            "Die Uhrzeit habe ich verstanden, den Tag nicht. An welchem Tag möchten Sie kommen?".to_string()
        }
        DateProblem::Impossible => "Dieses Datum gibt es leider nicht. Welchen Tag meinen Sie?".to_string(),
        DateProblem::Past => "Dieser Zeitpunkt liegt leider in der Vergangenheit. Welchen Tag meinen Sie?".to_string(),
        DateProblem::WeekdayMismatch { date, said } => format!(
            "Der {}. {} ist ein {}, kein {}. Welchen Tag meinen Sie?",
            date.day(),
            spoken_month(date.month(), L),
            spoken_weekday(date.weekday(), L),
            spoken_weekday(*said, L)
        ),
        DateProblem::Conflicting => "Da habe ich zwei verschiedene Zeitpunkte gehört. Welcher soll es sein?".to_string(),
        DateProblem::NoEarlierDay => {
            "Nach welchem Tag genau? Nennen Sie mir bitte den Tag, zum Beispiel „Dienstag“ oder „den 8. Dezember“.".to_string()
        }
        DateProblem::WhichWeekBefore { week, days } => {
            let range = |(first, last): (NaiveDate, NaiveDate)| spoken_day_range(first, last, today, L);
            let just_before = if days.0 == days.1 { "den Tag kurz davor" } else { "die Tage kurz davor" };
            // "die ganze Woche" only when all of it is still ahead
            let week_words = if week.0.weekday() == chrono::Weekday::Mon { "die ganze Woche davor" } else { "die Woche davor" };
            format!("Meinen Sie {week_words}, {}, oder {just_before}, {}?", range(*week), range(*days))
        }
    }
}

/// "am Freitag, den 25. Dezember (1. Weihnachtstag)", "vom … bis … (Betriebsferien)".
fn closed_days(days: &ClosedDays, today: NaiveDate) -> String {
    let day = |d: NaiveDate| spoken_date(d, today, L);
    let why = match days.reason {
        Closed::Holiday(h) => h.name_de(),
        Closed::Closure | Closed::Weekly => "Betriebsferien",
    };
    if days.first == days.last {
        format!("am {} ({why})", day(days.first))
    } else {
        format!("vom {} bis {} ({why})", day(days.first), day(days.last))
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
        format!("{lead} In den nächsten zwei Wochen ist leider nichts mehr frei. Darf ich Sie zurückrufen lassen?")
    } else {
        format!("{lead} Ich könnte Ihnen {choices} anbieten. Was passt Ihnen?")
    };
    text.trim_start().to_string()
}

fn summary(booking: &Upcoming, today: NaiveDate) -> String {
    let day = spoken_date(booking.moment.date, today, L);
    let time = spoken_time(booking.moment.time, L);
    match &booking.staff {
        Some(who) => format!("{day} um {time}, {} bei {who}", booking.service),
        None => format!("{day} um {time}, {}", booking.service),
    }
}

/// Why a function could not do what was asked.
fn failure(sentence: &FailureSentence, today: NaiveDate) -> String {
    match sentence {
        FailureSentence::NotUnderstood => {
            "Das habe ich leider nicht richtig verstanden. Können Sie das bitte noch einmal sagen?".into()
        }
        FailureSentence::Missing(what) => {
            format!("Dafür brauche ich noch {}.", and(&what.iter().map(|w| needed(*w).to_string()).collect::<Vec<_>>()))
        }
        FailureSentence::UnknownService { said, offered } => {
            format!("„{said}“ bieten wir leider nicht an. Wir bieten {} an.", and(offered))
        }
        FailureSentence::AmbiguousService { candidates } => format!("Meinen Sie {}?", or(candidates)),
        FailureSentence::BeyondHorizon { last_day } => format!(
            "So weit im Voraus vergeben wir leider noch keine Termine, nur bis {}. Passt Ihnen ein früherer Tag?",
            spoken_date(*last_day, today, L)
        ),
        FailureSentence::DateProblem(problem) => date_problem(problem, today),
        FailureSentence::CalendarUnavailable => "Ich komme gerade leider nicht an unseren Kalender. Darf ich Sie zurückrufen lassen, sobald es wieder geht?".into(),
        FailureSentence::Internal => {
            "Entschuldigung, da ist bei mir gerade etwas schiefgelaufen. Darf ich Sie zurückrufen lassen?".into()
        }
        FailureSentence::UnknownNumber => "Diese Rufnummer ist keinem Unternehmen zugeordnet.".into(),
    }
}

/// Who is calling, what the branch offers, whom the caller asked for.
fn caller(sentence: &CallerSentence, today: NaiveDate) -> String {
    match sentence {
        CallerSentence::CallOpened { today: day, now, hours_today, caller } => {
            let date = spoken_full_date(*day, L);
            let time = spoken_time(*now, L);
            let mut text = match hours_today.as_deref().and_then(|h| spoken_day_hours(h, L)) {
                Some(h) => format!("Heute ist {date}, es ist {time}. Wir haben heute {h} geöffnet."),
                None => format!("Heute ist {date}, es ist {time}. Heute haben wir geschlossen."),
            };
            if let Some(KnownCaller { name, next }) = caller {
                text.push_str(&format!(" Der Anrufer ist bekannt: {name}."));
                if let Some(next) = next {
                    text.push(' ');
                    text.push_str(&next_appointment(next, today));
                }
            }
            text
        }
        CallerSentence::AskName => "Mit wem spreche ich bitte?".into(),
        CallerSentence::NumberWithheld => {
            "Die Rufnummer ist unterdrückt, daher kann ich Sie nicht automatisch zuordnen. Wie ist Ihr Name?".into()
        }
        CallerSentence::NewCaller => "Unter dieser Nummer habe ich noch keine Kundendaten. Wie ist Ihr Name?".into(),
        CallerSentence::ReturningCaller { name, next } => {
            let greeting = match name {
                Some(name) => format!("Schön, dass Sie wieder anrufen, {name}."),
                None => "Schön, dass Sie wieder anrufen.".to_string(),
            };
            let next = match next {
                Some(next) => next_appointment(next, today),
                None => "Sie haben derzeit keinen anstehenden Termin.".to_string(),
            };
            format!("{greeting} {next}")
        }
        CallerSentence::Services(names) if names.is_empty() => {
            "Für diese Filiale sind derzeit keine Leistungen hinterlegt.".into()
        }
        CallerSentence::Services(names) => format!("Wir bieten {} an.", and(names)),
        CallerSentence::ServiceInfo { name, minutes, waiting, price, description, staff } => {
            let mut text = format!("{name} dauert etwa {minutes} Minuten");
            if *waiting > 0 {
                text.push_str(&format!(" (davon etwa {waiting} Minuten Einwirkzeit)"));
            }
            if let Some(price) = price {
                text.push_str(&format!(" und kostet {price}"));
            }
            text.push('.');
            if let Some(description) = description {
                text.push(' ');
                text.push_str(description);
            }
            if !staff.is_empty() {
                text.push_str(&format!(" Das macht bei uns {}.", and(staff)));
            }
            text
        }
        CallerSentence::OpeningHours { hours, closed } => {
            let mut text = format!(
                "Unsere Öffnungszeiten: {}. An den übrigen Tagen haben wir geschlossen.",
                spoken_opening_hours(hours, L)
            );
            if !closed.is_empty() {
                let days: Vec<String> = closed.iter().map(|c| closed_days(c, today)).collect();
                text.push_str(&format!(" Außerdem geschlossen: {}.", and(&days)));
            }
            text
        }
        CallerSentence::UnknownStaff { heard, service, able } => {
            format!("{heard} kenne ich hier leider nicht. {service} macht bei uns {}.", or(able))
        }
        CallerSentence::StaffNotQualified { staff, service, able } => {
            format!("{staff} macht leider keinen {service}. Das macht bei uns {}.", or(able))
        }
        CallerSentence::StaffNotSelectable { service, staff } => format!(
            "Bei {service} vergibt unser Kalender die Mitarbeiter selbst; {staff} kann ich am Telefon leider nicht fest einplanen. Soll ich trotzdem nach einem Termin schauen?"
        ),
    }
}

/// Dates understood and what is free.
fn availability(sentence: &AvailabilitySentence, today: NaiveDate) -> String {
    match sentence {
        AvailabilitySentence::WishReadBack(wish) => format!("Sie meinen {}, richtig?", spoken_wish(wish, today, L)),
        AvailabilitySentence::Free { moment, service, staff } => {
            let with = if staff.is_empty() { String::new() } else { format!(", bei {}", or(staff)) };
            format!("Ja, {} ist für {service} noch frei{with}. Soll ich den Termin für Sie eintragen?", at(moment, today))
        }
        AvailabilitySentence::ClosedOn { day, why } => {
            let day = capitalise(&on_day(*day, today));
            match why {
                Closed::Holiday(holiday) => format!("{day} haben wir geschlossen — Feiertag ({}).", holiday.name_de()),
                Closed::Closure => format!("{day} haben wir leider geschlossen — Betriebsferien."),
                Closed::Weekly => format!("{day} haben wir leider geschlossen."),
            }
        }
        AvailabilitySentence::NotOpenAt(time) => format!("Um {} haben wir leider nicht geöffnet.", spoken_time(*time, L)),
        AvailabilitySentence::Taken(moment) => format!("{} ist leider schon vergeben.", capitalise(&at(moment, today))),
        AvailabilitySentence::NothingFreeIn(wish) => {
            format!("{} ist dafür leider nichts mehr frei.", capitalise(&spoken_wish(wish, today, L)))
        }
        AvailabilitySentence::FreeIn(wish) => format!("{} ist noch etwas frei.", capitalise(&spoken_wish(wish, today, L))),
        AvailabilitySentence::Certainly => "Gern.".into(),
        AvailabilitySentence::Offer { lead, offered, day_named } => offer(lead.as_deref(), offered, *day_named, today),
        AvailabilitySentence::WhichTime { wish, offered } => {
            let spoken = capitalise(&spoken_wish(wish, today, L));
            if offered.is_empty() {
                format!("{spoken} ist leider nichts frei. Darf ich Ihnen einen anderen Tag vorschlagen?")
            } else {
                format!("Zu welcher Uhrzeit genau? {spoken} wäre zum Beispiel {} frei.", list(offered, today))
            }
        }
        AvailabilitySentence::NothingSoon { service } => {
            format!("Für {service} ist in den nächsten Wochen leider nichts frei. Darf ich Sie zurückrufen lassen?")
        }
        AvailabilitySentence::TooSoon(moment) if moment.date == today => {
            format!("So kurzfristig geht es leider nicht, frühestens ab {}.", spoken_time(moment.time, L))
        }
        AvailabilitySentence::TooSoon(moment) => {
            format!("So kurzfristig geht es leider nicht, frühestens ab {}.", at(moment, today))
        }
        AvailabilitySentence::StaffAway { staff, day, until, instead } => {
            let away = match until {
                Some(last) => format!("{staff} ist bis einschließlich {} nicht da.", weekday_or_date(*last, today)),
                None => format!("{staff} ist {} nicht da.", on_day(*day, today)),
            };
            with_instead(away, instead, today)
        }
        AvailabilitySentence::StaffOff { staff, weekday, hours, instead } => {
            let days = format!("{}s", spoken_weekday(*weekday, L).to_lowercase());
            let off = match spoken_day_hours(hours, L) {
                Some(hours) => format!("{staff} arbeitet {days} nur {hours}."),
                None => format!("{staff} arbeitet {days} nicht."),
            };
            with_instead(off, instead, today)
        }
        AvailabilitySentence::NextFree { service, moment, staff } => {
            let with = staff.as_ref().map(|name| format!(" bei {name}")).unwrap_or_default();
            format!("Der nächste freie Termin für {service} ist {}{with}. Passt Ihnen das?", at(moment, today))
        }
    }
}

/// "Freitag" within the coming week, else the date ("Montag, den 14. Dezember").
fn weekday_or_date(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0..=2 => spoken_date(day, today, L),
        3..=6 => spoken_weekday(day.weekday(), L).to_string(),
        _ => spoken_date(day, today, L),
    }
}

/// A reason followed by who else is free: "… Jonas hätte morgen um 10 Uhr frei."
fn with_instead(reason: String, instead: &Option<(String, Moment)>, today: NaiveDate) -> String {
    match instead {
        Some((who, moment)) => format!("{reason} {who} hätte {} frei. Passt Ihnen das?", at(moment, today)),
        None => reason,
    }
}

/// Booking, holding and callbacks.
fn booking(sentence: &BookingSentence, today: NaiveDate) -> String {
    match sentence {
        BookingSentence::BookedLinked(parts) => {
            let with = |b: &Upcoming| b.staff.as_ref().map(|s| format!(" bei {s}")).unwrap_or_default();
            let mut text = String::from("Ihre Termine sind gebucht: ");
            for (i, part) in parts.iter().enumerate() {
                match i {
                    0 => text.push_str(&format!("{}, {}{}", at(&part.moment, today), part.service, with(part))),
                    _ => text.push_str(&format!(", direkt danach {}{}", part.service, with(part))),
                }
            }
            text.push_str(". Wir freuen uns auf Sie!");
            text
        }
        BookingSentence::Booked(booked) => {
            let with = booked.staff.as_ref().map(|s| format!(" bei {s}")).unwrap_or_default();
            format!(
                "Ihr Termin ist gebucht: {}, {}{with}. Wir freuen uns auf Sie!",
                at(&booked.moment, today),
                booked.service
            )
        }
        BookingSentence::JustTaken { offered } if offered.is_empty() => {
            "Dieser Termin ist leider gerade vergeben worden. Darf ich Sie zurückrufen lassen?".into()
        }
        BookingSentence::JustTaken { offered } => format!(
            "Dieser Termin ist leider gerade vergeben worden. Ich könnte Ihnen {} anbieten.",
            list(offered, today)
        ),
        BookingSentence::BookingUnconfirmed => "Ich konnte die Buchung gerade nicht bestätigen. Wir prüfen das und melden uns bei Ihnen. Darf ich einen Rückruf notieren?".into(),
        BookingSentence::TooManyInOneCall { max } => format!(
            "In einem Anruf kann ich höchstens {max} Termine eintragen. Soll jemand aus dem Team Sie für weitere Termine zurückrufen?"
        ),
        BookingSentence::TooManyUpcoming { max } => format!(
            "Unter Ihrer Nummer sind schon {max} kommende Termine eingetragen, mehr kann ich am Telefon nicht buchen. Soll jemand aus dem Team Sie zurückrufen?"
        ),
        BookingSentence::PhoneNotUnderstood => {
            "Die Nummer habe ich nicht richtig verstanden. Können Sie sie bitte noch einmal mit Vorwahl nennen?".into()
        }
        BookingSentence::CallbackNoted { preferred } => {
            let when = preferred.as_ref().map(|t| format!(" ({t})")).unwrap_or_default();
            format!("Ich habe Ihren Rückrufwunsch notiert{when}. Wir melden uns so bald wie möglich bei Ihnen.")
        }
        BookingSentence::NoLongerFree(moment) => {
            format!("{} ist leider nicht mehr frei. Soll ich Ihnen Alternativen nennen?", at(moment, today))
        }
        BookingSentence::Holding(moment) => {
            format!("Ich halte {} für Sie fest. Darf ich den Termin verbindlich eintragen?", at(moment, today))
        }
        BookingSentence::Released(true) => "In Ordnung, ich habe den Termin wieder freigegeben.".into(),
        BookingSentence::Released(false) => "Es war kein Termin für Sie reserviert.".into(),
        BookingSentence::ReadBack(booking) => format!("{} — richtig?", capitalise(&summary(booking, today))),
        BookingSentence::Summary(booking) => summary(booking, today),
        BookingSentence::BookedWithoutSms { booked, by_email } => {
            let instead = if *by_email { " Die Bestätigung bekommen Sie per E-Mail." } else { "" };
            format!(
                "{} An Ihre Festnetznummer kann ich leider keine SMS schicken.{instead}",
                booking(&BookingSentence::Booked(booked.clone()), today)
            )
        }
        BookingSentence::WaitlistJoined { service, days, by_sms } => {
            let when = match days {
                (first, last) if first == last => spoken_date(*first, today, L),
                (first, last) => format!("zwischen {} und {}", spoken_date(*first, today, L), spoken_date(*last, today, L)),
            };
            let how = if *by_sms {
                "Wird ein Termin frei, bekommen Sie eine SMS und können ihn mit JA buchen."
            } else {
                "Wird ein Termin frei, ruft Sie jemand aus dem Team an."
            };
            format!("Ich habe Sie für {service} {when} auf die Warteliste gesetzt. {how}")
        }
        BookingSentence::WaitlistNeedsNumber => {
            "Ihre Rufnummer ist unterdrückt, daher kann ich Sie nicht auf die Warteliste setzen. Darf ich einen Rückruf notieren?".into()
        }
        BookingSentence::WaitlistFull { max } => format!(
            "Sie stehen schon mit {max} Wünschen auf unserer Warteliste, mehr geht am Telefon nicht. Soll jemand aus dem Team Sie zurückrufen?"
        ),
    }
}

/// The caller's own appointments.
fn appointment(sentence: &AppointmentSentence, today: NaiveDate) -> String {
    match sentence {
        AppointmentSentence::CannotLookUp => "Ihre Rufnummer ist unterdrückt, daher kann ich Ihre Termine nicht aufrufen. Darf ich Sie zurückrufen lassen?".into(),
        AppointmentSentence::Appointments(found) => {
            let phrases: Vec<String> =
                found.iter().map(|a| format!("{} {}", at(&a.moment, today), a.service)).collect();
            match phrases.as_slice() {
                [] => "Ich finde unter Ihrer Nummer keinen anstehenden Termin.".into(),
                [one] => format!("Ihr nächster Termin: {one}."),
                several => format!("Sie haben {} Termine: {}.", several.len(), and(several)),
            }
        }
        AppointmentSentence::AppointmentNotFound => {
            "Dazu finde ich unter Ihrer Nummer keinen Termin. Möchten Sie, dass wir Sie zurückrufen?".into()
        }
        AppointmentSentence::WhichAppointment(moments) => {
            let phrases: Vec<String> = moments.iter().map(|m| at(m, today)).collect();
            format!("Welchen Termin meinen Sie: {}?", or(&phrases))
        }
        AppointmentSentence::TooLateToChange { hours } => format!(
            "Telefonisch können wir Termine nur bis {hours} Stunden vorher ändern oder absagen. Darf ich Sie mit jemandem aus dem Team zurückrufen lassen?"
        ),
        AppointmentSentence::Cancelled(appointment) => {
            format!("Ihr Termin {} ({}) ist storniert.", at(&appointment.moment, today), appointment.service)
        }
        AppointmentSentence::MoveNotFree { wanted, offered } if offered.is_empty() => {
            format!("{} ist leider nicht frei. Darf ich Sie zurückrufen lassen?", at(wanted, today))
        }
        AppointmentSentence::MoveNotFree { wanted, offered } => format!(
            "{} ist leider nicht frei. Ich könnte Ihnen {} anbieten.",
            at(wanted, today),
            list(offered, today)
        ),
        AppointmentSentence::Moved { service, to } => format!("Ihr Termin ({service}) ist verschoben auf {}.", at(to, today)),
        AppointmentSentence::NameNotFound => {
            "Unter diesem Namen finde ich an dem Tag keinen Termin. Darf ich Sie zurückrufen lassen?".into()
        }
        AppointmentSentence::FoundByName(found) => {
            let phrases: Vec<String> =
                found.iter().map(|a| format!("{} ({})", at(&a.moment, today), a.service)).collect();
            format!("Ich habe Ihren Termin gefunden: {}.", and(&phrases))
        }
    }
}

impl Phrasebook for German {
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
            Filler::Holding => "Einen Moment, ich halte den Termin für Sie fest.",
            Filler::Booking => "Einen Moment, ich trage den Termin ein.",
            Filler::Moving => "Einen Moment, ich verlege den Termin.",
            Filler::Cancelling => "Einen Moment, ich sage den Termin ab.",
            Filler::OneMoment => "Einen Moment bitte.",
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
        PageWord::Branch => "Filiale",
        PageWord::Callbacks => "Rückrufe",
        PageWord::Calls => "Anrufe",
        PageWord::Customers => "Kunden",
        PageWord::Waitlist => "Warteliste",
        PageWord::WaitlistDays => "Tage",
        PageWord::WaitlistTimes => "Uhrzeit",
        PageWord::WaitlistOffered => "angeboten",
        PageWord::NobodyWaiting => "Niemand wartet.",
        PageWord::WaitlistExplained => "Anrufer, deren Wunsch ausgebucht war. Wird ein passender Termin frei, bekommen die am längsten Wartenden eine SMS; er wird 15 Minuten für sie gehalten, das erste JA bucht ihn.",
        PageWord::CustomerSearchHint => "Name oder Ziffern der Nummer",
        PageWord::Search => "Suchen",
        PageWord::NobodyFound => "Niemanden gefunden.",
        PageWord::Upcoming => "Kommende Termine",
        PageWord::Past => "Frühere Termine",
        PageWord::CancelledAppointments => "Abgesagt",
        PageWord::LastVisit => "Zuletzt da",
        PageWord::Notes => "Notizen",
        PageWord::AddNote => "Notiz speichern",
        PageWord::NoNotes => "Noch keine Notizen.",
        PageWord::Company => "Firma",
        PageWord::Console => "Konsole",
        PageWord::Copied => "Kopiert ✓",
        PageWord::CopyToolDefinitions => "Tool-Definitionen kopieren",
        PageWord::EMail => "E-Mail",
        PageWord::FrontdeskPublicUrlIsNot => "FRONTDESK_PUBLIC_URL ist nicht gesetzt: die Adressen unten sind Beispiele.",
        PageWord::Functions => "Funktionen",
        PageWord::InTheLast24Hours => " in den letzten 24 Stunden, zuletzt ",
        PageWord::InboundCalls => "Eingehende Anrufe",
        PageWord::Name => "Name",
        PageWord::NewAppointment => "Neuer Termin",
        PageWord::NoSignedRequestArrivedIn => "In den letzten 24 Stunden kam keine signierte Anfrage an.",
        PageWord::NotAllowed => "Nicht erlaubt",
        PageWord::NotFound => "Nicht gefunden",
        PageWord::Numbers => "Nummern",
        PageWord::Operations => "Betrieb",
        PageWord::OtherLanguageCode => "en",
        PageWord::OtherLanguageName => "English",
        PageWord::Password => "Passwort",
        PageWord::Phone => "Telefon",
        PageWord::PhoneAgent => "Telefonagent",
        PageWord::PreferredTime => "Wunschzeit",
        PageWord::Reason => "Anliegen",
        PageWord::Service => "Leistung",
        PageWord::Settings => "Einstellungen",
        PageWord::SignIn => "Anmelden",
        PageWord::SignOut => "Abmelden",
        PageWord::SignedRequestsAreArriving => "Signierte Anfragen kommen an: ",
        PageWord::SigningInIsNotPossible => "Die Anmeldung ist gerade nicht möglich. Bitte gleich noch einmal.",
        PageWord::Staff => "Mitarbeiter",
        PageWord::TheFormExpiredOrDid => "Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte die Seite neu laden.",
        PageWord::TheFormExpiredPleaseSign => "Das Formular ist abgelaufen. Bitte erneut anmelden.",
        PageWord::ThisPageDoesNotExist => "Diese Seite gibt es nicht.",
        PageWord::Today => "Heute",
        PageWord::TooManyFailedAttemptsPlease => "Zu viele Fehlversuche. Bitte in 15 Minuten erneut versuchen.",
        PageWord::Week => "Woche",
        PageWord::WrongEMailOrPassword => "E-Mail oder Passwort ist falsch.",
    }
}

/// The day and week views.
fn day_word(word: DayWord) -> &'static str {
    match word {
        DayWord::WorkingTime => "Arbeitszeit",
        DayWord::Break => "Pause",
        DayWord::Away => "abwesend",
        DayWord::Booked => "gebucht",
        DayWord::Free => "frei",
        DayWord::Print => "Drucken",
        DayWord::PrintTime => "Zeit",
        DayWord::PrintCustomer => "Kunde",
        DayWord::ClosedDay => "Geschlossen",
        DayWord::NotWorkingToday => "Arbeitet an diesem Tag nicht.",
        DayWord::Any => "egal",
        DayWord::AppointmentBooked => "Termin eingetragen.",
        DayWord::AppointmentCancelled => "Termin storniert.",
        DayWord::AppointmentMoved => "Termin verschoben.",
        DayWord::Book => "Eintragen",
        DayWord::Cancel => "Stornieren",
        DayWord::ClockTime => "Uhrzeit",
        DayWord::DateFormat => "%d.%m.%Y",
        DayWord::Day => "Tag",
        DayWord::Move => "Verschieben",
        DayWord::SameStaff => "bei derselben Person",
        DayWord::NextDay => "Nächster Tag",
        DayWord::NextWeek => "Nächste Woche",
        DayWord::NoAppointmentsOnThisDay => "Keine Termine an diesem Tag.",
        DayWord::NoAppointmentsThisWeek => "Keine Termine in dieser Woche.",
        DayWord::NotAssigned => "ohne Zuordnung",
        DayWord::PreviousDay => "Vortag",
        DayWord::PreviousWeek => "Vorwoche",
        DayWord::ThatTimeIsNotFree => "Diese Zeit ist nicht frei.",
        DayWord::TheCalendarCannotBeReached => "Der Kalender ist gerade nicht erreichbar; bitte erneut versuchen.",
        DayWord::TheCalendarDidNotAnswer => "Der Kalender hat nicht rechtzeitig geantwortet; der Termin wird abgeglichen.",
        DayWord::TheCalendarDidNotConfirm => "Der Kalender hat die Stornierung nicht bestätigt; bitte erneut versuchen.",
        DayWord::TheDetailsAreIncompleteOr => "Die Angaben sind unvollständig oder ungültig.",
        DayWord::ThisWeek => "Diese Woche",
        DayWord::PhoneNotUnderstood => "Diese Telefonnummer kann ich nicht lesen (zum Beispiel 0171 1234567 oder +49 171 1234567):",
        DayWord::NameMissing => "Bitte den Namen angeben.",
        DayWord::DayOrTimeNotUnderstood => "Tag und Uhrzeit sind nicht klar.",
        DayWord::TimeIsOver => "Diese Zeit ist schon vorbei.",
        DayWord::Optional => "freiwillig",
    }
}

/// The settings page.
fn staff_word(word: StaffWord) -> &'static str {
    match word {
        StaffWord::Title => "Mitarbeiter und Abwesenheiten",
        StaffWord::EnterAbsence => "Abwesenheit eintragen",
        StaffWord::AbsenceExample => "Zum Beispiel „Maria krank heute und morgen“, „Jonas Urlaub 14.12.–18.12.“ oder „Maria Arzt morgen 14–16 Uhr“",
        StaffWord::Enter => "Eintragen",
        StaffWord::NeedsAttention => "Braucht Aufmerksamkeit",
        StaffWord::NeedsAttentionHint => "Diese Termine liegen in einer Abwesenheit. Bitte verschieben, einer anderen Person geben oder absagen.",
        StaffWord::Absences => "Abwesenheiten",
        StaffWord::NoAbsences => "Keine Abwesenheiten eingetragen.",
        StaffWord::WorkingHours => "Arbeitszeiten",
        StaffWord::Breaks => "Pausen",
        StaffWord::AsOpeningHours => "wie die Öffnungszeiten",
        StaffWord::SaveHours => "Arbeitszeiten speichern",
        StaffWord::Remove => "Löschen",
        StaffWord::WhoIsAway => "Wer ist nicht da? Bitte den Namen dazuschreiben.",
        StaffWord::NotUnderstood => "Nicht verstanden:",
        StaffWord::Entered => "Eingetragen, gilt ab sofort.",
        StaffWord::NoBreaks => "keine",
        StaffWord::Reason => "Grund",
    }
}

fn settings_word(word: SettingsWord) -> &'static str {
    match word {
        SettingsWord::Timing => "Ablauf, Puffer und Ressourcen",
        SettingsWord::Phases => "Ablauf",
        SettingsWord::PhasesHint => "Zum Beispiel „30 Arbeit, 35 Einwirken, 25 Arbeit“: während des Einwirkens ist die Person frei. Leer: durchgehend Arbeit.",
        SettingsWord::Work => "Arbeit",
        SettingsWord::Wait => "Einwirken",
        SettingsWord::BufferBefore => "Vorbereitung (Min.)",
        SettingsWord::BufferAfter => "Nachbereitung (Min.)",
        SettingsWord::Resources => "Ressourcen (Komma)",
        SettingsWord::ResourcesHint => "Eine pro Zeile als Name: Anzahl, zum Beispiel „Farbplatz: 2“.",
        SettingsWord::Notice => "Vorlauf (Min.)",
        SettingsWord::Interval => "Takt (Min.)",
        SettingsWord::SaveTiming => "Ablauf speichern",
        SettingsWord::Closed => "geschlossen",
        SettingsWord::Closures => "Schließtage",
        SettingsWord::Minutes => "Minuten",
        SettingsWord::NewPerson => "neue Person",
        SettingsWord::NewService => "neue Leistung",
        SettingsWord::ClosuresNotUnderstood => "Diese Schließzeiten verstehe ich nicht (zum Beispiel „24.12.–1.1. Betriebsferien“ oder „morgen Inventur“):",
        SettingsWord::FieldTooLong => "zu lang oder kein Text",
        SettingsWord::NotANumber => "ist keine Zahl",
        SettingsWord::MinutesMissing => "die Minuten fehlen",
        SettingsWord::MinutesOutOfRange => "die Minuten müssen zwischen 1 und 1440 liegen",
        SettingsWord::NotMinutes => "ist keine Minutenzahl",
        SettingsWord::ResourceAsNameCount => "bitte als „Name: Anzahl“ schreiben",
        SettingsWord::CountNotANumber => "die Anzahl ist keine Zahl",
        SettingsWord::PhaseMinutesFirst => "zuerst die Minuten, z. B. „30 Arbeit“",
        SettingsWord::HoursNotUnderstood => "Diese Zeiten verstehe ich nicht (zum Beispiel 9–16 oder 9:00–13:00, 14:00–18:00):",
        SettingsWord::NotSaved => "Nicht gespeichert:",
        SettingsWord::OneDayOrRangePer => "Ein Tag oder Zeitraum pro Zeile, danach der Grund – zum Beispiel: 24.12.–1.1. Betriebsferien, oder: morgen Inventur.",
        SettingsWord::OpeningHours => "Öffnungszeiten",
        SettingsWord::Price => "Preis",
        SettingsWord::Remove => "Entfernen",
        SettingsWord::RemoveLower => "entfernen",
        SettingsWord::SaveClosures => "Schließtage speichern",
        SettingsWord::SaveOpeningHours => "Öffnungszeiten speichern",
        SettingsWord::SaveServices => "Leistungen speichern",
        SettingsWord::SaveStaff => "Mitarbeiter speichern",
        SettingsWord::SavedInEffectNow => "Gespeichert — gilt ab sofort.",
        SettingsWord::Services => "Leistungen",
        SettingsWord::SynonymsComma => "Synonyme (Komma)",
        SettingsWord::TimesLike090013 => "Zeiten wie 09:00-13:00, 14:00-18:00; leer = geschlossen.",
    }
}

/// The callbacks page and its failed notices.
fn callbacks_word(word: CallbacksWord) -> &'static str {
    match word {
        CallbacksWord::Done => "Erledigt",
        CallbacksWord::DoneLast30Days => "Erledigt in den letzten 30 Tagen",
        CallbacksWord::NewCallback => "Rückruf eintragen",
        CallbacksWord::Urgent => "dringend",
        CallbacksWord::SaveCallback => "Rückruf speichern",
        CallbacksWord::CallbackSaved => "Rückruf eingetragen.",
        CallbacksWord::Error => "Fehler",
        CallbacksWord::Event => "Ereignis",
        CallbacksWord::GivenUpAfterADay => "Nach einem Tag voller Versuche aufgegeben. Adresse bzw. Webhook prüfen, dann erneut senden.",
        CallbacksWord::MarkedDone => "Als erledigt markiert.",
        CallbacksWord::NoOpenCallbacks => "Keine offenen Rückrufe.",
        CallbacksWord::Note => "Notiz",
        CallbacksWord::NotificationsAreBeingSentAgain => "Benachrichtigungen werden erneut gesendet.",
        CallbacksWord::NotificationsNotDelivered => "Nicht zugestellte Benachrichtigungen",
        CallbacksWord::OfSpaced => " von ",
        CallbacksWord::OpenShownTheMostUrgent => " offenen gezeigt: die dringendsten und neuesten.",
        CallbacksWord::Overdue => "überfällig",
        CallbacksWord::SendAgain => "Erneut senden",
        CallbacksWord::Since => "Seit",
        CallbacksWord::To => "An",
        CallbacksWord::UrgentSuffix => " dringend",
    }
}

/// The calls page.
fn calls_word(word: CallsWord) -> &'static str {
    match word {
        CallsWord::Analysis => "Auswertung",
        CallsWord::Booked => "gebucht",
        CallsWord::Callback => "Rückruf",
        CallsWord::Caller => "Anrufer",
        CallsWord::Cancelled => "storniert",
        CallsWord::Length => "Dauer",
        CallsWord::Moved => "verschoben",
        CallsWord::NoCallsYet => "Noch keine Anrufe.",
        CallsWord::Nothing => "nichts",
        CallsWord::Outcome => "Ergebnis",
        CallsWord::Recording => "Aufnahme",
        CallsWord::SentimentLabel => "Stimmung: ",
        CallsWord::Time => "Zeit",
        CallsWord::AppointmentBooked => "Termin gebucht:",
        CallsWord::With => "bei",
        CallsWord::Wanted => "Wollte",
        CallsWord::NotOffered => "— bieten wir nicht an",
        CallsWord::CallbackWanted => "Rückruf gewünscht",
        CallsWord::AppointmentMoved => "Termin verschoben",
        CallsWord::AppointmentCancelled => "Termin storniert",
        CallsWord::HungUp => "aufgelegt ohne Termin",
        CallsWord::EndedWithNothing => "ohne Termin beendet",
        CallsWord::Ongoing => "läuft noch",
        CallsWord::UnknownCaller => "unbekannt",
        CallsWord::ShowAll => "Alle",
        CallsWord::ShowLost => "Verlorene Anrufe",
        CallsWord::ShowBookings => "Buchungen",
        CallsWord::ShowCallbacks => "Rückrufe",
        CallsWord::Details => "Details",
        CallsWord::ToTheAppointment => "zum Termin",
        CallsWord::ToTheCallback => "zum Rückruf",
        CallsWord::Who => "Wer",
        CallsWord::WhatHappened => "Was war",
    }
}

/// The operations page.
fn onboarding_word(word: OnboardingWord) -> &'static str {
    match word {
        OnboardingWord::SetYourPassword => "Passwort festlegen",
        OnboardingWord::RepeatThePassword => "Passwort wiederholen",
        OnboardingWord::ThePasswordsDoNotMatch => "Die beiden Passwörter stimmen nicht überein.",
        OnboardingWord::PasswordSavedPleaseSignIn => "Ihr Passwort ist gespeichert. Bitte melden Sie sich an.",
        OnboardingWord::SetUpAtRetell => "Bei Retell einrichten",
        OnboardingWord::RetellSetUp => "Bei Retell eingerichtet: LLM, Agent und Nummern sind aktuell.",
        OnboardingWord::RetellOutdated => "Bei Retell veraltet: Leistungen, Personal oder Nummern haben sich seitdem geändert.",
        OnboardingWord::RetellNotSetUp => "Noch nicht bei Retell eingerichtet.",
        OnboardingWord::RetellFailed => "Einrichten bei Retell fehlgeschlagen: ",
        OnboardingWord::NewBusiness => "Neues Unternehmen",
        OnboardingWord::BusinessName => "Name des Unternehmens",
        OnboardingWord::BranchName => "Name der ersten Filiale",
        OnboardingWord::PhoneNumberCallersDial => "Telefonnummer, die Anrufer wählen",
        OnboardingWord::TimeZone => "Zeitzone",
        OnboardingWord::LanguageOfTheAgent => "Sprache des Telefonagenten",
        OnboardingWord::OwnersEMail => "E-Mail der Inhaberin oder des Inhabers",
        OnboardingWord::CreateBusiness => "Unternehmen anlegen",
        OnboardingWord::BusinessCreatedSendLink => "Angelegt. Schicken Sie diesen Link der Inhaberin oder dem Inhaber; er gilt einmal, 72 Stunden lang:",
        OnboardingWord::PasswordTooShort => "Das Passwort braucht mindestens 10 Zeichen.",
        OnboardingWord::PasswordTooLong => "Das Passwort darf höchstens 1024 Zeichen haben.",
        OnboardingWord::TimeZoneNotKnown => "Diese Zeitzone ist unbekannt; schreiben Sie sie wie Europe/Berlin.",
        OnboardingWord::NumberNotE164 => "Schreiben Sie die Nummer mit Ländervorwahl, etwa +4930123456.",
        OnboardingWord::EMailNotValid => "Diese E-Mail-Adresse ist ungültig.",
        OnboardingWord::NotCreated => "Nicht angelegt: ",
        OnboardingWord::NameIsRequired => "Unternehmen und Filiale brauchen einen Namen.",
    }
}

fn ops_word(word: OpsWord) -> &'static str {
    match word {
        OpsWord::AvailabilityCache => "Verfügbarkeits-Cache",
        OpsWord::BookingsWhoseOutcomeIsNot => "Buchungen mit noch unbekanntem Ausgang",
        OpsWord::ClosedHealthy => "geschlossen (gesund)",
        OpsWord::FunctionCalls => "Aufrufe",
        OpsWord::HalfOpenProbing => "halb offen (Probe)",
        OpsWord::Hits => "Treffer",
        OpsWord::Key => "Schlüssel",
        OpsWord::NoCalComAccountIn => "Kein Cal.com-Konto in Gebrauch.",
        OpsWord::NoFunctionCallsYet => "Noch keine Aufrufe.",
        OpsWord::OpenCalComFailing => "offen (Cal.com gestört)",
        OpsWord::OpenReconciliations => "Offene Abgleiche",
        OpsWord::RequestsLastMinute => "Anfragen letzte Minute",
        OpsWord::ThisProcessLastHour => "Dieser Prozess, letzte Stunde.",
    }
}

/// The words of the e-mails, the digest and the agent's call variables.
fn message_word(word: MessageWord) -> &'static str {
    match word {
        MessageWord::ClosedToday => "heute geschlossen",
        MessageWord::AgentEndedTheCall => "Agent hat beendet",
        MessageWord::AnsweringMachine => "Anrufbeantworter",
        MessageWord::Appointment => "Termin",
        MessageWord::AppointmentCancelledTitle => "Termin storniert",
        MessageWord::AppointmentConfirmed => "Terminbestätigung:",
        MessageWord::ReminderTitle => "Erinnerung an Ihren Termin:",
        MessageWord::RemindersSent => "Erinnerungen gesendet",
        MessageWord::CancelledBySms => "Per SMS abgesagt",
        MessageWord::RefilledFromWaitlist => "Von der Warteliste neu belegt",
        MessageWord::WaitlistOfferTitle => "Termin frei geworden:",
        MessageWord::LookingForward => "Wir freuen uns auf Sie.",
        MessageWord::AppointmentMovedTitle => "Termin verschoben",
        MessageWord::BookingUnconfirmed => "Buchung unbestätigt",
        MessageWord::CallbackOverdue => "Rückruf überfällig",
        MessageWord::CallbackRequested => "Rückruf erbeten",
        MessageWord::CallbacksOpen => "Rückrufe offen",
        MessageWord::CallbacksRequested => "Rückrufe erbeten",
        MessageWord::CallerHungUp => "Anrufer hat aufgelegt",
        MessageWord::CallerWentSilent => "Anrufer blieb still",
        MessageWord::CallsLower => "Anrufe",
        MessageWord::CancelledHeading => "Storniert",
        MessageWord::DailyReport => "Tagesbericht",
        MessageWord::DateAtTimeFormat => "%d.%m.%Y um %H:%M Uhr",
        MessageWord::DateTimeFormat => "%d.%m.%Y %H:%M",
        MessageWord::DidNotConnect => "nicht zustande gekommen",
        MessageWord::Ended => "beendet",
        MessageWord::EndedWithNothing => "Ohne Ergebnis",
        MessageWord::Hello => "Hallo",
        MessageWord::HelloComma => "Hallo,",
        MessageWord::IsCancelled => "ist storniert.",
        MessageWord::IsConfirmed => "ist bestätigt.",
        MessageWord::IsNowOn => "ist jetzt am",
        MessageWord::LongDateFormat => "%d.%m.%Y",
        MessageWord::MaximumLengthReached => "Höchstdauer erreicht",
        MessageWord::MovedHeading => "Verschoben",
        MessageWord::NewAppointments => "neue Termine",
        MessageWord::NewAppointmentsHeading => "Neue Termine",
        MessageWord::NoName => "(ohne Namen)",
        MessageWord::On => "am",
        MessageWord::OpenInTheConsole => "In der Konsole öffnen",
        MessageWord::PleaseCheck => "bitte prüfen",
        MessageWord::Priority => "Dringlichkeit",
        MessageWord::Signature => "— frontdesk, Ihre Telefonannahme",
        MessageWord::SignatureAfterGap => "\n\n— frontdesk, Ihre Telefonannahme",
        MessageWord::SuspectedScam => "Betrugsverdacht",
        MessageWord::TechnicalError => "technischer Fehler",
        MessageWord::TheAppointmentIsAttachedAs => "Der Termin liegt als Kalenderdatei bei.",
        MessageWord::TheAttachedCalendarFileMoves => "Die Kalenderdatei im Anhang verschiebt den Termin in Ihrem Kalender.",
        MessageWord::TheAttachedCalendarFileRemoves => "Die Kalenderdatei im Anhang entfernt den Termin aus Ihrem Kalender.",
        MessageWord::TheCalendarDidNotConfirm2 => "Der Kalender hat diese Buchung nicht bestätigt; frontdesk fragt weiter nach. Bitte im Kalender nachsehen, ob der Termin steht, und ggf. die Kundin oder den Kunden anrufen.",
        MessageWord::TooManyCallsAtOnce => "zu viele gleichzeitige Anrufe",
        MessageWord::Transferred => "weitergeleitet",
        MessageWord::Urgent => "dringend",
        MessageWord::With => "bei",
        MessageWord::YourAppointmentFor => "Ihr Termin für",
        MessageWord::YourAppointmentWasCancelled => "Ihr Termin wurde storniert:",
        MessageWord::YourAppointmentWasMoved => "Ihr Termin wurde verschoben:",
    }
}

/// One appointment's page and a customer's data.
fn appointment_word(word: AppointmentWord) -> &'static str {
    match word {
        AppointmentWord::Appointment => "Termin",
        AppointmentWord::History => "Verlauf",
        AppointmentWord::Details => "Details",
        AppointmentWord::ActionBooked => "gebucht",
        AppointmentWord::ActionMoved => "verschoben",
        AppointmentWord::ActionCancelled => "storniert",
        AppointmentWord::ActionRestored => "wiederhergestellt",
        AppointmentWord::ActionNoShow => "nicht erschienen",
        AppointmentWord::ActionReminded => "erinnert",
        AppointmentWord::BySms => "per SMS",
        AppointmentWord::ByWaitlist => "von der Warteliste",
        AppointmentWord::ByPhoneAgent => "vom Telefonagenten",
        AppointmentWord::ByCalcom => "in Cal.com",
        AppointmentWord::ByFrontdesk => "von frontdesk",
        AppointmentWord::By => "von",
        AppointmentWord::Before => "vorher:",
        AppointmentWord::StatusBooked => "Gebucht",
        AppointmentWord::StatusPending => "Wird vom Kalender bestätigt",
        AppointmentWord::StatusCancelled => "Storniert",
        AppointmentWord::StatusNoShow => "Nicht erschienen",
        AppointmentWord::Restore => "Wiederherstellen",
        AppointmentWord::Restored => "Der Termin ist wieder gebucht.",
        AppointmentWord::NoLongerFree => "Die Zeit ist nicht mehr frei: bitte einen neuen Termin buchen.",
        AppointmentWord::MarkNoShow => "Als nicht erschienen markieren",
        AppointmentWord::NoShowMarked => "Als nicht erschienen markiert.",
        AppointmentWord::NotPossibleNow => "Das geht bei diesem Termin nicht.",
        AppointmentWord::FromCall => "Aus dem Anruf vom",
        AppointmentWord::NoCall => "Nicht in einem Anruf gebucht.",
        AppointmentWord::Customer => "Kunde",
        AppointmentWord::CancelAppointmentOf => "Termin stornieren von",
        AppointmentWord::ExportData => "Daten exportieren (DSGVO)",
        AppointmentWord::EraseData => "Daten löschen (DSGVO)",
        AppointmentWord::EraseConfirm => "Alles über diese Person endgültig löschen? Die Termine bleiben ohne Namen erhalten.",
        AppointmentWord::Erased => "Die Daten der Person sind gelöscht.",
        AppointmentWord::MergeDuplicate => "Dublette in diesen Kunden zusammenführen",
        AppointmentWord::DuplicateNumber => "Kundennummer der Dublette",
        AppointmentWord::Merge => "Zusammenführen",
        AppointmentWord::CustomerNumber => "Kunden-Nr.",
    }
}

/// What is wrong with a branch's settings, for the owner.
fn settings_problem(problem: &SettingsProblem) -> String {
    let s = &problem.subject;
    match &problem.fault {
        SettingsFault::NumberTwice => format!("Die Nummer {s} ist zweimal eingetragen."),
        SettingsFault::ServiceTwice => format!("„{s}“ steht zweimal in der Liste der Leistungen."),
        SettingsFault::Duration => format!("„{s}“: Die Dauer muss zwischen 1 und 1440 Minuten liegen."),
        SettingsFault::EventTypeMissing => format!("„{s}“: Für Cal.com fehlt die Event-Type-ID."),
        SettingsFault::Buffer(n) => format!("„{s}“: Vor- und Nachbereitung dürfen höchstens {MAX_BUFFER_MINUTES} Minuten dauern, nicht {n}."),
        SettingsFault::UnknownResource(r) => format!("„{s}“ braucht „{r}“, das es in dieser Filiale nicht gibt. Tragen Sie es unten bei den Ressourcen ein."),
        SettingsFault::Notice(n) => format!("„{s}“: Die Vorlaufzeit darf höchstens {MAX_NOTICE_MINUTES} Minuten (30 Tage) sein, nicht {n}."),
        SettingsFault::Interval(n) => format!("„{s}“: Der Takt muss zwischen 5 und 240 Minuten liegen, nicht {n}."),
        SettingsFault::EmptyPhase => format!("„{s}“: Jeder Abschnitt muss mindestens eine Minute dauern."),
        SettingsFault::NoWorkPhase => format!("„{s}“: Mindestens ein Abschnitt muss Arbeit sein."),
        SettingsFault::PhasesSum { total, duration } => {
            format!("„{s}“: Die Abschnitte ergeben {total} Minuten, die Leistung dauert aber {duration}.")
        }
        SettingsFault::ResourceName => "Eine Ressource braucht einen Namen mit 1 bis 60 Zeichen.".to_string(),
        SettingsFault::Capacity(n) => format!("„{s}“: Die Anzahl muss zwischen 1 und {MAX_CAPACITY} liegen, nicht {n}."),
        SettingsFault::ResourceTwice => format!("Die Ressource „{s}“ steht zweimal in der Liste."),
        SettingsFault::UnknownService(service) => format!("{s} soll „{service}“ machen, das diese Filiale nicht anbietet."),
        SettingsFault::EventTypeNotPerformed(service) => {
            format!("{s} hat einen Cal.com-Event-Type für „{service}“, macht diese Leistung aber nicht.")
        }
        SettingsFault::AgentId => format!("„{s}“ ist keine Retell-Agent-ID."),
        SettingsFault::Unreadable(why) => format!("„{s}“ ist nicht lesbar ({why})."),
    }
}

/// An appointment in an SMS: "Di 08.12. 10:00 Herrenhaarschnitt bei Jonas".
fn sms_appointment(a: &SmsAppointment) -> String {
    const DAYS: [&str; 7] = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"];
    let day = DAYS[a.start.weekday().num_days_from_monday() as usize];
    let at = format!("{day} {} {}", a.start.format("%d.%m. %H:%M"), a.service);
    match &a.staff {
        Some(staff) => format!("{at} bei {staff}"),
        None => at,
    }
}

/// What a customer reads in an SMS.
fn sms(text: &SmsText) -> String {
    match text {
        SmsText::Confirmed(a) => format!("{}: Ihr Termin {} ist gebucht. Bis bald!", a.business, sms_appointment(a)),
        SmsText::Moved(a) => format!("{}: Ihr Termin ist verlegt auf {}.", a.business, sms_appointment(a)),
        SmsText::Cancelled(a) => format!("{}: Ihr Termin {} ist abgesagt.", a.business, sms_appointment(a)),
        SmsText::Reminder { appointment: a, replies: true } => {
            format!("{}: Erinnerung an Ihren Termin {}. Falls Sie nicht kommen können, antworten Sie ABSAGEN.", a.business, sms_appointment(a))
        }
        SmsText::Reminder { appointment: a, replies: false } => format!("{}: Erinnerung an Ihren Termin {}.", a.business, sms_appointment(a)),
        SmsText::Stopped { business } => format!("{business}: Sie erhalten keine SMS mehr von uns. Mit START wieder anmelden."),
        SmsText::Started { business } => format!("{business}: Sie erhalten wieder SMS zu Ihren Terminen. Mit STOP abmelden."),
        SmsText::TooLateToCancel { appointment: a, phone } => format!(
            "{}: Ihr Termin {} ist zu kurzfristig für eine Absage per SMS. Bitte rufen Sie uns an{}.",
            a.business,
            sms_appointment(a),
            phone.as_deref().map(|p| format!(": {p}")).unwrap_or_default()
        ),
        SmsText::CancelFailed { business, phone } => format!(
            "{business}: Ihre Absage hat gerade nicht geklappt. Bitte rufen Sie uns an{}.",
            phone.as_deref().map(|p| format!(": {p}")).unwrap_or_default()
        ),
        SmsText::WaitlistOffer { appointment: a, minutes } => format!("{}: Ein Termin ist frei geworden: {}. Antworten Sie JA, um ihn zu buchen. Wir halten ihn {minutes} Minuten für Sie.", a.business, sms_appointment(a)),
        SmsText::OfferGone { business } => format!("{business}: Leider ist der Termin schon vergeben. Sie bleiben auf der Warteliste."),
        SmsText::NothingToCancel { business, phone } => format!(
            "{business}: Zu dieser Nummer haben wir keinen offenen Termin gefunden. Bei Fragen rufen Sie uns gern an{}.",
            phone.as_deref().map(|p| format!(": {p}")).unwrap_or_default()
        ),
    }
}
