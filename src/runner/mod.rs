//! The runner: evaluates every rule over every resource, applies exceptions, decides
//! what blocks, and produces the [`Report`] every output format renders.
//!
//! The report is the versioned JSON document of `docs/output.md`; compiled
//! WebAssembly modules produce the same document byte for byte.

#![forbid(unsafe_code)]

mod err;
mod merge;

pub use merge::merge;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use err::RunError;

use crate::eval::{Compiled, EvalLimits, Evaluator, Explanation, LimitHit, Outcome};
use crate::ir::{Enforcement, Exception, Program, RuleMeta, Severity};
use crate::model::{Declaration, Inventory, Resource};
use crate::semantics::glob::glob;
pub use crate::semantics::{MAX_EXCEPTION_DAYS, REPORT_VERSION};

/// Progress is reported every this many resources.
const PROGRESS_EVERY: usize = 1024;

/// How to run a check.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The date exceptions are judged against (days since 1970-01-01).
    pub today: i32,
    /// Only these rule ids (all when empty).
    pub rules: Vec<String>,
    /// Findings at this enforcement level or above fail the check.
    pub fail_on: Enforcement,
    /// At most this many threads evaluate resources (0: one per core, up to 8). The
    /// result is the same whatever the number.
    pub threads: usize,
    /// What one rule may spend on one resource (steps, value size).
    pub limits: EvalLimits,
    /// Record in [`Report::applied`] which resources each rule applied to (the JUnit
    /// report's test cases); off by default, as nothing else needs it.
    pub record_applied: bool,
}

impl RunOptions {
    /// Default options with `today` as the date (days since 1970-01-01).
    pub fn new(today: i32) -> RunOptions {
        RunOptions {
            today,
            rules: Vec::new(),
            fail_on: Enforcement::Soft,
            threads: 0,
            limits: EvalLimits::default(),
            record_applied: false,
        }
    }
}

/// Everything a check found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The report document version (`REPORT_VERSION`).
    pub version: u32,
    /// The date the run took as today, `YYYY-MM-DD`.
    pub today: String,
    /// The lowest enforcement level that fails the check.
    pub fail_on: Enforcement,
    /// Violations, undetermined and excepted findings, sorted by rule then address.
    pub findings: Vec<Finding>,
    /// Every exception in the policy set and what became of it.
    pub exceptions: Vec<ExceptionStatus>,
    /// The counts.
    pub summary: Summary,
    /// With [`RunOptions::record_applied`]: per rule that ran, sorted by id, the
    /// resources it applied to (passes included). Not part of the report document.
    #[serde(skip)]
    pub applied: Vec<Applied>,
}

/// The resources one rule applied to: the (rule, resource) pairs the summary counts as
/// `evaluated`, so a renderer can list passes too without running the rules again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The rule's id.
    pub rule: String,
    /// Indexes into the inventory's resources, in inventory order.
    pub resources: Vec<usize>,
}

/// What a rule concluded about one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingOutcome {
    /// The rule is broken.
    Violation,
    /// The rule depends on a value the input cannot tell (unknown).
    Undetermined,
    /// The rule is broken, but an exception waives it.
    Excepted,
}

impl FindingOutcome {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingOutcome::Violation => "violation",
            FindingOutcome::Undetermined => "undetermined",
            FindingOutcome::Excepted => "excepted",
        }
    }
}

/// One rule on one resource that did not pass.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule id.
    pub rule: String,
    /// What the rule concluded.
    pub outcome: FindingOutcome,
    /// The rule's enforcement level.
    pub enforcement: Enforcement,
    /// The rule's severity.
    pub severity: Severity,
    /// The resource's address.
    pub address: String,
    /// The input file the resource came from, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The Terraform source block declaring the resource, where juris read the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Declaration>,
    /// Other declarations the finding is about: for a finding about a copy of the data,
    /// the resource that declares the copy and the one that receives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// The rule's message, filled in for this resource.
    pub message: String,
    /// The values the verdict observed, by their source text.
    pub evidence: IndexMap<String, serde_json::Value>,
    /// The exception that turned this finding into `excepted`.
    pub exception: Option<ExceptionRef>,
    /// An exception that would have applied but has expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_exception: Option<ExceptionRef>,
    /// Whether this finding fails the check.
    pub blocking: bool,
    /// For `excepted` findings: what the outcome was before the exception.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived_outcome: Option<FindingOutcome>,
}

