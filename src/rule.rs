//! What a rule declares about itself: its id, title, severity and enforcement level, and
//! the exceptions that waive it. The checker reads these from policy source; the IR
//! carries them; reports, `juris rules` and embedders read them.

#![forbid(unsafe_code)]

use crate::diag::Position;

/// Enforcement level, as Sentinel names them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// Reported, never fails a check.
    Advisory,
    /// Fails the check unless the run lowers the bar (`--fail-on hard`).
    Soft,
    /// Always fails the check.
    Hard,
}

impl Enforcement {
    /// The names as policies write them, lowest first.
    pub const NAMES: &'static [&'static str] = &["advisory", "soft", "hard"];

    /// A level from its name (Sentinel's `soft-mandatory` spellings too).
    pub fn parse(s: &str) -> Option<Enforcement> {
        match s {
            "advisory" => Some(Enforcement::Advisory),
            "soft" | "soft-mandatory" | "soft_mandatory" => Some(Enforcement::Soft),
            "hard" | "hard-mandatory" | "hard_mandatory" => Some(Enforcement::Hard),
            _ => None,
        }
    }

    /// The name as policies write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Enforcement::Advisory => "advisory",
            Enforcement::Soft => "soft",
            Enforcement::Hard => "hard",
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
/// How serious a violation is, as SARIF and code-scanning tools rank it.
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// The names as policies write them, lowest first.
    pub const NAMES: &'static [&'static str] = &["info", "low", "medium", "high", "critical"];

    /// A severity from its name.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    /// The name as policies write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// A rule's metadata: what reports, `juris rules` and SARIF descriptors show.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RuleMeta {
    /// The id reports use, e.g. `JURIS-RES-001`.
    pub id: String,
    /// Qualified declaration name, `package.rule_name`.
    pub name: String,
    /// A one-line title.
    pub title: String,
    /// How serious a violation is.
    pub severity: Severity,
    /// Whether a violation fails the check.
    pub enforcement: Enforcement,
    /// Whether an undetermined outcome fails the check like a violation would.
    pub undetermined_blocks: bool,
    /// Links to the regulation or guidance behind the rule.
    pub references: Vec<String>,
    /// How to fix a violation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// A longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the rule is declared.
    pub position: Position,
    /// The verdict line as written (`deny if ...`), for reports.
    pub source: String,
}

/// A waiver declared in policy source.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Exception {
    /// The exception block's name.
    pub name: String,
    /// The rule id it waives.
    pub rule: String,
    /// Address globs the exception covers.
    pub resources: Vec<String>,
    /// Why the waiver was granted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// Days since 1970-01-01.
    #[serde(serialize_with = "ser_date")]
    pub expires: i32,
    /// The ticket that records the approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Where it is declared.
    pub position: Position,
}

fn ser_date<S: serde::Serializer>(d: &i32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::semantics::date::format(*d))
}

/// [`RuleMeta`] and [`Exception`] as the prebuilt policy set stores them: every field,
/// in order. Their own `Serialize` is the reports' (it leaves out absent fields and
/// writes dates as text), which a compact encoding cannot read back.
#[doc(hidden)]
pub mod stored {
    use super::{Enforcement, Exception, Position, RuleMeta, Severity};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "RuleMeta")]
    pub struct Meta {
        id: String,
        name: String,
        title: String,
        severity: Severity,
        enforcement: Enforcement,
        undetermined_blocks: bool,
        references: Vec<String>,
        remediation: Option<String>,
        description: Option<String>,
        position: Position,
        source: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Exception")]
    struct Stored {
        name: String,
        rule: String,
        resources: Vec<String>,
        reason: String,
        approved_by: String,
        expires: i32,
        ticket: Option<String>,
        position: Position,
    }

    struct Ref<'a>(&'a Exception);

    impl Serialize for Ref<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Stored::serialize(self.0, s)
        }
    }

    #[derive(Deserialize)]
    struct Owned(#[serde(with = "Stored")] Exception);

    /// `#[serde(with = ...)]` for a `Vec<Exception>`.
    pub mod exceptions {
        use super::*;

        pub fn serialize<S: Serializer>(v: &[Exception], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(v.iter().map(Ref))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Exception>, D::Error> {
            let v = Vec::<Owned>::deserialize(d)?;
            Ok(v.into_iter().map(|o| o.0).collect())
        }
    }
}
