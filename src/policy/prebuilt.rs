//! The standard policy set (the standard library and the shipped rules), compiled ahead
//! of time: `juris check` without policies of its own decodes it instead of parsing,
//! checking and lowering some 45 KB of policy text at every start.
//!
//! `prebuilt/standard-policies.bin` holds the lowered [`Program`]; the sources are the
//! ones embedded in the binary, so positions, the reports' rule text and `juris rules`
//! are the same either way. The test `prebuilt::artifacts_are_current` compiles the set
//! from source and compares; `JURIS_UPDATE_PREBUILT=1` rewrites the file.

#![forbid(unsafe_code)]

use crate::diag::SourceFile;
use crate::ir::Program;

/// What the artifact holds (its header says so).
const KIND: &str = "standard-policies";

/// The digest `build.rs` computed of the policy sources and the front end.
const DIGEST: &str = env!("JURIS_POLICY_DIGEST");

/// The artifact, as the project stores it.
static EMBEDDED: &[u8] = include_bytes!("../../prebuilt/standard-policies.bin");

/// Where the artifact is stored, from the project root.
pub const PATH: &str = "prebuilt/standard-policies.bin";

/// Whether `files` are the standard set and nothing else ([`super::standard_sources`]):
/// the same names and texts in the same order.
pub(super) fn is_standard(files: &[SourceFile]) -> bool {
    let shipped = super::STDLIB.iter().chain(super::STANDARD_RULES);
    files.len() == super::STDLIB.len() + super::STANDARD_RULES.len()
        && files
            .iter()
            .zip(shipped)
            .all(|(f, (name, text))| f.name == *name && &*f.text == *text)
}

/// The stored program, when the embedded artifact was made from the sources and the
/// front end this binary was built from.
pub fn stored() -> Option<Program> {
    crate::prebuilt::decode(KIND, DIGEST, EMBEDDED)
}

/// The artifact as this binary's sources make it: compiled from source, never from the
/// stored artifact. The standard set must compile without warnings, since the stored
/// program carries none.
pub fn build() -> Result<Vec<u8>, String> {
    let set = crate::diag::with_compiler_stack(|| {
        super::PolicySet::from_source(super::standard_sources())
    })
    .map_err(|d| format!("the standard policies do not compile: {d:?}"))?;
    if !set.warnings().is_empty() {
        return Err(format!(
            "the standard policies compile with warnings: {:?}",
            set.warnings()
        ));
    }
    crate::prebuilt::encode(KIND, DIGEST, set.program())
}
