//! Terraform source: `juris check DIR` builds the same model from `.tf` files as from
//! the plan Terraform writes for them, says *undetermined* where only the plan could
//! know, and every finding on a plan lands on the line of the block that declares it.
//!
//! Fixtures: `tests/fixtures/source/modules` (aliased providers, nested local modules, a
//! registry module installed in `.terraform/modules`, tfvars, count and for_each) and
//! `tests/fixtures/source/unknowns`, each with the `plan.json` Terraform writes for it.

use crate::cli_support;

use std::collections::BTreeMap;
use std::path::Path;

use cli_support::*;
use serde_json::Value;

const MODULES: &str = "tests/fixtures/source/modules";
const UNKNOWNS: &str = "tests/fixtures/source/unknowns";

fn check_json(args: &[&str]) -> (Run, Value) {
    let mut all = vec!["check", "--today", "2026-06-01", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "{}", r.dump());
    let doc = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.dump()));
    (r, doc)
}

fn inventory(args: &[&str]) -> Value {
    let mut all = vec!["inventory"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.dump());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.dump()))
}

/// (rule, address) → outcome, for every finding.
fn outcomes(report: &Value) -> BTreeMap<(String, String), String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["address"].as_str().unwrap().to_owned(),
                ),
                f["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn by_address(inv: &Value) -> BTreeMap<String, Value> {
    inv["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| (r["address"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

/// Location without its derivation (which says *how*, and differs by design).
fn place(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("derivation");
    }
    v
}

#[test]
fn source_and_plan_give_the_same_model_where_everything_is_known() {
    let plan = by_address(&inventory(&[
        "--no-source",
        &format!("{MODULES}/plan.json"),
    ]));
    let source = by_address(&inventory(&[MODULES]));
    assert_eq!(
        plan.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>(),
        "the same resource instances"
    );
    assert_eq!(plan.len(), 12);
    for (address, p) in &plan {
        let s = &source[address];
        for field in ["type", "name", "provider", "custody"] {
            assert_eq!(p[field], s[field], "{address}: {field}");
        }
        assert_eq!(
            place(&p["location"]),
            place(&s["location"]),
            "{address}: location\nplan:   {}\nsource: {}",
            p["location"],
            s["location"]
        );
        let flows = |r: &Value| -> Vec<(Value, Value, Value, Value)> {
            r["flows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["kind"].clone(),
                        f["target"].clone(),
                        place(&f["location"]),
                        f["custody"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(flows(p), flows(s), "{address}: flows");
        // Tags the source sets are the plan's (the plan may add provider-made ones,
        // such as Google's `goog-terraform-provisioned` label).
        for (k, v) in s["tags"].as_object().unwrap() {
            assert_eq!(&p["tags"][k], v, "{address}: tag {k}");
        }
    }
    // What only the source can say: where each instance is declared.
    assert_eq!(
        source["module.customer_data.aws_s3_bucket.replica"]["source"],
        serde_json::json!({
            "file": "tests/fixtures/source/modules/modules/replicated-bucket/main.tf",
            "line": 31,
            "end_line": 35
        })
    );
}

#[test]
fn source_and_plan_give_the_same_findings_where_everything_is_known() {
    let (plan_run, plan) = check_json(&[&format!("{MODULES}/plan.json")]);
    let (source_run, source) = check_json(&[MODULES]);
    assert_eq!(outcomes(&plan), outcomes(&source));
    assert_eq!(plan_run.code, source_run.code);
    assert_eq!(
        plan_run.code, 1,
        "US persons' data is replicated to Frankfurt"
    );
    let o = outcomes(&source);
    assert_eq!(
        o.get(&(
            "RES-US-003".into(),
            "module.customer_data.aws_s3_bucket.primary".into()
        ))
        .map(String::as_str),
        Some("violation"),
        "{o:?}"
    );
    // Both reports point at the same source lines.
    let sources = |doc: &Value| -> Vec<Value> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["source"].clone())
            .collect()
    };
    assert_eq!(sources(&plan), sources(&source));
    assert!(sources(&plan).iter().all(|s| s.is_object()));
}

#[test]
fn source_says_undetermined_where_only_the_plan_knows() {
    let (plan_run, plan) = check_json(&[&format!("{UNKNOWNS}/plan.json")]);
    let (source_run, source) = check_json(&[UNKNOWNS]);
    let plan = outcomes(&plan);
    let source = outcomes(&source);
    assert_eq!(
        plan.get(&(
            "RES-US-002".into(),
            "azurerm_storage_account.exports".into()
        )),
        Some(&"violation".to_owned()),
        "the plan read the resource group's location (eastasia): {plan:?}"
    );
    assert_eq!(
        plan.get(&("RES-US-002".into(), "aws_s3_bucket.records".into())),
        Some(&"violation".to_owned()),
        "the plan has the region variable (ap-east-1): {plan:?}"
    );
    for address in ["azurerm_storage_account.exports", "aws_s3_bucket.records"] {
        assert_eq!(
            source.get(&("RES-US-002".into(), address.into())),
            Some(&"undetermined".to_owned()),
            "{address}: source cannot know, and says so: {source:?}"
        );
    }
    // Instances made from an unknown collection: one stands for them all, undetermined.
    assert_eq!(
        source.get(&("RES-US-002".into(), "aws_s3_bucket.per_team".into())),
        Some(&"undetermined".to_owned()),
        "{source:?}"
    );
    // Undetermined blocks for the US rules, so the source check fails closed too.
    assert_eq!(plan_run.code, 1);
    assert_eq!(source_run.code, 1, "{}", source_run.dump());
    assert!(
        source_run.stdout.is_empty() || source_run.stdout.starts_with('{'),
        "nothing but the report on stdout"
    );
}

#[test]
fn unknown_values_say_why_in_the_derivation() {
    let inv = by_address(&inventory(&[UNKNOWNS]));
    let records = &inv["aws_s3_bucket.records"]["location"];
    assert_eq!(records["region"], serde_json::json!({"unknown": true}));
    let why = records["derivation"].as_str().unwrap();
    assert!(why.contains("`var.region` has no value"), "{why}");
    let exports = inv["azurerm_storage_account.exports"]["location"]["derivation"]
        .as_str()
        .unwrap();
    assert!(
        exports.contains("data source `data.azurerm_resource_group.shared`"),
        "{exports}"
    );
    let warnings = inventory(&[UNKNOWNS])["warnings"].to_string();
    assert!(warnings.contains("aws_s3_bucket.per_team"), "{warnings}");
    // Given the variable, the region is known, and the derivation names where it came from.
    let known = by_address(&inventory(&[
        "--var",
        "region=eu-west-1",
        "--var",
        "teams=[\"x\"]",
        UNKNOWNS,
    ]));
    let loc = &known["aws_s3_bucket.records"]["location"];
    assert_eq!(loc["countries"], serde_json::json!(["IE"]));
    assert!(
        loc["derivation"]
            .as_str()
            .unwrap()
            .contains("`var.region` = `eu-west-1` (from `--var`)"),
        "{loc}"
    );
    assert!(
        known.contains_key("aws_s3_bucket.per_team[\"x\"]"),
        "{:?}",
        known.keys()
    );
}

#[test]
fn derivations_name_the_file_and_line_a_value_came_from() {
    let inv = by_address(&inventory(&[MODULES]));
    let logs = inv["aws_s3_bucket.logs[0]"]["location"]["derivation"]
        .as_str()
        .unwrap();
    assert!(
        logs.contains(
            "`var.region` = `us-east-2` (from `tests/fixtures/source/modules/terraform.tfvars:2`)"
        ),
        "{logs}"
    );
    let eu = inv["aws_s3_bucket.regional[\"alpha\"]"]["location"]["derivation"]
        .as_str()
        .unwrap();
    assert!(
        eu.contains("`var.eu_region` = `eu-central-1` (its default in `tests/fixtures/source/modules/variables.tf:12`)"),
        "{eu}"
    );
}

/// Each source location names the block that declares the resource: its first line
/// is `resource "TYPE" "NAME" {` and its last line closes it.
fn assert_lines_declare(file: &str, line: u64, end_line: u64, address: &str) {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let config = address
        .rsplit("module.")
        .next()
        .unwrap()
        .split('[')
        .next()
        .unwrap();
    let config = config
        .split('.')
        .skip_while(|s| s.is_empty())
        .collect::<Vec<_>>();
    let (t, n) = (config[config.len() - 2], config[config.len() - 1]);
    let first = lines[line as usize - 1];
    assert_eq!(
        first.trim(),
        format!("resource \"{t}\" \"{n}\" {{"),
        "{address}: {file}:{line}"
    );
    assert_eq!(
        lines[end_line as usize - 1].trim(),
        "}",
        "{address}: {file}:{end_line}"
    );
}

#[test]
fn every_format_puts_plan_findings_on_the_declaring_lines() {
    let plan = format!("{MODULES}/plan.json");
    let (_, json) = check_json(&[&plan]);
    let findings = json["findings"].as_array().unwrap();
    // Five US findings and two RES-EU-003 advisories (EEA data under a US parent).
    assert_eq!(findings.len(), 7);
    for f in findings {
        let s = &f["source"];
        assert_lines_declare(
            s["file"].as_str().unwrap(),
            s["line"].as_u64().unwrap(),
            s["end_line"].as_u64().unwrap(),
            f["address"].as_str().unwrap(),
        );
        for rel in f["related"].as_array().into_iter().flatten() {
            assert_lines_declare(
                rel["file"].as_str().unwrap(),
                rel["line"].as_u64().unwrap(),
                rel["end_line"].as_u64().unwrap(),
                rel["address"].as_str().unwrap(),
            );
        }
    }

    // SARIF: the block as the physical location, the plan related.
    let sarif = run(&["check", "--today", "2026-06-01", "--format", "sarif", &plan]);
    let doc: Value = serde_json::from_str(&sarif.stdout).expect("sarif");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["source"]["file"]);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], f["source"]["line"]);
        assert_eq!(loc["region"]["endLine"], f["source"]["end_line"]);
        assert_eq!(
            r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            plan.as_str()
        );
    }

    // GitHub annotations on the file and lines.
    let gh = run(&[
        "check",
        "--today",
        "2026-06-01",
        "--format",
        "github",
        &plan,
    ]);
    let annotations: Vec<&str> = gh.stdout.lines().filter(|l| l.contains("file=")).collect();
    assert_eq!(annotations.len(), findings.len());
    for (line, f) in annotations.iter().zip(findings) {
        let want = format!(
            "file={},line={},endLine={},",
            f["source"]["file"].as_str().unwrap(),
            f["source"]["line"],
            f["source"]["end_line"]
        );
        assert!(line.contains(&want), "{line}\nwants {want}");
    }

    // Human output names file:line; Markdown links the lines.
    let human = run(&["check", "--today", "2026-06-01", &plan]);
    let md = run(&[
        "check",
        "--today",
        "2026-06-01",
        "--format",
        "markdown",
        "--link-base",
        "https://example.com/acme/blob/abc123",
        &plan,
    ]);
    for f in findings.iter().filter(|f| f["blocking"] == true) {
        let file = f["source"]["file"].as_str().unwrap();
        let (line, end) = (&f["source"]["line"], &f["source"]["end_line"]);
        assert!(
            human.stdout.contains(&format!("{file}:{line}")),
            "{}",
            human.stdout
        );
        assert!(
            md.stdout.contains(&format!(
                "(https://example.com/acme/blob/abc123/{file}#L{line}-L{end})"
            )),
            "{}",
            md.stdout
        );
    }
}

