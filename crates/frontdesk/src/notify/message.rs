//! What a person reads: the subject and body of a notification, in the company's language, with
//! times in its zone. The caller's number appears in full here only (the business's own mail).

use crate::domain::Language;
use crate::store::NoticeData;
use chrono_tz::Tz;
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

/// The owner's daily digest.
fn digest(l: Language, data: &NoticeData, figures: &crate::store::DigestFigures) -> Composed {
    let subject = format!(
        "{} {} — {}: {}, {}: {}",
        l.pick("Tagesbericht", "Daily report"),
        figures.day,
        l.pick("Anrufe", "calls"),
        figures.calls,
        l.pick("neue Termine", "new appointments"),
        figures.booked,
    );
    let mut rows = vec![
        (l.pick("Anrufe", "Calls"), figures.calls.to_string()),
        (l.pick("Neue Termine", "New appointments"), figures.booked.to_string()),
        (l.pick("Verschoben", "Moved"), figures.moved.to_string()),
        (l.pick("Storniert", "Cancelled"), figures.cancelled.to_string()),
        (l.pick("Rückrufe erbeten", "Callbacks requested"), figures.callbacks_requested.to_string()),
        (l.pick("Rückrufe offen", "Callbacks open"), figures.callbacks_open.to_string()),
    ];
    for (why, n) in &figures.ended_with_nothing {
        rows.push((l.pick("Ohne Ergebnis", "Ended with nothing"), format!("{n} ({why})")));
    }
    let text = format!("{}\n\n", data.company)
        + &rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n");
    let html = html! {
        p { strong { (subject) } }
        table { @for (k, v) in &rows { tr { th align="left" { (k) } td { (v) } } } }
    }
    .into_string();
    Composed { subject, text, html }
}

/// What an event is called where a person reads it (subjects, the console's list of failed
/// notices); the event's own name when it has none.
pub fn event_title(l: Language, event: &str) -> &str {
    match event {
        "callback.requested" => l.pick("Rückruf erbeten", "Callback requested"),
        "callback.overdue" => l.pick("Rückruf überfällig", "Callback overdue"),
        "booking.made" => l.pick("Neuer Termin", "New appointment"),
        "booking.moved" => l.pick("Termin verschoben", "Appointment moved"),
        "booking.cancelled" => l.pick("Termin storniert", "Appointment cancelled"),
        "booking.unknown" => l.pick("Buchung unbestätigt", "Booking unconfirmed"),
        "digest.daily" => l.pick("Tagesbericht", "Daily report"),
        other => other,
    }
}

