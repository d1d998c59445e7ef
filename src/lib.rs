//! juris: policy-as-code for data residency and cloud-provider restrictions.
//!
//! The pipeline, one module per stage: `syntax` (pest → AST) → `check` (names, types,
//! metadata) → `ir` (lowered, folded) → `eval` (in-process) or [`wasm`] (a
//! self-contained module). Inputs go [`adapters`] → [`model`] (+ [`catalog`]); the
//! [`runner`] evaluates policies over the model and [`report`] renders findings.
//!
//! The API is the facade at the crate root, with the modules it is made of: compile a
//! [`PolicySet`], load an [`Inventory`] with [`load_bytes`] or [`load_path`], evaluate it
//! into a [`Report`] of [`Finding`]s, and [`render`] that in any [`Format`]. The inner
//! stages (`syntax`, `check`, `ir`, `eval`, `fold`, `semantics`, `fmt`, `testing`,
//! `cli`) are public only for the command line and the tests, and are not part of it.
//!
//! ```
//! use juris::{Catalog, FindingOutcome, LoadOptions, PolicySet, RunOptions, SourceFile, load_bytes};
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
// calls that open a named pipe without blocking (adapters/reader.rs). Every module
// without one of them forbids it (tests/it/architecture.rs checks that).
#![deny(unsafe_code)]
// The facade below and the modules it names are the API; every item in them is documented.
#![deny(missing_docs)]

// The facade: the types and calls an embedder needs, at the crate root.
pub use adapters::{AdapterError, LoadOptions, load_bytes, load_path};
pub use catalog::{Catalog, CatalogError};
pub use diag::{Diagnostics, SourceFile};
pub use model::{Inventory, Resource};
pub use policy::PolicySet;
pub use report::{Format, render};
pub use rule::{Enforcement, Exception, RuleMeta, Severity};
pub use runner::{Finding, FindingOutcome, Report, RunError, RunOptions, Summary};
pub use semantics::date;

// The public stages: what the facade's types are made of.
pub mod adapters;
pub mod catalog;
pub mod diag;
pub mod model;
pub mod policy;
mod prebuilt;
pub mod report;
pub mod rule;
pub mod runner;
pub mod wasm;

// The inner stages. They are public only because the command line, the integration
// tests and the benches (separate crates) reach into them; they are not part of the
// facade, carry no stability promise and are left out of the documentation.
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
#[cfg(feature = "cli")]
pub mod cli;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod fmt;
#[doc(hidden)]
pub mod fold;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod semantics;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod testing;

// The Rust examples of docs/embedding.md are doc tests, so they compile or CI fails.
#[cfg(all(doctest, feature = "wasm-runtime"))]
#[doc = include_str!("../docs/embedding.md")]
struct EmbeddingGuide;