#[test]
fn a_finding_about_a_copy_names_the_copy_as_related() {
    let (_, doc) = check_json(&[MODULES]);
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "RES-US-003"
                && f["address"] == "module.customer_data.aws_s3_bucket.primary"
        })
        .expect("the replication finding");
    let related: Vec<(&str, &str)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap(), r["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        related,
        [
            (
                "module.customer_data.aws_s3_bucket_replication_configuration.this",
                "declares the s3-replication copy"
            ),
            (
                "module.customer_data.aws_s3_bucket.replica",
                "receives the s3-replication copy"
            )
        ]
    );
    assert_eq!(f["source"]["line"], 26);
}

#[test]
fn without_source_findings_stay_on_the_plan_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::copy(root().join(MODULES).join("plan.json"), &plan).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--today",
            "2026-06-01",
            "--format",
            "json",
            plan.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.dump());
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("source").is_none())
    );
    let human = run_in(
        dir.path(),
        &["check", "--today", "2026-06-01", plan.to_str().unwrap()],
        None,
    );
    assert!(
        human.stdout.contains("no `.tf` files next to the plan"),
        "{}",
        human.dump()
    );
    // Every other format carries the note too: where it has room for one, on stderr
    // for the JSON and JUnit documents, which have none.
    let note = "no `.tf` files next to the plan";
    assert!(r.stderr.contains("juris: warning: "), "{}", r.dump());
    assert!(r.stderr.contains(note), "{}", r.dump());
    let format = |f: &str| {
        run_in(
            dir.path(),
            &[
                "check",
                "--today",
                "2026-06-01",
                "--format",
                f,
                plan.to_str().unwrap(),
            ],
            None,
        )
    };
    let github = format("github");
    assert!(
        github
            .stdout
            .lines()
            .any(|l| l.starts_with("::warning title=juris input::") && l.contains(note)),
        "{}",
        github.dump()
    );
    let markdown = format("markdown");
    assert!(
        markdown.stdout.contains("### Input warnings"),
        "{}",
        markdown.dump()
    );
    assert!(markdown.stdout.contains(note), "{}", markdown.dump());
    let sarif: Value = serde_json::from_str(&format("sarif").stdout).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notes
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n["level"] == "warning"
                && n["message"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains(note)))),
        "{notes}"
    );
    let junit = format("junit");
    assert!(junit.stderr.contains(note), "{}", junit.dump());
    // --source points elsewhere.
    let with = run_in(
        dir.path(),
        &[
            "check",
            "--today",
            "2026-06-01",
            "--format",
            "json",
            "--source",
            root().join(MODULES).to_str().unwrap(),
            plan.to_str().unwrap(),
        ],
        None,
    );
    let doc: Value = serde_json::from_str(&with.stdout).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["source"].is_object())
    );
}

