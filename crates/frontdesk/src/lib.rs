//! frontdesk: answers Retell AI function calls for many businesses and books their appointments.
//!
//! Reading order follows a request: [`retell`] (signed JSON) → [`http`] (extractors, one error
//! type) → [`functions`] (typed arguments → domain) → [`calendar`] → [`speech`] (spoken answer).

pub mod calendar;
pub mod configuration;
pub mod speech;
pub mod domain;
pub mod store;
pub mod tenants;
pub mod telemetry;
