//! JUnit XML for CI test tabs: a test suite per rule that ran, a test case per
//! resource the rule applied to (passes included), a failure per blocking finding.
//! Excepted findings are skipped tests (the reason as the message); findings that
//! do not block pass, with their outcome in properties and the message on stdout.
//! The test cases are the report's [`crate::runner::Report::applied`]: run with
//! [`crate::runner::RunOptions::record_applied`] for them.

use std::collections::HashMap;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::Context;
use crate::model::Resource;
use crate::runner::{Finding, FindingOutcome};

pub fn render(ctx: &Context) -> String {
    let several_inputs = ctx.inputs.len() > 1;
    let mut report = quick_junit::Report::new("juris");
    for (meta, resources) in ctx.evaluated() {
        let findings: HashMap<(&str, Option<&str>), &Finding> = ctx
            .findings_of(&meta.id)
            .iter()
            .map(|f| ((f.address.as_str(), f.input.as_deref()), f))
            .collect();
        let mut suite = TestSuite::new(format!("{} {}", meta.id, meta.title));
        suite.add_properties([
            Property::new("rule", meta.id.as_str()),
            Property::new("title", meta.title.as_str()),
            Property::new("enforcement", meta.enforcement.as_str()),
            Property::new("severity", meta.severity.as_str()),
            Property::new("source", meta.position.to_string()),
        ]);
        for r in resources {
            let finding = findings
                .get(&(r.address.as_str(), r.input.as_deref()))
                .copied();
            suite.add_test_case(test_case(&meta.id, r, finding, several_inputs));
        }
        report.add_test_suite(suite);
    }
    // quick-junit only fails on I/O errors, which a String cannot have.
    report.to_string().unwrap_or_default()
}

fn test_case(rule: &str, r: &Resource, f: Option<&Finding>, several_inputs: bool) -> TestCase {
    let name = match (&r.input, several_inputs) {
        (Some(input), true) => format!("{} ({input})", r.address),
        _ => r.address.clone(),
    };
    let Some(f) = f else {
        let mut case = TestCase::new(name, TestCaseStatus::success());
        case.set_classname(rule);
        return case;
    };
    let status = match (f.outcome, f.blocking) {
        (FindingOutcome::Excepted, _) => {
            let mut s = TestCaseStatus::skipped();
            if let Some(e) = &f.exception {
                s.set_message(format!(
                    "excepted by {} (approved by {}, expires {}): {}",
                    e.name, e.approved_by, e.expires, e.reason
                ));
            }
            s.set_type("excepted").set_description(details(f));
            s
        }
        (outcome, true) => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(f.message.as_str())
                .set_type(outcome.as_str())
                .set_description(details(f));
            s
        }
        (_, false) => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(rule);
    case.add_properties([
        Property::new("outcome", f.outcome.as_str()),
        Property::new("enforcement", f.enforcement.as_str()),
        Property::new("blocking", if f.blocking { "true" } else { "false" }),
    ]);
    if !f.blocking && f.outcome != FindingOutcome::Excepted {
        case.set_system_out(format!(
            "{} (not blocking: {} enforcement)\n{}",
            f.outcome.as_str(),
            f.enforcement.as_str(),
            details(f)
        ));
    }
    case
}

/// The message, the evidence and any expired exception, one per line.
fn details(f: &Finding) -> String {
    let mut s = format!("{}\n", f.message);
    for (label, value) in &f.evidence {
        s.push_str(&format!("  {label} = {}\n", super::evidence_text(value)));
    }
    if let Some(e) = &f.expired_exception {
        s.push_str(&format!(
            "exception {} expired on {} and no longer applies\n",
            e.name, e.expires
        ));
    }
    s
}