#[test]
fn a_module_not_initialised_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
provider "aws" { region = "us-east-1" }
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
resource "aws_s3_bucket" "b" { bucket = "b" }
"#,
    );
    let inv = inventory(&[dir.path().to_str().unwrap()]);
    let w = inv["warnings"].to_string();
    assert!(w.contains("module `module.vpc` is not checked"), "{w}");
    assert!(w.contains("run `terraform init`"), "{w}");
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn variables_follow_terraforms_precedence() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "region" { default = "us-east-1" }
provider "aws" { region = var.region }
resource "aws_s3_bucket" "b" { bucket = "b" }
"#,
    );
    let region = |args: &[&str], env: Option<&str>| -> String {
        let mut c = command();
        c.arg("inventory").args(args).arg(dir.path());
        if let Some(v) = env {
            c.env("TF_VAR_region", v);
        } else {
            c.env_remove("TF_VAR_region");
        }
        let r = output(c, None);
        assert_eq!(r.code, 0, "{}", r.dump());
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        v["resources"][0]["location"]["region"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(region(&[], None), "us-east-1", "the default");
    assert_eq!(
        region(&[], Some("us-west-1")),
        "us-west-1",
        "TF_VAR_ over the default"
    );
    write(dir.path(), "terraform.tfvars", "region = \"eu-west-1\"\n");
    assert_eq!(
        region(&[], Some("us-west-1")),
        "eu-west-1",
        "terraform.tfvars over TF_VAR_"
    );
    write(
        dir.path(),
        "b.auto.tfvars.json",
        "{\"region\": \"eu-west-2\"}\n",
    );
    write(dir.path(), "a.auto.tfvars", "region = \"eu-west-3\"\n");
    assert_eq!(
        region(&[], None),
        "eu-west-2",
        "*.auto.tfvars in lexical order, later wins"
    );
    let extra = dir.path().join("extra.tfvars");
    std::fs::write(&extra, "region = \"ap-south-1\"\n").unwrap();
    assert_eq!(
        region(&["--var-file", extra.to_str().unwrap()], None),
        "ap-south-1",
        "--var-file over automatic files"
    );
    assert_eq!(
        region(
            &[
                "--var-file",
                extra.to_str().unwrap(),
                "--var",
                "region=sa-east-1"
            ],
            None
        ),
        "sa-east-1",
        "--var last"
    );
}

#[test]
fn expressions_count_and_for_each_are_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "env" { default = "Prod" }
variable "regions" {
  default = { prod = "eu-west-1", dev = "us-east-1" }
}
locals {
  env    = lower(var.env)
  region = lookup(var.regions, local.env, "us-east-1")
  names  = [for n in ["a", "b"] : "${local.env}-${n}"]
  zones  = { for k, v in var.regions : k => upper(v) if k != "dev" }
}
provider "aws" { region = local.region }
provider "aws" {
  alias  = "second"
  region = var.env == "Prod" ? format("%s-%s-%d", "eu", "central", 1) : "us-west-2"
}
resource "aws_s3_bucket" "n" {
  count  = length(local.names)
  bucket = local.names[count.index]
  tags   = { zone = local.zones["prod"], joined = join(",", local.names) }
}
resource "aws_s3_bucket" "m" {
  provider = aws.second
  for_each = { x = 1, y = 2 }
  bucket   = "m-${each.key}-${each.value * 10}"
}
"#,
    );
    let inv = by_address(&inventory(&[dir.path().to_str().unwrap()]));
    assert_eq!(
        inv.keys().collect::<Vec<_>>(),
        [
            "aws_s3_bucket.m[\"x\"]",
            "aws_s3_bucket.m[\"y\"]",
            "aws_s3_bucket.n[0]",
            "aws_s3_bucket.n[1]"
        ]
    );
    assert_eq!(inv["aws_s3_bucket.n[1]"]["attributes"]["bucket"], "prod-b");
    assert_eq!(inv["aws_s3_bucket.n[0]"]["tags"]["zone"], "EU-WEST-1");
    assert_eq!(inv["aws_s3_bucket.n[0]"]["tags"]["joined"], "prod-a,prod-b");
    assert_eq!(inv["aws_s3_bucket.n[0]"]["location"]["region"], "eu-west-1");
    assert_eq!(
        inv["aws_s3_bucket.m[\"y\"]"]["attributes"]["bucket"],
        "m-y-20"
    );
    assert_eq!(
        inv["aws_s3_bucket.m[\"x\"]"]["location"]["region"],
        "eu-central-1"
    );
}