/// The owner's message for `event` about `data`.
pub fn for_owner(event: &str, data: &NoticeData) -> Composed {
    let l = Language::parse(&data.language).unwrap_or(Language::De);
    if let (Some(figures), "digest.daily") = (&data.digest, event) {
        return digest(l, data, figures);
    }
    let zone: Tz = data.timezone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&zone).format(l.pick("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M")).to_string()).unwrap_or_default()
    };
    let name = data.customer_name.clone().unwrap_or_else(|| l.pick("(ohne Namen)", "(no name)").to_string());
    let service = data.service.clone().unwrap_or_default();
    let title = event_title(l, event);
    let subject = match event {
        "callback.requested" | "callback.overdue" => format!("{title}: {name}"),
        "booking.unknown" => format!("{}: {title}: {service}, {} – {name}", l.pick("Bitte prüfen", "Please check"), when(data.start)),
        _ if event.starts_with("booking.") => format!("{title}: {service}, {} – {name}", when(data.start)),
        other => other.to_string(),
    };
    let mut rows: Vec<(&str, String)> = vec![(l.pick("Name", "Name"), name.clone())];
    if let Some(phone) = &data.phone {
        rows.push((l.pick("Telefon", "Phone"), phone.clone()));
    }
    if let Some(email) = &data.email {
        rows.push(("E-Mail", email.clone()));
    }
    if data.service.is_some() {
        rows.push((l.pick("Leistung", "Service"), service.clone()));
        rows.push((l.pick("Termin", "When"), when(data.start)));
    }
    if let Some(staff) = &data.staff {
        rows.push((l.pick("Mitarbeiter", "Staff"), staff.clone()));
    }
    if let Some(reason) = &data.reason {
        rows.push((l.pick("Anliegen", "Reason"), reason.clone()));
    }
    if let Some(time) = &data.preferred_time {
        rows.push((l.pick("Wunschzeit", "Preferred time"), time.clone()));
    }
    if data.priority.as_deref() == Some("high") {
        rows.push((l.pick("Dringlichkeit", "Priority"), l.pick("dringend", "urgent").to_string()));
    }
    rows.push((l.pick("Filiale", "Branch"), format!("{} – {}", data.company, data.branch.clone().unwrap_or_default())));
    let text = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
        + l.pick("\n\n— frontdesk, Ihre Telefonannahme", "\n\n— frontdesk, your phone front desk");
    let html = html! {
        p { strong { (subject) } }
        table { @for (k, v) in &rows { tr { th align="left" { (k) } td { (v) } } } }
        p { small { (l.pick("— frontdesk, Ihre Telefonannahme", "— frontdesk, your phone front desk")) } }
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
            priority: Some("high".into()),
            sequence: 0,
            digest: None,
        };
        let message = for_owner("callback.requested", &data);
        assert_eq!(message.subject, "Rückruf erbeten: Anna <Schmidt>");
        assert!(message.text.contains("Telefon: +4917612345678\n"), "{}", message.text);
        assert!(message.text.contains("Dringlichkeit: dringend"), "{}", message.text);
        assert!(message.html.contains("Anna &lt;Schmidt&gt;") && !message.html.contains("<Schmidt>"), "{}", message.html);
    }
}

/// The caller's e-mail about their own appointment (with an invitation for their calendar).
pub fn for_customer(event: &str, data: &NoticeData) -> Composed {
    let l = Language::parse(&data.language).unwrap_or(Language::De);
    let zone: Tz = data.timezone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    let when = data
        .start
        .map(|t| t.with_timezone(&zone).format(l.pick("%d.%m.%Y um %H:%M Uhr", "%d %B %Y at %H:%M")).to_string())
        .unwrap_or_default();
    let service = data.service.clone().unwrap_or_default();
    let place = format!("{}, {}", data.company, data.branch.clone().unwrap_or_default());
    let greeting = match &data.customer_name {
        Some(name) => format!("{} {name},", l.pick("Hallo", "Hello")),
        None => l.pick("Hallo,", "Hello,").to_string(),
    };
    let (subject, line) = match event {
        "booking.moved" => (
            format!("{} {service} – {when}", l.pick("Ihr Termin wurde verschoben:", "Your appointment was moved:")),
            format!("{} {service} {} {when} {} {place}.", l.pick("Ihr Termin für", "your appointment for"), l.pick("ist jetzt am", "is now on"), l.pick("bei", "at")),
        ),
        "booking.cancelled" => (
            format!("{} {service} – {when}", l.pick("Ihr Termin wurde storniert:", "Your appointment was cancelled:")),
            format!("{} {service} {} {when} {} {place} {}", l.pick("Ihr Termin für", "your appointment for"), l.pick("am", "on"), l.pick("bei", "at"), l.pick("ist storniert.", "is cancelled.")),
        ),
        _ => (
            format!("{} {service} – {when}", l.pick("Terminbestätigung:", "Appointment confirmed:")),
            format!("{} {service} {} {when} {} {place} {}", l.pick("Ihr Termin für", "your appointment for"), l.pick("am", "on"), l.pick("bei", "at"), l.pick("ist bestätigt.", "is confirmed.")),
        ),
    };
    let text = format!("{greeting}\n\n{line}\n\n{}\n\n{}", l.pick("Der Termin liegt als Kalenderdatei bei.", "The appointment is attached as a calendar file."), data.company);
    let html = html! {
        p { (greeting) }
        p { (line) }
        p { (l.pick("Der Termin liegt als Kalenderdatei bei.", "The appointment is attached as a calendar file.")) }
        p { (data.company) }
    }
    .into_string();
    Composed { subject, text, html }
}