/// A declaration related to a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The related resource's address.
    pub address: String,
    /// What it is to the finding, e.g. `declares the s3-replication copy`.
    pub note: String,
    /// Where it is declared.
    #[serde(flatten)]
    pub source: Declaration,
}

/// The exception a finding refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionRef {
    /// The exception block's name.
    pub name: String,
    /// Why it was granted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// Its expiry date, `YYYY-MM-DD`.
    pub expires: String,
    /// The ticket that records the approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// What became of an exception in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionState {
    /// Waived at least one finding.
    Applied,
    /// Past its expiry date: no longer waives anything.
    Expired,
    /// Matched no finding: probably obsolete.
    Stale,
}

/// One exception of the policy set and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExceptionStatus {
    /// The exception block's name.
    pub name: String,
    /// The rule id it waives.
    pub rule: String,
    /// The address globs it covers.
    pub resources: Vec<String>,
    /// What became of it.
    pub state: ExceptionState,
    /// Its expiry date, `YYYY-MM-DD`.
    pub expires: String,
    /// Why it was granted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// Addresses of the findings it waived (or would have, if expired).
    pub matched: Vec<String>,
}

/// The counts of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Resources in the inventory.
    pub resources: usize,
    /// Rules that ran.
    pub rules: usize,
    /// (rule, resource) pairs where the rule applied.
    pub evaluated: usize,
    /// (rule, resource) pairs that passed.
    pub passed: usize,
    /// Violation findings.
    pub violations: usize,
    /// Undetermined findings.
    pub undetermined: usize,
    /// Findings waived by an exception.
    pub excepted: usize,
    /// Findings that fail the check.
    pub blocking: usize,
    /// Exceptions past their expiry date.
    pub expired_exceptions: usize,
    /// Exceptions that matched no finding.
    pub stale_exceptions: usize,
    /// True when the check fails (exit code 1).
    pub failed: bool,
}

/// Evaluate a program over an inventory.
pub fn run(
    program: &Program,
    compiled: &Compiled,
    inventory: &Inventory,
    options: &RunOptions,
) -> Result<Report, RunError> {
    run_with_progress(program, compiled, inventory, options, &mut |_, _| {})
}

/// [`run`], calling `progress(resources done, resources total)` as it goes.
pub fn run_with_progress(
    program: &Program,
    compiled: &Compiled,
    inventory: &Inventory,
    options: &RunOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, RunError> {
    validate_exceptions(&program.exceptions, options.today)?;
    let rules: Vec<&crate::ir::Rule> = program
        .rules
        .iter()
        .filter(|r| options.rules.is_empty() || options.rules.contains(&r.meta.id))
        .collect();
    for id in &options.rules {
        if program.rule(id).is_none() {
            return Err(RunError::UnknownRule {
                id: id.clone(),
                known: program.rules.iter().map(|r| r.meta.id.clone()).collect(),
            });
        }
    }
    let mut by_rule: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in program.exceptions.iter().enumerate() {
        by_rule.entry(e.rule.as_str()).or_default().push(i);
    }
    let work = Work {
        program,
        compiled,
        options,
        exceptions_of: rules
            .iter()
            .map(|r| {
                by_rule
                    .get(r.meta.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
            })
            .collect(),
        rules,
        done: AtomicUsize::new(0),
        total: inventory.resources.len(),
        failed: AtomicUsize::new(usize::MAX),
    };
    let total = inventory.resources.len();
    let parts = work.evaluate_all(&inventory.resources, progress)?;
    let mut summary = Summary {
        resources: total,
        rules: work.rules.len(),
        ..Summary::default()
    };
    let mut matched: Vec<Vec<String>> = vec![Vec::new(); program.exceptions.len()];
    let mut findings = Vec::new();
    let mut applied: Vec<Vec<usize>> = vec![Vec::new(); work.rules.len()];
    for part in parts {
        summary.evaluated += part.evaluated;
        summary.passed += part.passed;
        findings.extend(part.findings);
        for (all, some) in applied.iter_mut().zip(part.applied) {
            all.extend(some);
        }
        for (all, some) in matched.iter_mut().zip(part.matched) {
            all.extend(some);
        }
    }
    progress(total, total);
    order_findings(&mut findings);
    count_findings(&mut summary, &findings);
    let exceptions = program
        .exceptions
        .iter()
        .zip(matched)
        .filter(|(e, _)| options.rules.is_empty() || options.rules.contains(&e.rule))
        .map(|(e, mut m)| {
            m.sort();
            m.dedup();
            let state = exception_state(e.expires < options.today, &m);
            ExceptionStatus {
                name: e.name.clone(),
                rule: e.rule.clone(),
                resources: e.resources.clone(),
                state,
                expires: crate::semantics::date::format(e.expires),
                reason: e.reason.clone(),
                approved_by: e.approved_by.clone(),
                matched: m,
            }
        })
        .collect::<Vec<_>>();
    count_exceptions(&mut summary, &exceptions);
    let mut report = Report {
        version: REPORT_VERSION,
        today: crate::semantics::date::format(options.today),
        fail_on: options.fail_on,
        findings,
        exceptions,
        summary,
        applied: applied_by_rule(&work.rules, applied, options),
    };
    locate(&mut report, inventory);
    Ok(report)
}

/// [`Report::applied`] from what the chunks recorded: sorted by rule id, empty unless
/// the options asked for it.
fn applied_by_rule(
    rules: &[&crate::ir::Rule],
    applied: Vec<Vec<usize>>,
    options: &RunOptions,
) -> Vec<Applied> {
    if !options.record_applied {
        return Vec::new();
    }
    let mut out: Vec<Applied> = rules
        .iter()
        .zip(applied)
        .map(|(r, resources)| Applied {
            rule: r.meta.id.clone(),
            resources,
        })
        .collect();
    out.sort_by(|a, b| a.rule.cmp(&b.rule));
    out
}

/// Findings in report order: by rule, then address, then input. A stable sort.
fn order_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.rule.as_str(), a.address.as_str(), a.input.as_deref()).cmp(&(
            b.rule.as_str(),
            b.address.as_str(),
            b.input.as_deref(),
        ))
    });
}

