//! The request bodies the npm `retell-sdk` types allow (version [`SDK_VERSION`]):
//! `LlmCreateParams`/`LlmUpdateParams`, `AgentCreateParams`/`AgentUpdateParams` and
//! `PhoneNumberUpdateParams`, as tables of top-level keys and value types; the nested shapes a
//! client like frontdesk sends (custom and end-call tools with their parameters, the response
//! engine, weighted agents) are checked the same way, the rest of the deep tree only as "an
//! object" or "an array". A key outside a table is refused, as tsc refuses an excess property,
//! so a body the simulator takes also type-checks against the SDK.
//!
//! The update endpoints' `version` is a query parameter in the SDK, not a body key.

use serde_json::Value;

/// The retell-sdk release these tables were read from.
pub const SDK_VERSION: &str = "5.66.1";

/// A JSON type a value may have.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Str,
    /// A number.
    Num,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// An array of strings.
    Strings,
    /// An array of these strings.
    ManyOf(&'static [&'static str]),
    /// An object of string values (`{ [key: string]: string }`).
    StrMap,
    /// An array, its items not checked here.
    Arr,
    /// An object, its keys not checked here.
    Obj,
    /// Anything (`unknown`).
    Any,
}

use Ty::*;

/// An allowed key and the types its value may have.
pub type Field = (&'static str, &'static [Ty]);

/// An object type of the SDK: its name, keys and required keys.
#[derive(Debug)]
pub struct Shape {
    /// The TypeScript name, for messages.
    pub name: &'static str,
    /// Every allowed key.
    pub fields: &'static [Field],
    /// The keys that must be present.
    pub required: &'static [&'static str],
}

/// The `language` values of an agent (besides `multi`, which cannot be in a list).
pub const LANGUAGES: &[&str] = &[
    "en-US", "en-IN", "en-GB", "en-AU", "en-NZ", "de-DE", "es-ES", "es-419", "hi-IN", "fr-FR", "fr-CA", "ja-JP",
    "pt-PT", "pt-BR", "zh-CN", "ru-RU", "it-IT", "ko-KR", "nl-NL", "nl-BE", "pl-PL", "tr-TR", "vi-VN", "ro-RO",
    "bg-BG", "ca-ES", "th-TH", "da-DK", "fi-FI", "el-GR", "hu-HU", "id-ID", "no-NO", "sk-SK", "sv-SE", "lt-LT",
    "lv-LV", "cs-CZ", "ms-MY", "af-ZA", "ar-SA", "az-AZ", "bs-BA", "cy-GB", "fa-IR", "fil-PH", "gl-ES", "he-IL",
    "hr-HR", "hy-AM", "is-IS", "kk-KZ", "kn-IN", "mk-MK", "mr-IN", "ne-NP", "sl-SI", "sr-RS", "sw-KE", "ta-IN",
    "ur-IN", "yue-CN", "uk-UA",
];

/// The agent's `webhook_events` values.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "call_started",
    "call_ended",
    "call_analyzed",
    "transcript_updated",
    "transfer_started",
    "transfer_bridged",
    "transfer_cancelled",
    "transfer_ended",
];

/// The `type` of every tool in an LLM's `general_tools` union.
pub const TOOL_TYPES: &[&str] = &[
    "end_call",
    "transfer_call",
    "check_availability_cal",
    "book_appointment_cal",
    "agent_swap",
    "press_digit",
    "send_sms",
    "custom",
    "code",
    "extract_dynamic_variable",
    "bridge_transfer",
    "cancel_transfer",
    "mcp",
];

const EXECUTION_MESSAGE_TYPES: &[&str] = &["prompt", "static_text"];

// The model enums change with every release; they are checked as strings.
const LLM_FIELDS: &[Field] = &[
    ("begin_after_user_silence_ms", &[Num, Null]),
    ("begin_message", &[Str, Null]),
    ("default_dynamic_variables", &[StrMap, Null]),
    ("general_prompt", &[Str, Null]),
    ("general_tools", &[Arr, Null]),
    ("is_transfer_llm", &[Bool, Null]),
    ("kb_config", &[Obj, Null]),
    ("knowledge_base_ids", &[Strings, Null]),
    ("mcps", &[Arr, Null]),
    ("model", &[Str, Null]),
    ("model_high_priority", &[Bool, Null]),
    ("model_temperature", &[Num]),
    ("s2s_model", &[Str, Null]),
    ("start_speaker", &[OneOf(&["user", "agent"])]),
    ("starting_state", &[Str, Null]),
    ("states", &[Arr, Null]),
    ("tool_call_strict_mode", &[Bool, Null]),
];

