//! One caller's conversation, as Retell would send it: the inbound webhook, `call_started`, the
//! agent's function calls with the caller's own words as arguments (German or English, randomised),
//! a booking (reserve + book, or a confirmed collect), sometimes a change of mind (reschedule or
//! cancel), a callback when the calendar cannot book, and `call_ended`.

use crate::record::{Outcome, Recorder};
use frontdesk::client::{CallIdentity, Exchange, RetellClient};
use frontdesk::domain::Language;
use frontdesk::tenants::TenantsFile;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A number callers dial, with what they can ask for there.
#[derive(Debug, Clone)]
pub struct Target {
    /// The branch's number.
    pub number: String,
    /// The company's language.
    pub language: Language,
    /// Service names.
    pub services: Vec<String>,
    /// A slot booked elsewhere before the run, per service: (ISO date, "HH:MM").
    pub taken: Option<(String, String)>,
}

/// Every dialable number of a tenants file.
pub fn targets(tenants: &TenantsFile) -> Vec<Target> {
    tenants
        .companies
        .iter()
        .flat_map(|company| {
            company.branches.iter().flat_map(move |branch| {
                branch.phone_numbers.iter().map(move |number| Target {
                    number: number.as_str().to_string(),
                    language: company.language,
                    services: branch.services.iter().map(|s| s.name.clone()).collect(),
                    taken: None,
                })
            })
        })
        .collect()
}

/// Pauses: the phone ringing and the agent's greeting before its first function call, then
/// between turns the agent speaking and the caller answering.
#[derive(Debug, Clone, Copy)]
pub struct Think {
    /// Between turns, a range in ms; `None` plays everything back to back.
    pub ms: Option<(u64, u64)>,
    /// Ringing and greeting, a range in ms.
    pub greeting_ms: (u64, u64),
}

async fn sleep_in(rng: &mut StdRng, (min, max): (u64, u64)) {
    let ms = if max > min { rng.gen_range(min..=max) } else { min };
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

impl Think {
    async fn pause(&self, rng: &mut StdRng) {
        if let Some(range) = self.ms {
            sleep_in(rng, range).await;
        }
    }

    async fn greeting(&self, rng: &mut StdRng) {
        if self.ms.is_some() {
            sleep_in(rng, self.greeting_ms).await;
        }
    }
}

/// How a conversation ended, for the pass's counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ending {
    /// An appointment was booked.
    pub booked: bool,
    /// ... and cancelled again in the same call.
    pub cancelled: bool,
    /// The caller could not book and asked for a callback, which was recorded.
    pub callback: bool,
    /// Slots this caller held (reserve_slot said yes) and then was told were taken: a hold that
    /// did not keep its slot — on two instances, the sign of a hold only one of them knew.
    pub lost_holds: usize,
    /// Dead air: the sum of the caller's waits on frontdesk (every function call and the inbound
    /// webhook before the greeting), not the caller's own pauses.
    pub dead_air: Duration,
    /// The part of the dead air outside the calls that write to the calendar by design (book,
    /// confirm, move, cancel: each one Cal.com round trip): what frontdesk itself adds.
    pub dead_air_beyond_writes: Duration,
}

struct Words {
    dates: &'static [&'static str],
    times: &'static [&'static str],
    names: &'static [&'static str],
    yes: &'static str,
    reason: &'static str,
}

const GERMAN: Words = Words {
    dates: &[
        "morgen",
        "übermorgen",
        "nächsten Dienstag",
        "Donnerstag",
        "in drei Tagen",
        "nächste Woche Mittwoch",
        "am Freitag",
    ],
    times: &["10 Uhr", "halb drei", "14:30", "um 11", "viertel nach zehn", "16 Uhr", "9 Uhr"],
    names: &["Anna Schmidt", "Lukas Weber", "Sophie Becker", "Jonas Wagner", "Mia Hoffmann", "Felix Schulz"],
    yes: "ja",
    reason: "Termin konnte nicht gebucht werden",
};

const ENGLISH: Words = Words {
    dates: &["tomorrow", "the day after tomorrow", "next Monday", "Thursday", "in 3 days", "next week"],
    times: &["10 am", "2:30 pm", "half past two", "11 am", "quarter past ten", "4 pm", "9am"],
    names: &["Emily Clark", "James Turner", "Olivia Hughes", "Harry Walsh", "Grace Kelly", "Noah Price"],
    yes: "yes",
    reason: "could not book an appointment",
};

