//! SARIF 2.1.0 for code scanning: one `reportingDescriptor` per rule that ran, one
//! result per finding with the resource address as a logical location and the input
//! file as the physical one. Validated against the SARIF schema in
//! `tests/it/report_sarif.rs`; the GitHub specifics (`security-severity`, a region on
//! every location, stable `partialFingerprints`) follow GitHub's SARIF support notes.

use serde::Serialize;

use super::{Context, percent_encode};
use crate::ir::{Enforcement, RuleMeta, Severity};
use crate::model::Declaration;
use crate::runner::{ExceptionState, Finding, FindingOutcome};

/// The official schema location of SARIF 2.1.0 (OASIS, errata 01).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    tags: Vec<&'a str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    severity: Severity,
    enforcement: Enforcement,
    #[serde(rename = "undeterminedBlocks")]
    undetermined_blocks: bool,
    references: &'a [String],
    source: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_configuration_notifications: Vec<Notification>,
    /// Input warnings (what the adapters could not resolve).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: DescriptorRef,
}

#[derive(Serialize)]
struct DescriptorRef {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    today: &'a str,
    fail_on: Enforcement,
    failed: bool,
    summary: &'a crate::runner::Summary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: &'a str,
    kind: &'static str,
}

/// `partialFingerprints`; bump the key's version if the hashed fields change.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "jurisFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    properties: &'a crate::runner::ExceptionRef,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    outcome: FindingOutcome,
    enforcement: Enforcement,
    severity: Severity,
    blocking: bool,
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
    evidence: &'a indexmap::IndexMap<String, serde_json::Value>,
    exception: &'a Option<crate::runner::ExceptionRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expired_exception: Option<&'a crate::runner::ExceptionRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived_outcome: Option<FindingOutcome>,
}

pub fn render(ctx: &Context) -> String {
    let rules = ctx.rules_run();
    let fail_on = ctx.report.fail_on;
    let descriptors = rules.iter().map(|m| descriptor(m, fail_on)).collect();
    let results = ctx
        .report
        .findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|m| m.id == f.rule).unwrap_or(0);
            result(f, index, ctx.is_plan(f.input.as_deref()))
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "juris",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: descriptors,
                },
            },
            invocations: [Invocation {
                execution_successful: true,
                tool_configuration_notifications: exception_notifications(ctx),
                tool_execution_notifications: ctx
                    .inventory
                    .warnings
                    .iter()
                    .map(|w| Notification {
                        level: "warning",
                        message: Text {
                            text: super::warning_text(w),
                        },
                        descriptor: DescriptorRef {
                            id: "juris/input-warning",
                        },
                    })
                    .collect(),
            }],
            results,
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                today: &ctx.report.today,
                fail_on,
                failed: ctx.report.summary.failed,
                summary: &ctx.report.summary,
            },
        }],
    };
    // Serialising plain data cannot fail; an empty document would be caught by tests.
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// The project's web address from the manifest, when it names one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
}

fn descriptor(meta: &RuleMeta, fail_on: Enforcement) -> Descriptor<'_> {
    let title = if meta.title.is_empty() {
        meta.id.clone()
    } else {
        meta.title.clone()
    };
    let full = meta.description.clone().unwrap_or_else(|| title.clone());
    let mut tags = vec!["security", "data-residency", meta.enforcement.as_str()];
    tags.extend(meta.references.iter().map(String::as_str));
    Descriptor {
        id: &meta.id,
        name: pascal_case(meta.name.rsplit('.').next().unwrap_or(&meta.name)),
        short_description: Text { text: title },
        full_description: Text { text: full },
        help: Help {
            text: help_text(meta),
            markdown: help_markdown(meta),
        },
        default_configuration: Configuration {
            level: rule_level(meta.enforcement, fail_on),
        },
        properties: DescriptorProperties {
            tags,
            precision: "very-high",
            problem_severity: match meta.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium | Severity::Low => "warning",
                Severity::Info => "recommendation",
            },
            security_severity: security_severity(meta.severity),
            severity: meta.severity,
            enforcement: meta.enforcement,
            undetermined_blocks: meta.undetermined_blocks,
            references: &meta.references,
            source: meta.position.to_string(),
        },
    }
}

/// SARIF's recommended form of a rule's friendly name: `us_data_in_us` → `UsDataInUs`.
/// The qualified declaration name is in the help text.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut cs = w.chars();
            cs.next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(cs)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// GitHub ranks security alerts by this score: 9.0+ critical, 7.0–8.9 high,
