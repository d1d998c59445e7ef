//! The residency overview: which classes of data sit in which countries with which
//! custodians, counting each resource where it is and each copy where it flows to.
//! Classes come from the `data-classification` tag, read exactly as the standard
//! library's `juris.classification.classes` reads it (a test holds the two together).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::model::{Custody, Known, Location, Resource};
use crate::runner::Finding;
use crate::semantics::keys::canonical_key;

/// The class of resources whose tags are only known after apply.
pub const UNKNOWN: &str = "unknown";
/// The class of resources without a (recognised) `data-classification` tag.
pub const UNCLASSIFIED: &str = "unclassified";

/// One line of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub class: String,
    /// The country, or the countries of a multi-region location, comma-separated.
    pub country: String,
    pub custodian: String,
    /// Resources holding this class of data in this country with this custodian.
    pub resources: usize,
    /// Resources whose copies (replicas, backups) put the data here.
    pub copies: usize,
    /// Of those resources (held or copied), how many have a blocking finding.
    pub failing: usize,
}

#[derive(Default)]
struct Cell {
    held: BTreeSet<usize>,
    copied: BTreeSet<usize>,
}

/// The overview of an inventory: classified data first, then `unknown`, then
/// `unclassified`; each sorted by class, countries and custodian.
pub fn overview(resources: &[Resource], findings: &[Finding]) -> Vec<Row> {
    let failing: HashSet<(&str, Option<&str>)> = findings
        .iter()
        .filter(|f| f.blocking)
        .map(|f| (f.address.as_str(), f.input.as_deref()))
        .collect();
    let mut cells: BTreeMap<(u8, String, String, String), Cell> = BTreeMap::new();
    for (i, r) in resources.iter().enumerate() {
        let classes = match classes(r) {
            Known::Unknown => vec![(1, UNKNOWN.to_owned())],
            Known::Known(c) if c.is_empty() => vec![(2, UNCLASSIFIED.to_owned())],
            Known::Known(c) => c.into_iter().map(|c| (0, c)).collect(),
        };
        let mut place = |location: &Location, custody: &Custody, copy: bool| {
            let custodian = custodian(custody);
            let countries = countries(location);
            for (rank, class) in &classes {
                let cell = cells
                    .entry((*rank, class.clone(), countries.clone(), custodian.clone()))
                    .or_default();
                if copy {
                    cell.copied.insert(i);
                } else {
                    cell.held.insert(i);
                }
            }
        };
        place(&r.location, &r.custody, false);
        for flow in &r.flows {
            place(&flow.location, &flow.custody, true);
        }
    }
    cells
        .into_iter()
        .map(|((_, class, country, custodian), cell)| {
            let all: BTreeSet<usize> = cell.held.union(&cell.copied).copied().collect();
            Row {
                class,
                country,
                custodian,
                resources: cell.held.len(),
                copies: cell.copied.len(),
                failing: all
                    .iter()
                    .filter(|&&i| {
                        let r = &resources[i];
                        failing.contains(&(r.address.as_str(), r.input.as_deref()))
                    })
                    .count(),
            }
        })
        .collect()
}

/// The countries a location may put data in, as one place: a multi-region bucket
/// is one row (`BE, DE, FI`), not one per country.
fn countries(l: &Location) -> String {
    match &l.countries {
        Known::Unknown => UNKNOWN.to_owned(),
        Known::Known(c) if c.is_empty() => "none (global)".to_owned(),
        Known::Known(c) => c.join(", "),
    }
}

fn custodian(c: &Custody) -> String {
    match (&c.company, &c.jurisdiction) {
        (Known::Known(company), Known::Known(j)) => format!("{company} ({j})"),
        (Known::Known(company), Known::Unknown) => format!("{company} (controlled from unknown)"),
        (Known::Unknown, Known::Known(j)) => format!("unknown company ({j})"),
        (Known::Unknown, Known::Unknown) => UNKNOWN.to_owned(),
    }
}