/// `LlmCreateParams`: nothing required.
pub const LLM_CREATE: Shape = Shape { name: "LlmCreateParams", fields: LLM_FIELDS, required: &[] };
/// `LlmUpdateParams` (body): the same keys.
pub const LLM_UPDATE: Shape = Shape { name: "LlmUpdateParams", fields: LLM_FIELDS, required: &[] };

/// `LlmCreateParams.CustomTool` (the same in `LlmUpdateParams`).
pub const CUSTOM_TOOL: Shape = Shape {
    name: "CustomTool",
    fields: &[
        ("name", &[Str]),
        ("type", &[OneOf(&["custom"])]),
        ("url", &[Str]),
        ("args_at_root", &[Bool]),
        ("description", &[Str]),
        ("enable_typing_sound", &[Bool]),
        ("execution_message_description", &[Str]),
        ("execution_message_type", &[OneOf(EXECUTION_MESSAGE_TYPES)]),
        ("headers", &[StrMap]),
        ("max_retry", &[Num]),
        ("method", &[OneOf(&["GET", "POST", "PUT", "PATCH", "DELETE"])]),
        ("parameter_type", &[OneOf(&["json", "form"])]),
        ("parameters", &[Obj]),
        ("query_params", &[StrMap]),
        ("response_variables", &[StrMap]),
        ("speak_after_execution", &[Bool]),
        ("speak_during_execution", &[Bool]),
        ("timeout_ms", &[Num]),
    ],
    required: &["name", "type", "url"],
};

/// `CustomTool.Parameters`: a JSON Schema object.
pub const TOOL_PARAMETERS: Shape = Shape {
    name: "CustomTool.Parameters",
    fields: &[("properties", &[Any]), ("type", &[OneOf(&["object"])]), ("required", &[Strings])],
    required: &["properties", "type"],
};

/// `LlmCreateParams.EndCallTool`.
pub const END_CALL_TOOL: Shape = Shape {
    name: "EndCallTool",
    fields: &[
        ("name", &[Str]),
        ("type", &[OneOf(&["end_call"])]),
        ("description", &[Str]),
        ("execution_message_description", &[Str]),
        ("execution_message_type", &[OneOf(EXECUTION_MESSAGE_TYPES)]),
        ("speak_during_execution", &[Bool]),
    ],
    required: &["name", "type"],
};

