//! `X-Retell-Signature: v=<unix_ms>,d=<hex>` with `hex = HMAC-SHA256(api_key, raw_body ++ unix_ms)`,
//! valid within five minutes of now (DESIGN §6). Compatible with `Retell.sign`/`Retell.verify`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header Retell signs requests with.
pub const SIGNATURE_HEADER: &str = "x-retell-signature";

const MAX_SKEW_MS: i64 = 5 * 60 * 1000;

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No header.
    #[error("missing X-Retell-Signature header")]
    Missing,
    /// Not `v=<digits>,d=<hex>`.
    #[error("malformed X-Retell-Signature header")]
    Malformed,
    /// Timestamp further than five minutes from now.
    #[error("stale X-Retell-Signature timestamp")]
    Stale,
    /// Digest does not match the body.
    #[error("X-Retell-Signature does not match the body")]
    Mismatch,
}

fn mac(body: &[u8], api_key: &str, unix_ms: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.update(unix_ms.to_string().as_bytes());
    mac
}

/// The header value for a body signed at `unix_ms`.
pub fn sign(body: &[u8], api_key: &str, unix_ms: i64) -> String {
    format!("v={unix_ms},d={}", hex::encode(mac(body, api_key, unix_ms).finalize().into_bytes()))
}

/// Checks a header value against the raw body; the digest comparison is constant-time.
pub fn verify(body: &[u8], api_key: &str, header: Option<&str>, now_ms: i64) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let (mut unix_ms, mut digest) = (None, None);
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("v", v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => unix_ms = v.parse::<i64>().ok(),
            Some(("d", d)) => digest = hex::decode(d).ok(),
            _ => return Err(SignatureError::Malformed),
        }
    }
    let (unix_ms, digest) = unix_ms.zip(digest).ok_or(SignatureError::Malformed)?;
    if (now_ms - unix_ms).abs() > MAX_SKEW_MS {
        return Err(SignatureError::Stale);
    }
    mac(body, api_key, unix_ms).verify_slice(&digest).map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "key_test";
    const NOW: i64 = 1_764_150_000_000;

    #[test]
    fn matches_the_reference_digest() {
        // HMAC-SHA256("key_test", "{}1764150000000"), computed independently with Python's hmac module.
        assert_eq!(
            sign(b"{}", KEY, NOW),
            "v=1764150000000,d=4e1d987d33fc0ed1a74a9798306e96371d3e595d6e8efb8a3ddf05ee72e163b3"
        );
    }

    #[test]
    fn accepts_its_own_signature_within_the_window() {
        let header = sign(b"{\"a\":1}", KEY, NOW);
        assert_eq!(verify(b"{\"a\":1}", KEY, Some(&header), NOW + 299_000), Ok(()));
        assert_eq!(verify(b"{\"a\":1}", KEY, Some(&header), NOW - 299_000), Ok(()));
    }

    #[test]
    fn refuses_everything_else() {
        let header = sign(b"{\"a\":1}", KEY, NOW);
        assert_eq!(verify(b"{\"a\":1}", KEY, None, NOW), Err(SignatureError::Missing));
        assert_eq!(verify(b"{\"a\":1}", KEY, Some("nonsense"), NOW), Err(SignatureError::Malformed));
        assert_eq!(verify(b"{\"a\":1}", KEY, Some("v=12,d=zz"), NOW), Err(SignatureError::Malformed));
        assert_eq!(verify(b"{\"a\":1}", KEY, Some(&header), NOW + 301_000), Err(SignatureError::Stale));
        assert_eq!(verify(b"{\"a\":2}", KEY, Some(&header), NOW), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"{\"a\":1}", "other", Some(&header), NOW), Err(SignatureError::Mismatch));
    }
}
