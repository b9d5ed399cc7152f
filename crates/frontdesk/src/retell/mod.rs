//! The Retell AI protocol: request signatures and the payloads Retell POSTs.

mod payload;
mod signature;

pub use payload::{CallDirection, CallInfo, FunctionCallPayload};
pub use signature::{sign, verify, SignatureError, SIGNATURE_HEADER};