// The voice and analysis model enums are checked as strings, like the LLM's.
const AGENT_FIELDS: &[Field] = &[
    ("response_engine", &[Obj]),
    ("voice_id", &[Str]),
    ("agent_name", &[Str, Null]),
    ("allow_dtmf_interruption", &[Bool]),
    ("allow_user_dtmf", &[Bool]),
    (
        "ambient_sound",
        &[
            OneOf(&[
                "coffee-shop",
                "convention-hall",
                "summer-outdoor",
                "mountain-outdoor",
                "static-noise",
                "call-center",
            ]),
            Null,
        ],
    ),
    ("ambient_sound_volume", &[Num]),
    ("backchannel_frequency", &[Num]),
    ("backchannel_words", &[Strings, Null]),
    ("begin_message_delay_ms", &[Num]),
    ("boosted_keywords", &[Strings, Null]),
    ("call_screening_option", &[Obj, Null]),
    ("custom_stt_config", &[Obj, Null]),
    ("data_storage_retention_days", &[Num, Null]),
    ("data_storage_setting", &[OneOf(&["everything", "everything_except_pii", "basic_attributes_only"])]),
    ("denoising_mode", &[OneOf(&["no-denoise", "noise-cancellation", "noise-and-background-speech-cancellation"])]),
    ("enable_backchannel", &[Bool]),
    ("enable_dynamic_responsiveness", &[Bool]),
    ("enable_dynamic_voice_speed", &[Bool]),
    ("enable_expressive_mode", &[Bool]),
    ("end_call_after_silence_ms", &[Num]),
    (
        "expressive_emotion_tags",
        &[ManyOf(&[
            "empathetic",
            "excited",
            "happy",
            "curious",
            "surprised",
            "sigh",
            "clear throat",
            "pause",
            "long pause",
            "emphasis",
        ])],
    ),
    ("expressive_mode_prompt", &[Str, Null]),
    ("fallback_voice_ids", &[Strings, Null]),
    ("guardrail_config", &[Obj]),
    ("handbook_config", &[Obj]),
    ("interruption_sensitivity", &[Num]),
    ("ivr_option", &[Obj, Null]),
    ("language", &[OneOf(LANGUAGES), OneOf(&["multi"]), ManyOf(LANGUAGES)]),
    ("max_call_duration_ms", &[Num]),
    ("opt_in_signed_url", &[Bool]),
    ("pii_config", &[Obj]),
    ("post_call_analysis_data", &[Arr, Null]),
    ("post_call_analysis_model", &[Str, Null]),
    ("pronunciation_dictionary", &[Arr, Null]),
    ("reminder_max_count", &[Num]),
    ("reminder_trigger_ms", &[Num]),
    ("responsiveness", &[Num]),
    ("ring_duration_ms", &[Num]),
    ("signed_url_expiration_ms", &[Num, Null]),
    ("stt_mode", &[OneOf(&["fast", "accurate", "custom"])]),
    ("timezone", &[Str, Null]),
    ("user_dtmf_options", &[Obj, Null]),
    ("version_description", &[Str, Null]),
    ("version_title", &[Str, Null]),
    ("vocab_specialization", &[OneOf(&["general", "medical"])]),
    ("voice_emotion", &[OneOf(&["calm", "sympathetic", "happy", "sad", "angry", "fearful", "surprised"]), Null]),
    ("voice_model", &[Str, Null]),
    ("voice_speed", &[Num]),
    ("voice_temperature", &[Num]),
    ("voicemail_option", &[Obj, Null]),
    ("volume", &[Num]),
    ("webhook_events", &[ManyOf(WEBHOOK_EVENTS), Null]),
    ("webhook_timeout_ms", &[Num]),
    ("webhook_url", &[Str, Null]),
];

/// `AgentCreateParams`: a response engine and a voice required.
pub const AGENT_CREATE: Shape =
    Shape { name: "AgentCreateParams", fields: AGENT_FIELDS, required: &["response_engine", "voice_id"] };
/// `AgentUpdateParams` (body): the same keys, none required.
pub const AGENT_UPDATE: Shape = Shape { name: "AgentUpdateParams", fields: AGENT_FIELDS, required: &[] };

/// `ResponseEngineRetellLm`.
pub const ENGINE_RETELL_LLM: Shape = Shape {
    name: "ResponseEngineRetellLm",
    fields: &[("llm_id", &[Str]), ("type", &[OneOf(&["retell-llm"])]), ("version", &[Num, Null])],
    required: &["llm_id", "type"],
};

/// `ResponseEngineCustomLm`.
pub const ENGINE_CUSTOM_LLM: Shape = Shape {
    name: "ResponseEngineCustomLm",
    fields: &[("llm_websocket_url", &[Str]), ("type", &[OneOf(&["custom-llm"])])],
    required: &["llm_websocket_url", "type"],
};

/// `ResponseEngineConversationFlow`.
pub const ENGINE_CONVERSATION_FLOW: Shape = Shape {
    name: "ResponseEngineConversationFlow",
    fields: &[("conversation_flow_id", &[Str]), ("type", &[OneOf(&["conversation-flow"])]), ("version", &[Num, Null])],
    required: &["conversation_flow_id", "type"],
};

/// `PhoneNumberUpdateParams`.
pub const NUMBER_UPDATE: Shape = Shape {
    name: "PhoneNumberUpdateParams",
    fields: &[
        ("allowed_inbound_country_list", &[Strings, Null]),
        ("allowed_outbound_country_list", &[Strings, Null]),
        ("auth_password", &[Str]),
        ("auth_username", &[Str]),
        ("fallback_number", &[Str, Null]),
        ("inbound_agents", &[Arr, Null]),
        ("inbound_sms_agents", &[Arr, Null]),
        ("inbound_sms_webhook_url", &[Str, Null]),
        ("inbound_webhook_url", &[Str, Null]),
        ("nickname", &[Str, Null]),
        ("outbound_agents", &[Arr, Null]),
        ("outbound_sms_agents", &[Arr, Null]),
        ("termination_uri", &[Str]),
        ("transport", &[Str, Null]),
    ],
    required: &[],
};