/// 4.0–6.9 medium, 0.1–3.9 low. `info` rules get none, so they are not security alerts.
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// A rule's level when its findings are violations: `error` when they fail the
/// check at this `--fail-on`, else `warning` (`note` for advisory rules).
fn rule_level(enforcement: Enforcement, fail_on: Enforcement) -> &'static str {
    if enforcement >= fail_on {
        "error"
    } else if enforcement == Enforcement::Advisory {
        "note"
    } else {
        "warning"
    }
}

fn result_level(f: &Finding) -> &'static str {
    match (f.outcome, f.blocking) {
        (FindingOutcome::Excepted, _) => "note",
        (_, true) => "error",
        _ if f.enforcement == Enforcement::Advisory => "note",
        _ => "warning",
    }
}

fn undetermined_line(meta: &RuleMeta) -> &'static str {
    if meta.undetermined_blocks {
        "blocks like a violation"
    } else {
        "is reported but does not block"
    }
}

fn help_text(meta: &RuleMeta) -> String {
    let mut s = format!("{} ({})\n", meta.title, meta.id);
    if let Some(d) = &meta.description {
        s.push_str(&format!("\n{d}\n"));
    }
    s.push_str(&format!(
        "\nSeverity: {}. Enforcement: {}. An undetermined result (a value unknown until apply) {}.\n",
        meta.severity.as_str(),
        meta.enforcement.as_str(),
        undetermined_line(meta)
    ));
    if let Some(r) = &meta.remediation {
        s.push_str(&format!("\nRemediation: {r}\n"));
    }
    if !meta.references.is_empty() {
        s.push_str(&format!("\nReferences: {}\n", meta.references.join("; ")));
    }
    s.push_str(&format!("\nRule: {} at {}\n", meta.name, meta.position));
    s
}

fn help_markdown(meta: &RuleMeta) -> String {
    let mut s = format!("**{}** (`{}`)\n", meta.title, meta.id);
    if let Some(d) = &meta.description {
        s.push_str(&format!("\n{d}\n"));
    }
    s.push_str(&format!(
        "\n| Severity | Enforcement | Undetermined |\n|---|---|---|\n| {} | {} | {} |\n",
        meta.severity.as_str(),
        meta.enforcement.as_str(),
        undetermined_line(meta)
    ));
    if let Some(r) = &meta.remediation {
        s.push_str(&format!("\n**Remediation.** {r}\n"));
    }
    if !meta.references.is_empty() {
        s.push_str("\n**References**\n\n");
        for r in &meta.references {
            s.push_str(&format!("- {r}\n"));
        }
    }
    s.push_str(&format!(
        "\nDeclared as `{}` at `{}`:\n\n```\n{}\n```\n",
        meta.name, meta.position, meta.source
    ));
    s
}

fn result(f: &Finding, rule_index: usize, from_plan: bool) -> SarifResult<'_> {
    let mut text = f.message.clone();
    if let Some(e) = &f.exception {
        text.push_str(&format!(
            " (excepted by {} until {}: {})",
            e.name, e.expires, e.reason
        ));
    }
    if let Some(e) = &f.expired_exception {
        text.push_str(&format!(
            " (exception {} expired on {} and no longer applies)",
            e.name, e.expires
        ));
    }
    if f.outcome == FindingOutcome::Undetermined {
        text.push_str(" (undetermined: a value it depends on is unknown until apply)");
    }
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: result_level(f),
        message: Text { text },
        locations: [Location {
            physical_location: match &f.source {
                Some(d) => Some(declared(d)),
                None => f.input.as_deref().and_then(physical_location),
            },
            logical_locations: [LogicalLocation {
                name: &f.address,
                fully_qualified_name: &f.address,
                kind: "resource",
            }],
        }],
        related_locations: related_locations(f, from_plan),
        partial_fingerprints: Fingerprints {
            finding: fingerprint(f),
        },
        suppressions: f
            .exception
            .iter()
            .map(|e| Suppression {
                kind: "external",
                status: "accepted",
                justification: &e.reason,
                properties: e,
            })
            .collect(),
        properties: ResultProperties {
            outcome: f.outcome,
            enforcement: f.enforcement,
            severity: f.severity,
            blocking: f.blocking,
            address: &f.address,
            input: f.input.as_deref(),
            evidence: &f.evidence,
            exception: &f.exception,
            expired_exception: f.expired_exception.as_ref(),
            waived_outcome: f.waived_outcome,
        },
    }
}

