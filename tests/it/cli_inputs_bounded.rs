//! Every input goes through one bounded reader: devices, named pipes and standard input
//! are refused past the size limit or as soon as they cannot be JSON, and a named pipe
//! nobody writes to is refused, never waited on. Each run here has a deadline: a hang
//! fails the test instead of stalling the suite.

use crate::cli_support;

use std::time::Duration;

use cli_support::*;

/// How long a run may take before it counts as a hang (debug build, busy machine).
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs juris in the crate root with a deadline.
fn run_bounded(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut c = command();
    c.args(args);
    output_within(c, stdin.as_deref(), Some(DEADLINE))
}

fn refused(r: &Run, words: &[&str]) {
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "nothing on stdout: {}", r.dump());
    for w in words {
        assert!(r.stderr.contains(w), "{w:?} in {}", r.dump());
    }
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_at_once() {
    let r = run_bounded(&["check", "/dev/zero"], None);
    refused(&r, &["/dev/zero", "binary data"]);
}

#[cfg(unix)]
#[test]
fn dev_urandom_is_refused_at_once() {
    let r = run_bounded(&["check", "/dev/urandom"], None);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stderr.contains("/dev/urandom"), "{}", r.dump());
}

#[cfg(unix)]
#[test]
fn dev_null_is_an_empty_input() {
    let r = run_bounded(&["check", "/dev/null"], None);
    refused(&r, &["empty"]);
}

#[test]
fn endless_zeros_on_standard_input_are_refused() {
    let r = run_bounded(&["check", "-"], Some(vec![0u8; 8 << 20]));
    refused(&r, &["binary data"]);
}

#[test]
fn standard_input_past_the_limit_is_refused() {
    let seed = std::fs::read(root().join(SEED_PLAN)).expect("seed");
    let r = run_bounded(&["check", "--limit", "input_bytes=1000", "-"], Some(seed));
    refused(
        &r,
        &[
            "larger than the 1000-byte input limit",
            "E0032",
            "--limit input_bytes=N",
        ],
    );
}

#[test]
fn a_file_past_the_limit_is_refused_before_reading() {
    let r = run_bounded(&["check", "--limit", "input_bytes=1000", SEED_PLAN], None);
    refused(
        &r,
        &[
            "over the 1000-byte input limit",
            "E0032",
            "--limit input_bytes=N",
        ],
    );
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_without_a_writer_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("plan.json");
    mkfifo(&fifo);
    let r = run_bounded(&["check", &fifo.to_string_lossy()], None);
    refused(
        &r,
        &["named pipe that no program is writing to", "juris check -"],
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_with_a_writer_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("plan.json");
    mkfifo(&fifo);
    let seed = std::fs::read(root().join(SEED_PLAN)).expect("seed");
    let writer_path = fifo.clone();
    // As a shell's `cmd > fifo & juris check fifo`: the writer may open before or after
    // juris does (juris gives it two seconds).
    let writer = std::thread::spawn(move || {
        std::fs::write(writer_path, seed).expect("write the pipe");
    });
    let r = run_bounded(&["check", &fifo.to_string_lossy()], None);
    writer.join().expect("writer");
    assert_eq!(
        r.code,
        1,
        "the seed plan has blocking findings: {}",
        r.dump()
    );
    assert!(r.stdout.contains("RES-US-001"), "{}", r.dump());
}

#[cfg(target_os = "linux")]
#[test]
fn dev_stdin_reads_standard_input() {
    let seed = std::fs::read(root().join(SEED_PLAN)).expect("seed");
    let r = run_bounded(&["check", "/dev/stdin"], Some(seed));
    assert_eq!(r.code, 1, "{}", r.dump());
}
