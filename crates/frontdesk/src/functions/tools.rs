//! The Retell custom-function definitions (`frontdesk retell-tools`), generated from the
//! catalogue so the agent's tools and the server never drift apart.

use super::Function;
use crate::domain::Language;
use crate::speech::{phrasebook, Filler};
use serde_json::{json, Map, Value};

/// Whom the tools are for: the language of the filler lines, and (for one branch) the names of
/// its services, offered to the agent as the only values of `service`.
#[derive(Debug, Clone)]
pub struct ToolsFor {
    /// The tenant's language.
    pub language: Language,
    /// The branch's service names, when the tools are for one branch.
    pub services: Option<Vec<String>>,
    /// The branch's staff names, when the tools are for one branch: named in `staff`'s
    /// description (not an enum: a caller asking for somebody who left is told so, not ignored).
    pub staff: Option<Vec<String>>,
}

impl ToolsFor {
    /// The tools of one branch: its company's language, its services and its team.
    pub fn of_branch(ctx: &crate::domain::BranchContext) -> Self {
        Self {
            language: ctx.company.language,
            services: Some(ctx.branch.services.iter().map(|s| s.name.clone()).collect()),
            staff: Some(ctx.branch.staff.iter().map(|s| s.name.clone()).collect()),
        }
    }
}

/// What the agent says while a write runs (a calendar write can take a second or more); reads
/// answer from memory and stay silent.
fn filler(function: Function, language: Language) -> Option<&'static str> {
    let filler = match function {
        Function::ReserveSlot => Filler::Holding,
        Function::BookAppointment => Filler::Booking,
        Function::RescheduleAppointment => Filler::Moving,
        Function::CancelAppointment => Filler::Cancelling,
        Function::CollectAppointmentInfo | Function::JoinWaitlist => Filler::OneMoment,
        _ => return None,
    };
    Some(phrasebook(language).filler(filler))
}

