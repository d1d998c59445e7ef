//! juris: policy-as-code for data residency and cloud-provider restrictions.
//!
//! The pipeline, one module per stage: [`syntax`] (pest → AST) → [`check`] (names,
//! types, metadata) → [`ir`] (lowered, folded) → [`eval`] (in-process) or [`wasm`]
//! (a self-contained module). Inputs go [`adapters`] → [`model`] (+ [`catalog`]);
//! the [`runner`] evaluates policies over the model and [`report`] renders findings.
//!
//! Embedding it takes three calls: compile a policy set, load an input, evaluate.
//!
//! ```
//! use juris::adapters::{load_bytes, LoadOptions};
//! use juris::catalog::Catalog;
//! use juris::diag::SourceFile;
//! use juris::runner::{FindingOutcome, RunOptions};
//! use juris::PolicySet;
//!
//! // Your rules, next to the shipped ones (`juris.groups`, `juris.classification`, ...).
//! let policy = SourceFile::new("acme.juris", r#"
//!     package acme
//!     import juris.groups
//!
//!     rule no_adversary_custody {
//!       id: "ACME-001"  severity: critical  enforce: hard
//!       for r in resources
//!       require r.custody.jurisdiction not in groups.foreign_adversaries
//!       message "{r.address} is held by {r.custody.company}"
//!     }
//! "#);
//! let set = PolicySet::compile(vec![policy]).expect("the policy compiles");
//!
//! // A `terraform show -json` plan: an Alibaba Cloud bucket in its US region.
//! let plan = br#"{
//!   "format_version": "1.2",
//!   "resource_changes": [{
//!     "address": "alicloud_oss_bucket.exports", "mode": "managed",
//!     "type": "alicloud_oss_bucket", "name": "exports",
//!     "provider_name": "registry.terraform.io/aliyun/alicloud",
//!     "change": {"actions": ["create"], "after": {"bucket": "exports"}, "after_unknown": {}}
//!   }],
//!   "configuration": {"provider_config": {"alicloud": {
//!     "name": "alicloud", "expressions": {"region": {"constant_value": "us-west-1"}}}}}
//! }"#;
//! let catalog = Catalog::builtin();
//! let inventory = load_bytes("plan.json", plan, &LoadOptions::new(&catalog)).expect("a plan");
//!
//! let today = juris::date::parse("2026-11-26").expect("a date");
//! let report = set.evaluate(&inventory, &RunOptions::new(today)).expect("it runs");
//! let finding = &report.findings[0];
//! assert_eq!(finding.outcome, FindingOutcome::Violation);
//! assert_eq!(finding.evidence["r.custody.jurisdiction"], "CN");
//! assert!(report.summary.failed);
//! ```

// Unsafe code is refused everywhere but three functions, each with a narrow
// `#[allow(unsafe_code)]` and a SAFETY comment: a cache prefetch (eval) and the two libc
// calls that open a named pipe without blocking (adapters/reader.rs).
#![deny(unsafe_code)]

pub mod adapters;
pub mod catalog;
pub mod check;
pub mod diag;
pub mod eval;
pub mod fmt;
pub mod fold;
pub mod ir;
pub mod model;
pub mod policy;
pub mod runner;
pub mod semantics;
pub mod syntax;
pub mod wasm;

pub use policy::PolicySet;
pub use semantics::date;
#[cfg(feature = "cli")]
pub mod cli;
pub mod report;
pub mod testing;

// The Rust examples of docs/embedding.md are doc tests, so they compile or CI fails.
#[cfg(all(doctest, feature = "wasm-runtime"))]
#[doc = include_str!("../docs/embedding.md")]
struct EmbeddingGuide;