#[test]
fn bad_hcl_is_refused_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
    );
    let r = run_in(dir.path(), &["check", "."], None);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stdout.is_empty(), "{}", r.dump());
    assert!(r.stderr.contains("juris::E0803"), "{}", r.stderr);
    assert!(
        r.stderr.contains("main.tf:6:"),
        "file:line:col: {}",
        r.stderr
    );
    insta::assert_snapshot!("bad_hcl", r.stderr);
}

#[test]
fn malformed_configurations_are_refused() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "duplicate",
            "resource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_s3_bucket\" \"b\" {}\n",
            "juris::E0804",
        ),
        ("labels", "resource \"aws_s3_bucket\" {}\n", "juris::E0805"),
        (
            "too many",
            "resource \"aws_s3_bucket\" \"b\" { count = 1000000 }\n",
            "juris::E0808",
        ),
        (
            "self-calling module",
            "module \"again\" { source = \"./\" }\n",
            "juris::E0807",
        ),
    ];
    for (what, text, code) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.tf", text);
        let r = run_in(dir.path(), &["check", "."], None);
        assert_eq!(r.code, 2, "{what}: {}", r.dump());
        assert!(r.stderr.contains(code), "{what}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{what}");
    }
    // A folder without configuration.
    let empty = tempfile::tempdir().unwrap();
    let r = run_in(empty.path(), &["check", "."], None);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stderr.contains("has no `.tf` files"), "{}", r.stderr);
}