/// The canonical data classes of a resource (sorted), as
/// `juris.classification.classes` computes them; unknown when the tags are.
pub fn classes(r: &Resource) -> Known<Vec<String>> {
    let Known::Known(tags) = &r.tags else {
        return Known::Unknown;
    };
    let value = tags
        .iter()
        .find(|(k, _)| canonical_key(k).eq(canonical_key("data-classification")));
    let value = match value {
        None => return Known::Known(Vec::new()),
        Some((_, Known::Unknown)) => return Known::Unknown,
        Some((_, Known::Known(v))) => v,
    };
    let set: BTreeSet<String> = value
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter_map(canonical_class)
        .collect();
    Known::Known(set.into_iter().collect())
}

/// `juris.classification.canonical_class`: aliases folded, case and separators ignored.
fn canonical_class(value: &str) -> Option<String> {
    let v = value.trim().to_lowercase().replace(['_', ' '], "-");
    let class = match v.as_str() {
        "personal" | "pii" => "personal",
        "sensitive-personal" | "phi" | "pci" | "health" | "financial" | "biometric" => {
            "sensitive-personal"
        }
        "intellectual-property" | "ip" | "trade-secret" => "intellectual-property",
        "public" | "internal" | "confidential" => v.as_str(),
        _ => return None,
    };
    Some(class.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::runner::RunOptions;

    /// The overview's classes agree with `juris.classification.classes`, which a
    /// rule prints (a set renders sorted, comma-separated).
    /// Runs on an 8 MiB stack, like the binary's main thread: compiling the standard
    /// library overflows the 2 MiB of a test thread in a debug build.
    #[test]
    fn classes_agree_with_the_standard_library() {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(classes_agree)
            .expect("thread")
            .join()
            .expect("no panic");
    }

    fn classes_agree() {
        let policy = SourceFile::new(
            "classes.juris",
            r#"package t
import juris.classification as cls
rule show {
  id: "T-1"  severity: low  enforce: advisory
  for r in resources
  deny if true
  message "{cls.classes(r)}"
}"#,
        );
        let set = crate::PolicySet::compile(vec![policy]).expect("compiles");
        let values = [
            "personal",
            "PII; Trade_Secret",
            "  Sensitive_Personal ,ip",
            "phi\tpci",
            "public,internal;confidential",
            "bogus",
            "",
            "trade secret",
            "Intellectual-Property",
            "HEALTH,biometric, financial",
        ];
        let resources: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                serde_json::json!({
                    "address": format!("x.r{i}"), "type": "x", "name": "r",
                    "provider": {"source": "a/b", "company": "c", "jurisdiction": "US"},
                    "location": {"region": "r", "countries": ["US"], "derivation": "d"},
                    "custody": {"company": "c", "jurisdiction": "US"},
                    "tags": {"Data_Classification": v}
                })
                .to_string()
            })
            .collect();
        let inventory: crate::model::Inventory = serde_json::from_str(&format!(
            r#"{{"version": 1, "resources": [{}]}}"#,
            resources.join(",")
        ))
        .expect("inventory");
        let report = set.evaluate(&inventory, &RunOptions::new(0)).expect("runs");
        for (r, f) in inventory.resources.iter().zip(&report.findings) {
            let ours = match classes(r) {
                Known::Known(c) => c.join(", "),
                Known::Unknown => "unknown".into(),
            };
            assert_eq!(ours, f.message, "{:?}", r.tags);
        }
        assert_eq!(report.findings.len(), values.len());
    }

    #[test]
    fn unknown_tags_make_unknown_classes() {
        let r: Resource = serde_json::from_value(serde_json::json!({
            "address": "x.y", "type": "x", "name": "y",
            "provider": {"source": "a/b", "company": "c", "jurisdiction": "US"},
            "location": {"region": "r", "countries": ["US"], "derivation": "d"},
            "custody": {"company": "c", "jurisdiction": "US"},
            "tags": {"unknown": true}
        }))
        .expect("resource");
        assert_eq!(classes(&r), Known::Unknown);
    }
}
