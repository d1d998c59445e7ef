//! Custody with its chain of control: the holder of a region's data (the region's
//! operator, else the provider's company) and the companies the catalog says have a
//! hold over it, each with its sources.

#![forbid(unsafe_code)]

use std::sync::Arc;

use rustc_hash::FxHashMap;

use indexmap::IndexMap;

use crate::catalog::{Catalog, ChainLink, OperatorEntry, ProviderEntry};
use crate::model::{Custody, Inventory, Known, Link, Provider, SourceRef};

/// Custodies already built, one per (provider entry, operator entry), so every
/// resource in a region shares one chain.
#[derive(Default)]
pub(crate) struct Holders {
    built: FxHashMap<(usize, usize), Custody>,
}

impl Holders {
    /// Custody of data held by `operator` (an `[[operator]]` id), or by the provider's
    /// company when the region has no operator.
    pub fn custody(
        &mut self,
        catalog: &Catalog,
        provider: &Provider,
        operator: Option<&str>,
    ) -> Custody {
        let op = operator.and_then(|id| catalog.operator(id));
        let entry = match op {
            Some(_) => None,
            None => catalog.provider(&provider.source),
        };
        let key = (
            entry.map_or(0, |e| e as *const ProviderEntry as usize),
            op.map_or(0, |o| o as *const OperatorEntry as usize),
        );
        if key == (0, 0) {
            // A provider the catalog does not describe (or a utility): what the
            // model's provider block says, and nothing more.
            return Custody::of(provider, &crate::model::Location::unknown(""));
        }
        self.built
            .entry(key)
            .or_insert_with(|| match (op, entry) {
                (Some(o), _) => of_chain(o.chain()),
                (None, Some(p)) => of_chain(p.chain()),
                (None, None) => Custody::unknown(),
            })
            .clone()
    }
}

/// The custody a catalog chain describes: its first link holds the data.
fn of_chain(links: Vec<ChainLink<'_>>) -> Custody {
    let chain: Arc<[Link]> = links
        .iter()
        .map(|l| Link {
            company: l.company.to_owned(),
            jurisdiction: l.jurisdiction.to_owned(),
            control: l.control.to_owned(),
            sources: l.refs.to_vec(),
        })
        .collect();
    Custody {
        company: Known::Known(chain[0].company.clone()),
        jurisdiction: Known::Known(chain[0].jurisdiction.clone()),
        chain: Known::Known(chain),
    }
}

/// The catalog sources cited by the custody chains of `inventory` (resources and
/// copies), in order of first citation; ids the catalog does not define are left out.
pub fn cited_sources(inventory: &Inventory, catalog: &Catalog) -> IndexMap<String, SourceRef> {
    let defined: FxHashMap<&str, _> = catalog.sources().collect();
    let mut out = IndexMap::new();
    let custodies = inventory
        .resources
        .iter()
        .flat_map(|r| std::iter::once(&r.custody).chain(r.flows.iter().map(|f| &f.custody)));
    for c in custodies {
        let Known::Known(chain) = &c.chain else {
            continue;
        };
        for id in chain.iter().flat_map(|l| &l.sources) {
            if out.contains_key(id) {
                continue;
            }
            if let Some(s) = defined.get(id.as_str()) {
                out.insert(
                    id.clone(),
                    SourceRef {
                        title: s.title.clone(),
                        url: s.url.clone(),
                        retrieved: s.retrieved.clone(),
                    },
                );
            }
        }
    }
    out
}
