//! The built-in catalog, read ahead of time: [`Catalog::builtin`] decodes
//! `prebuilt/builtin-catalog.bin` instead of parsing and checking some 100 KB of TOML at
//! every start. The test `prebuilt::artifacts_are_current` reads the TOML files and
//! compares; `JURIS_UPDATE_PREBUILT=1` rewrites the file.

#![forbid(unsafe_code)]

use super::Catalog;

/// What the artifact holds (its header says so).
const KIND: &str = "builtin-catalog";

/// The digest `build.rs` computed of the catalog's files and its loader.
const DIGEST: &str = env!("JURIS_CATALOG_DIGEST");

/// The artifact, as the project stores it.
static EMBEDDED: &[u8] = include_bytes!("../../prebuilt/builtin-catalog.bin");

/// Where the artifact is stored, from the project root.
pub const PATH: &str = "prebuilt/builtin-catalog.bin";

/// The stored catalog, when the embedded artifact was made from the files and the loader
/// this binary was built from.
pub fn stored() -> Option<Catalog> {
    crate::prebuilt::decode(KIND, DIGEST, EMBEDDED)
}

/// The built-in catalog read from its TOML files, never from the stored artifact: what
/// the artifact is made from, and what [`Catalog::builtin`] reads when it is out of date.
pub fn from_source() -> Catalog {
    let mut c = Catalog::default();
    for (origin, text) in super::BUILTIN {
        if let Err(e) = c.extend_from_toml(text, origin) {
            // The built-in files are checked by `tests/it/catalog_builtin.rs`; reaching this
            // means the binary was built from data that never passed its tests.
            panic!("built-in catalog file {origin} is invalid: {e}");
        }
    }
    c
}

/// The artifact as this binary's sources make it.
pub fn build() -> Result<Vec<u8>, String> {
    crate::prebuilt::encode(KIND, DIGEST, &from_source())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored catalog holds the facts the files do (`version` digests every entry)
    /// and names the same files.
    #[test]
    fn the_stored_catalog_holds_what_the_files_do() {
        let Some(stored) = stored() else {
            panic!("the embedded catalog does not decode: see tests/it/prebuilt.rs");
        };
        let files = from_source();
        assert_eq!(stored.version(), files.version());
        assert_eq!(stored.origins(), files.origins());
    }
}