/// The input file as an artifact: relative paths against the checkout
/// (`%SRCROOT%`), absolute ones as `file:` URIs. Standard input has none.
/// Plans carry no line numbers for resources, so the region is the first line
/// (code scanning requires one).
fn physical_location(input: &str) -> Option<PhysicalLocation> {
    if input == "-" || input.is_empty() {
        return None;
    }
    let path = input.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let (uri, base) = if path.starts_with('/') {
        (format!("file://{}", percent_encode(path)), None)
    } else {
        (percent_encode(path), Some("%SRCROOT%"))
    };
    Some(PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri,
            uri_base_id: base,
        },
        region: Region {
            start_line: 1,
            end_line: None,
        },
    })
}

/// A Terraform source block: its file against the checkout and its lines.
fn declared(d: &Declaration) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: percent_encode(&d.file),
            uri_base_id: Some("%SRCROOT%"),
        },
        region: Region {
            start_line: d.line,
            end_line: Some(d.end_line),
        },
    }
}

/// With a source location, the plan the resource came from is related; so are the
/// declarations of a copy the finding is about.
fn related_locations(f: &Finding, from_plan: bool) -> Vec<RelatedLocation> {
    let mut out = Vec::new();
    if f.source.is_some()
        && from_plan
        && let Some(plan) = f.input.as_deref().and_then(physical_location)
    {
        out.push(RelatedLocation {
            id: 0,
            physical_location: plan,
            message: Text {
                text: format!("{} in the plan", f.address),
            },
        });
    }
    for r in &f.related {
        out.push(RelatedLocation {
            id: out.len(),
            physical_location: declared(&r.source),
            message: Text {
                text: format!("{} {}", r.address, r.note),
            },
        });
    }
    out
}

/// Stable across runs and machines: the rule, the resource and the input it came from.
fn fingerprint(f: &Finding) -> String {
    let mut bytes = Vec::new();
    for part in [
        f.rule.as_str(),
        f.address.as_str(),
        f.input.as_deref().unwrap_or(""),
    ] {
        bytes.extend_from_slice(part.as_bytes());
        bytes.push(0);
    }
    super::sha256_hex(&bytes)
}

/// Expired and stale exceptions: configuration problems a reviewer should see.
fn exception_notifications(ctx: &Context) -> Vec<Notification> {
    ctx.report
        .exceptions
        .iter()
        .filter_map(|e| {
            let (id, text) = match e.state {
                ExceptionState::Applied => return None,
                ExceptionState::Expired => (
                    "juris/expired-exception",
                    format!(
                        "exception {} for {} expired on {} and no longer applies",
                        e.name, e.rule, e.expires
                    ),
                ),
                ExceptionState::Stale => (
                    "juris/stale-exception",
                    format!(
                        "exception {} for {} matches no finding; remove it if it is obsolete",
                        e.name, e.rule
                    ),
                ),
            };
            Some(Notification {
                level: "warning",
                message: Text { text },
                descriptor: DescriptorRef { id },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_checkout_and_encoded() {
        let loc = physical_location("./plans/my plan.json").map(|p| p.artifact_location);
        assert_eq!(
            loc.as_ref().map(|l| (l.uri.as_str(), l.uri_base_id)),
            Some(("plans/my%20plan.json", Some("%SRCROOT%")))
        );
        let abs = physical_location("/tmp/p.json").map(|p| p.artifact_location);
        assert_eq!(
            abs.as_ref().map(|l| (l.uri.as_str(), l.uri_base_id)),
            Some(("file:///tmp/p.json", None))
        );
        assert!(physical_location("-").is_none());
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(
            pascal_case("us_protected_data_stays_in_us"),
            "UsProtectedDataStaysInUs"
        );
    }

    #[test]
    fn levels_follow_fail_on() {
        assert_eq!(rule_level(Enforcement::Soft, Enforcement::Soft), "error");
        assert_eq!(rule_level(Enforcement::Soft, Enforcement::Hard), "warning");
        assert_eq!(rule_level(Enforcement::Advisory, Enforcement::Soft), "note");
        assert_eq!(
            rule_level(Enforcement::Advisory, Enforcement::Advisory),
            "error"
        );
    }
}
