//! The JSON Retell POSTs for a custom function call. Arguments stay raw here: each function
//! parses them into its own typed struct.

use crate::domain::PhoneNumber;
use serde::Deserialize;
use serde_json::value::RawValue;

/// `{"name": …, "args": {…}, "call": {…}}`.
#[derive(Debug, Deserialize)]
#[serde(try_from = "IncomingCall")]
pub struct FunctionCallPayload {
    /// Function name (absent when the path names it).
    pub name: Option<String>,
    /// Arguments the agent collected; parsed by the function itself.
    pub args: Option<Box<RawValue>>,
    /// The live call; it carries the tenant.
    pub call: CallInfo,
}

/// A function call as it arrives, before the call object is known to be there.
#[derive(Deserialize)]
struct IncomingCall {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    args: Option<Box<RawValue>>,
    #[serde(default)]
    call: Option<CallInfo>,
}

/// What a payload without its call object is told: which switch in Retell to turn off.
pub const ARGS_ONLY: &str = "the payload has no \"call\" object, so frontdesk cannot tell which business is called: \
turn off \"Payload: args only\" in this custom function's settings in Retell";

impl TryFrom<IncomingCall> for FunctionCallPayload {
    type Error = &'static str;

    fn try_from(incoming: IncomingCall) -> Result<Self, Self::Error> {
        let call = incoming.call.ok_or(ARGS_ONLY)?;
        Ok(Self { name: incoming.name, args: incoming.args, call })
    }
}

/// Whether the caller dialled the business or the business's agent dialled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CallDirection {
    /// A customer called the branch number.
    #[default]
    Inbound,
    /// The agent called a customer from the branch number.
    Outbound,
}

impl CallDirection {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }
}

/// The longest call or agent id accepted (Retell's are about 32 characters).
pub const MAX_ID_CHARS: usize = 128;
/// The longest phone number field accepted ("anonymous" and E.164 with spaces fit).
pub const MAX_NUMBER_CHARS: usize = 32;

/// The parts of Retell's call object frontdesk uses. Ids and numbers are bounded while parsing:
/// they are stored and kept in memory per call.
#[derive(Debug, Clone, Deserialize)]
pub struct CallInfo {
    /// Retell's call id.
    #[serde(deserialize_with = "bounded::id")]
    pub call_id: String,
    /// The agent handling it.
    #[serde(default, deserialize_with = "bounded::optional_id")]
    pub agent_id: Option<String>,
    /// Caller (inbound) or the branch (outbound); may be absent or "anonymous".
    #[serde(default, deserialize_with = "bounded::optional_number")]
    pub from_number: Option<String>,
    /// Branch (inbound) or the customer (outbound).
    #[serde(default, deserialize_with = "bounded::optional_number")]
    pub to_number: Option<String>,
    /// Inbound unless Retell says otherwise.
    #[serde(default)]
    pub direction: CallDirection,
    /// `phone_call` or `web_call` (a website widget or a test call in Retell's dashboard).
    #[serde(default, deserialize_with = "bounded::optional_id")]
    pub call_type: Option<String>,
}

impl CallInfo {
    /// A web call: no phone line, so no numbers; the agent names the branch and the caller is
    /// unknown until they say their name.
    pub fn is_web_call(&self) -> bool {
        self.call_type.as_deref() == Some("web_call") || (self.from_number.is_none() && self.to_number.is_none())
    }

    /// The customer's number, when it is a real one (hidden numbers are `None`).
    pub fn customer_number(&self) -> Option<PhoneNumber> {
        let raw = match self.direction {
            CallDirection::Inbound => self.from_number.as_deref(),
            CallDirection::Outbound => self.to_number.as_deref(),
        };
        raw.and_then(|n| PhoneNumber::parse(n).ok())
    }

    /// The business number of the call: the one dialled inbound, the one dialling out outbound.
    pub fn business_number(&self) -> Option<PhoneNumber> {
        business_number(self.direction, self.from_number.as_deref(), self.to_number.as_deref())
    }
}

/// The business's side of a call: dialled inbound, dialling out outbound.
fn business_number(direction: CallDirection, from: Option<&str>, to: Option<&str>) -> Option<PhoneNumber> {
    let raw = match direction {
        CallDirection::Inbound => to,
        CallDirection::Outbound => from,
    };
    raw.and_then(|n| PhoneNumber::parse(n).ok())
}

/// Only the numbers of any Retell body (function call, call event or inbound webhook), read
/// before the signature is checked to choose the key it must be signed with.
#[derive(Debug, Default, Deserialize)]
pub struct Addressee {
    #[serde(default)]
    call: Option<Numbers>,
    #[serde(default)]
    call_inbound: Option<Numbers>,
}

#[derive(Debug, Default, Deserialize)]
struct Numbers {
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    from_number: Option<String>,
    #[serde(default)]
    to_number: Option<String>,
    #[serde(default)]
    direction: CallDirection,
}

impl Addressee {
    /// The agent of the call the body is about, if it names one.
    pub fn agent_id(&self) -> Option<&str> {
        self.call.as_ref().or(self.call_inbound.as_ref()).and_then(|n| n.agent_id.as_deref())
    }

    /// The business number the body is about, if it names one: the tenant of every Retell body
    /// (function call, call event, inbound webhook) is found by it (or by the agent, for web calls).
    pub fn business_number(&self) -> Option<PhoneNumber> {
        let (numbers, direction) = match (&self.call, &self.call_inbound) {
            (Some(call), _) => (call, call.direction),
            // the inbound webhook always rings the business
            (None, Some(inbound)) => (inbound, CallDirection::Inbound),
            (None, None) => return None,
        };
        business_number(direction, numbers.from_number.as_deref(), numbers.to_number.as_deref())
    }
}

/// Deserializers that refuse ids and numbers longer than Retell ever sends.
mod bounded {
    use super::{MAX_ID_CHARS, MAX_NUMBER_CHARS};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    fn checked<E: Error>(text: String, max: usize, what: &str) -> Result<String, E> {
        if text.chars().count() > max || text.chars().any(char::is_control) {
            return Err(E::custom(format!("{what} must be at most {max} printable characters")));
        }
        Ok(text)
    }

    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Err(D::Error::custom("call_id is empty"));
        }
        checked(text, MAX_ID_CHARS, "call_id")
    }

    pub fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Option::<String>::deserialize(d)?.map(|t| checked(t, MAX_ID_CHARS, "agent_id")).transpose()
    }

    pub fn optional_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Option::<String>::deserialize(d)?.map(|t| checked(t, MAX_NUMBER_CHARS, "a phone number")).transpose()
    }
}
