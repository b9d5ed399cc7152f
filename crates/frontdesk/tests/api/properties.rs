//! Whatever JSON an agent puts into `args`, every function answers 200 with a JSON body that has
//! a spoken message: never a 5xx, a panic (`error: "internal"`) or something that is not JSON —
//! for wishes with parts of the day, windows, bounds and staff too.

use crate::helpers::TestApp;
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

const FUNCTIONS: [&str; 22] = [
    "initialize_call",
    "get_current_context",
    "check_customer",
    "parse_date",
    "get_available_services",
    "list_services",
    "get_service_info",
    "get_opening_hours",
    "check_availability",
    "find_next_available",
    "get_alternatives",
    "book_appointment",
    "start_booking",
    "collect_appointment_info",
    "request_callback",
    "query_appointment",
    "query_appointment_by_name",
    "cancel_appointment",
    "reschedule_appointment",
    "reserve_slot",
    "release_slot_reservation",
    "get_customer_appointments",
];
const KEYS: [&str; 19] = [
    "service",
    "dienstleistung",
    "date",
    "datum",
    "time",
    "uhrzeit",
    "staff",
    "mitarbeiter",
    "name",
    "after",
    "anzahl",
    "ab_uhrzeit",
    "bis_uhrzeit",
    "tageszeit",
    "confirm",
    "new_date",
    "neue_uhrzeit",
    "x",
    "",
];
const WORDS: [&str; 34] = [
    "morgen",
    "übermorgen um halb drei",
    "30.02.",
    "2026-12-01T10:00",
    "Herrenhaarschnitt",
    "Färben",
    "nächsten Dienstag",
    "25 Uhr",
    "Maria",
    "next Monday at 2pm",
    "viertel vor",
    "in 999999999999 Tagen",
    "halb",
    "31.12.9999",
    "\u{0}",
    "ß",
    "nachmittags",
    "vormittags",
    "zwischen 10 und 12",
    "zwischen 12 und 10",
    "ab 14 Uhr",
    "bis 11",
    "nach der Arbeit",
    "Dienstag zwischen 10 und 12 bei Jonas",
    "nächste Woche nachmittags",
    "so früh wie möglich",
    "in 2 Stunden",
    "Ende der Woche",
    "Heiligabend",
    "25.12.",
    "Jonas",
    "bei Maria",
    "kurz vor drei",
    "true",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        proptest::sample::select(&WORDS[..]).prop_map(|w| Value::String(w.to_string())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(&KEYS[..]), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())
            }),
        ]
    })
}

/// Well-formed wishes: a real service, day and time words, windows, parts of the day and staff —
/// the partial wishes that once reached a panic.
const WISH_FUNCTIONS: [&str; 9] = [
    "parse_date",
    "check_availability",
    "get_alternatives",
    "find_next_available",
    "reserve_slot",
    "collect_appointment_info",
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
];
const TIMES: [&str; 12] = [
    "nachmittags",
    "vormittags",
    "abends",
    "zwischen 10 und 12",
    "ab 14 Uhr",
    "bis 11",
    "nach der Arbeit",
    "kurz vor drei",
    "halb drei",
    "um 3",
    "so früh wie möglich",
    "blabla",
];

const DAYS: [&str; 10] = [
    "morgen",
    "übermorgen",
    "Dienstag",
    "nächste Woche",
    "Ende der Woche",
    "25.12.",
    "Heiligabend",
    "in 2 Stunden",
    "am dritten",
    "30.02.",
];

fn wish_args() -> impl Strategy<Value = Value> {
    let pick = |words: &'static [&'static str], p: f64| proptest::option::weighted(p, proptest::sample::select(words));
    let services = proptest::sample::select(&["Herrenhaarschnitt", "Bartpflege", "Färben", "Damenhaarschnitt"][..]);
    let staff: &'static [&'static str] = &["Jonas", "Maria", "Kevin"];
    let bounds: &'static [&'static str] = &["10", "14 Uhr", "halb drei", "nachmittags"];
    (
        services,
        pick(&DAYS, 0.9),
        pick(&TIMES, 0.8),
        pick(staff, 0.3),
        pick(bounds, 0.15),
        pick(bounds, 0.15),
        pick(&["vormittags", "nachmittags", "abends"], 0.15),
        any::<bool>(),
    )
        .prop_map(|(service, date, time, staff, from, until, part, confirm)| {
            let mut args = Map::new();
            args.insert("dienstleistung".into(), Value::from(service));
            for (key, value) in [
                ("datum", date),
                ("uhrzeit", time),
                ("mitarbeiter", staff),
                ("ab_uhrzeit", from),
                ("bis_uhrzeit", until),
                ("tageszeit", part),
            ] {
                if let Some(value) = value {
                    args.insert(key.into(), Value::from(value));
                }
            }
            args.insert("name".into(), Value::from("Probe"));
            args.insert("bestaetigung".into(), Value::from(confirm));
            Value::Object(args)
        })
}

