//! What a person reads: the subject and body of a notification, in the company's language, with
//! times in its zone. The caller's number appears in full here only (the business's own mail).

use crate::domain::Language;
use crate::speech::{word, MessageWord, PageWord};
use crate::store::{NoticeData, NoticeEvent};
use maud::html;

/// A composed notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML (escaped by maud).
    pub html: String,
}

/// Why a call ended, as Retell reports it (`disconnection_reason`, else the call's status), in
/// words an owner understands; an unknown code as it is.
fn why_in_words(l: Language, code: &str) -> String {
    let words = match code {
        "user_hangup" => word(l, MessageWord::CallerHungUp),
        "agent_hangup" => word(l, MessageWord::AgentEndedTheCall),
        "call_transfer" => word(l, MessageWord::Transferred),
        "inactivity" => word(l, MessageWord::CallerWentSilent),
        "voicemail_reached" | "machine_detected" => word(l, MessageWord::AnsweringMachine),
        "max_duration_reached" => word(l, MessageWord::MaximumLengthReached),
        "concurrency_limit_reached" => word(l, MessageWord::TooManyCallsAtOnce),
        "scam_detected" => word(l, MessageWord::SuspectedScam),
        "dial_busy" | "dial_failed" | "dial_no_answer" => word(l, MessageWord::DidNotConnect),
        "ended" => word(l, MessageWord::Ended),
        other if other.starts_with("error") => word(l, MessageWord::TechnicalError),
        other => return other.to_string(),
    };
    words.to_string()
}

/// The owner's daily digest.
fn digest(l: Language, data: &NoticeData, figures: &crate::store::DigestFigures, console: Option<&str>) -> Composed {
    let subject = format!(
        "{} {} — {}: {}, {}: {}",
        word(l, MessageWord::DailyReport),
        // The day as the company writes dates.
        chrono::NaiveDate::parse_from_str(&figures.day, "%Y-%m-%d")
            .map(|d| d.format(word(l, MessageWord::LongDateFormat)).to_string())
            .unwrap_or_else(|_| figures.day.clone()),
        word(l, MessageWord::CallsLower),
        figures.calls,
        word(l, MessageWord::NewAppointments),
        figures.booked,
    );
    let mut rows = vec![
        (word(l, PageWord::Calls), figures.calls.to_string()),
        (word(l, MessageWord::NewAppointmentsHeading), figures.booked.to_string()),
        (word(l, MessageWord::MovedHeading), figures.moved.to_string()),
        (word(l, MessageWord::CancelledHeading), figures.cancelled.to_string()),
        (word(l, MessageWord::CallbacksRequested), figures.callbacks_requested.to_string()),
        (word(l, MessageWord::CallbacksOpen), figures.callbacks_open.to_string()),
        (word(l, MessageWord::RemindersSent), figures.reminders.to_string()),
        (word(l, MessageWord::CancelledBySms), figures.cancelled_by_reply.to_string()),
        (word(l, MessageWord::RefilledFromWaitlist), figures.refilled.to_string()),
    ];
    for (why, n) in &figures.ended_with_nothing {
        rows.push((word(l, MessageWord::EndedWithNothing), format!("{n} ({})", why_in_words(l, why))));
    }
    let link = console.map(|c| format!("{c}/calls"));
    let text = format!("{}\n\n", data.company)
        + &rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
        + &link.as_deref().map(|url| format!("\n\n{}: {url}", open_label(l))).unwrap_or_default();
    let html = html! {
        p { strong { (subject) } }
        table { @for (k, v) in &rows { tr { th align="left" { (k) } td { (v) } } } }
        @if let Some(url) = &link { p { a href=(url) { (open_label(l)) } } }
    }
    .into_string();
    Composed { subject, text, html }
}

