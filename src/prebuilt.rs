//! Prebuilt artifacts: what every run would otherwise build the same way at start-up
//! (the standard policy set, the built-in catalog), built ahead of time, stored under
//! `prebuilt/` and embedded in the binary.
//!
//! An artifact is a header (what it holds, and the digest of the files it was made
//! from; `build.rs` computes the same digest for the files this binary was built from)
//! and the value in postcard's encoding. [`decode`] returns the value only when both
//! match and the bytes decode whole; anything else means "build it from source", so a
//! stale or damaged artifact costs time, never a wrong answer. The test
//! `prebuilt::artifacts_are_current` keeps the stored files equal to a fresh build.

#![forbid(unsafe_code)]

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What an artifact holds and what it was made from.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Eq, Debug)]
struct Header {
    /// What it holds, so one artifact is never read as another.
    kind: String,
    /// The digest of the inputs (`build.rs`).
    digest: String,
}

/// The artifact of `value`, made from inputs with this digest. Encoding into memory
/// fails only for what postcard cannot represent (a sequence of unknown length, a field
/// left out by `skip_serializing_if`).
pub fn encode<T: Serialize>(kind: &str, digest: &str, value: &T) -> Result<Vec<u8>, String> {
    let header = Header {
        kind: kind.to_owned(),
        digest: digest.to_owned(),
    };
    let mut out = postcard::to_allocvec(&header).map_err(|e| e.to_string())?;
    out.extend(postcard::to_allocvec(value).map_err(|e| e.to_string())?);
    Ok(out)
}

/// The value in `bytes`, if it is a whole artifact of this kind made from inputs with
/// this digest.
pub fn decode<T: DeserializeOwned>(kind: &str, digest: &str, bytes: &[u8]) -> Option<T> {
    let (header, rest) = postcard::take_from_bytes::<Header>(bytes).ok()?;
    if header.kind != kind || header.digest != digest {
        return None;
    }
    match postcard::take_from_bytes::<T>(rest) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_decodes_only_with_its_kind_and_digest_and_whole() {
        let value = (vec!["a".to_owned(), "bc".to_owned()], Some(7u32));
        let bytes = encode("pair", "0123", &value).expect("encodes");
        assert_eq!(decode("pair", "0123", &bytes), Some(value.clone()));
        assert_eq!(
            decode::<(Vec<String>, Option<u32>)>("pair", "0124", &bytes),
            None
        );
        assert_eq!(
            decode::<(Vec<String>, Option<u32>)>("other", "0123", &bytes),
            None
        );
        // Cut short, or with bytes after it: not an artifact.
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(
            decode::<(Vec<String>, Option<u32>)>("pair", "0123", cut),
            None
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            decode::<(Vec<String>, Option<u32>)>("pair", "0123", &longer),
            None
        );
        assert_eq!(
            decode::<(Vec<String>, Option<u32>)>("pair", "0123", &[]),
            None
        );
    }
}