/// One caller.
pub struct Conversation<'a> {
    /// Signs and sends.
    pub client: &'a RetellClient,
    /// Where exchanges are recorded.
    pub recorder: &'a Recorder,
    /// Pauses.
    pub think: Think,
    /// Who calls whom.
    pub call: CallIdentity,
    /// The branch dialled.
    pub target: &'a Target,
    /// The caller's waits so far in microseconds (see [`Ending::dead_air`]).
    pub waited_us: std::sync::atomic::AtomicU64,
    /// Of those, the waits on calls that write to the calendar.
    pub writes_us: std::sync::atomic::AtomicU64,
}

fn classify(result: &anyhow::Result<Exchange>) -> Outcome {
    match result {
        Ok(exchange) if exchange.status == 204 => Outcome::Ok,
        Ok(exchange) if exchange.status != 200 => Outcome::Error(format!("http_{}", exchange.status)),
        Ok(exchange) if !exchange.json => Outcome::Error("not_json".into()),
        Ok(exchange) => match exchange.body.get("success") {
            Some(Value::Bool(false)) => {
                Outcome::Declined(exchange.body["error"].as_str().unwrap_or("unspecified").into())
            }
            _ => Outcome::Ok,
        },
        Err(error) => match error.downcast_ref::<reqwest::Error>() {
            Some(e) if e.is_timeout() => Outcome::Error("timeout".into()),
            _ => Outcome::Error("transport".into()),
        },
    }
}

