//! The application's shared state and its routes: what `http/` (Retell, Cal.com, feeds, ops) and
//! `console/` both stand on, so neither needs the other.

mod routes;
mod state;

pub use routes::{router, BODY_LIMIT};
pub use state::{AppState, AppStateParts, ConsoleParts};
