//! Whatever JSON an agent puts into `args`, every function answers 200 with a JSON body that has
//! a spoken message: never a 5xx, a panic or something that is not JSON.

use crate::helpers::TestApp;
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

const FUNCTIONS: [&str; 19] = [
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
];
const KEYS: [&str; 13] = [
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
    "x",
    "",
];
const WORDS: [&str; 16] = [
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
    }

    #[test]
    fn any_function_name_is_json(name in "[a-z_]{1,30}") {
        let (runtime, app) = shared();
        let answer = runtime.block_on(app.call(&name, Value::Object(Map::new())));
        prop_assert!(answer.status == 200 || answer.status == 404, "{}: {}", name, answer.status);
        prop_assert!(serde_json::from_str::<Value>(&answer.text).is_ok());
    }
}
