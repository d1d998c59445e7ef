//! Who holds the data in a place: the region's operator or the provider's company, with
//! the chain of control the catalog records; and, for a region the catalog cannot
//! place, what holds in every region of the family.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::adapters::custody::Holders;
use crate::catalog::{Catalog, RegionEntry};
use crate::model::{Company, Custody, Known, Location, Provider};

use super::how::How;
use super::locate::Placed;

/// Facts that hold in every region of a family.
struct Uniform {
    custody: Option<Custody>,
    countries: Option<Vec<String>>,
    holder: String,
}

/// The custody side of placing resources, with what it has learnt of each family.
pub(crate) struct Custodian<'a> {
    catalog: &'a Catalog,
    holders: RefCell<Holders>,
    uniform: FxHashMap<String, Rc<Uniform>>,
}

impl<'a> Custodian<'a> {
    pub fn new(catalog: &'a Catalog) -> Self {
        Custodian {
            catalog,
            holders: Default::default(),
            uniform: FxHashMap::default(),
        }
    }

    pub fn in_region(
        &self,
        provider: &Provider,
        entry: &RegionEntry,
        countries: Known<Vec<String>>,
        how: How,
    ) -> Placed {
        let location = Location {
            region: Known::Known(Some(entry.code.clone())),
            countries,
            operator: self.operator(entry),
            derivation: how.to_string(),
        };
        let custody = self.custody(provider, Some(entry));
        Placed { location, custody }
    }

    /// Who holds data in a region (or, without one, at the provider), with the chain
    /// of control the catalog records.
    pub fn custody(&self, provider: &Provider, entry: Option<&RegionEntry>) -> Custody {
        let operator = entry.and_then(|e| e.operator.as_deref());
        self.holders
            .borrow_mut()
            .custody(self.catalog, provider, operator)
    }

    pub fn operator(&self, entry: &RegionEntry) -> Option<Company> {
        let op = self.catalog.operator(entry.operator.as_deref()?)?;
        Some(Company {
            name: op.company.clone(),
            jurisdiction: op.jurisdiction.clone(),
        })
    }

    /// A region the catalog cannot place: custody and countries only where every region
    /// of the family agrees.
    pub fn unknown_region(
        &mut self,
        provider: &Provider,
        family: &str,
        region: Known<Option<String>>,
        how: How,
    ) -> Placed {
        let u = self.uniform(family, provider);
        let countries = u.countries.clone().map_or(Known::Unknown, Known::Known);
        let custody = u.custody.clone().unwrap_or_else(Custody::unknown);
        let derivation = How::EveryRegion {
            how: Box::new(how),
            family: family.to_owned(),
            countries: u.countries.as_ref().map(|c| c.join(", ")),
            holder: u.custody.as_ref().map(|_| u.holder.clone()),
        }
        .to_string();
        Placed {
            location: Location {
                region,
                countries,
                operator: None,
                derivation,
            },
            custody,
        }
    }

    fn uniform(&mut self, family: &str, provider: &Provider) -> Rc<Uniform> {
        if let Some(u) = self.uniform.get(family) {
            return u.clone();
        }
        let mut custodies: Vec<(Custody, String)> = Vec::new();
        let mut countries: Option<Option<Vec<String>>> = None;
        if let Some(f) = self.catalog.family(family) {
            for r in f.regions() {
                let operator = self.operator(r);
                let c = self.custody(provider, Some(r));
                if !custodies.iter().any(|(x, _)| x == &c) {
                    let holder = match &operator {
                        Some(o) => format!("{}, controlled from {}", o.name, o.jurisdiction),
                        None => format!(
                            "{}, controlled from {}",
                            provider.company.known().map_or("?", String::as_str),
                            provider.jurisdiction.known().map_or("?", String::as_str)
                        ),
                    };
                    custodies.push((c, holder));
                }
                let cs = self.catalog.countries_of(family, r);
                countries = match countries {
                    None => Some(Some(cs)),
                    Some(Some(prev)) if prev == cs => Some(Some(prev)),
                    Some(_) => Some(None),
                };
            }
        }
        let (custody, holder) = match custodies.as_slice() {
            [(c, h)] if c.company.known().is_some() => (Some(c.clone()), h.clone()),
            _ => (None, String::new()),
        };
        let u = Rc::new(Uniform {
            custody,
            countries: countries.flatten().filter(|c| !c.is_empty()),
            holder,
        });
        self.uniform.insert(family.to_owned(), u.clone());
        u
    }
}
