//! juris: policy-as-code for data residency and cloud-provider restrictions.
//!
//! The pipeline, one module per stage: [`syntax`] (pest → AST) → [`check`] (names,
//! types, metadata) → [`ir`] (lowered, folded) → [`eval`] (in-process) or [`wasm`]
//! (a self-contained module). Inputs go [`adapters`] → [`model`] (+ [`catalog`]);
//! the [`runner`] evaluates policies over the model and [`report`] renders findings.

pub mod adapters;
pub mod catalog;
pub mod check;
pub mod date;
pub mod diag;
pub mod eval;
pub mod fmt;
pub mod ir;
pub mod model;
pub mod policy;
pub mod runner;
pub mod syntax;
pub mod wasm;

pub use policy::PolicySet;
pub mod cli;
pub mod report;
pub mod testing;
