//! The limits from the command line and `juris.toml`: a policy that would run away is
//! stopped with exit 2 and an error naming the rule, the resource and the limit, on
//! both engines; `--limit` and `[limits]` change them; a bad name or value is refused.

use crate::cli_support;

use cli_support::*;

/// A rule whose message doubles the address thirty times over nested functions.
fn runaway_policy(dir: &std::path::Path) -> String {
    let mut text = "package acme.runaway\n\nfn d0(s: string) -> string { \"{s}{s}\" }\n".to_owned();
    for k in 1..=30 {
        text.push_str(&format!(
            "fn d{k}(s: string) -> string {{ d{p}(d{p}(s)) }}\n",
            p = k - 1
        ));
    }
    text.push_str(
        "\nrule runaway {\n  id: \"ACME-RUN\"  severity: low  enforce: hard\n  for r in resources\n  deny if count(d30(r.address)) > 0\n}\n",
    );
    let path = dir.join("runaway.juris");
    std::fs::write(&path, text).expect("write policy");
    path.to_string_lossy().into_owned()
}

fn stopped(r: &Run, limit: &str) {
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "{}", r.dump());
    assert!(r.stderr.contains(limit), "{limit}: {}", r.dump());
}

#[test]
fn a_runaway_rule_stops_with_exit_2_naming_rule_resource_and_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = runaway_policy(dir.path());
    let r = run(&["check", "--no-standard", "--policy", &policy, INVENTORY]);
    stopped(&r, "value_bytes");
    assert!(r.stderr.contains("ACME-RUN"), "{}", r.dump());
    assert!(r.stderr.contains("value_bytes=N"), "{}", r.dump());
    // The module runs out of memory instead: the same exit code.
    let r = run(&[
        "check",
        "--no-standard",
        "--engine",
        "wasm",
        "--limit",
        "wasm_memory=67108864",
        "--policy",
        &policy,
        INVENTORY,
    ]);
    stopped(&r, "memory");
}

#[test]
fn limits_come_from_the_flag_and_from_juris_toml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inventory = root().join(INVENTORY).to_string_lossy().into_owned();
    // A step budget too small for the fixture policies' rules.
    let r = run(&[
        "check",
        "--no-standard",
        "--policy",
        POLICIES,
        "--limit",
        "eval_steps=1",
        &inventory,
    ]);
    stopped(&r, "eval_steps");
    std::fs::write(dir.path().join("juris.toml"), "[limits]\neval_steps = 1\n").expect("toml");
    let policies = root().join(POLICIES).to_string_lossy().into_owned();
    let in_dir = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--no-standard",
            "--policy",
            &policies,
            "--today",
            "2026-06-01",
        ];
        args.extend_from_slice(extra);
        args.push(&inventory);
        run_in(dir.path(), &args, None)
    };
    stopped(&in_dir(&[]), "eval_steps");
    // The flag wins over the file.
    let r = in_dir(&["--limit", "eval_steps=1_000_000"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.dump());
}

#[test]
fn unknown_limits_and_bad_values_are_refused() {
    for (arg, says) in [
        (
            "steps=5",
            "the limits are input_bytes, input_depth, eval_steps",
        ),
        ("eval_steps=0", "at least 1"),
        ("eval_steps=many", "not a whole number"),
        ("input_depth=500", "at most 128"),
    ] {
        let r = check(&["--limit", arg, INVENTORY]);
        assert_eq!(r.code, 2, "{arg}: {}", r.dump());
        assert!(r.stderr.contains(says), "{arg}: {}", r.dump());
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("juris.toml"), "[limits]\nfuel = 5\n").expect("toml");
    let r = run_in(
        dir.path(),
        &["check", &root().join(INVENTORY).to_string_lossy()],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(
        r.stderr.contains("[limits]: `fuel` is not a"),
        "{}",
        r.dump()
    );
}