#[test]
fn exponential_expressions_stop_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("locals {\n  l0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
    for i in 1..40 {
        text.push_str(&format!(
            "  l{i} = \"${{local.l{}}}${{local.l{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    text.push_str("}\nresource \"aws_s3_bucket\" \"b\" { bucket = local.l39 }\n");
    write(dir.path(), "main.tf", &text);
    let started = std::time::Instant::now();
    let r = run_in(dir.path(), &["check", "."], None);
    assert_eq!(r.code, 2, "{}", r.dump());
    assert!(r.stderr.contains("juris::E0809"), "{}", r.stderr);
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn a_deep_reference_chain_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "provider \"azurerm\" {\n  features {}\n}\nresource \"azurerm_resource_group\" \"r0\" {\n  name = \"r\"\n  location = \"westeurope\"\n}\n",
    );
    for i in 1..2000 {
        text.push_str(&format!(
            "resource \"azurerm_resource_group\" \"r{i}\" {{\n  name = \"r\"\n  location = azurerm_resource_group.r{}.location\n}}\n",
            i - 1
        ));
    }
    write(dir.path(), "main.tf", &text);
    let r = run_in(dir.path(), &["inventory", "."], None);
    // Evaluated in order, each step is one reference from a memoised value; any
    // deeper chain is refused cleanly.
    assert!(
        r.code == 0 || r.stderr.contains("juris::E0810"),
        "{}",
        r.dump()
    );
}