fn shared() -> &'static (tokio::runtime::Runtime, TestApp) {
    static APP: OnceLock<(tokio::runtime::Runtime, TestApp)> = OnceLock::new();
    APP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let app = runtime.block_on(TestApp::spawn());
        (runtime, app)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn any_args_get_a_spoken_json_answer(function in proptest::sample::select(&FUNCTIONS[..]), args in json_value()) {
        let (runtime, app) = shared();
        let answer = runtime.block_on(app.call(function, args.clone()));
        prop_assert_eq!(answer.status, 200, "{} {}: {}", function, args, answer.text);
        let body: Value = serde_json::from_str(&answer.text).map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
        prop_assert!(body["success"].is_boolean(), "{}", body);
        prop_assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", body);
        if body["success"] == false {
            prop_assert!(body["error"].is_string(), "{}", body);
        }
        prop_assert_ne!(&body["error"], "internal", "{} {}: {}", function, args, body);
    }

    #[test]
    fn any_wish_gets_a_spoken_answer_and_never_internal(function in proptest::sample::select(&WISH_FUNCTIONS[..]), args in wish_args()) {
        let (runtime, app) = shared();
        let answer = runtime.block_on(app.call(function, args.clone()));
        prop_assert_eq!(answer.status, 200, "{} {}: {}", function, args, answer.text);
        let body: Value = serde_json::from_str(&answer.text).map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
        prop_assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", body);
        prop_assert_ne!(&body["error"], "internal", "{} {}: {}", function, args, body);
    }

    #[test]
    fn any_function_name_is_json(name in "[a-z_]{1,30}") {
        let (runtime, app) = shared();
        let answer = runtime.block_on(app.call(&name, Value::Object(Map::new())));
        prop_assert!(answer.status == 200 || answer.status == 404, "{}: {}", name, answer.status);
        prop_assert!(serde_json::from_str::<Value>(&answer.text).is_ok());
    }

    /// Hostile shapes (issue 12): call ids and numbers of any length, a body naming another
    /// function than the path, kilobytes of text with control characters in any argument.
    /// Never a 5xx, always JSON; a mismatch is 401, an oversized id 400; a spoken answer stays short.
    #[test]
    fn hostile_shapes_are_refused_or_answered_briefly(
        function in proptest::sample::select(&FUNCTIONS[..]),
        other in proptest::sample::select(&FUNCTIONS[..]),
        named_other in any::<bool>(),
        call_id in "[a-zA-Z0-9_{}]{0,200}",
        from in "[+0-9a-z ]{0,40}",
        key in proptest::sample::select(&KEYS[..]),
        text in "[\\PC\u{0}-\u{1f}]{0,64}",
        repeat in 1usize..120,
    ) {
        let (runtime, app) = shared();
        let name = if named_other { other } else { function };
        let long = text.repeat(repeat);
        let body = serde_json::to_vec(&serde_json::json!({
            "name": name,
            "args": {key: long, "service": "Herrenhaarschnitt", "date": "morgen"},
            "call": {"call_id": call_id, "from_number": from, "to_number": crate::helpers::SALON}
        })).unwrap();
        let signature = app.sign(&body);
        let answer = runtime.block_on(app.post(&format!("/retell/functions/{function}"), body, Some(signature)));
        prop_assert!(answer.status < 500, "{}: {}", answer.status, answer.text);
        let parsed: Value = serde_json::from_str(&answer.text).map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
        let same = frontdesk::functions::Function::from_name(name) == frontdesk::functions::Function::from_name(function);
        if call_id.chars().count() > 128 || call_id.trim().is_empty() || from.chars().count() > 32 {
            prop_assert_eq!(answer.status, 400, "{}", answer.text);
        } else if !same {
            prop_assert_eq!(answer.status, 401, "{}", answer.text);
        } else {
            prop_assert_eq!(answer.status, 200, "{}", answer.text);
            let message = parsed["message"].as_str().unwrap_or_default();
            prop_assert!(!message.is_empty() && message.len() < 700, "{} bytes: {}", message.len(), message);
            prop_assert_ne!(&parsed["error"], "internal", "{}", parsed);
        }
    }
}