/// What an event is called where a person reads it (subjects, the console's list of failed
/// notices).
pub fn event_title(l: Language, event: NoticeEvent) -> &'static str {
    match event {
        NoticeEvent::CallbackRequested => word(l, MessageWord::CallbackRequested),
        NoticeEvent::CallbackOverdue => word(l, MessageWord::CallbackOverdue),
        NoticeEvent::BookingMade => word(l, PageWord::NewAppointment),
        NoticeEvent::BookingMoved => word(l, MessageWord::AppointmentMovedTitle),
        NoticeEvent::BookingCancelled => word(l, MessageWord::AppointmentCancelledTitle),
        NoticeEvent::BookingUnknown => word(l, MessageWord::BookingUnconfirmed),
        NoticeEvent::DigestDaily => word(l, MessageWord::DailyReport),
        NoticeEvent::BookingReminder => word(l, MessageWord::ReminderTitle),
        NoticeEvent::WaitlistOffer => word(l, MessageWord::WaitlistOfferTitle),
    }
}

/// "Open in the console", the line before a link to the right console page.
fn open_label(l: Language) -> &'static str {
    word(l, MessageWord::OpenInTheConsole)
}

/// The owner's message for `event` about `data`; `console` is the console's address
/// (`FRONTDESK_PUBLIC_URL` + `/admin`), linked to the page where the owner acts on it.
pub fn for_owner(event: NoticeEvent, data: &NoticeData, console: Option<&str>) -> Composed {
    let l = data.written_in();
    if let (Some(figures), NoticeEvent::DigestDaily) = (&data.digest, event) {
        return digest(l, data, figures, console);
    }
    let zone = data.zone();
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&zone).format(word(l, MessageWord::DateTimeFormat)).to_string()).unwrap_or_default()
    };
    let name = data.customer_name.clone().unwrap_or_else(|| word(l, MessageWord::NoName).to_string());
    let service = data.service.clone().unwrap_or_default();
    let title = event_title(l, event);
    let subject = match event {
        NoticeEvent::CallbackRequested | NoticeEvent::CallbackOverdue => format!("{title}: {name}"),
        NoticeEvent::BookingUnknown => format!("{title} – {}: {service}, {} – {name}", word(l, MessageWord::PleaseCheck), when(data.start)),
        NoticeEvent::BookingMade | NoticeEvent::BookingMoved | NoticeEvent::BookingCancelled => {
            format!("{title}: {service}, {} – {name}", when(data.start))
        }
        // (owners are not reminded; the customer's title ends in its colon)
        NoticeEvent::BookingReminder | NoticeEvent::WaitlistOffer => format!("{title} {service}, {} – {name}", when(data.start)),
        // A digest without its figures (never written so): its title.
        NoticeEvent::DigestDaily => title.to_string(),
    };
    let mut rows: Vec<(&str, String)> = vec![(word(l, PageWord::Name), name.clone())];
    if let Some(phone) = &data.phone {
        rows.push((word(l, PageWord::Phone), phone.clone()));
    }
    if let Some(email) = &data.email {
        rows.push(("E-Mail", email.clone()));
    }
    if data.service.is_some() {
        rows.push((word(l, PageWord::Service), service.clone()));
        rows.push((word(l, MessageWord::Appointment), when(data.start)));
    }
    if let Some(staff) = &data.staff {
        rows.push((word(l, PageWord::Staff), staff.clone()));
    }
    if let Some(reason) = &data.reason {
        rows.push((word(l, PageWord::Reason), reason.clone()));
    }
    if let Some(time) = &data.preferred_time {
        rows.push((word(l, PageWord::PreferredTime), time.clone()));
    }
    if data.priority == Some(crate::store::Priority::High) {
        rows.push((word(l, MessageWord::Priority), word(l, MessageWord::Urgent).to_string()));
    }
    rows.push((word(l, PageWord::Branch), format!("{} – {}", data.company, data.branch.clone().unwrap_or_default())));
    // What the owner should do when the calendar never answered.
    let lead = (event == NoticeEvent::BookingUnknown).then(|| {
        word(l, MessageWord::TheCalendarDidNotConfirm2)
    });
    // The callbacks page for a callback; the appointment's day (in the company's zone) for a booking.
    let link = console.map(|c| match (event.is_callback(), data.start) {
        (false, Some(start)) => format!("{c}/today?day={}", start.with_timezone(&zone).date_naive()),
        _ => format!("{c}/callbacks"),
    });
    let table = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n");
    let text = lead.map(|lead| format!("{lead}\n\n")).unwrap_or_default()
        + &table
        + &link.as_deref().map(|url| format!("\n\n{}: {url}", open_label(l))).unwrap_or_default()
        + word(l, MessageWord::SignatureAfterGap);
    let html = html! {
        p { strong { (subject) } }
        @if let Some(lead) = lead { p { (lead) } }
        table { @for (k, v) in &rows { tr { th align="left" { (k) } td { (v) } } } }
        @if let Some(url) = &link { p { a href=(url) { (open_label(l)) } } }
        p { small { (word(l, MessageWord::Signature)) } }
    }
    .into_string();
    Composed { subject, text, html }
}