/// The summary's counts of findings by outcome, and of blocking ones.
fn count_findings(summary: &mut Summary, findings: &[Finding]) {
    summary.violations = 0;
    summary.undetermined = 0;
    summary.excepted = 0;
    summary.blocking = 0;
    for f in findings {
        match f.outcome {
            FindingOutcome::Violation => summary.violations += 1,
            FindingOutcome::Undetermined => summary.undetermined += 1,
            FindingOutcome::Excepted => summary.excepted += 1,
        }
        summary.blocking += usize::from(f.blocking);
    }
}

/// What became of an exception: expired, or else applied when it matched a finding.
fn exception_state(expired: bool, matched: &[String]) -> ExceptionState {
    if expired {
        ExceptionState::Expired
    } else if matched.is_empty() {
        ExceptionState::Stale
    } else {
        ExceptionState::Applied
    }
}

/// The summary's counts of expired and stale exceptions, and whether the run fails.
fn count_exceptions(summary: &mut Summary, exceptions: &[ExceptionStatus]) {
    let count = |state| exceptions.iter().filter(|e| e.state == state).count();
    summary.expired_exceptions = count(ExceptionState::Expired);
    summary.stale_exceptions = count(ExceptionState::Stale);
    summary.failed = summary.blocking > 0;
}

/// Points each finding at the source that declares its resource and, for a finding
/// about a copy of the data (a flow in its evidence), at the declarations of the copy.
/// Both engines' reports go through this, so they agree.
pub fn locate(report: &mut Report, inventory: &Inventory) {
    if inventory.resources.iter().all(|r| r.source.is_none()) {
        return;
    }
    let by_address: HashMap<(Option<&str>, &str), &Resource> = inventory
        .resources
        .iter()
        .map(|r| ((r.input.as_deref(), r.address.as_str()), r))
        .collect();
    for f in &mut report.findings {
        let Some(r) = by_address.get(&(f.input.as_deref(), f.address.as_str())) else {
            continue;
        };
        f.source = r.source.clone();
        let mut related: Vec<Related> = Vec::new();
        let mut add = |address: &str, note: String, source: Option<&Declaration>| {
            if let Some(source) = source
                && address != f.address
                && !related.iter().any(|x| x.address == address)
            {
                related.push(Related {
                    address: address.to_owned(),
                    note,
                    source: source.clone(),
                });
            }
        };
        for v in f.evidence.values() {
            let (Some(kind), Some(target)) = (
                v.get("kind").and_then(serde_json::Value::as_str),
                v.get("target").and_then(serde_json::Value::as_str),
            ) else {
                continue;
            };
            let Some(flow) = r
                .flows
                .iter()
                .find(|x| x.kind == kind && x.target == target)
            else {
                continue;
            };
            if let Some(via) =
                flow.via_resource(|a| by_address.contains_key(&(f.input.as_deref(), a)))
            {
                add(
                    via,
                    format!("declares the {kind} copy"),
                    flow.source.as_ref(),
                );
            }
            if flow.in_inventory {
                let to = by_address.get(&(f.input.as_deref(), target));
                add(
                    target,
                    format!("receives the {kind} copy"),
                    to.and_then(|t| t.source.as_ref()),
                );
            }
        }
        f.related = related;
    }
}