/// The weighted agent lists of a phone number.
pub const AGENT_LISTS: &[&str] = &["inbound_agents", "inbound_sms_agents", "outbound_agents", "outbound_sms_agents"];

/// `PhoneNumberUpdateParams.InboundAgent` (and its outbound and SMS twins).
pub const WEIGHTED_AGENT: Shape = Shape {
    name: "InboundAgent",
    fields: &[("agent_id", &[Str]), ("weight", &[Num]), ("agent_version", &[Str, Num])],
    required: &["agent_id", "weight"],
};

/// Single-agent keys Retell deprecated (gone from the SDK's types), and what replaces them.
const REPLACED: &[(&str, &str)] = &[
    ("inbound_agent_id", "inbound_agents"),
    ("inbound_agent_version", "inbound_agents"),
    ("outbound_agent_id", "outbound_agents"),
    ("outbound_agent_version", "outbound_agents"),
    ("inbound_sms_agent_id", "inbound_sms_agents"),
    ("inbound_sms_agent_version", "inbound_sms_agents"),
    ("outbound_sms_agent_id", "outbound_sms_agents"),
    ("outbound_sms_agent_version", "outbound_sms_agents"),
];

fn describe(types: &[Ty]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| match t {
            Str => "string".into(),
            Num => "number".into(),
            Bool => "boolean".into(),
            Null => "null".into(),
            OneOf(values) if values.len() <= 8 => {
                values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(" | ")
            }
            OneOf(_) => "one of the documented strings".into(),
            Strings => "string[]".into(),
            ManyOf(_) => "an array of the documented strings".into(),
            StrMap => "{ [key: string]: string }".into(),
            Arr => "array".into(),
            Obj => "object".into(),
            Any => "anything".into(),
        })
        .collect();
    names.join(" | ")
}

fn fits(ty: Ty, value: &Value) -> bool {
    let one_of = |values: &[&str], v: &Value| v.as_str().is_some_and(|s| values.contains(&s));
    match ty {
        Str => value.is_string(),
        Num => value.is_number(),
        Bool => value.is_boolean(),
        Null => value.is_null(),
        OneOf(values) => one_of(values, value),
        Strings => value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
        ManyOf(values) => value.as_array().is_some_and(|items| items.iter().all(|v| one_of(values, v))),
        StrMap => value.as_object().is_some_and(|map| map.values().all(Value::is_string)),
        Arr => value.is_array(),
        Obj => value.is_object(),
        Any => true,
    }
}

fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks `value` (found at `path`, "" for the body) against `shape`: an unknown key, a missing
/// required one or a value of the wrong type is an error naming it.
pub fn check(shape: &Shape, value: &Value, path: &str) -> Result<(), String> {
    let Some(object) = value.as_object() else {
        let what = if path.is_empty() { "the request body" } else { path };
        return Err(format!("{what} must be a JSON object ({})", shape.name));
    };
    for (key, value) in object {
        let Some((_, types)) = shape.fields.iter().find(|(name, _)| name == key) else {
            let hint = REPLACED
                .iter()
                .find(|(old, _)| old == key)
                .map(|(_, new)| format!("; Retell replaced it with {new}: [{{agent_id, weight: 1}}]"))
                .unwrap_or_default();
            return Err(format!(
                "{}: unknown field, not in {} (retell-sdk {SDK_VERSION}){hint}",
                at(path, key),
                shape.name
            ));
        };
        if !types.iter().any(|ty| fits(*ty, value)) {
            return Err(format!("{}: expected {}, got {value}", at(path, key), describe(types)));
        }
    }
    match shape.required.iter().find(|key| !object.contains_key(**key)) {
        Some(missing) => Err(format!("{}: required by {}", at(path, missing), shape.name)),
        None => Ok(()),
    }
}

