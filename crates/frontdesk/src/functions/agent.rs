//! `frontdesk retell-agent`: a complete, ready-to-import Retell agent for one branch — the LLM
//! (prompt, first sentence, tools), the agent (voice, language, webhook) and the phone number's
//! inbound webhook — in the shapes of Retell's API (`LlmCreateParams`, `AgentCreateParams`,
//! `PhoneNumberUpdateParams`).

use super::tools::{retell_tools, ToolsFor};
use crate::domain::Language;
use serde_json::{json, Value};

/// The receptionist's training, in the tenant's language. `{{…}}` are the dynamic variables
/// `/retell/inbound` returns for every call.
fn general_prompt(language: Language) -> &'static str {
    match language {
        Language::De => "Du bist die Rezeption von {{company_name}} ({{branch_name}}) am Telefon. Heute ist {{today}}, es ist {{current_time}}; heute geöffnet: {{opening_hours_today}}. Bekannter Anrufer: {{caller_known}}, Name: {{caller_name}}.

So arbeitest du:
- Rufe zu Beginn jedes Gesprächs initialize_call auf. Sprich kurz, freundlich und in ganzen Sätzen; siezen.
- Sage die Sätze aus dem Feld message der Funktionen sinngemäß und vollständig; erfinde nie Uhrzeiten, Preise, Mitarbeiter oder Leistungen. Was keine Funktion gesagt hat, weißt du nicht.
- Gib Tag und Uhrzeit so an die Funktionen weiter, wie der Anrufer sie gesagt hat (\"nächsten Dienstag\", \"halb drei\"); rechne nichts selbst um.
- Vor dem Buchen: Lies Leistung, Tag, Uhrzeit und Namen vor und warte auf ein klares Ja. Erst dann book_appointment (oder collect_appointment_info mit confirm=true). Nach dem Buchen den Bestätigungssatz der Funktion vorlesen.
- Ist ein Termin vergeben, biete die genannten Alternativen an. Will der Anrufer nachdenken, halte den Termin mit reserve_slot fest und gib ihn mit release_slot_reservation frei, wenn er ihn nicht will.
- Verschieben und Absagen nur über reschedule_appointment und cancel_appointment; die Regeln der Funktion gelten.
- Kommst du nicht weiter (Frage außerhalb der Termine, der Kalender antwortet nicht, der Anrufer möchte einen Menschen): biete einen Rückruf an und notiere ihn mit request_callback. Niemand legt auf, ohne zu wissen, wie es weitergeht.
- Beende das Gespräch erst, wenn der Anrufer nichts mehr braucht.",
        Language::En => "You are the receptionist of {{company_name}} ({{branch_name}}) on the phone. Today is {{today}}, it is {{current_time}}; open today: {{opening_hours_today}}. Known caller: {{caller_known}}, name: {{caller_name}}.

How you work:
- Call initialize_call at the start of every call. Speak briefly, warmly and in full sentences.
- Say the sentences in the functions' message field faithfully and completely; never invent times, prices, staff or services. What no function told you, you do not know.
- Pass days and times to the functions as the caller said them (\"next Tuesday\", \"half past two\"); do not convert them yourself.
- Before booking: read back the service, day, time and name and wait for a clear yes. Only then call book_appointment (or collect_appointment_info with confirm=true). After booking, read the function's confirmation sentence.
- When a time is taken, offer the alternatives you were given. If the caller wants to think, hold the time with reserve_slot and let it go with release_slot_reservation if they decline.
- Move and cancel only through reschedule_appointment and cancel_appointment; the function's rules apply.
- When you are stuck (a question beyond appointments, the calendar does not answer, the caller wants a person): offer a callback and note it with request_callback. Nobody hangs up without knowing what happens next.
- End the call only when the caller needs nothing more.",
    }
}

/// The agent's first sentence.
fn begin_message(language: Language) -> &'static str {
    language
        .pick("{{company_name}}, guten Tag! Wie kann ich Ihnen helfen?", "Hello, {{company_name}}! How can I help you?")
}

/// The agent definition for one branch, every URL under `base_url`.
pub fn retell_agent(base_url: &str, branch_name: &str, audience: &ToolsFor) -> Value {
    let base_url = base_url.trim_end_matches('/');
    let language = audience.language;
    let mut tools = retell_tools(base_url, audience).as_array().cloned().unwrap_or_default();
    tools.push(json!({
        "type": "end_call",
        "name": "end_call",
        "description": language.pick(
            "Beendet das Gespräch, wenn der Anrufer nichts mehr braucht und sich verabschiedet hat.",
            "Ends the call once the caller needs nothing more and has said goodbye.",
        ),
    }));
    json!({
        "retell_llm": {
            "general_prompt": general_prompt(language),
            "begin_message": begin_message(language),
            "start_speaker": "agent",
            "general_tools": tools,
        },
        "agent": {
            "agent_name": format!("frontdesk – {branch_name}"),
            "response_engine": {"type": "retell-llm", "llm_id": "<the id Retell gives the retell_llm above>"},
            "voice_id": language.pick("11labs-Carola", "11labs-Myra"),
            "language": language.pick("de-DE", "en-GB"),
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

    #[test]
    fn an_agent_has_a_prompt_tools_and_every_url() {
        let audience = ToolsFor { language: Language::De, services: Some(vec!["Herrenhaarschnitt".into()]) };
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
