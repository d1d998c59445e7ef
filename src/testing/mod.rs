//! Policy unit tests (`test` blocks): run each against its input with a fixed
//! `today`, compare the exact findings, and record which outcomes of each rule the
//! tests reached, for `juris test --coverage`.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::PolicySet;
use crate::eval::{EvalLimits, Evaluator, Outcome};
use crate::ir::{Expectation, Test, TestInput};
use crate::model::Inventory;
use crate::runner::{FindingOutcome, RunOptions};

/// One test's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub name: String,
    /// `file:line:column` of the test block.
    pub position: String,
    /// Expected findings that did not occur.
    pub missing: Vec<Expectation>,
    /// Findings that occurred but were not expected.
    pub unexpected: Vec<Expectation>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }
}

/// The outcomes a rule can reach on one resource, for coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Branch {
    /// A `where` clause excluded the resource.
    NotApplicable,
    Pass,
    Violation,
    Undetermined,
    /// A finding waived by an exception.
    Excepted,
}

impl Branch {
    pub const ALL: [Branch; 5] = [
        Branch::NotApplicable,
        Branch::Pass,
        Branch::Violation,
        Branch::Undetermined,
        Branch::Excepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Branch::NotApplicable => "not applicable",
            Branch::Pass => "pass",
            Branch::Violation => "violation",
            Branch::Undetermined => "undetermined",
            Branch::Excepted => "excepted",
        }
    }
}

/// All test results and, per rule id, the branches some test reached.
#[derive(Debug, Default)]
pub struct TestRun {
    pub results: Vec<TestResult>,
    pub coverage: BTreeMap<String, BTreeSet<Branch>>,
}

/// A test that could not run.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum TestError {
    /// The fixture file a test names cannot be read.
    #[error("test `{test}` at {position}: cannot read fixture {path}: {reason}")]
    #[diagnostic(
        code(juris::E0511),
        help("fixture paths are relative to the test file's folder")
    )]
    MissingFixture {
        test: String,
        position: String,
        path: String,
        reason: String,
    },
    /// The fixture is not a plan, state or inventory.
    #[error("test `{test}` at {position}: its input is not valid: {reason}")]
    #[diagnostic(
        code(juris::E0512),
        help(
            "a test input is a `terraform show -json` plan or state, or a juris inventory document"
        )
    )]
    InvalidInput {
        test: String,
        position: String,
        reason: String,
    },
    /// The policies themselves cannot run (an exception granted for too long).
    #[error("test `{test}` at {position}: {reason}")]
    #[diagnostic(code(juris::E0513))]
    Run {
        test: String,
        position: String,
        reason: String,
    },
}

/// Reads a test's input document into an inventory; the CLI passes the adapters.
pub type Loader<'a> = dyn Fn(&str, &[u8]) -> Result<Inventory, String> + 'a;

/// Run every test of the policy set.
pub fn run(policy: &PolicySet, load: &Loader, limits: EvalLimits) -> Result<TestRun, TestError> {
    let mut run = TestRun::default();
    for rule in &policy.program().rules {
        run.coverage.entry(rule.meta.id.clone()).or_default();
    }
    for test in &policy.program().tests {
        let inventory = load_input(test, load)?;
        run.results.push(run_one(
            policy,
            test,
            &inventory,
            limits,
            &mut run.coverage,
        )?);
    }
    Ok(run)
}

fn load_input(test: &Test, load: &Loader) -> Result<Inventory, TestError> {
    let position = test.position.to_string();
    let (name, bytes) = match &test.input {
        TestInput::Inline(text) => ("<inline>".to_owned(), text.clone().into_bytes()),
        TestInput::Path(p) => {
            let path = fixture_path(&test.file, p);
            let limit = crate::adapters::DEFAULT_MAX_BYTES;
            let read = crate::adapters::read_source(Some(&path), limit);
            let bytes = read.map_err(|e| TestError::MissingFixture {
                test: test.name.clone(),
                position: position.clone(),
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
            (p.clone(), bytes)
        }
    };
    load(&name, &bytes).map_err(|reason| TestError::InvalidInput {
        test: test.name.clone(),
        position,
        reason,
    })
}

/// A fixture path relative to the folder of the test file that names it.
pub fn fixture_path(test_file: &str, fixture: &str) -> PathBuf {
    Path::new(test_file)
        .parent()
        .unwrap_or(Path::new(""))
        .join(fixture)
}

fn run_one(
    policy: &PolicySet,
    test: &Test,
    inventory: &Inventory,
    limits: EvalLimits,
    coverage: &mut BTreeMap<String, BTreeSet<Branch>>,
) -> Result<TestResult, TestError> {
    let options = RunOptions {
        today: test.today,
        rules: test.rules.clone(),
        limits,
        ..RunOptions::new(test.today)
    };
    let report = policy
        .evaluate(inventory, &options)
        .map_err(|e| TestError::Run {
            test: test.name.clone(),
            position: test.position.to_string(),
            reason: e.to_string(),
        })?;
    let actual: BTreeSet<Expectation> = report
        .findings
        .iter()
        .map(|f| Expectation {
            rule: f.rule.clone(),
            address: f.address.clone(),
            outcome: f.outcome.as_str().to_owned(),
        })
        .collect();
    let expected: BTreeSet<Expectation> = test.expect.iter().cloned().collect();
    record_coverage(
        policy,
        test,
        inventory,
        &options,
        &report.findings,
        coverage,
    );
    Ok(TestResult {
        name: test.name.clone(),
        position: test.position.to_string(),
        missing: expected.difference(&actual).cloned().collect(),
        unexpected: actual.difference(&expected).cloned().collect(),
    })
}

fn record_coverage(
    policy: &PolicySet,
    test: &Test,
    inventory: &Inventory,
    options: &RunOptions,
    findings: &[crate::runner::Finding],
    coverage: &mut BTreeMap<String, BTreeSet<Branch>>,
) {
    // The run succeeded within these limits, so re-running its rules stays within them.
    let mut ev =
        Evaluator::new(policy.program(), policy.compiled(), test.today).with_limits(options.limits);
    for rule in &policy.program().rules {
        if !test.rules.is_empty() && !test.rules.contains(&rule.meta.id) {
            continue;
        }
        let reached = coverage.entry(rule.meta.id.clone()).or_default();
        for r in &inventory.resources {
            reached.insert(match ev.rule(rule, r) {
                None => Branch::NotApplicable,
                Some(Outcome::Pass) => Branch::Pass,
                Some(Outcome::Violation) => Branch::Violation,
                Some(Outcome::Undetermined) => Branch::Undetermined,
            });
        }
    }
    for f in findings {
        if f.outcome == FindingOutcome::Excepted
            && let Some(reached) = coverage.get_mut(&f.rule)
        {
            reached.insert(Branch::Excepted);
        }
    }
}
