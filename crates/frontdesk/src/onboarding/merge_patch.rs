//! JSON Merge Patch (RFC 7386): how `PATCH` changes a company or a branch. The current state is
//! written as its draft, the patch merged into it, and the result checked like a new one.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Merges `patch` into `target`: objects member by member, `null` removes, anything else replaces.
pub fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(&key);
                } else {
                    merge(target.entry(key).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = strip_nulls(patch),
    }
}

/// A replacing value keeps no `null` members (RFC 7386: they would be removals).
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect()),
        other => other,
    }
}

/// `draft` with `patch` merged in, read back as a draft (unknown keys and wrong types refused).
/// `aliases` are `(alias, key)` pairs the draft also reads (`services` for `service`): a patch
/// may use either name, and changes the one key.
pub fn apply<T: Serialize + DeserializeOwned>(draft: &T, patch: &[u8], aliases: &[(&str, &str)]) -> Result<T, String> {
    let mut patch: Value = serde_json::from_slice(patch).map_err(|e| format!("body: {e}"))?;
    let Some(members) = patch.as_object_mut() else {
        return Err("body: a JSON object of the keys to change is expected (JSON Merge Patch)".into());
    };
    for (alias, key) in aliases {
        if let Some(value) = members.remove(*alias) {
            members.insert((*key).to_string(), value);
        }
    }
    let mut value = serde_json::to_value(draft).map_err(|e| e.to_string())?;
    merge(&mut value, patch);
    serde_json::from_value(value).map_err(|e| format!("body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_rfc_7386() {
        // RFC 7386, appendix A (a selection).
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "b"}), json!({"b": "c"}), json!({"a": "b", "b": "c"})),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": [{"b": "c"}]}), json!({"a": [1]}), json!({"a": [1]})),
            (json!({"e": null}), json!({"a": 1}), json!({"e": null, "a": 1})),
            (json!({}), json!({"a": {"bb": {"ccc": null}}}), json!({"a": {"bb": {}}})),
        ];
        for (mut target, patch, expected) in cases {
            merge(&mut target, patch);
            assert_eq!(target, expected);
        }
    }
}
