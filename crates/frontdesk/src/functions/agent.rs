//! `frontdesk retell-agent`: a complete, ready-to-import Retell agent for one branch — the LLM
//! (prompt, first sentence, tools), the agent (voice, language, webhook) and the phone number's
//! inbound webhook — in the shapes of Retell's API (`LlmCreateParams`, `AgentCreateParams`,
//! `PhoneNumberUpdateParams`).

use super::tools::{retell_tools, ToolsFor};
use crate::speech::phrasebook;
use serde_json::{json, Value};

/// The agent definition for one branch, every URL under `base_url`.
pub fn retell_agent(base_url: &str, branch_name: &str, audience: &ToolsFor) -> Value {
    let base_url = base_url.trim_end_matches('/');
    let language = audience.language;
    let voice = phrasebook(language).agent();
    let mut tools = retell_tools(base_url, audience).as_array().cloned().unwrap_or_default();
    tools.push(json!({
        "type": "end_call",
        "name": "end_call",
        "description": voice.end_call,
    }));
    json!({
        "retell_llm": {
            "general_prompt": voice.prompt,
            "begin_message": voice.greeting,
            "start_speaker": "agent",
            "general_tools": tools,
        },
        "agent": {
            "agent_name": format!("frontdesk – {branch_name}"),
            "response_engine": {"type": "retell-llm", "llm_id": "<the id Retell gives the retell_llm above>"},
            "voice_id": voice.voice_id,
            "language": voice.locale,
            "webhook_url": format!("{base_url}/retell/webhook"),
            "webhook_events": ["call_started", "call_ended", "call_analyzed"],
            "end_call_after_silence_ms": 30_000,
        },
        "phone_number": {
            "inbound_webhook_url": format!("{base_url}/retell/inbound"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn an_agent_has_a_prompt_tools_and_every_url() {
        let audience = ToolsFor { language: Language::De, services: Some(vec!["Herrenhaarschnitt".into()]), staff: None };
        let agent = retell_agent("https://fd.example/", "Innenstadt", &audience);
        let prompt = agent["retell_llm"]["general_prompt"].as_str().unwrap();
        for variable in
            ["{{company_name}}", "{{today}}", "{{current_time}}", "{{opening_hours_today}}", "{{caller_name}}"]
        {
            assert!(prompt.contains(variable), "{variable}");
        }
        assert!(prompt.contains("erfinde nie Uhrzeiten") && prompt.contains("request_callback"));
        assert_eq!(agent["agent"]["webhook_url"], "https://fd.example/retell/webhook");
        assert_eq!(agent["phone_number"]["inbound_webhook_url"], "https://fd.example/retell/inbound");
        let tools = agent["retell_llm"]["general_tools"].as_array().unwrap();
        assert!(tools.iter().any(|t| t["name"] == "book_appointment" && t["speak_during_execution"] == true));
        assert!(tools.iter().any(|t| t["type"] == "end_call"));
    }
}