/// (name, JSON type, description, required)
type Parameter = (&'static str, &'static str, &'static str, bool);

const SERVICE: Parameter = (
    "service",
    "string",
    "The service the caller wants, in their words (\"Herrenhaarschnitt\", \"teeth cleaning\").",
    true,
);
const DATE: Parameter = (
    "date",
    "string",
    "The day as the caller said it (\"morgen\", \"nächsten Dienstag\", \"07.11.\", \"tomorrow\") or ISO 2025-11-07.",
    true,
);
const TIME: Parameter =
    ("time", "string", "The time as the caller said it (\"14 Uhr\", \"halb drei\", \"2:30 pm\") or HH:MM.", false);
const SERVICES: Parameter = (
    "services",
    "array",
    "Only when the caller wants several services in one visit (\"Schnitt und Bart\"): all of them, in order. They are booked back to back as linked appointments, by one staff member where possible, and moved and cancelled together.",
    false,
);
const STAFF: Parameter = ("staff", "string", "A staff member the caller asked for, if any.", false);
/// The caller's yes to SMS (DESIGN §15): asked by the agent, never assumed.
const SMS_OK: Parameter = ("sms_ok", "boolean", "true only if the caller agreed to confirmation and reminder by SMS.", false);

fn describe(function: Function) -> (&'static str, Vec<Parameter>) {
    match function {
        Function::InitializeCall => (
            "Call first in every call: company and branch, today's date and time, today's opening hours, and the caller if known.",
            vec![],
        ),
        Function::CheckCustomer => ("Whether the caller is a known customer, their name and upcoming appointments.", vec![]),
        Function::ParseDate => (
            "Turns a spoken date and time into an exact date to confirm with the caller.",
            vec![DATE, TIME],
        ),
        Function::GetAvailableServices => ("Lists the services this branch offers with durations and prices.", vec![]),
        Function::GetServiceInfo => ("Duration, price, description and staff of one service.", vec![SERVICE]),
        Function::GetOpeningHours => ("The branch's opening hours for the week.", vec![]),
        Function::CheckAvailability => (
            "Checks whether a service can be booked at a date and time; offers alternatives when not. Without a time, lists free times that day.",
            vec![SERVICE, SERVICES, DATE, TIME, STAFF],
        ),
        Function::FindNextAvailable => (
            "Finds the earliest free appointment for a service, optionally from a date/time on and with a staff member.",
            vec![SERVICE, SERVICES, (DATE.0, DATE.1, "Earliest day, if the caller named one.", false), (TIME.0, TIME.1, "Earliest time that day.", false), STAFF],
        ),
        Function::BookAppointment => (
            "Books the appointment once the caller confirmed service, date, time and name.",
            vec![SERVICE, SERVICES, DATE, (TIME.0, TIME.1, TIME.2, true), ("name", "string", "The caller's full name.", true), STAFF,
                ("phone", "string", "Phone number, if different from the calling number.", false),
                ("email", "string", "E-mail, if the caller gives one.", false),
                ("notes", "string", "Anything the business should know.", false),
                SMS_OK],
        ),
        Function::RequestCallback => (
            "Notes a callback request when the caller could not be helped; the number defaults to the caller's.",
            vec![("name", "string", "The caller's name.", false), ("phone", "string", "Number to call back.", false),
                ("preferred_time", "string", "When the caller would like to be called.", false),
                ("reason", "string", "What it is about.", false), ("priority", "string", "\"high\" if urgent.", false)],
        ),
        Function::QueryAppointment => ("The caller's upcoming appointments, found by the calling number.", vec![]),
        Function::CancelAppointment => (
            "Cancels one of the caller's appointments (by day, or the only one) within the cancellation policy.",
            vec![("date", "string", "The appointment's day, if the caller has several.", false),
                ("time", "string", "The appointment's time, if several are on that day.", false),
                ("reason", "string", "Why the caller cancels.", false)],
        ),
        Function::RescheduleAppointment => (
            "Moves one of the caller's appointments to a new date and time within the policy.",
            vec![("date", "string", "The current appointment's day, if the caller has several.", false),
                ("time", "string", "The current appointment's time, if several are on that day.", false),
                ("new_date", "string", "The new day as the caller said it.", true),
                ("new_time", "string", "The new time as the caller said it.", true)],
        ),
        Function::CollectAppointmentInfo => (
            "Checks the gathered booking details, says what is missing, reads the summary back; with confirm=true it books.",
            vec![SERVICE, DATE, (TIME.0, TIME.1, TIME.2, true), ("name", "string", "The caller's full name.", true), STAFF,
                ("phone", "string", "Phone number, if different from the calling number.", false),
                ("email", "string", "E-mail, if the caller gives one.", false),
                ("notes", "string", "Anything the business should know.", false),
                SMS_OK,
                ("confirm", "boolean", "true once the caller confirmed the summary.", false)],
        ),
        Function::QueryAppointmentByName => (
            "For callers with a hidden number: their appointment, found by name and the appointment's day (both required).",
            vec![("name", "string", "The name the appointment was booked under.", true), ("date", "string", "The appointment's day.", true)],
        ),
        Function::ReserveSlot => (
            "Holds a free slot for this call for about five minutes while the caller confirms.",
            vec![SERVICE, SERVICES, DATE, (TIME.0, TIME.1, TIME.2, true), STAFF],
        ),
        Function::ReleaseSlotReservation => ("Lets the slot held for this call go again.", vec![]),
        Function::JoinWaitlist => (
            "Puts the caller on the waitlist when nothing fits their wish: a time that becomes free is offered to them by SMS (or the team calls).",
            vec![SERVICE, (DATE.0, DATE.1, "The day or days the caller wants (\"Dienstag\", \"nächste Woche\").", true), TIME, ("name", "string", "The caller's full name.", true), STAFF],
        ),
        Function::GetAlternatives => (
            "Offers the best alternatives around a wished date and time (same day, next workday, next week, earliest).",
            vec![SERVICE, SERVICES, DATE, TIME, STAFF, ("max", "integer", "How many alternatives to offer (1-5, default 3).", false)],
        ),
    }
}

/// The definitions Retell's custom tools take (its SDK's `LlmCreateParams.CustomTool`), each
/// pointing at `base_url`: writes speak a filler line while they run, reads are silent.
pub fn retell_tools(base_url: &str, audience: &ToolsFor) -> Value {
    let base_url = base_url.trim_end_matches('/');
    let mut seen = Vec::new();
    let tools: Vec<Value> = Function::known_names()
        .into_iter()
        .filter_map(Function::from_name)
        .filter(|f| {
            let new = !seen.contains(f);
            seen.push(*f);
            new
        })
        .map(|function| {
            let (description, parameters) = describe(function);
            let properties: Map<String, Value> = parameters
                .iter()
                .map(|(name, kind, text, _)| {
                    let mut schema = json!({"type": kind, "description": text});
                    if *kind == "array" {
                        schema["items"] = json!({"type": "string"});
                    }
                    match (*name, &audience.services) {
                        ("service", Some(services)) => schema["enum"] = json!(services),
                        ("services", Some(services)) => schema["items"]["enum"] = json!(services),
                        _ => {}
                    }
                    if let ("staff", Some(team)) = (*name, audience.staff.as_ref().filter(|team| !team.is_empty())) {
                        schema["description"] = json!(format!("{text} The team: {}.", team.join(", ")));
                    }
                    (name.to_string(), schema)
                })
                .collect();
            let required: Vec<&str> = parameters.iter().filter(|p| p.3).map(|p| p.0).collect();
            let mut tool = json!({
                "type": "custom",
                "name": function.name(),
                "description": description,
                "url": format!("{base_url}/retell/functions/{}", function.name()),
                "speak_during_execution": false,
                "speak_after_execution": true,
                // reads answer from memory; writes wait for the calendar of record
                "timeout_ms": 5000,
                "parameters": {"type": "object", "properties": properties, "required": required}
            });
            if let Some(line) = filler(function, audience.language) {
                tool["speak_during_execution"] = json!(true);
                tool["execution_message_description"] = json!(line);
                tool["execution_message_type"] = json!("static_text");
                tool["timeout_ms"] = json!(10_000);
            }
            tool
        })
        .collect();
    Value::Array(tools)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_has_one_definition_pointing_at_its_endpoint() {
        let tools = retell_tools("https://frontdesk.example/", &ToolsFor { language: Language::De, services: None, staff: None });
        let tools = tools.as_array().unwrap();
        assert_eq!(tools.len(), 19);
        let check = tools.iter().find(|t| t["name"] == "check_availability").unwrap();
        assert_eq!(check["url"], "https://frontdesk.example/retell/functions/check_availability");
        assert_eq!(check["parameters"]["required"], json!(["service", "date"]));
    }

    #[test]
    fn writes_speak_while_they_run_and_a_branch_names_its_services_and_team() {
        let audience = ToolsFor {
            language: Language::En,
            services: Some(vec!["Check-up".into(), "Hygiene".into()]),
            staff: Some(vec!["Dr. Amy Lee".into()]),
        };
        let tools = retell_tools("https://x", &audience);
        let by_name = |name: &str| tools.as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
        for write in [
            "reserve_slot",
            "book_appointment",
            "reschedule_appointment",
            "cancel_appointment",
            "collect_appointment_info",
        ] {
            let tool = by_name(write);
            assert_eq!(tool["speak_during_execution"], true, "{write}");
            assert!(tool["execution_message_description"].as_str().unwrap().starts_with("One moment"), "{write}");
        }
        for read in ["check_availability", "get_opening_hours", "parse_date", "find_next_available"] {
            assert_eq!(by_name(read)["speak_during_execution"], false, "{read}");
        }
        assert_eq!(
            by_name("check_availability")["parameters"]["properties"]["service"]["enum"],
            json!(["Check-up", "Hygiene"])
        );
        let staff = &by_name("check_availability")["parameters"]["properties"]["staff"];
        assert_eq!(staff["description"], "A staff member the caller asked for, if any. The team: Dr. Amy Lee.");
        assert!(staff.get("enum").is_none(), "somebody who left can still be asked for");
    }
}
