//! frontdesk: answers Retell AI function calls for many businesses and books their appointments.
//!
//! Reading order follows a request: [`retell`] (signed JSON) → [`http`] (extractors, one error
//! type) → [`functions`] (typed arguments → domain) → [`calendar`] → [`speech`] (spoken answer).

pub mod app;
pub mod availability;
#[cfg(feature = "demo")]
pub mod bench;
#[cfg(feature = "demo")]
pub mod bench_console;
#[cfg(feature = "demo")]
pub mod bench_engine;
pub mod booking;
pub mod broadcast;
pub mod calendar;
pub mod cli;
#[cfg(feature = "demo")]
pub mod client;
pub mod clock;
pub mod configuration;
pub mod console;
#[cfg(feature = "demo")]
pub mod demo;
pub mod domain;
pub mod feeds;
pub mod functions;
pub mod http;
pub mod latency_board;
pub mod notify;
pub mod onboarding;
pub mod operators;
pub mod retell;
pub mod reminders;
pub mod retention;
pub mod shared_redis;
pub mod sms;
pub mod speech;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod tenants;
pub mod waitlist;
