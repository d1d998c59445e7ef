//! `floor`: the least any residency engine must pay to read a Terraform plan.
//!
//! Reads the whole file into memory, then deserialises with serde_json only what a
//! residency check needs, borrowing strings from the buffer where no escape forces a
//! copy. Every other field (top-level `planned_values`, `prior_state`, `output_changes`,
//! `relevant_attributes`; per change `before`, `before_sensitive`, `after_sensitive`; all
//! other `after` attributes; configuration expressions other than provider regions) is
//! skipped by serde's `IgnoredAny`, which is what derive does with unknown fields.
//!
//! Kept, and why:
//! - `resource_changes[]`: `address`, `module_address`, `mode`, `type`, `name`,
//!   `provider_name`, `change.actions`; from `change.after` only `tags`, `tags_all`,
//!   `labels`, `region`, `location`, `zone` (placement and classification) and the
//!   replication attributes `bucket`, `identifier`, `rule[].destination[].bucket`,
//!   `replicate_source_db`, `replica[].region_name`, `account_replication_type`; from
//!   `change.after_unknown` the same keys, as unparsed raw JSON slices.
//! - `variables.*.value` (as raw JSON): regions set from variables.
//! - `configuration.provider_config.*.expressions.region` and, through every level of
//!   `module_calls`, each configuration resource's `address` and `provider_config_key`:
//!   without them no region of a provider-placed resource can be resolved.
//!
//! It resolves nothing and evaluates nothing; it prints the number of resource changes
//! and of configuration resources so the work cannot be optimised away.
//!
//! Usage: `floor PLAN.json` (or `floor --value PLAN.json` to parse the whole file into a
//! `serde_json::Value` instead, for reference; or `floor --skim PLAN.json` for the tight
//! floor of issue 14: only `resource_changes[].mode` and whether `change.after` is null
//! are kept, everything else is `IgnoredAny`, so what is left is the cost of the
//! tokenizer walking every byte). `floor --skim --reader sonic|simd PLAN.json` does the
//! same skim, into the same struct, with `sonic-rs` or `simd-json` instead of serde_json
//! (issue 14: is a SIMD reader worth it?); `--reader serde` is the default.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A string borrowed from the input unless an escape forces a copy. (`Cow<str>` itself
/// only borrows as a direct field; nested in a `Vec` or map it always copies.)
#[derive(PartialEq, Eq, Hash)]
struct Str<'a>(#[allow(dead_code)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON object kept as its (key, value) pairs in input order: cheaper than hashing,
/// and tag maps are small.
struct Pairs<'a>(#[allow(dead_code)] Vec<(Str<'a>, Option<Str<'a>>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<'de>, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some(entry) = map.next_entry()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
struct Plan<'a> {
    #[serde(borrow, default)]
    variables: HashMap<Str<'a>, Variable<'a>>,
    #[serde(borrow, default)]
    resource_changes: Vec<ResourceChange<'a>>,
    #[serde(borrow)]
    configuration: Option<Configuration<'a>>,
}

#[derive(Deserialize)]
struct Variable<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    value: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ResourceChange<'a> {
    #[serde(borrow)]
    address: Str<'a>,
    #[serde(borrow)]
    module_address: Option<Str<'a>>,
    #[serde(borrow)]
    mode: Str<'a>,
    #[serde(borrow, rename = "type")]
    ty: Str<'a>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    provider_name: Str<'a>,
    #[serde(borrow)]
    change: Change<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Change<'a> {
    #[serde(borrow)]
    actions: Vec<Str<'a>>,
    #[serde(borrow)]
    after: Option<After<'a>>,
    #[serde(borrow)]
    after_unknown: Option<AfterUnknown<'a>>,
}

type TagMap<'a> = Pairs<'a>;

#[derive(Deserialize)]
#[allow(dead_code)]
struct After<'a> {
    #[serde(borrow)]
    tags: Option<TagMap<'a>>,
    #[serde(borrow)]
    tags_all: Option<TagMap<'a>>,
    #[serde(borrow)]
    labels: Option<TagMap<'a>>,
    #[serde(borrow)]
    region: Option<Str<'a>>,
    #[serde(borrow)]
    location: Option<Str<'a>>,
    #[serde(borrow)]
    zone: Option<Str<'a>>,
    #[serde(borrow)]
    bucket: Option<Str<'a>>,
    #[serde(borrow)]
    identifier: Option<Str<'a>>,
    #[serde(borrow)]
    replicate_source_db: Option<Str<'a>>,
    #[serde(borrow)]
    account_replication_type: Option<Str<'a>>,
    #[serde(borrow)]
    replica: Option<Vec<Replica<'a>>>,
    #[serde(borrow)]
    rule: Option<Vec<ReplicationRule<'a>>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Replica<'a> {
    #[serde(borrow)]
    region_name: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ReplicationRule<'a> {
    #[serde(borrow, default)]
    destination: Vec<Destination<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Destination<'a> {
    #[serde(borrow)]
    bucket: Option<Str<'a>>,
}

