//! The one integration-test binary: the app started on port 0 with its own database, called
//! over HTTP with signed requests, as Retell would.

mod appointments;
mod availability;
mod booking;
mod browser;
mod calcom;
mod console;
mod crash;
mod customers;
mod degradation;
mod feeds;
mod functions;
mod helpers;
mod holds;
mod isolation;
mod notifications;
mod onboarding;
mod properties;
mod protocol;
mod provisioning;
mod retell_agents;
mod schedules;
mod security;
mod signature;
mod sms;
mod storage;
mod understanding;
