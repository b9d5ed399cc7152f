//! The Retell AI protocol: request signatures, the payloads Retell POSTs, and Retell's API for
//! provisioning agents.

mod api;
mod events;
mod payload;
mod signature;

pub use api::{RetellApi, RetellError};
pub use events::{CallDetails, CallEventKind, CallEventPayload, InboundCall, InboundPayload};
pub use payload::{Addressee, CallDirection, CallInfo, FunctionCallPayload};
pub use signature::{sign, verify, SignatureError, SIGNATURE_HEADER};