/// Chunks below this many resources are not worth a thread (starting one costs about
/// as much as evaluating a few dozen resources), so a 1,000-resource plan is spread
/// over both cores.
const PARALLEL_CHUNK: usize = 256;

/// What one chunk of resources gave.
struct Partial {
    findings: Vec<Finding>,
    evaluated: usize,
    passed: usize,
    /// Per exception, the addresses it matched.
    matched: Vec<Vec<String>>,
    /// Per rule (in `Work::rules` order), the inventory indexes of the resources it
    /// applied to, when the options ask for them.
    applied: Vec<Vec<usize>>,
}

/// The rules to run and what they need, shared by the threads that run them.
struct Work<'a> {
    program: &'a Program,
    compiled: &'a Compiled,
    options: &'a RunOptions,
    rules: Vec<&'a crate::ir::Rule>,
    /// Per rule, the indexes of the exceptions that name it.
    exceptions_of: Vec<&'a [usize]>,
    /// Resources evaluated so far, over all threads, out of `total` (for progress).
    done: AtomicUsize,
    total: usize,
    /// The first chunk (in order) that ran into a limit: chunks after it stop, chunks
    /// before it go on, so the error reported is the first in inventory order whatever
    /// the number of threads.
    failed: AtomicUsize,
}

impl Work<'_> {
    /// Evaluate every resource, in contiguous chunks on as many threads as there are
    /// cores: each resource is independent, and merging in chunk order keeps the
    /// result exactly what one thread would give.
    fn evaluate_all(
        &self,
        resources: &[Resource],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Partial>, RunError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = match self.options.threads {
            0 => cores,
            n => n,
        }
        .min(resources.len() / PARALLEL_CHUNK)
        .clamp(1, 8);
        let size = resources.len().div_ceil(threads).max(1);
        let mut chunks = resources.chunks(size);
        let Some(first) = chunks.next() else {
            progress(0, 0);
            return Ok(Vec::new());
        };
        std::thread::scope(|scope| {
            let others: Vec<_> = chunks
                .enumerate()
                .map(|(k, chunk)| {
                    let spawned = std::thread::Builder::new()
                        .name("juris-evaluate".into())
                        .stack_size(crate::diag::COMPILER_STACK)
                        .spawn_scoped(scope, move || {
                            self.evaluate(k + 1, (k + 1) * size, chunk, &mut |_, _| {})
                        });
                    (k + 1, chunk, spawned)
                })
                .collect();
            let mut parts = vec![self.evaluate(0, 0, first, progress)];
            for (k, chunk, spawned) in others {
                let part = match spawned.map(|h| h.join()) {
                    Ok(Ok(part)) => part,
                    Ok(Err(panic)) => std::panic::resume_unwind(panic),
                    // No thread to be had: evaluate the chunk here.
                    Err(_) => self.evaluate(k, k * size, chunk, &mut |_, _| {}),
                };
                parts.push(part);
            }
            parts.into_iter().collect()
        })
    }

    /// Resource by resource, every rule: what the rules share about one resource (its
    /// classification, say) is computed once while that resource is at hand.
    fn evaluate(
        &self,
        chunk: usize,
        offset: usize,
        resources: &[Resource],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Partial, RunError> {
        let (program, options) = (self.program, self.options);
        let mut ev =
            Evaluator::new(program, self.compiled, options.today).with_limits(options.limits);
        let mut part = Partial {
            findings: Vec::new(),
            evaluated: 0,
            passed: 0,
            matched: vec![Vec::new(); program.exceptions.len()],
            applied: vec![
                Vec::new();
                if options.record_applied {
                    self.rules.len()
                } else {
                    0
                }
            ],
        };
        for (i, resource) in resources.iter().enumerate() {
            if self.failed.load(Ordering::Relaxed) < chunk {
                // An earlier chunk failed: its error is the one reported.
                break;
            }
            crate::eval::prefetch_ahead(resources, i);
            if i % PROGRESS_EVERY == 0 && i > 0 {
                let done = self.done.fetch_add(PROGRESS_EVERY, Ordering::Relaxed) + PROGRESS_EVERY;
                progress(done.min(self.total), self.total);
            }
            for (r, (rule, exceptions)) in self.rules.iter().zip(&self.exceptions_of).enumerate() {
                let outcome = ev.rule(rule, resource);
                self.within_limits(chunk, &ev, rule, resource)?;
                let Some(outcome) = outcome else {
                    continue;
                };
                part.evaluated += 1;
                if let Some(applied) = part.applied.get_mut(r) {
                    applied.push(offset + i);
                }
                let outcome = match outcome {
                    Outcome::Pass => {
                        part.passed += 1;
                        continue;
                    }
                    Outcome::Violation => FindingOutcome::Violation,
                    Outcome::Undetermined => FindingOutcome::Undetermined,
                };
                let mut finding = finding(&mut ev, rule, resource, outcome);
                self.within_limits(chunk, &ev, rule, resource)?;
                for &i in *exceptions {
                    let e = &program.exceptions[i];
                    if !e.resources.iter().any(|g| glob(&resource.address, g)) {
                        continue;
                    }
                    part.matched[i].push(resource.address.clone());
                    if e.expires < options.today {
                        finding
                            .expired_exception
                            .get_or_insert_with(|| exception_ref(e));
                    } else if finding.exception.is_none() {
                        finding.exception = Some(exception_ref(e));
                        finding.waived_outcome = Some(finding.outcome);
                        finding.outcome = FindingOutcome::Excepted;
                    }
                }
                finding.blocking = blocks(&rule.meta, finding.outcome, options.fail_on);
                part.findings.push(finding);
            }
        }
        Ok(part)
    }

    /// The error for an evaluation that ran into a limit (telling later chunks to stop).
    fn within_limits(
        &self,
        chunk: usize,
        ev: &Evaluator<'_>,
        rule: &crate::ir::Rule,
        resource: &Resource,
    ) -> Result<(), RunError> {
        let Some(hit) = ev.limit_hit() else {
            return Ok(());
        };
        self.failed.fetch_min(chunk, Ordering::Relaxed);
        let limits = self.options.limits;
        let (value, unit) = match hit {
            LimitHit::Steps => (limits.steps, "steps"),
            LimitHit::ValueSize => (limits.value_bytes, "bytes"),
        };
        Err(RunError::LimitExceeded {
            rule: rule.meta.id.clone(),
            address: resource.address.clone(),
            limit: hit.name(),
            value,
            unit,
        })
    }
}

