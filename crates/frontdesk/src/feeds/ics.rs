//! RFC 5545 text for feeds (and, later, invitations): the icalendar crate folds lines and escapes
//! text; frontdesk decides what an appointment says.

use crate::domain::mask_phone;
use crate::store::{Appointment, AppointmentStatus};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// The stable UID of an appointment's event: a calendar app updates, never duplicates, it.
pub fn uid(appointment_id: crate::domain::AppointmentId) -> String {
    format!("appointment-{appointment_id}@frontdesk")
}

/// Whether an invitation books (or moves) the appointment or takes it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationMethod {
    /// `METHOD:REQUEST`: new, or moved (a higher SEQUENCE replaces the earlier one).
    Request,
    /// `METHOD:CANCEL`: removed from the caller's calendar.
    Cancel,
}

/// What an invitation is about.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    /// The appointment (its UID).
    pub appointment_id: crate::domain::AppointmentId,
    /// How often it moved.
    pub sequence: i32,
    /// "Herrenhaarschnitt – Salon Schnittpunkt".
    pub summary: String,
    /// "Salon Schnittpunkt, Innenstadt".
    pub location: String,
    /// Start and end.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// End.
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// When the change was made (DTSTAMP; the same on every delivery attempt).
    pub stamp: chrono::DateTime<chrono::Utc>,
    /// The business (the sender's name and address).
    pub organizer: (&'a str, &'a str),
    /// The caller.
    pub attendee: (&'a str, &'a str),
}

/// An RFC 5546 (iTIP) invitation the caller's calendar app adds, moves or removes.
pub fn invitation(method: InvitationMethod, invite: &Invitation<'_>) -> String {
    let mut calendar = Calendar::new();
    calendar.append_property(Property::new(
        "METHOD",
        match method {
            InvitationMethod::Request => "REQUEST",
            InvitationMethod::Cancel => "CANCEL",
        },
    ));
    let mut event = Event::new();
    event
        .uid(&uid(invite.appointment_id))
        .summary(&invite.summary)
        .location(&invite.location)
        .starts(invite.starts_at)
        .ends(invite.ends_at)
        .timestamp(invite.stamp)
        .sequence(u32::try_from(invite.sequence).unwrap_or(0))
        .status(match method {
            InvitationMethod::Request => EventStatus::Confirmed,
            InvitationMethod::Cancel => EventStatus::Cancelled,
        })
        .append_property(
            Property::new("ORGANIZER", format!("mailto:{}", invite.organizer.1)).add_parameter("CN", invite.organizer.0).done(),
        )
        .append_property(
            Property::new("ATTENDEE", format!("mailto:{}", invite.attendee.1))
                .add_parameter("CN", invite.attendee.0)
                .add_parameter("RSVP", "FALSE")
                .done(),
        );
    calendar.push(event.done());
    calendar.done().to_string()
}

/// A published calendar (`METHOD:PUBLISH`) named `name` holding `appointments`.
pub fn feed(name: &str, appointments: &[Appointment]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    // Subscribing apps refresh every 15 minutes when they honour it.
    calendar.append_property(Property::new("REFRESH-INTERVAL;VALUE=DURATION", "PT15M"));
    calendar.append_property(Property::new("X-PUBLISHED-TTL", "PT15M"));
    for a in appointments {
        let who = a.customer_name.as_deref().unwrap_or("?");
        let mut description = String::new();
        if let Some(staff) = &a.staff_name {
            description.push_str(&format!("{staff}\n"));
        }
        // The number stays masked outside the business's own e-mail (the feed URL can travel).
        if let Some(phone) = &a.phone {
            description.push_str(&mask_phone(phone));
        }
        let mut event = Event::new();
        event
            .uid(&uid(a.id))
            .summary(&format!("{} – {who}", a.service_name))
            .description(description.trim_end())
            .starts(a.starts_at)
            .ends(a.ends_at)
            // DTSTAMP is the last change, not "now": an unchanged feed is byte-for-byte the same.
            .timestamp(a.updated_at)
            .status(if a.status == AppointmentStatus::Booked { EventStatus::Confirmed } else { EventStatus::Tentative });
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_feed_is_folded_escaped_and_stable() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let appointment = Appointment {
            id: crate::domain::AppointmentId(7),
            company_id: crate::domain::CompanyId(1),
            company: "Salon Schnittpunkt".into(),
            branch_id: crate::domain::BranchId(1),
            branch: "Innenstadt".into(),
            customer_id: Some(crate::domain::CustomerId(3)),
            customer_name: Some("Anna Schmidt".into()),
            phone: Some("+4917612345678".into()),
            email: None,
            service_id: 2,
            service_name: "Färben; Schnitt, lang".into(),
            staff_id: Some(4),
            staff_name: Some("Maria".into()),
            calcom_event_type_id: None,
            external_uid: None,
            starts_at: at,
            ends_at: at + chrono::Duration::minutes(90),
            status: AppointmentStatus::Booked,
            source: crate::store::AppointmentSource::Phone,
            created_at: at - chrono::Duration::days(2),
            updated_at: at - chrono::Duration::days(1),
            sequence: 0,
            group_key: None,
        };
        let text = feed("Salon Schnittpunkt – Innenstadt", std::slice::from_ref(&appointment));
        assert_eq!(text, feed("Salon Schnittpunkt – Innenstadt", &[appointment]), "the same rows, the same bytes");
        for line in ["BEGIN:VCALENDAR\r\n", "METHOD:PUBLISH\r\n", "UID:appointment-7@frontdesk\r\n", "DTSTART:20261201T090000Z\r\n",
                     "DTEND:20261201T103000Z\r\n", "DTSTAMP:20261130T090000Z\r\n", "STATUS:CONFIRMED\r\n", "SUMMARY:Färben\\; Schnitt\\, lang – Anna Schmidt\r\n"] {
            assert!(text.contains(line), "{line:?} missing in\n{text}");
        }
        assert!(!text.contains("+4917612345678"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 75), "folded at 75 octets:\n{text}");
    }
}