#[test]
fn a_tf_file_stands_for_its_folder() {
    let (_, by_file) = check_json(&[&format!("{MODULES}/main.tf")]);
    let (_, by_dir) = check_json(&[MODULES]);
    assert_eq!(outcomes(&by_file), outcomes(&by_dir));
}

mod never_panics {
    //! Generated configurations (valid and not, with every kind of expression, known and
    //! unknown) load to an inventory or a clean error: never a panic, never a hang.
    use juris::adapters::LoadOptions;
    use juris::adapters::source::{self, SourceOptions};
    use juris::catalog::Catalog;
    use proptest::prelude::*;

    fn expr() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("\"us-east-1\"".to_owned()),
            Just("\"eu\"".to_owned()),
            Just("3".to_owned()),
            Just("-1".to_owned()),
            Just("true".to_owned()),
            Just("null".to_owned()),
            Just("var.v0".to_owned()),
            Just("var.v1".to_owned()),
            Just("var.missing".to_owned()),
            Just("local.l0".to_owned()),
            Just("local.l1".to_owned()),
            Just("count.index".to_owned()),
            Just("each.key".to_owned()),
            Just("each.value".to_owned()),
            Just("aws_s3_bucket.r0.bucket".to_owned()),
            Just("aws_s3_bucket.r1[0].arn".to_owned()),
            Just("aws_s3_bucket.r0[*].tags".to_owned()),
            Just("module.m.out".to_owned()),
            Just("data.aws_region.here.name".to_owned()),
            Just("path.module".to_owned()),
            Just("terraform.workspace".to_owned()),
            Just("[]".to_owned()),
            Just("{}".to_owned()),
        ];
        leaf.prop_recursive(4, 48, 4, |inner| {
            let fname = prop_oneof![
                Just("lookup"),
                Just("coalesce"),
                Just("format"),
                Just("lower"),
                Just("upper"),
                Just("join"),
                Just("merge"),
                Just("concat"),
                Just("length"),
                Just("element"),
                Just("range"),
                Just("toset"),
                Just("tomap"),
                Just("keys"),
                Just("flatten"),
                Just("try"),
                Just("can"),
                Just("substr"),
                Just("replace"),
                Just("regex"),
                Just("jsonencode"),
                Just("zipmap"),
                Just("file"),
                Just("nosuch"),
            ];
            prop_oneof![
                (fname, prop::collection::vec(inner.clone(), 0..4))
                    .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("{{ k = {a}, \"x\" = {b} }}")),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("\"${{{a}}}-%{{if {b}}}y%{{endif}}\"")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(c, a, b)| format!("{c} ? {a} : {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} == {b} && !{b}")),
                (inner.clone(), inner.clone())
                    .prop_map(|(c, v)| format!("[for x in {c} : {v} if x != null]")),
                (inner.clone(), inner.clone())
                    .prop_map(|(c, v)| format!("{{for k, x in {c} : k => {v}...}}")),
                (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
                inner.clone().prop_map(|a| format!("{a}.attr")),
                inner.prop_map(|a| format!("{a}[*].x")),
            ]
        })
    }

    fn config() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(expr(), 8),
            prop::option::of(expr()),
            prop::option::of(expr()),
            any::<bool>(),
        )
            .prop_map(|(e, count, for_each, module)| {
                let mut t = format!(
                    "variable \"v0\" {{ default = {} }}\nvariable \"v1\" {{ default = {} }}\nvariable \"missing\" {{}}\n\
                     locals {{\n  l0 = {}\n  l1 = {}\n}}\nprovider \"aws\" {{ region = {} }}\n\
                     resource \"aws_s3_bucket\" \"r0\" {{\n  bucket = {}\n  tags = {}\n}}\n",
                    e[0], e[1], e[2], e[3], e[4], e[5], e[6]
                );
                t.push_str("resource \"aws_s3_bucket\" \"r1\" {\n");
                if let Some(c) = count {
                    t.push_str(&format!("  count = {c}\n"));
                } else if let Some(f) = for_each {
                    t.push_str(&format!("  for_each = {f}\n"));
                }
                t.push_str(&format!(
                    "  bucket = {}\n  dynamic \"rule\" {{\n    for_each = {}\n    content {{ id = rule.key }}\n  }}\n}}\n",
                    e[7], e[1]
                ));
                if module {
                    t.push_str("module \"m\" {\n  source = \"./m\"\n  x = local.l0\n}\n");
                }
                t
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]
        #[test]
        fn generated_configurations_load_or_fail_cleanly(text in config(), broken in 0usize..400) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("main.tf"), &text).unwrap();
            std::fs::create_dir_all(dir.path().join("m")).unwrap();
            std::fs::write(
                dir.path().join("m/main.tf"),
                "variable \"x\" {}\noutput \"out\" { value = var.x }\nresource \"aws_s3_bucket\" \"c\" { bucket = var.x }\n",
            ).unwrap();
            let catalog = Catalog::builtin();
            let opts = LoadOptions::new(&catalog);
            let small = SourceOptions { max_steps: 200_000, ..SourceOptions::default() };
            let _ = source::load_dir(dir.path(), &opts, &small);
            // The same text cut short: a syntax error, never a panic.
            let cut = &text[..text.len().min(broken)];
            let cut = &cut[..(0..=cut.len()).rev().find(|&i| cut.is_char_boundary(i)).unwrap_or(0)];
            std::fs::write(dir.path().join("main.tf"), cut).unwrap();
            let _ = source::load_dir(dir.path(), &opts, &small);
        }
    }
}

