//! A plan cut at any byte is refused (exit 2 from the CLI), never read as a smaller
//! plan: every offset of the seed plan, in process, and with `JURIS_SHARED_FIXTURES`
//! set the real plans in that folder (skipped loudly when it is unset): every 4093rd
//! offset and the last 64 bytes of each. Each cut is a load of the whole prefix, so
//! every offset of a 400 KB plan is 87 GB of parsing; `JURIS_SWEEP_ALL=1` sweeps every
//! offset of every real plan (run it in a release build: `cargo test --release --test
//! adapters_truncation`).
//!
//! A document is complete once its closing `}` is there: cutting only the whitespace
//! after it (the seed plan's final newline, byte 24,886 of 24,887) leaves the same
//! document, which must read exactly as the whole file does.

use std::path::{Path, PathBuf};

use juris::adapters::{LoadOptions, load_bytes};
use juris::catalog::Catalog;

/// Loads every prefix of `bytes` on all cores; panics on the first one read.
fn sweep(name: &str, bytes: &[u8]) {
    sweep_cuts(name, bytes, &|_| true);
}

/// Loads the prefixes of `bytes` whose lengths `cut` accepts.
fn sweep_cuts(name: &str, bytes: &[u8], cut_here: &(dyn Fn(usize) -> bool + Sync)) {
    let catalog = Catalog::builtin();
    let opts = LoadOptions::new(&catalog);
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let whole = load_bytes(name, bytes, &opts).expect("the whole document reads");
    let whole = serde_json::to_string(&whole).unwrap();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for t in 0..threads {
            let (opts, whole) = (&opts, &whole);
            s.spawn(move || {
                for cut in (t..bytes.len()).step_by(threads).filter(|c| cut_here(*c)) {
                    let prefix = &bytes[..cut];
                    match load_bytes(name, prefix, opts) {
                        Err(_) if cut < end => {}
                        Ok(inv) if cut >= end => {
                            assert_eq!(
                                &serde_json::to_string(&inv).unwrap(),
                                whole,
                                "{name} without its trailing whitespace reads differently"
                            );
                        }
                        Ok(_) => panic!("{name} cut at byte {cut} of {} was read", bytes.len()),
                        Err(e) => panic!("{name} cut after its end ({cut}) was refused: {e}"),
                    }
                }
            });
        }
    });
}

#[test]
fn the_seed_plan_cut_anywhere_is_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/seed/plan.json");
    sweep("plan.json", &std::fs::read(path).unwrap());
}

#[test]
fn the_real_plans_cut_anywhere_are_refused() {
    let Some(dir) = std::env::var_os("JURIS_SHARED_FIXTURES").map(PathBuf::from) else {
        println!("SKIPPED: JURIS_SHARED_FIXTURES is not set, so the real plans are not swept");
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no plans in {}", dir.display());
    let all = std::env::var_os("JURIS_SWEEP_ALL").is_some();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        if all {
            sweep(&name, &bytes);
        } else {
            sweep_cuts(&name, &bytes, &|cut| cut % 4093 == 0 || cut + 64 >= len);
        }
    }
}