impl Conversation<'_> {
    /// Sends one exchange through `send`, records it under `label`, returns the body on a 200.
    async fn exchange<F>(&self, label: &'static str, send: F) -> Option<Value>
    where
        F: std::future::Future<Output = anyhow::Result<Exchange>>,
    {
        let started = Instant::now();
        let result = send.await;
        let latency = started.elapsed();
        // Call events are fire-and-forget for Retell: the caller never waits on them.
        if !matches!(label, "call_started" | "call_ended") {
            let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
            self.waited_us.fetch_add(us, std::sync::atomic::Ordering::Relaxed);
            let writes = [
                "book_appointment",
                "collect_appointment_info (confirm)",
                "reschedule_appointment",
                "cancel_appointment",
            ];
            if writes.contains(&label) {
                self.writes_us.fetch_add(us, std::sync::atomic::Ordering::Relaxed);
            }
        }
        self.recorder.record(label, latency, classify(&result));
        result.ok().filter(|e| e.status == 200).map(|e| e.body)
    }

    async fn function(&self, label: &'static str, name: &str, args: Value) -> Option<Value> {
        self.exchange(label, self.client.call(name, args, &self.call)).await
    }

    /// Plays the whole conversation.
    pub async fn play(&self, rng: &mut StdRng) -> Ending {
        let words = match self.target.language {
            Language::De => &GERMAN,
            Language::En => &ENGLISH,
        };
        let (service_key, date_key, time_key, name_key) = match self.target.language {
            Language::De => ("dienstleistung", "datum", "uhrzeit", "name"),
            Language::En => ("service", "date", "time", "name"),
        };
        let service = self.target.services.choose(rng).cloned().unwrap_or_default();
        let name = *words.names.choose(rng).expect("names");
        // A quarter of the callers ask for a time that is already taken.
        let (date, time) = match (&self.target.taken, rng.gen_bool(0.25)) {
            (Some((date, time)), true) => (date.clone(), time.clone()),
            _ => (
                words.dates.choose(rng).expect("dates").to_string(),
                words.times.choose(rng).expect("times").to_string(),
            ),
        };
        let wish = json!({service_key: service, date_key: date, time_key: time});

        self.exchange("inbound", self.client.inbound(&self.call)).await;
        self.exchange("call_started", self.client.event("call_started", &self.call)).await;
        self.think.greeting(rng).await;
        self.function("initialize_call", "initialize_call", json!({})).await;
        self.think.pause(rng).await;
        self.function("get_available_services", "get_available_services", json!({})).await;
        self.think.pause(rng).await;
        self.function("check_customer", "check_customer", json!({})).await;
        self.function(
            "collect_appointment_info",
            "collect_appointment_info",
            json!({service_key: service, date_key: date}),
        )
        .await;
        self.think.pause(rng).await;
        let check = self.function("check_availability", "check_availability", wish.clone()).await;
        self.think.pause(rng).await;
        let alternatives = self.function("get_alternatives", "get_alternatives", wish.clone()).await;
        self.think.pause(rng).await;
        let next = self.function("find_next_available", "find_next_available", json!({service_key: service})).await;
        if rng.gen_bool(0.2) {
            self.function("get_opening_hours", "get_opening_hours", json!({})).await;
        }
        self.think.pause(rng).await;

        // What the caller settles on: the wish when free, else an offered alternative, else the next slot.
        let mut choices: Vec<String> = Vec::new();
        if check.as_ref().is_some_and(|c| c["available"] == true) {
            choices.push(String::new());
        }
        choices.extend(starts(alternatives.as_ref(), "alternatives"));
        if let Some(start) = next.as_ref().and_then(|n| n["slot"]["start"].as_str()) {
            choices.push(start.to_string());
        }
        // The agent passes an offered start as day and time, as it heard them.
        let slot_args = |choice: &str| -> Value {
            match choice.split_once('T') {
                Some((day, rest)) => {
                    json!({service_key: service, date_key: day, time_key: rest.get(..5).unwrap_or(rest)})
                }
                None => wish.clone(),
            }
        };
        let mut ending = Ending::default();
        let mut booked: Option<Value> = None;
        for choice in choices.iter().take(2) {
            let mut args = slot_args(choice);
            args[name_key] = json!(name);
            // half the callers want their confirmation by SMS too (sent after the answer)
            if rng.gen_bool(0.5) {
                args["sms_ok"] = json!(true);
            }
            let answer = if rng.gen_bool(0.8) {
                let held = self.function("reserve_slot", "reserve_slot", slot_args(choice)).await;
                self.think.pause(rng).await;
                let answer = self.function("book_appointment", "book_appointment", args.clone()).await;
                // Held, then "taken": the hold did not keep the slot. (A calendar that did not answer
                // in time is another story, counted under calendar_unavailable.)
                let held = held.is_some_and(|h| h["success"] == true);
                if held && answer.as_ref().is_some_and(|a| a["error"] == "slot_taken") {
                    ending.lost_holds += 1;
                }
                answer
            } else {
                args["bestaetigung"] = json!(words.yes);
                self.function("collect_appointment_info (confirm)", "collect_appointment_info", args.clone()).await
            };
            match answer {
                Some(answer) if answer["success"] == true => {
                    booked = Some(answer);
                    break;
                }
                // Taken meanwhile: the caller takes the next offer.
                Some(answer) if answer["offer_callback"] != true => continue,
                _ => break,
            }
        }
        match booked {
            Some(answer) => {
                ending.booked = true;
                self.change_of_mind(rng, &answer, &choices).await;
                if rng.gen_bool(0.08) {
                    ending.cancelled = self.cancel(&answer, words).await;
                }
            }
            None => {
                self.think.pause(rng).await;
                let callback = self
                    .function("request_callback", "request_callback", json!({name_key: name, "reason": words.reason}))
                    .await;
                ending.callback = callback.is_some_and(|c| c["success"] == true);
            }
        }
        self.think.pause(rng).await;
        self.exchange("call_ended", self.client.event("call_ended", &self.call)).await;
        let (waited, writes) = (
            self.waited_us.load(std::sync::atomic::Ordering::Relaxed),
            self.writes_us.load(std::sync::atomic::Ordering::Relaxed),
        );
        ending.dead_air = Duration::from_micros(waited);
        ending.dead_air_beyond_writes = Duration::from_micros(waited.saturating_sub(writes));
        ending
    }

    /// One caller in ten moves the appointment just booked to another offered time.
    async fn change_of_mind(&self, rng: &mut StdRng, booked: &Value, choices: &[String]) {
        let Some((date, time)) = appointment_moment(booked) else { return };
        let Some(other) = choices.iter().filter(|c| !c.is_empty()).find(|c| !c.starts_with(&format!("{date}T{time}")))
        else {
            return;
        };
        if rng.gen_bool(0.1) {
            self.think.pause(rng).await;
            self.function(
                "reschedule_appointment",
                "reschedule_appointment",
                json!({"date": date, "time": time, "new_date": other}),
            )
            .await;
        }
    }

    /// Cancels the appointment just booked; whether it worked.
    async fn cancel(&self, booked: &Value, words: &Words) -> bool {
        let Some((date, time)) = appointment_moment(booked) else { return false };
        let answer = self
            .function(
                "cancel_appointment",
                "cancel_appointment",
                json!({"date": date, "time": time, "reason": words.reason}),
            )
            .await;
        answer.is_some_and(|a| a["success"] == true)
    }
}

/// The `start` of each entry of a list in an answer.
fn starts(answer: Option<&Value>, list: &str) -> Vec<String> {
    answer
        .and_then(|a| a[list].as_array())
        .map(|items| items.iter().filter_map(|i| i["start"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Local date and time of a booked appointment, from the booking answer.
fn appointment_moment(answer: &Value) -> Option<(String, String)> {
    let appointment = answer.get("appointment").unwrap_or(answer);
    let start = appointment["start"].as_str()?;
    let (date, rest) = start.split_once('T')?;
    Some((date.to_string(), rest.get(..5)?.to_string()))
}
