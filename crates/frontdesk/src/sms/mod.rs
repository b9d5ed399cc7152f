//! The SMS protocol (DESIGN §15): a Twilio-compatible Messages API to send, its signed webhooks
//! to receive, who may send (the sender ID rules) and what a text costs (segments).

mod client;
mod segments;
mod sender;
mod signature;

pub use client::{MessagesApi, OutgoingSms, SendError, SmsAccount, NOT_MOBILE, UNSUBSCRIBED};
pub use segments::{capped, segments, Encoding, Segments, MAX_SEGMENTS};
pub use sender::SmsSender;
pub use signature::{sign, verify, SIGNATURE_HEADER};