/// A finding before exceptions: the rule's verdict, explained.
fn finding<'a>(
    ev: &mut Evaluator<'a>,
    rule: &'a crate::ir::Rule,
    resource: &'a crate::model::Resource,
    outcome: FindingOutcome,
) -> Finding {
    let Explanation { message, evidence } = ev.explain(rule, resource);
    let meta = &rule.meta;
    Finding {
        rule: meta.id.clone(),
        outcome,
        enforcement: meta.enforcement,
        severity: meta.severity,
        address: resource.address.clone(),
        input: resource.input.clone(),
        source: None,
        related: Vec::new(),
        message,
        evidence,
        exception: None,
        expired_exception: None,
        blocking: false,
        waived_outcome: None,
    }
}

/// Whether a finding of this rule with this outcome fails the check.
pub fn blocks(meta: &RuleMeta, outcome: FindingOutcome, fail_on: Enforcement) -> bool {
    meta.enforcement >= fail_on
        && match outcome {
            FindingOutcome::Violation => true,
            FindingOutcome::Undetermined => meta.undetermined_blocks,
            FindingOutcome::Excepted => false,
        }
}

fn exception_ref(e: &Exception) -> ExceptionRef {
    ExceptionRef {
        name: e.name.clone(),
        reason: e.reason.clone(),
        approved_by: e.approved_by.clone(),
        expires: crate::semantics::date::format(e.expires),
        ticket: e.ticket.clone(),
    }
}

/// Exceptions may not run for more than a year: a waiver must be reviewed again.
pub fn validate_exceptions(exceptions: &[Exception], today: i32) -> Result<(), RunError> {
    for e in exceptions {
        if e.expires > today + MAX_EXCEPTION_DAYS {
            return Err(RunError::ExceptionTooLong {
                name: e.name.clone(),
                expires: crate::semantics::date::format(e.expires),
                today: crate::semantics::date::format(today),
                position: e.position.to_string(),
            });
        }
    }
    Ok(())
}
