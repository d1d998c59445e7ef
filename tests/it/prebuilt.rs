//! The prebuilt artifacts (`prebuilt/`, docs/architecture.md): each stored file must be
//! what this checkout's sources build, and the binary must be able to use it. Run with
//! `JURIS_UPDATE_PREBUILT=1` to rewrite a file that is out of date.

use std::path::Path;

use juris::PolicySet;
use juris::diag::SourceFile;

/// Compares a stored artifact with a fresh build, or rewrites it when asked.
fn current(path: &str, fresh: Result<Vec<u8>, String>) -> Result<(), String> {
    let fresh = fresh?;
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let stored = std::fs::read(&file).unwrap_or_default();
    if stored == fresh {
        return Ok(());
    }
    if std::env::var_os("JURIS_UPDATE_PREBUILT").is_some() {
        std::fs::write(&file, &fresh).map_err(|e| format!("{path}: {e}"))?;
        return Ok(());
    }
    Err(format!(
        "{path} is out of date ({} bytes stored, {} built): rebuild it with \
         `JURIS_UPDATE_PREBUILT=1 cargo test --test it prebuilt`, then rebuild juris \
         and commit the file",
        stored.len(),
        fresh.len()
    ))
}

#[test]
fn artifacts_are_current() {
    let results = [
        current(
            juris::policy::prebuilt::PATH,
            juris::policy::prebuilt::build(),
        ),
        current(
            juris::catalog::prebuilt::PATH,
            juris::catalog::prebuilt::build(),
        ),
    ];
    let failed: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The binary decodes what it embeds: an artifact that does not decode would make every
/// run compile from source again, which no output shows.
#[test]
fn the_embedded_artifacts_decode() {
    assert!(
        juris::policy::prebuilt::stored().is_some(),
        "the embedded standard policy set does not decode: run \
         `JURIS_UPDATE_PREBUILT=1 cargo test --test it prebuilt` and rebuild"
    );
    assert!(
        juris::catalog::prebuilt::stored().is_some(),
        "the embedded catalog does not decode: run \
         `JURIS_UPDATE_PREBUILT=1 cargo test --test it prebuilt` and rebuild"
    );
}

/// The stored program is the compiled one: same rules, functions, sets and
/// expressions (the IR's debug form shows every node).
#[test]
fn the_stored_standard_set_is_the_compiled_one() {
    let Some(stored) = juris::policy::prebuilt::stored() else {
        panic!("the embedded standard policy set does not decode");
    };
    let mut files = juris::policy::standard_sources();
    // One file more than the standard set: compiled from source, never from the artifact.
    files.push(SourceFile::new("empty.juris", "package acme.empty\n"));
    let compiled = PolicySet::compile_exact(files).expect("compiles");
    assert_eq!(format!("{:?}", stored), format!("{:?}", compiled.program()));
    let standard = PolicySet::compile_standard(Vec::new()).expect("compiles");
    assert_eq!(
        format!("{:?}", standard.program()),
        format!("{:?}", compiled.program())
    );
}
