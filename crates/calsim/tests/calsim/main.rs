//! calsim's own tests, over HTTP: slot math (DST included), bookings, reservations, errors,
//! faults, webhooks and the OpenAPI contract.

mod bookings;
mod contract;
mod faults;
mod helpers;
mod slots;
mod webhooks;
