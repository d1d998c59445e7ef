//! Reading one catalog TOML file: parse it into the file's own shape, check it against
//! the catalog it extends, and only then return the entries to merge, so a refused file
//! leaves the catalog untouched.

use std::ops::Range;

use indexmap::IndexMap;
use miette::SourceSpan;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use toml::Spanned;

use super::err::CatalogError;
use super::{
    Catalog, Control, Controller, OperatorEntry, ProviderEntry, RegionEntry, RegionKind,
    SourceEntry, UtilityEntry, iso, normalise_code,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    sources: IndexMap<String, Spanned<SourceDoc>>,
    #[serde(default)]
    provider: Vec<Spanned<ProviderDoc>>,
    #[serde(default)]
    operator: Vec<Spanned<OperatorDoc>>,
    #[serde(default)]
    utility: Vec<UtilityDoc>,
    family: Option<Spanned<String>>,
    #[serde(default)]
    refs: Vec<String>,
    regions: Option<Spanned<Vec<Spanned<RegionDoc>>>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceDoc {
    title: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    packages: Vec<String>,
    #[serde(default)]
    retrieved: Option<toml::Value>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderDoc {
    family: Spanned<String>,
    sources: Vec<Spanned<String>>,
    company: String,
    #[serde(default)]
    parent: Option<String>,
    jurisdiction: Spanned<String>,
    #[serde(default)]
    controllers: Vec<ControllerDoc>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorDoc {
    id: Spanned<String>,
    company: String,
    jurisdiction: Spanned<String>,
    #[serde(default)]
    controllers: Vec<ControllerDoc>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControllerDoc {
    company: Spanned<String>,
    jurisdiction: Spanned<String>,
    control: Control,
    refs: Spanned<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UtilityDoc {
    sources: Vec<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionDoc {
    code: Spanned<String>,
    name: String,
    countries: Vec<Spanned<String>>,
    #[serde(default)]
    kind: RegionKind,
    #[serde(default)]
    operator: Option<Spanned<String>>,
    #[serde(default)]
    pair: Option<Spanned<String>>,
    #[serde(default)]
    members: Vec<Spanned<String>>,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Retired,
}

/// Everything one file adds, already checked.
pub(super) struct Additions {
    pub sources: Vec<(String, SourceEntry)>,
    pub providers: Vec<ProviderEntry>,
    pub operators: Vec<OperatorEntry>,
    pub utilities: Vec<UtilityEntry>,
    pub family: Option<(String, Vec<String>, Vec<RegionEntry>)>,
}

struct Ctx<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn src(&self) -> std::sync::Arc<miette::NamedSource<String>> {
        CatalogError::source_of(self.origin, self.text)
    }

    fn bad_country<T>(&self, code: &Spanned<String>, entry: String) -> Result<T, CatalogError> {
        Err(CatalogError::BadCountry {
            origin: self.origin.to_owned(),
            code: code.get_ref().clone(),
            entry,
            src: self.src(),
            span: span(code.span()),
        })
    }

    fn bad_name<T>(
        &self,
        value: &Spanned<String>,
        what: &'static str,
        expected: &'static str,
    ) -> Result<T, CatalogError> {
        Err(CatalogError::BadName {
            origin: self.origin.to_owned(),
            what,
            value: value.get_ref().clone(),
            expected,
            src: self.src(),
            span: span(value.span()),
        })
    }

    fn duplicate<T>(
        &self,
        what: &'static str,
        id: &str,
        at: Range<usize>,
    ) -> Result<T, CatalogError> {
        Err(CatalogError::DuplicateEntry {
            origin: self.origin.to_owned(),
            what,
            id: id.to_owned(),
            src: self.src(),
            span: span(at),
        })
    }
}

fn span(r: Range<usize>) -> SourceSpan {
    SourceSpan::new(r.start.into(), r.end.saturating_sub(r.start))
}

/// Parses and checks `text` against `base`; returns what to merge.
pub(super) fn read(base: &Catalog, text: &str, origin: &str) -> Result<Additions, CatalogError> {
    let cx = Ctx { origin, text };
    let doc: FileDoc = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        origin: origin.to_owned(),
        message: e.message().to_owned(),
        src: cx.src(),
        span: e.span().map(span),
    })?;

    let mut add = Additions {
        sources: Vec::new(),
        providers: Vec::new(),
        operators: Vec::new(),
        utilities: Vec::new(),
        family: None,
    };

    for (id, s) in doc.sources {
        let at = s.span();
        let s = s.into_inner();
        if !is_ident(&id) {
            let id = Spanned::new(at, id);
            return cx.bad_name(
                &id,
                "source id",
                "ids are letters, digits, `-`, `_` and `.`",
            );
        }
        let retrieved = s.retrieved.map(|v| match v {
            toml::Value::String(s) => s,
            other => other.to_string(),
        });
        add.sources.push((
            id,
            SourceEntry {
                title: s.title,
                url: s.url,
                packages: s.packages,
                retrieved,
                note: s.note,
                origin: origin.to_owned(),
            },
        ));
    }

    let mut operator_ids: FxHashMap<String, ()> = FxHashMap::default();
    for o in doc.operator {
        let o = o.into_inner();
        if !is_ident(o.id.get_ref()) {
            return cx.bad_name(
                &o.id,
                "operator id",
                "ids are letters, digits, `-`, `_` and `.`",
            );
        }
        if operator_ids.insert(o.id.get_ref().clone(), ()).is_some() {
            return cx.duplicate("operator", o.id.get_ref(), o.id.span());
        }
        if !iso::is_country(o.jurisdiction.get_ref()) {
            return cx.bad_country(&o.jurisdiction, format!("operator `{}`", o.id.get_ref()));
        }
        let controllers = read_controllers(&cx, o.controllers)?;
        add.operators.push(OperatorEntry {
            id: o.id.into_inner(),
            company: o.company,
            jurisdiction: o.jurisdiction.into_inner(),
            controllers,
            refs: o.refs,
            note: o.note,
            origin: origin.to_owned(),
        });
    }

    let mut seen_sources: FxHashMap<String, ()> = FxHashMap::default();
    let mut check_source = |s: &Spanned<String>| -> Result<String, CatalogError> {
        let Some(norm) = registry_source(s.get_ref()) else {
            return cx.bad_name(
                s,
                "provider source",
                "write the registry address without host, `namespace/type`, e.g. `hashicorp/aws`",
            );
        };
        if seen_sources.insert(norm.clone(), ()).is_some() {
            return cx.duplicate("provider source", &norm, s.span());
        }
        Ok(norm)
    };
    for p in doc.provider {
        let p = p.into_inner();
        if !is_family(p.family.get_ref()) {
            return cx.bad_name(
                &p.family,
                "family name",
                "families are lower-case letters, digits and `-`, e.g. `aws` or `acme-dc`",
            );
        }
        if !iso::is_country(p.jurisdiction.get_ref()) {
            return cx.bad_country(&p.jurisdiction, format!("provider `{}`", p.company));
        }
        let sources = p
            .sources
            .iter()
            .map(&mut check_source)
            .collect::<Result<Vec<_>, _>>()?;
        let controllers = read_controllers(&cx, p.controllers)?;
        add.providers.push(ProviderEntry {
            family: p.family.into_inner(),
            sources,
            company: p.company,
            parent: p.parent,
            jurisdiction: p.jurisdiction.into_inner(),
            controllers,
            refs: p.refs,
            note: p.note,
            origin: origin.to_owned(),
        });
    }
    for u in doc.utility {
        let sources = u
            .sources
            .iter()
            .map(&mut check_source)
            .collect::<Result<Vec<_>, _>>()?;
        add.utilities.push(UtilityEntry {
            sources,
            note: u.note,
            origin: origin.to_owned(),
        });
    }

    match (doc.family, doc.regions) {
        (None, None) => {}
        (None, Some(regions)) => {
            return Err(CatalogError::MissingFamily {
                origin: origin.to_owned(),
                src: cx.src(),
                span: span(regions.span()),
            });
        }
        (Some(family), regions) => {
            if !is_family(family.get_ref()) {
                return cx.bad_name(
                    &family,
                    "family name",
                    "families are lower-case letters, digits and `-`, e.g. `aws` or `acme-dc`",
                );
            }
            let regions = regions.map(Spanned::into_inner).unwrap_or_default();
            let family = family.into_inner();
            let entries = read_regions(base, &cx, &family, regions, &add.operators)?;
            add.family = Some((family, doc.refs, entries));
        }
    }
    let _ = doc.note;
    Ok(add)
}

/// A holder's `controllers`: real jurisdictions, and each link cited.
fn read_controllers(
    cx: &Ctx<'_>,
    docs: Vec<ControllerDoc>,
) -> Result<Vec<Controller>, CatalogError> {
    docs.into_iter()
        .map(|c| {
            if !iso::is_country(c.jurisdiction.get_ref()) {
                return cx.bad_country(
                    &c.jurisdiction,
                    format!("controller `{}`", c.company.get_ref()),
                );
            }
            if c.refs.get_ref().is_empty() {
                return Err(CatalogError::UncitedController {
                    origin: cx.origin.to_owned(),
                    company: c.company.get_ref().clone(),
                    src: cx.src(),
                    span: span(c.refs.span()),
                });
            }
            Ok(Controller {
                company: c.company.into_inner(),
                jurisdiction: c.jurisdiction.into_inner(),
                control: c.control,
                refs: c.refs.into_inner(),
                note: c.note,
            })
        })
        .collect()
}

fn read_regions(
    base: &Catalog,
    cx: &Ctx<'_>,
    family: &str,
    regions: Vec<Spanned<RegionDoc>>,
    new_operators: &[OperatorEntry],
) -> Result<Vec<RegionEntry>, CatalogError> {
    let mut first_at: FxHashMap<String, Range<usize>> = FxHashMap::default();
    let mut out = Vec::with_capacity(regions.len());
    let mut refs_to_check: Vec<(String, Spanned<String>)> = Vec::new();
    for r in regions {
        let r = r.into_inner();
        let code = r.code.get_ref();
        if code.is_empty() || code.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return cx.bad_name(
                &r.code,
                "region code",
                "region codes are the provider's spelling without spaces, e.g. `eu-central-1`",
            );
        }
        let key = normalise_code(code);
        if let Some(first) = first_at.get(&key) {
            return Err(CatalogError::DuplicateRegion {
                origin: cx.origin.to_owned(),
                family: family.to_owned(),
                code: code.clone(),
                src: cx.src(),
                span: span(r.code.span()),
                first: span(first.clone()),
            });
        }
        first_at.insert(key, r.code.span());
        for c in &r.countries {
            if !iso::is_country(c.get_ref()) {
                return cx.bad_country(c, format!("region `{code}`"));
            }
        }
        if let Some(op) = &r.operator {
            let id = op.get_ref();
            let known =
                new_operators.iter().any(|o| &o.id == id) || base.operators.contains_key(id);
            if !known {
                let mut ids: Vec<&str> = base.operators.keys().map(String::as_str).collect();
                ids.extend(new_operators.iter().map(|o| o.id.as_str()));
                return Err(CatalogError::UnknownOperator {
                    origin: cx.origin.to_owned(),
                    region: code.clone(),
                    operator: id.clone(),
                    hint: format!(
                        "{}define it with `[[operator]] id = \"{id}\"` in this or an earlier file; known operators: {}",
                        super::err::did_you_mean(id, ids.iter().copied()),
                        if ids.is_empty() {
                            "none".to_owned()
                        } else {
                            ids.join(", ")
                        }
                    ),
                    src: cx.src(),
                    span: span(op.span()),
                });
            }
        }
        for target in r.pair.iter().chain(r.members.iter()) {
            refs_to_check.push((code.clone(), target.clone()));
        }
        out.push(RegionEntry {
            code: r.code.into_inner(),
            name: r.name,
            countries: r.countries.into_iter().map(Spanned::into_inner).collect(),
            kind: r.kind,
            operator: r.operator.map(Spanned::into_inner),
            pair: r.pair.map(Spanned::into_inner),
            members: r.members.into_iter().map(Spanned::into_inner).collect(),
            retired: matches!(r.status, Some(Status::Retired)),
            refs: r.refs,
            note: r.note,
            origin: cx.origin.to_owned(),
        });
    }
    // Pairs and members may point forward in the file or at regions loaded earlier.
    for (region, target) in refs_to_check {
        let key = normalise_code(target.get_ref());
        let here = first_at.contains_key(&key);
        if !here && base.region(family, target.get_ref()).is_none() {
            return Err(CatalogError::UnknownRegionRef {
                origin: cx.origin.to_owned(),
                family: family.to_owned(),
                region,
                target: target.get_ref().clone(),
                src: cx.src(),
                span: span(target.span()),
            });
        }
    }
    Ok(out)
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn is_family(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `namespace/type` in lower case, or `None` when `s` is not a host-less registry address.
pub(super) fn registry_source(s: &str) -> Option<String> {
    let (ns, ty) = s.split_once('/')?;
    let ok = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    (ok(ns) && ok(ty)).then(|| s.to_ascii_lowercase())
}