/// Checks a tool of `general_tools`: custom and end-call tools key by key, other kinds only for
/// a known `type`.
fn check_tool(tool: &Value, path: &str) -> Result<(), String> {
    match tool.get("type").and_then(Value::as_str) {
        Some("custom") => {
            check(&CUSTOM_TOOL, tool, path)?;
            match tool.get("parameters") {
                Some(parameters) => check(&TOOL_PARAMETERS, parameters, &at(path, "parameters")),
                None => Ok(()),
            }
        }
        Some("end_call") => check(&END_CALL_TOOL, tool, path),
        Some(kind) if TOOL_TYPES.contains(&kind) => Ok(()),
        Some(kind) => Err(format!("{}: unknown tool type {kind:?}", at(path, "type"))),
        None => Err(format!("{}: required (one of {})", at(path, "type"), TOOL_TYPES.join(", "))),
    }
}

/// Checks an LLM body: `shape` is [`LLM_CREATE`] or [`LLM_UPDATE`].
pub fn check_llm(shape: &Shape, body: &Value) -> Result<(), String> {
    check(shape, body, "")?;
    let tools = body.get("general_tools").and_then(Value::as_array).into_iter().flatten();
    tools.enumerate().try_for_each(|(i, tool)| check_tool(tool, &format!("general_tools[{i}]")))
}

/// Checks an agent body: `shape` is [`AGENT_CREATE`] or [`AGENT_UPDATE`].
pub fn check_agent(shape: &Shape, body: &Value) -> Result<(), String> {
    check(shape, body, "")?;
    let Some(engine) = body.get("response_engine") else { return Ok(()) };
    match engine.get("type").and_then(Value::as_str) {
        Some("retell-llm") => check(&ENGINE_RETELL_LLM, engine, "response_engine"),
        Some("custom-llm") => check(&ENGINE_CUSTOM_LLM, engine, "response_engine"),
        Some("conversation-flow") => check(&ENGINE_CONVERSATION_FLOW, engine, "response_engine"),
        _ => Err("response_engine.type: expected 'retell-llm' | 'custom-llm' | 'conversation-flow'".into()),
    }
}

/// Checks a phone number body: its weighted agent lists item by item, weights adding up to 1.
pub fn check_number(body: &Value) -> Result<(), String> {
    check(&NUMBER_UPDATE, body, "")?;
    for list in AGENT_LISTS {
        let Some(agents) = body.get(*list).and_then(Value::as_array).filter(|agents| !agents.is_empty()) else {
            continue;
        };
        for (i, agent) in agents.iter().enumerate() {
            check(&WEIGHTED_AGENT, agent, &format!("{list}[{i}]"))?;
        }
        let total: f64 = agents.iter().filter_map(|a| a["weight"].as_f64()).sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(format!("{list}: weights must add up to 1, not {total}"));
        }
    }
    Ok(())
}

/// The agent ids a phone number body binds, in its weighted lists.
pub fn bound_agents(body: &Value) -> Vec<&str> {
    AGENT_LISTS
        .iter()
        .filter_map(|list| body.get(*list).and_then(Value::as_array))
        .flatten()
        .filter_map(|agent| agent.get("agent_id").and_then(Value::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_field_that_does_not_fit() {
        let tool = json!({"type": "custom", "name": "a", "url": "https://x", "speek": true});
        let error = check_llm(&LLM_CREATE, &json!({"general_tools": [tool]})).unwrap_err();
        assert!(error.starts_with("general_tools[0].speek: unknown field"), "{error}");
        let error = check_llm(&LLM_CREATE, &json!({"general_prompt": 3})).unwrap_err();
        assert!(error.starts_with("general_prompt: expected string | null"), "{error}");
        let error = check_agent(&AGENT_CREATE, &json!({"voice_id": "v"})).unwrap_err();
        assert!(error.starts_with("response_engine: required"), "{error}");
        let error = check_number(&json!({"inbound_agent_id": "agent_1"})).unwrap_err();
        assert!(error.contains("inbound_agents"), "{error}");
        let error = check_number(&json!({"inbound_agents": [{"agent_id": "a", "weight": 0.5}]})).unwrap_err();
        assert!(error.contains("add up to 1"), "{error}");
        assert!(check_agent(&AGENT_UPDATE, &json!({"language": ["de-DE", "en-GB"]})).is_ok());
        assert!(check_agent(&AGENT_UPDATE, &json!({"language": "de"})).is_err());
    }
}
