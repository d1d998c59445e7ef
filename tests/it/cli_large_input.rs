//! A plan large enough for the parallel input checks and for the reader's release
//! steps (over 16 MiB), read from a file: every report must be exactly what the same
//! plan gives when it is read whole from standard input.

use crate::cli_support;

use cli_support::*;

/// The seed plan with its self-contained resources repeated under `for_each` keys
/// until the file passes `min_bytes`.
fn large_plan(min_bytes: usize) -> String {
    let text = std::fs::read_to_string(root().join(SEED_PLAN)).expect("seed plan");
    let mut plan: serde_json::Value = serde_json::from_str(&text).expect("seed plan is JSON");
    let changes = plan["resource_changes"]
        .as_array()
        .expect("resource_changes");
    // Resources that no other resource refers to, so copies stay independent.
    let templates: Vec<serde_json::Value> = changes
        .iter()
        .filter(|c| {
            matches!(
                c["address"].as_str(),
                Some(
                    "alicloud_oss_bucket.customer_exports"
                        | "aws_s3_bucket.eu_customers"
                        | "google_storage_bucket.audit_logs"
                )
            )
        })
        .cloned()
        .collect();
    assert_eq!(templates.len(), 3, "the seed plan changed");
    let per_copy: usize = templates.iter().map(|t| t.to_string().len()).sum();
    let copies = min_bytes / per_copy + 1;
    let mut out = changes.clone();
    for i in 0..copies {
        for t in &templates {
            let mut c = t.clone();
            let address = format!("{}[\"k{i}\"]", t["address"].as_str().unwrap_or_default());
            c["address"] = address.into();
            c["index"] = format!("k{i}").into();
            if let Some(after) = c["change"]["after"].as_object_mut() {
                for key in ["bucket", "name"] {
                    if let Some(serde_json::Value::String(s)) = after.get_mut(key) {
                        *s = format!("{s}-{i}");
                    }
                }
            }
            out.push(c);
        }
    }
    plan["resource_changes"] = out.into();
    let text = serde_json::to_string(&plan).expect("serialises");
    assert!(text.len() > min_bytes);
    text
}

#[test]
fn a_large_plan_file_reports_exactly_what_standard_input_does() {
    let plan = large_plan(17 << 20);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.plan.json");
    std::fs::write(&path, &plan).expect("write plan");
    let file = path.to_str().expect("UTF-8 path");
    for args in [
        &["check", "--format", "json", "--today", "2026-06-01"][..],
        &["inventory"][..],
    ] {
        let from_file = run(&[args, &[file]].concat());
        let from_stdin = run_in(&root(), &[args, &["-"]].concat(), Some(plan.as_bytes()));
        assert_ne!(from_file.code, 2, "{}", from_file.dump());
        assert_eq!(from_file.code, from_stdin.code, "{}", from_file.dump());
        // Reports name their input: the file by its path, standard input as `-`.
        let named = from_file.stdout.replace(&format!("\"{file}\""), "\"-\"");
        assert!(
            named == from_stdin.stdout,
            "`juris {}` on the file and on standard input differ",
            args[0]
        );
    }
}
