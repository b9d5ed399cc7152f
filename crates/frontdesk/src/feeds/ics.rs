//! RFC 5545 text for feeds (and, later, invitations): the icalendar crate folds lines and escapes
//! text; frontdesk decides what an appointment says.

use crate::domain::mask_phone;
use crate::store::FeedAppointment;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// The stable UID of an appointment's event: a calendar app updates, never duplicates, it.
pub fn uid(appointment_id: i64) -> String {
    format!("appointment-{appointment_id}@frontdesk")
}

/// A published calendar (`METHOD:PUBLISH`) named `name` holding `appointments`.
pub fn feed(name: &str, appointments: &[FeedAppointment]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    // Subscribing apps refresh every 15 minutes when they honour it.
    calendar.append_property(Property::new("REFRESH-INTERVAL;VALUE=DURATION", "PT15M"));
    calendar.append_property(Property::new("X-PUBLISHED-TTL", "PT15M"));
    for a in appointments {
        let who = a.customer_name.as_deref().unwrap_or("?");
        let mut description = String::new();
        if let Some(staff) = &a.staff {
            description.push_str(&format!("{staff}\n"));
        }
        // The number stays masked outside the business's own e-mail (the feed URL can travel).
        if let Some(phone) = &a.phone {
            description.push_str(&mask_phone(phone));
        }
        let mut event = Event::new();
        event
            .uid(&uid(a.id))
            .summary(&format!("{} – {who}", a.service))
            .description(description.trim_end())
            .starts(a.starts_at)
            .ends(a.ends_at)
            // DTSTAMP is the last change, not "now": an unchanged feed is byte-for-byte the same.
            .timestamp(a.updated_at)
            .status(if a.status == "booked" { EventStatus::Confirmed } else { EventStatus::Tentative });
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
        let appointment = FeedAppointment {
            id: 7,
            service: "Färben; Schnitt, lang".into(),
            staff: Some("Maria".into()),
            customer_name: Some("Anna Schmidt".into()),
            phone: Some("+4917612345678".into()),
            starts_at: at,
            ends_at: at + chrono::Duration::minutes(90),
            status: "booked".into(),
            updated_at: at - chrono::Duration::days(1),
        };
        let text = feed("Salon Schnittpunkt – Innenstadt", &[appointment.clone()]);
        assert_eq!(text, feed("Salon Schnittpunkt – Innenstadt", &[appointment]), "the same rows, the same bytes");
        for line in ["BEGIN:VCALENDAR\r\n", "METHOD:PUBLISH\r\n", "UID:appointment-7@frontdesk\r\n", "DTSTART:20261201T090000Z\r\n",
                     "DTEND:20261201T103000Z\r\n", "DTSTAMP:20261130T090000Z\r\n", "STATUS:CONFIRMED\r\n", "SUMMARY:Färben\\; Schnitt\\, lang – Anna Schmidt\r\n"] {
            assert!(text.contains(line), "{line:?} missing in\n{text}");
        }
        assert!(!text.contains("+4917612345678"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 75), "folded at 75 octets:\n{text}");
    }
}