/// The caller's e-mail about their own appointment (with an invitation for their calendar).
pub fn for_customer(event: NoticeEvent, data: &NoticeData) -> Composed {
    let (l, zone) = (data.written_in(), data.zone());
    let when = data
        .start
        .map(|t| t.with_timezone(&zone).format(word(l, MessageWord::DateAtTimeFormat)).to_string())
        .unwrap_or_default();
    let service = data.service.clone().unwrap_or_default();
    let place = format!("{}, {}", data.company, data.branch.clone().unwrap_or_default());
    let greeting = match &data.customer_name {
        Some(name) => format!("{} {name},", word(l, MessageWord::Hello)),
        None => word(l, MessageWord::HelloComma).to_string(),
    };
    let (subject, line) = match event {
        NoticeEvent::BookingMoved => (
            format!("{} {service} – {when}", word(l, MessageWord::YourAppointmentWasMoved)),
            format!("{} {service} {} {when} {} {place}.", word(l, MessageWord::YourAppointmentFor), word(l, MessageWord::IsNowOn), word(l, MessageWord::With)),
        ),
        NoticeEvent::BookingReminder => (
            format!("{} {service} – {when}", word(l, MessageWord::ReminderTitle)),
            format!("{} {service} {} {when} {} {place}. {}", word(l, MessageWord::YourAppointmentFor), word(l, MessageWord::On), word(l, MessageWord::With), word(l, MessageWord::LookingForward)),
        ),
        NoticeEvent::BookingCancelled => (
            format!("{} {service} – {when}", word(l, MessageWord::YourAppointmentWasCancelled)),
            format!("{} {service} {} {when} {} {place} {}", word(l, MessageWord::YourAppointmentFor), word(l, MessageWord::On), word(l, MessageWord::With), word(l, MessageWord::IsCancelled)),
        ),
        _ => (
            format!("{} {service} – {when}", word(l, MessageWord::AppointmentConfirmed)),
            format!("{} {service} {} {when} {} {place} {}", word(l, MessageWord::YourAppointmentFor), word(l, MessageWord::On), word(l, MessageWord::With), word(l, MessageWord::IsConfirmed)),
        ),
    };
    // The attachment adds, moves or removes the one event in the caller's calendar app.
    let attached = match event {
        NoticeEvent::BookingCancelled => word(l, MessageWord::TheAttachedCalendarFileRemoves),
        NoticeEvent::BookingMoved => word(l, MessageWord::TheAttachedCalendarFileMoves),
        _ => word(l, MessageWord::TheAppointmentIsAttachedAs),
    };
    let text = format!("{greeting}\n\n{line}\n\n{attached}\n\n{}", data.company);
    let html = html! {
        p { (greeting) }
        p { (line) }
        p { (attached) }
        p { (data.company) }
    }
    .into_string();
    Composed { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_reads_a_callback_in_the_company_language_with_the_full_number() {
        let data = NoticeData {
            company: "Salon Schnittpunkt".into(),
            branch: Some("Innenstadt".into()),
            language: "de".into(),
            timezone: "Europe/Berlin".into(),
            appointment_id: None,
            callback_id: Some(3),
            service: None,
            staff: None,
            start: None,
            end: None,
            customer_name: Some("Anna <Schmidt>".into()),
            phone: Some("+4917612345678".into()),
            email: None,
            reason: Some("Farbberatung".into()),
            preferred_time: Some("morgen Vormittag".into()),
            priority: Some(crate::store::Priority::High),
            sequence: 0,
            digest: None,
        };
        let message = for_owner(NoticeEvent::CallbackRequested, &data, Some("https://frontdesk.example/admin"));
        assert_eq!(message.subject, "Rückruf erbeten: Anna <Schmidt>");
        assert!(message.text.contains("Telefon: +4917612345678\n"), "{}", message.text);
        assert!(message.text.contains("Dringlichkeit: dringend"), "{}", message.text);
        assert!(message.html.contains("Anna &lt;Schmidt&gt;") && !message.html.contains("<Schmidt>"), "{}", message.html);
        assert!(message.text.contains("In der Konsole öffnen: https://frontdesk.example/admin/callbacks\n"), "{}", message.text);
        assert!(message.html.contains("<a href=\"https://frontdesk.example/admin/callbacks\">"), "{}", message.html);
        assert!(!for_owner(NoticeEvent::CallbackRequested, &data, None).text.contains("Konsole"), "no address, no link");
    }

    /// A booking of `language`'s demo business, as the outbox carries it.
    fn booking(language: &str) -> NoticeData {
        let (company, branch, zone, service, staff) = match language {
            "de" => ("Salon Schnittpunkt", "Innenstadt", "Europe/Berlin", "Herrenhaarschnitt", "Jonas"),
            _ => ("Riverside Dental Practice", "Riverside", "Europe/London", "Check-up", "Dr. Patel"),
        };
        let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z").unwrap().with_timezone(&chrono::Utc);
        NoticeData {
            company: company.into(),
            branch: Some(branch.into()),
            language: language.into(),
            timezone: zone.into(),
            appointment_id: Some(crate::domain::AppointmentId(7)),
            callback_id: None,
            service: Some(service.into()),
            staff: Some(staff.into()),
            start: Some(start),
            end: Some(start + chrono::Duration::minutes(30)),
            customer_name: Some("Anna Schmidt".into()),
            phone: Some("+4917612345678".into()),
            email: Some("anna@example.com".into()),
            reason: None,
            preferred_time: None,
            priority: None,
            sequence: 0,
            digest: None,
        }
    }

    /// Every message a person reads, in both languages: a reviewer sees the exact words.
    #[test]
    fn what_owners_and_callers_read() {
        let mut all = String::new();
        for language in ["de", "en"] {
            let data = booking(language);
            for event in [NoticeEvent::BookingMade, NoticeEvent::BookingMoved, NoticeEvent::BookingCancelled, NoticeEvent::BookingUnknown] {
                let owner = for_owner(event, &data, Some("https://frontdesk.example/admin"));
                all.push_str(&format!("## owner {language} {event}\nSubject: {}\n\n{}\n\n", owner.subject, owner.text));
            }
            for event in [NoticeEvent::BookingMade, NoticeEvent::BookingMoved, NoticeEvent::BookingCancelled] {
                let caller = for_customer(event, &data);
                all.push_str(&format!("## caller {language} {event}\nSubject: {}\n\n{}\n\n", caller.subject, caller.text));
            }
            let figures = crate::store::DigestFigures {
                day: "2026-12-01".into(),
                calls: 23,
                booked: 9,
                moved: 2,
                cancelled: 1,
                callbacks_requested: 4,
                callbacks_open: 3,
                ended_with_nothing: vec![("user_hangup".into(), 5), ("agent_hangup".into(), 1)],
                reminders: 7,
                cancelled_by_reply: 1,
                refilled: 1,
            };
            let day = NoticeData { digest: Some(figures), ..booking(language) };
            let digest = for_owner(NoticeEvent::DigestDaily, &day, Some("https://frontdesk.example/admin"));
            all.push_str(&format!("## owner {language} digest.daily\nSubject: {}\n\n{}\n\n", digest.subject, digest.text));
        }
        insta::assert_snapshot!(all);
    }
}

