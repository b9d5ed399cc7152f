//! What a customer reads in an SMS (DESIGN §15). Short, in GSM-7 where the language allows it
//! (plain quotes, no dashes), so a message costs one or two segments; the business is named,
//! since an SMS from an unknown sender is ignored.

use chrono::NaiveDateTime;

/// The appointment an SMS is about, in the business's local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsAppointment {
    /// The business ("Salon Schnittpunkt").
    pub business: String,
    /// Local start.
    pub start: NaiveDateTime,
    /// Service.
    pub service: String,
    /// Staff member, when one is named.
    pub staff: Option<String>,
}

/// Every SMS frontdesk sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsText {
    /// The booking is confirmed.
    Confirmed(SmsAppointment),
    /// It moved (to the time given).
    Moved(SmsAppointment),
    /// It was cancelled.
    Cancelled(SmsAppointment),
    /// The reminder; `replies`: the customer can answer CANCEL to it.
    Reminder {
        /// The appointment.
        appointment: SmsAppointment,
        /// Whether a reply reaches frontdesk (a number as sender, not a name).
        replies: bool,
    },
    /// STOP was received: no more SMS from this business.
    Stopped {
        /// The business.
        business: String,
    },
    /// START was received: SMS again.
    Started {
        /// The business.
        business: String,
    },
    /// ABSAGEN came too close to the start: whom to call.
    TooLateToCancel {
        /// The appointment.
        appointment: SmsAppointment,
        /// The branch's number.
        phone: Option<String>,
    },
    /// ABSAGEN was understood, but the calendar could not be reached: whom to call.
    CancelFailed {
        /// The business.
        business: String,
        /// The branch's number.
        phone: Option<String>,
    },
    /// A freed time offered to a waiting customer, held for `minutes`.
    WaitlistOffer {
        /// The time.
        appointment: SmsAppointment,
        /// How long it is held.
        minutes: u32,
    },
    /// JA came after the offered time was taken (or lapsed): they stay on the list.
    OfferGone {
        /// The business.
        business: String,
    },
    /// ABSAGEN from a number without a reminded appointment: nothing changed.
    NothingToCancel {
        /// The business.
        business: String,
        /// The branch's number.
        phone: Option<String>,
    },
}
