//! calsim's own tests, over HTTP: slot math (DST included), bookings, reservations, errors,
//! faults, webhooks, connecting a key (me, event types, webhook registration), the OpenAPI
//! contract, and the Retell simulator.

mod bookings;
mod connect;
mod contract;
mod faults;
mod helpers;
mod retell;
mod slots;
mod webhooks;
