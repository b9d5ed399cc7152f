//! HTTP: the service's handlers (Retell functions and events, Cal.com and SMS webhooks, feeds, ops), the
//! signed-call extractor, the one error type and the server; `app::router` mounts them.

pub(crate) mod calcom_webhook;
mod error;
pub(crate) mod feeds;
pub(crate) mod functions;
pub(crate) mod ops;
pub(crate) mod retell_events;
mod serve;
mod signed_call;
pub(crate) mod sms;

pub use error::ApiError;
pub use crate::configuration::ConnectionLimits;
pub use serve::{raise_file_limit, serve, ClientAddress, CONNECTIONS_REFUSED};
pub use signed_call::{RetellBody, SignedCall};