#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        for e in walk(from) {
            let rel = e.strip_prefix(from).unwrap();
            let dest = to.join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&e, dest).unwrap();
        }
    };
    copy(&root().join(MODULES), dir.path());
    let sarif = || -> Vec<(String, u64)> {
        let r = run_in(
            dir.path(),
            &["check", "--today", "2026-06-01", "--format", "sarif", "."],
            None,
        );
        let doc: Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.dump()));
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["partialFingerprints"]["jurisFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    x["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = sarif();
    let main = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# moved\n\n\n{text}")).unwrap();
    let after = sarif();
    assert_eq!(before.len(), after.len());
    for ((f1, l1), (f2, l2)) in before.iter().zip(&after) {
        assert_eq!(f1, f2, "the fingerprint does not depend on the line");
        if *l2 != *l1 {
            assert_eq!(*l2, l1 + 3, "root module blocks moved down three lines");
        }
    }
    assert!(
        before.iter().zip(&after).any(|(a, b)| a.1 != b.1),
        "some lines moved"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Exceptions apply to findings from source as to findings from a plan, matched by the
/// same address.
#[test]
fn exceptions_apply_to_a_source_check() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.juris");
    std::fs::write(
        &waivers,
        "package acme.waivers\n\nexception archive_moves {\n  rule: \"RES-US-002\"\n  resources: \"google_storage_bucket.archive\"\n  reason: \"Moves to us-central1 in Q3.\"\n  approved_by: \"DPO <dpo@example.com>\"\n  expires: 2026-09-30\n}\n",
    )
    .unwrap();
    let policy = waivers.to_str().unwrap();
    let (_, doc) = check_json(&["--policy", policy, MODULES]);
    let found = outcomes(&doc);
    let key = |a: &str| ("RES-US-002".to_owned(), a.to_owned());
    assert_eq!(found[&key("google_storage_bucket.archive")], "excepted");
    assert_eq!(found[&key("azurerm_storage_account.records")], "violation");
    let applied = doc["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "acme.waivers.archive_moves")
        .expect("the exception is listed");
    assert_eq!(applied["state"], "applied", "{applied}");
    assert_eq!(
        applied["matched"][0], "google_storage_bucket.archive",
        "{applied}"
    );
    // The same exception on the plan Terraform writes for the same source.
    let (_, on_plan) = check_json(&["--policy", policy, &format!("{MODULES}/plan.json")]);
    assert_eq!(
        outcomes(&on_plan)[&key("google_storage_bucket.archive")],
        "excepted"
    );
}

/// Azure sub-resources take their parent's tags from source as from a plan.
#[test]
fn an_azure_container_in_source_keeps_its_accounts_tags() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "provider \"azurerm\" {\n  features {}\n}\n\nresource \"azurerm_storage_account\" \"records\" {\n  name                     = \"acmerecords\"\n  location                 = \"westeurope\"\n  resource_group_name      = \"rg\"\n  account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n  tags = { data-classification = \"pii\" }\n}\n\nresource \"azurerm_storage_container\" \"scans\" {\n  name               = \"scans\"\n  storage_account_id = azurerm_storage_account.records.id\n}\n\nresource \"azurerm_storage_container\" \"legacy\" {\n  name                 = \"legacy\"\n  storage_account_name = \"oldaccount\"\n}\n",
    );
    let inv = inventory(&[dir.path().to_str().unwrap()]);
    let by = by_address(&inv);
    assert_eq!(
        by["azurerm_storage_container.scans"]["tags"]["data-classification"],
        "pii"
    );
    assert_eq!(
        by["azurerm_storage_container.legacy"]["tags"]["unknown"],
        true
    );
    let warned = inv["warnings"].as_array().unwrap().iter().any(|w| {
        w["address"] == "azurerm_storage_container.legacy"
            && w["message"]
                .as_str()
                .is_some_and(|m| m.contains("names a resource in the Terraform source"))
    });
    assert!(warned, "{}", inv["warnings"]);
}
