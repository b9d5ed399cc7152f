//! The Retell AI protocol: request signatures and the payloads Retell POSTs.

mod events;
mod payload;
mod signature;

pub use events::{CallDetails, CallEventKind, CallEventPayload, InboundCall, InboundPayload};
pub use payload::{Addressee, CallDirection, CallInfo, FunctionCallPayload};
pub use signature::{sign, verify, SignatureError, SIGNATURE_HEADER};