/// `after_unknown` mirrors `after` with `true` where a value is unknown; the same keys are
/// kept, unparsed.
#[derive(Deserialize)]
#[allow(dead_code)]
struct AfterUnknown<'a> {
    #[serde(borrow)]
    tags: Option<&'a RawValue>,
    #[serde(borrow)]
    tags_all: Option<&'a RawValue>,
    #[serde(borrow)]
    labels: Option<&'a RawValue>,
    #[serde(borrow)]
    region: Option<&'a RawValue>,
    #[serde(borrow)]
    location: Option<&'a RawValue>,
    #[serde(borrow)]
    zone: Option<&'a RawValue>,
    #[serde(borrow)]
    rule: Option<&'a RawValue>,
    #[serde(borrow)]
    replica: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Configuration<'a> {
    #[serde(borrow, default)]
    provider_config: HashMap<Str<'a>, ProviderConfig<'a>>,
    #[serde(borrow)]
    root_module: Option<ConfigModule<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ProviderConfig<'a> {
    #[serde(borrow)]
    expressions: Option<ProviderExpressions<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ProviderExpressions<'a> {
    #[serde(borrow)]
    region: Option<Expression<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Expression<'a> {
    #[serde(borrow)]
    constant_value: Option<&'a RawValue>,
    #[serde(borrow)]
    references: Option<Vec<Str<'a>>>,
}

#[derive(Deserialize)]
struct ConfigModule<'a> {
    #[serde(borrow, default)]
    resources: Vec<ConfigResource<'a>>,
    #[serde(borrow, default)]
    module_calls: HashMap<Str<'a>, ModuleCall<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ConfigResource<'a> {
    #[serde(borrow)]
    address: Str<'a>,
    #[serde(borrow)]
    provider_config_key: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct ModuleCall<'a> {
    #[serde(borrow)]
    module: Option<ConfigModule<'a>>,
}

fn count_config(m: &ConfigModule) -> usize {
    m.resources.len()
        + m.module_calls
            .values()
            .filter_map(|c| c.module.as_ref())
            .map(count_config)
            .sum::<usize>()
}

/// The tight floor (`--skim`): a resource change reduced to its mode and whether it has
/// an `after` value; serde skips every other field with `IgnoredAny`.
#[derive(Deserialize)]
struct SkimPlan<'a> {
    #[serde(borrow, default)]
    resource_changes: Vec<SkimChange<'a>>,
}

#[derive(Deserialize)]
struct SkimChange<'a> {
    #[serde(borrow)]
    mode: Str<'a>,
    change: SkimBody,
}

#[derive(Deserialize)]
struct SkimBody {
    #[serde(default, deserialize_with = "present")]
    after: bool,
}

/// True when the value is not `null`, without building it.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<serde::de::IgnoredAny>::deserialize(d)?.is_some())
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Plan,
    Value,
    Skim(Reader),
}

/// The JSON reader behind `--skim`; all three deserialise the same `SkimPlan`.
#[derive(Clone, Copy, PartialEq)]
enum Reader {
    Serde,
    Sonic,
    Simd,
}

impl Reader {
    fn named(name: &str) -> Option<Reader> {
        match name {
            "serde" => Some(Reader::Serde),
            "sonic" => Some(Reader::Sonic),
            "simd" => Some(Reader::Simd),
            _ => None,
        }
    }

    /// simd-json unescapes strings in place, so it needs the buffer mutably.
    fn skim(self, bytes: &mut [u8]) -> Result<SkimPlan<'_>, String> {
        match self {
            Reader::Serde => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Reader::Sonic => sonic_rs::from_slice(bytes).map_err(|e| e.to_string()),
            Reader::Simd => simd_json::serde::from_slice(bytes).map_err(|e| e.to_string()),
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: floor [--value | --skim [--reader serde|sonic|simd]] PLAN.json");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, path) = match args.as_slice() {
        [p] => (Mode::Plan, p),
        [flag, p] if flag == "--value" => (Mode::Value, p),
        [flag, p] if flag == "--skim" => (Mode::Skim(Reader::Serde), p),
        [flag, r, name, p] if flag == "--skim" && r == "--reader" => match Reader::named(name) {
            Some(reader) => (Mode::Skim(reader), p),
            None => usage(),
        },
        _ => usage(),
    };
    let full_value = mode == Mode::Value;
    let mut bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("floor: {path}: {e}");
            std::process::exit(2);
        }
    };
    if full_value {
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(v) => {
                let n = v["resource_changes"].as_array().map_or(0, Vec::len);
                println!("{n} resource changes (full serde_json::Value)");
            }
            Err(e) => {
                eprintln!("floor: {path}: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if let Mode::Skim(reader) = mode {
        match reader.skim(&mut bytes) {
            Ok(plan) => {
                let managed = plan
                    .resource_changes
                    .iter()
                    .filter(|c| c.mode.0 == "managed" && c.change.after)
                    .count();
                println!(
                    "{} resource changes, {managed} managed with an after value (skim)",
                    plan.resource_changes.len()
                );
            }
            Err(e) => {
                eprintln!("floor: {path}: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    match serde_json::from_slice::<Plan>(&bytes) {
        Ok(plan) => {
            let config = plan
                .configuration
                .as_ref()
                .and_then(|c| c.root_module.as_ref())
                .map_or(0, count_config);
            let providers = plan
                .configuration
                .as_ref()
                .map_or(0, |c| c.provider_config.len());
            println!(
                "{} resource changes, {} configuration resources, {} provider configurations, {} variables",
                plan.resource_changes.len(),
                config,
                providers,
                plan.variables.len()
            );
        }
        Err(e) => {
            eprintln!("floor: {path}: {e}");
            std::process::exit(2);
        }
    }
}
