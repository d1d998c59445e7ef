//! One streaming pass over a Terraform JSON document with hand-written serde visitors.
//!
//! Nothing here builds a `serde_json::Value` of the whole input: `planned_values`,
//! `prior_state`, `resource_drift`, `output_changes` and every `after` key that neither
//! the policies (the projection) nor location, tags and flows read are skipped with
//! `IgnoredAny`. `configuration` comes after `resource_changes` in Terraform's output,
//! so this pass only collects; resolution happens afterwards.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

use indexmap::IndexMap;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::model::Known;

use crate::adapters::scan::Seg;

/// Which `after` keys to keep, and where to intern the strings that repeat.
#[derive(Clone, Copy)]
pub(crate) struct Keep<'p> {
    pub all: bool,
    pub extra: Option<&'p FxHashSet<String>>,
    pub strings: &'p RefCell<Interner>,
    /// Told how far the parse has got, for inputs that can give read pages back.
    pub progress: Option<&'p Progress<'p>>,
    /// The input's address and length, when each entry's place in it is noted (in
    /// [`RawItem::entry`]) so the entry can be read again later ([`read_entry`]).
    pub entries: Option<(usize, usize)>,
}

/// Gives the input's bytes back in large steps as the (forward-only) parse passes
/// them, for a [`crate::adapters::Source`] that can (juris itself reads inputs into
/// memory and has nothing to give back; see `docs/limits.md`).
pub(crate) struct Progress<'p> {
    base: usize,
    len: usize,
    released: Cell<usize>,
    release: &'p dyn Fn(Range<usize>),
}

/// Bytes the parse must pass before the next release, and the alignment of releases
/// (a multiple of every page size in use).
const RELEASE_STEP: usize = 8 << 20;
const RELEASE_ALIGN: usize = 64 << 10;

impl<'p> Progress<'p> {
    pub fn new(bytes: &[u8], release: &'p dyn Fn(Range<usize>)) -> Progress<'p> {
        Progress {
            base: bytes.as_ptr() as usize,
            len: bytes.len(),
            released: Cell::new(0),
            release,
        }
    }

    /// The parse is reading `at` (a string borrowed from the input): everything more
    /// than one alignment unit before it has been read for good.
    fn reached(&self, at: &str) {
        let Some(offset) = (at.as_ptr() as usize).checked_sub(self.base) else {
            return;
        };
        let done = self.released.get();
        if offset > self.len || offset < done + RELEASE_STEP {
            return;
        }
        let upto = (offset - RELEASE_ALIGN) & !(RELEASE_ALIGN - 1);
        (self.release)(done..upto);
        self.released.set(upto);
    }
}

/// One shared copy of each distinct string: types, names, provider names and action
/// lists repeat across thousands of resources.
pub(crate) struct Interner {
    strs: FxHashMap<Rc<str>, ()>,
    /// Action lists by their names joined with `\n`.
    actions: FxHashMap<String, Rc<[String]>>,
    /// Resources of one type mostly have the same unknown attributes.
    pointers: FxHashMap<Rc<Pointers>, ()>,
    empty: Rc<str>,
    scratch: String,
    /// Buffers reused from one resource to the next, so only the final, exact-size
    /// copies are allocated per resource.
    unknown: Pointers,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            strs: FxHashMap::default(),
            actions: FxHashMap::default(),
            pointers: FxHashMap::default(),
            empty: Rc::from(""),
            scratch: String::new(),
            unknown: Pointers::default(),
        }
    }
}

impl Interner {
    pub fn get(&mut self, s: &str) -> Rc<str> {
        if let Some((k, _)) = self.strs.get_key_value(s) {
            return k.clone();
        }
        let k: Rc<str> = Rc::from(s);
        self.strs.insert(k.clone(), ());
        k
    }

    /// A shared empty string (an `Rc<str>` default would allocate one per field).
    pub fn empty(&self) -> Rc<str> {
        self.empty.clone()
    }

    /// The shared copy of `p`; `p` is left empty for reuse.
    fn pointers(&mut self, p: &mut Pointers) -> Rc<Pointers> {
        let k = match self.pointers.get_key_value(&*p) {
            Some((k, _)) => k.clone(),
            None => {
                let k = Rc::new(Pointers {
                    text: p.text.clone(),
                    ends: p.ends.clone(),
                });
                self.pointers.insert(k.clone(), ());
                k
            }
        };
        p.text.clear();
        p.ends.clear();
        k
    }
}

/// The static spelling of a key location, tags or flows read (kept whatever the
/// policies project; [`super::families::projection`]) and its position there, so kept
/// attributes need no key allocation and a repeated one is caught with a bit mask.
fn needed_static(key: &str) -> Option<(&'static str, u32)> {
    static SET: OnceLock<FxHashMap<&'static str, u32>> = OnceLock::new();
    SET.get_or_init(|| {
        super::families::projection()
            .iter()
            .copied()
            .zip(0..)
            .collect()
    })
    .get_key_value(key)
    .map(|(k, i)| (*k, *i))
}

fn needed(key: &str) -> bool {
    needed_static(key).is_some()
}

/// Whether `v` is a shape Terraform writes for place attribute `key`: a place name (or
/// `null`), or for zones a list of names (Huawei Cloud's RDS `availability_zone`). A
/// value of another shape would silently drop out of location resolution, so it is
/// refused where it is read ([`super::families::place_attrs`]).
fn place_shape(key: &str, v: &Value) -> bool {
    match v {
        Value::String(_) | Value::Null => true,
        Value::Array(zones) => key.contains("zone") && zones.iter().all(Value::is_string),
        _ => false,
    }
}

/// The words Terraform writes in `change.actions` (`forget` since 1.7).
const ACTIONS: &[&str] = &["no-op", "create", "read", "update", "delete", "forget"];

impl Keep<'_> {
    /// Report a key borrowed from the input as the parse's position.
    fn at_key(&self, key: &Key<'_>) {
        if let (Some(p), Cow::Borrowed(k)) = (self.progress, &key.0) {
            p.reached(k);
        }
    }

    /// Where `key` starts in the input, when entries are noted and the key is the
    /// input's own text (a key with escapes is a copy, and has no place).
    fn offset_of(&self, key: &Key<'_>) -> Option<usize> {
        let ((base, len), Cow::Borrowed(k)) = (self.entries?, &key.0) else {
            return None;
        };
        let at = (k.as_ptr() as usize).checked_sub(base)?;
        (at < len).then_some(at)
    }

    fn intern(&self, s: &str) -> Rc<str> {
        self.strings.borrow_mut().get(s)
    }

    fn keeps(&self, key: &str) -> bool {
        self.all || needed(key) || self.extra.is_some_and(|e| e.contains(key))
    }

    /// True when the policies asked for `key` (what ends up in `attributes`).
    pub fn projects(&self, key: &str) -> bool {
        self.all || self.extra.is_some_and(|e| e.contains(key))
    }
}

/// One managed-or-data object: a plan's resource change, or a state/planned-values resource.
/// Kept compact: the whole input is still in memory while these are collected.
#[derive(Debug, Default)]
pub(crate) struct RawItem {
    pub address: String,
    pub rtype: Rc<str>,
    pub name: Rc<str>,
    pub provider_name: Rc<str>,
    pub data: bool,
    /// The deposed object's key, for an object replaced but not yet destroyed.
    pub deposed: Option<Box<str>>,
    pub actions: Option<Rc<[String]>>,
    /// Kept `after` (or state `values`) keys, in document order. A short vector: a few
    /// lookups per resource do not pay for a hash table per resource.
    pub after: Vec<(Cow<'static, str>, Value)>,
    /// Tag-like maps (`tags`, `tags_all`, `labels`, ...); values unknown until apply are
    /// marked once `after_unknown` is read.
    pub tag_maps: Vec<(&'static str, RawTags)>,
    /// JSON pointers of `after_unknown` leaves that are `true`, under kept keys (shared
    /// between resources with the same ones).
    pub unknown: Rc<Pointers>,
    pub origin: Origin,
    /// The first field every Terraform plan or state writes that this entry lacks
    /// (`change`, `change.actions`): the checks refuse the entry, never skip it.
    pub missing: Option<&'static str>,
    /// The first thing in the entry that is not as Terraform writes it.
    pub problem: Option<Box<Problem>>,
    /// Filled in by the checks: module instance path, configuration module and address
    /// (without instance key), and the normalised provider source.
    pub module: Rc<str>,
    pub config_module: Rc<str>,
    pub config_address: Rc<str>,
    pub source: Rc<str>,
    /// Where the entry is in the input, when [`Keep::entries`] asks.
    pub entry: Option<EntryAt>,
}

/// Where an entry of the input is, to read it again ([`read_entry`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntryAt {
    /// The offset of its first key.
    pub key: usize,
    /// A resource change (its values are under `change`), or a state or planned-values
    /// resource (under `values`).
    pub change: bool,
}

/// JSON pointers in one buffer (most resources have a few; a `String` each would cost
/// more than the pointers).
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Pointers {
    text: String,
    ends: Vec<u32>,
}

impl Pointers {
    pub fn push(&mut self, p: &str) {
        self.text.push_str(p);
        self.ends.push(self.text.len() as u32);
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| self.text.get(a as usize..b as usize).unwrap_or(""))
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A tag map in one buffer: `text` holds every key and value back to back.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawTags {
    text: String,
    /// (key start, key end = value start, value end); value end `u32::MAX` is unknown.
    entries: Vec<(u32, u32, u32)>,
    /// Read from a list of tags rather than a map.
    from_list: bool,
    /// Which tags there are is only known at apply time (an unknown element of a list).
    pub keys_unknown: bool,
}

impl RawTags {
    fn push(&mut self, key: &str, value: Option<&str>) {
        let k0 = self.text.len() as u32;
        self.text.push_str(key);
        let k1 = self.text.len() as u32;
        let v1 = match value {
            Some(v) => {
                self.text.push_str(v);
                self.text.len() as u32
            }
            None => u32::MAX,
        };
        self.entries.push((k0, k1, v1));
    }

    /// Entries in order; `None` values are unknown until apply.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.entries.iter().map(|&(k0, k1, v1)| {
            let key = self.text.get(k0 as usize..k1 as usize).unwrap_or("");
            let value =
                (v1 != u32::MAX).then(|| self.text.get(k1 as usize..v1 as usize).unwrap_or(""));
            (key, value)
        })
    }

    /// A key that appears twice, if any (a map's keys are few: pairs are compared
    /// directly up to sixteen).
    fn duplicate_key(&self) -> Option<&str> {
        let keys: Vec<&str> = self.iter().map(|(k, _)| k).collect();
        if keys.len() <= 16 {
            return keys
                .iter()
                .enumerate()
                .find(|(i, k)| keys[..*i].contains(k))
                .map(|(_, k)| *k);
        }
        let mut seen = FxHashSet::default();
        keys.into_iter().find(|k| !seen.insert(*k))
    }

    fn mark_unknown(&mut self, key: &str) {
        let found = self
            .entries
            .iter_mut()
            .find(|(k0, k1, _)| self.text.get(*k0 as usize..*k1 as usize) == Some(key));
        match found {
            Some(e) => e.2 = u32::MAX,
            None => self.push(key, None),
        }
    }

    /// The model's map.
    pub fn into_map(self) -> TagMap {
        let mut out = TagMap::with_capacity(self.entries.len());
        for (k, v) in self.iter() {
            out.insert(
                k.to_owned(),
                match v {
                    Some(v) => Known::Known(v.to_owned()),
                    None => Known::Unknown,
                },
            );
        }
        out
    }
}

pub(crate) type TagMap = IndexMap<String, Known<String>>;

/// Attributes that hold tags or labels.
pub(crate) const TAG_KEYS: &[&str] = &[
    "defined_tags",
    "effective_labels",
    "freeform_tags",
    "labels",
    "tags",
    "tags_all",
    "terraform_labels",
];

/// Something in an entry that is not what Terraform writes, found while reading it.
/// The checks refuse the entry with this exact path: an error raised inside a visitor
/// would be placed where the parser stopped, which can be the next value.
#[derive(Debug)]
pub(crate) struct Problem {
    /// The path from the entry.
    pub at: Vec<Seg>,
    pub message: String,
}

fn key_seg(k: &str) -> Seg {
    Seg::Key(k.to_owned())
}

impl RawItem {
    /// Records a problem (the first one found is reported).
    fn flag(&mut self, at: Vec<Seg>, message: String) {
        if self.problem.is_none() {
            self.problem = Some(Box::new(Problem { at, message }));
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.after.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn tag_map(&self, key: &str) -> Option<&RawTags> {
        self.tag_maps
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, m)| m)
    }
}

/// Where an item sits in the document, for error paths.
#[derive(Clone, Debug, Default)]
pub(crate) enum Origin {
    #[default]
    None,
    Change(usize),
    State(Box<StateOrigin>),
}

#[derive(Clone, Debug)]
pub(crate) struct StateOrigin {
    pub root: &'static str,
    pub modules: Vec<usize>,
    pub index: usize,
}

impl Origin {
    /// The JSON path of field `field` of this item (`change.actions` is two steps; an
    /// empty field is the item itself).
    pub fn path(&self, field: &str) -> Vec<Seg> {
        let mut p = Vec::new();
        match self {
            Origin::None => {}
            Origin::Change(i) => {
                p.push(Seg::Key("resource_changes".into()));
                p.push(Seg::Index(*i));
            }
            Origin::State(state) => {
                let StateOrigin {
                    root,
                    modules,
                    index,
                } = &**state;
                p.push(Seg::Key((*root).into()));
                p.push(Seg::Key("root_module".into()));
                for m in modules {
                    p.push(Seg::Key("child_modules".into()));
                    p.push(Seg::Index(*m));
                }
                p.push(Seg::Key("resources".into()));
                p.push(Seg::Index(*index));
            }
        }
        p.extend(
            field
                .split('.')
                .filter(|f| !f.is_empty())
                .map(|f| Seg::Key(f.into())),
        );
        p
    }
}

/// Which fields of one JSON object have been read: each may appear once, since a
/// repeated key would let two readers of the same document see different values.
#[derive(Default)]
struct Seen(u128);

impl Seen {
    /// Marks `bit`; false when it was already marked.
    fn first(&mut self, bit: u32) -> bool {
        let first = !self.has(bit);
        self.0 |= 1 << bit;
        first
    }

    fn has(&self, bit: u32) -> bool {
        self.0 & (1 << bit) != 0
    }
}

/// The configuration tree, compactly (its size follows the code, not the resource count).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawConfig {
    #[serde(default, deserialize_with = "nullable")]
    pub provider_config: IndexMap<String, RawProviderConfig>,
    #[serde(default, deserialize_with = "nullable")]
    pub root_module: RawModule,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawProviderConfig {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub alias: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub module_address: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub expressions: Option<Map<String, Value>>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawModule {
    #[serde(default, deserialize_with = "nullable")]
    pub resources: Vec<RawConfigResource>,
    #[serde(default, deserialize_with = "nullable")]
    pub module_calls: IndexMap<String, RawModuleCall>,
    #[serde(default, deserialize_with = "nullable")]
    pub variables: IndexMap<String, RawVariable>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawVariable {
    /// `None` when the variable has no default, `Some(Null)` for `default = null`.
    #[serde(default, deserialize_with = "present")]
    pub default: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawConfigResource {
    #[serde(default, deserialize_with = "nullable")]
    pub address: String,
    #[serde(default, deserialize_with = "nullable")]
    pub provider_config_key: Option<String>,
    /// Only the arguments location, flows and parents read: a configuration block's
    /// other expressions can be large, and a plan may hold thousands of blocks.
    #[serde(default, deserialize_with = "needed_expressions")]
    pub expressions: Map<String, Value>,
}

/// Whether a configuration argument can matter: an attribute the adapter reads, or a
/// reference to a parent resource.
pub(crate) fn config_needed(key: &str) -> bool {
    // Tags are read from the planned values (and provider default tags), never from a
    // resource's configuration, and are often the bulk of it.
    let tags = matches!(
        key,
        "tags"
            | "tags_all"
            | "labels"
            | "effective_labels"
            | "terraform_labels"
            | "freeform_tags"
            | "defined_tags"
    );
    !tags && needed(key)
}

fn needed_expressions<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    struct Needed;
    impl<'de> serde::de::Visitor<'de> for Needed {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of expressions")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Map::new())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Map::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_map(self)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if config_needed(&key) {
                    out.insert(key.into_owned(), map.next_value()?);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(out)
        }
    }
    d.deserialize_option(Needed)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawModuleCall {
    #[serde(default, deserialize_with = "nullable")]
    pub expressions: Map<String, Value>,
    #[serde(default, deserialize_with = "nullable")]
    pub module: RawModule,
}

#[derive(Debug, Default, Deserialize)]
struct RawVariableValue {
    #[serde(default)]
    value: Value,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Everything the pass collected, before deciding what kind of document it was.
#[derive(Default)]
pub(crate) struct RawDoc<'de> {
    /// Top-level keys in order (at most 16), to say what an unknown document looks like.
    pub keys: Vec<String>,
    /// What the top-level value is when it is not an object (`an array`, ...).
    pub not_object: Option<&'static str>,
    pub format_version: Option<Value>,
    pub terraform_version: Option<String>,
    pub variables: IndexMap<String, Value>,
    pub changes: Option<Vec<RawItem>>,
    pub planned_values: Option<&'de RawValue>,
    pub configuration: Option<RawConfig>,
    pub state_items: Option<Vec<RawItem>>,
    pub version: Option<Value>,
    pub resources: Option<&'de RawValue>,
}

/// Reads a whole document (not yet known to be UTF-8: the parser checks what it reads).
pub(crate) fn document<'de>(
    bytes: &'de [u8],
    keep: Keep<'_>,
) -> Result<RawDoc<'de>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let doc = TopSeed { keep }.deserialize(&mut de)?;
    de.end()?;
    Ok(doc)
}

/// Reads a `planned_values`-shaped value (`root_module` with resources' `values`).
pub(crate) fn planned_values(
    raw: &RawValue,
    keep: Keep<'_>,
) -> Result<Vec<RawItem>, serde_json::Error> {
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_str(raw.get());
    StateValuesSeed {
        keep,
        root: "planned_values",
        out: &mut out,
    }
    .deserialize(&mut de)?;
    Ok(out)
}

/// Where the entry `at` starts in `bytes`: its `{`, before the first key's quote and any
/// whitespace.
pub(crate) fn entry_start(bytes: &[u8], at: EntryAt) -> usize {
    let before = bytes.get(..at.key.saturating_sub(1)).unwrap_or_default();
    before
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .unwrap_or(0)
}

/// The entry (a resource change, or a state or planned-values resource) at the start of
/// `text`, read again as `keep` says: `juris inventory` reads every attribute of one
/// resource at a time, while it writes the inventory. What follows the entry is not read.
pub(crate) fn read_entry(
    text: &[u8],
    at: EntryAt,
    keep: Keep<'_>,
) -> Result<RawItem, serde_json::Error> {
    let (origin, values_key) = match at.change {
        true => (Origin::Change(0), "change"),
        false => (Origin::None, "values"),
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    ItemSeed {
        keep,
        origin,
        values_key,
    }
    .deserialize(&mut de)
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The top-level keys this pass reads (each may appear once).
const TOP_KEYS: &[&str] = &[
    "format_version",
    "terraform_version",
    "variables",
    "resource_changes",
    "planned_values",
    "configuration",
    "values",
    "version",
    "resources",
];

struct TopSeed<'k> {
    keep: Keep<'k>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = RawDoc<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawDoc<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = RawDoc<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDoc<'de>, A::Error> {
        let mut doc = RawDoc::default();
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<Key>()? {
            self.keep.at_key(&key);
            let key = key.0;
            if doc.keys.len() < 16 {
                doc.keys.push(key.to_string());
            }
            if let Some(bit) = TOP_KEYS.iter().position(|k| *k == key)
                && !seen.first(bit as u32)
            {
                return Err(de::Error::duplicate_field(TOP_KEYS[bit]));
            }
            match key.as_ref() {
                "format_version" => doc.format_version = Some(map.next_value()?),
                "terraform_version" => doc.terraform_version = map.next_value()?,
                "variables" => {
                    let vars: Option<IndexMap<String, RawVariableValue>> = map.next_value()?;
                    doc.variables = vars
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.value))
                        .collect();
                }
                "resource_changes" => {
                    doc.changes = Some(map.next_value_seed(ChangesSeed { keep: self.keep })?)
                }
                "planned_values" => doc.planned_values = Some(map.next_value()?),
                "configuration" => doc.configuration = map.next_value()?,
                "values" => {
                    let mut items = Vec::new();
                    map.next_value_seed(StateValuesSeed {
                        keep: self.keep,
                        root: "values",
                        out: &mut items,
                    })?;
                    doc.state_items = Some(items);
                }
                "version" => doc.version = Some(map.next_value()?),
                "resources" => doc.resources = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(doc)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawDoc<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_object("a JSON array"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<RawDoc<'de>, E> {
        Ok(not_object("a JSON string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawDoc<'de>, E> {
        Ok(not_object("a JSON boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawDoc<'de>, E> {
        Ok(not_object("a JSON number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawDoc<'de>, E> {
        Ok(not_object("a JSON number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawDoc<'de>, E> {
        Ok(not_object("a JSON number"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<RawDoc<'de>, E> {
        Ok(not_object("JSON `null`"))
    }
}

fn not_object<'de>(what: &'static str) -> RawDoc<'de> {
    RawDoc {
        not_object: Some(what),
        ..RawDoc::default()
    }
}

struct ChangesSeed<'k> {
    keep: Keep<'k>,
}

impl<'de> DeserializeSeed<'de> for ChangesSeed<'_> {
    type Value = Vec<RawItem>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<RawItem>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChangesSeed<'_> {
    type Value = Vec<RawItem>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resource changes")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<RawItem>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RawItem>, A::Error> {
        let mut out = Chunked::default();
        while let Some(item) = seq.next_element_seed(ItemSeed {
            keep: self.keep,
            origin: Origin::Change(out.len()),
            values_key: "change",
        })? {
            out.push(item);
        }
        Ok(out.join())
    }
}

/// Items collected in fixed-size chunks and joined once at the end. A growing vector
/// copies everything it holds at each step and faults in fresh pages for every new
/// buffer (8% of a 100,000-resource check); chunks move each item once.
struct Chunked<T> {
    full: Vec<Vec<T>>,
    current: Vec<T>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            full: Vec::new(),
            current: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// Items per chunk: a few hundred kilobytes of `RawItem`s.
    const CHUNK: usize = 1024;

    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, item: T) {
        if self.current.len() == self.current.capacity() {
            let next = Vec::with_capacity(Self::CHUNK);
            let full = std::mem::replace(&mut self.current, next);
            if !full.is_empty() {
                self.full.push(full);
            }
        }
        self.current.push(item);
        self.len += 1;
    }

    fn join(self) -> Vec<T> {
        if self.full.is_empty() {
            return self.current;
        }
        let mut out = Vec::with_capacity(self.len);
        for chunk in self.full {
            out.extend(chunk);
        }
        out.extend(self.current);
        out
    }
}

/// A resource change (`values_key` = `change`) or a state resource (`values`).
struct ItemSeed<'k> {
    keep: Keep<'k>,
    origin: Origin,
    values_key: &'static str,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = RawItem;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawItem, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = RawItem;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resource object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItem, A::Error> {
        let empty = self.keep.strings.borrow().empty();
        let mut item = RawItem {
            address: String::new(),
            rtype: empty.clone(),
            name: empty.clone(),
            provider_name: empty.clone(),
            data: false,
            deposed: None,
            actions: None,
            after: Vec::new(),
            tag_maps: Vec::new(),
            unknown: Rc::default(),
            origin: self.origin,
            missing: None,
            problem: None,
            module: empty.clone(),
            config_module: empty.clone(),
            config_address: empty.clone(),
            source: empty,
            entry: None,
        };
        let mut unknown = std::mem::take(&mut self.keep.strings.borrow_mut().unknown);
        let mut seen = Seen::default();
        let mut first = true;
        while let Some(key) = map.next_key::<Key>()? {
            self.keep.at_key(&key);
            if std::mem::take(&mut first) {
                item.entry = self.keep.offset_of(&key).map(|key| EntryAt {
                    key,
                    change: self.values_key == "change",
                });
            }
            let (bit, field) = match key.0.as_ref() {
                "address" => (0, "address"),
                "mode" => (1, "mode"),
                "type" => (2, "type"),
                "name" => (3, "name"),
                "provider_name" => (4, "provider_name"),
                "deposed" => (5, "deposed"),
                "deposed_key" => (5, "deposed_key"),
                k if k == self.values_key => (6, self.values_key),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if !seen.first(bit) {
                item.flag(vec![key_seg(field)], "appears twice in one entry".into());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match bit {
                0 => item.address = map.next_value()?,
                1 => {
                    let mode = map.next_value::<Key>()?.0;
                    match mode.as_ref() {
                        "managed" => item.data = false,
                        "data" => item.data = true,
                        other => item.flag(
                            vec![key_seg("mode")],
                            format!(
                                "`{other}` is not a mode: Terraform writes `managed` or `data`"
                            ),
                        ),
                    }
                }
                2 => item.rtype = self.keep.intern(&map.next_value::<Key>()?.0),
                3 => item.name = self.keep.intern(&map.next_value::<Key>()?.0),
                4 => item.provider_name = self.keep.intern(&map.next_value::<Key>()?.0),
                // The deposed object's key; `null` is Go's way of writing "none".
                5 => item.deposed = map.next_value::<Option<Key>>()?.map(|k| k.0.into()),
                _ if field == "change" => map.next_value_seed(ChangeSeed {
                    keep: self.keep,
                    item: &mut item,
                    unknown: &mut unknown,
                })?,
                _ => map.next_value_seed(AfterSeed {
                    keep: self.keep,
                    item: &mut item,
                    base: &["values"],
                })?,
            }
        }
        let required: [(u32, &'static str); 6] = [
            (0, "address"),
            (1, "mode"),
            (2, "type"),
            (3, "name"),
            (4, "provider_name"),
            (6, self.values_key),
        ];
        if let Some((_, field)) = required.iter().find(|(bit, _)| !seen.has(*bit)) {
            item.missing = Some(field);
        }
        {
            let mut strings = self.keep.strings.borrow_mut();
            item.unknown = strings.pointers(&mut unknown);
            strings.unknown = unknown;
        }
        compact(&mut item, self.keep);
        // The input stays in memory until every item is read: give back what is spare.
        if item.after.capacity() > item.after.len() + 1 {
            item.after.shrink_to_fit();
        }
        if item.tag_maps.capacity() > item.tag_maps.len() {
            item.tag_maps.shrink_to_fit();
        }
        Ok(item)
    }
}

/// Marks tag values unknown where `after_unknown` says so, and drops what a known merged
/// map makes redundant: AWS `tags` beside `tags_all`, Google `labels` beside
/// `effective_labels` (unless the policies asked for them). Done per item while parsing,
/// because the whole document is still in memory then.
fn compact(item: &mut RawItem, keep: Keep<'_>) {
    if !item.unknown.is_empty() {
        let RawItem {
            tag_maps, unknown, ..
        } = item;
        for (key, map) in tag_maps.iter_mut() {
            for p in unknown.iter() {
                if let Some(k) = p
                    .strip_prefix('/')
                    .and_then(|p| p.strip_prefix(*key))
                    .and_then(|p| p.strip_prefix('/'))
                {
                    if map.from_list {
                        // An unknown element of a list: which tags there are is unknown.
                        map.keys_unknown = true;
                    } else if k.contains('~') {
                        map.mark_unknown(&k.replace("~1", "/").replace("~0", "~"));
                    } else {
                        map.mark_unknown(k);
                    }
                }
            }
        }
    }
    for (merged, own, provider) in [
        ("tags_all", "tags", "aws"),
        ("effective_labels", "labels", "google"),
    ] {
        let known = item.tag_map(merged).is_some()
            && !item
                .unknown
                .iter()
                .any(|p| p.is_empty() || p.strip_prefix('/') == Some(merged));
        if known && !keep.projects(own) && item.provider_name.contains(provider) {
            item.tag_maps.retain(|(k, _)| *k != own);
        }
    }
}

struct ChangeSeed<'k, 'i> {
    keep: Keep<'k>,
    item: &'i mut RawItem,
    unknown: &'i mut Pointers,
}

impl<'de> DeserializeSeed<'de> for ChangeSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ChangeSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a change object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<Key>()? {
            let (bit, field) = match key.0.as_ref() {
                "actions" => (0, "actions"),
                "after" => (1, "after"),
                "after_unknown" => (2, "after_unknown"),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if !seen.first(bit) {
                let at = vec![key_seg("change"), key_seg(field)];
                self.item.flag(at, "appears twice in one change".into());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match bit {
                0 => map.next_value_seed(ActionsSeed {
                    keep: self.keep,
                    item: &mut *self.item,
                })?,
                1 => map.next_value_seed(AfterSeed {
                    keep: self.keep,
                    item: &mut *self.item,
                    base: &["change", "after"],
                })?,
                _ => map.next_value_seed(UnknownSeed {
                    keep: self.keep,
                    out: &mut *self.unknown,
                })?,
            }
        }
        // Terraform writes all three for every change (`after` is `null` for a delete).
        let required = [
            (0, "change.actions"),
            (1, "change.after"),
            (2, "change.after_unknown"),
        ];
        if let Some((_, field)) = required.iter().find(|(bit, _)| !seen.has(*bit)) {
            self.item.missing.get_or_insert(field);
        }
        Ok(())
    }
}

/// An action list, shared with every other resource that has the same one.
struct ActionsSeed<'k, 'i> {
    keep: Keep<'k>,
    item: &'i mut RawItem,
}

impl<'de> DeserializeSeed<'de> for ActionsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ActionsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of actions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut strings = self.keep.strings.borrow_mut();
        let mut joined = std::mem::take(&mut strings.scratch);
        joined.clear();
        let mut n = 0;
        while let Some(action) = seq.next_element::<Key>()? {
            // An unknown word could be a deletion juris would keep, or a creation a
            // policy selecting new resources would miss: refused, not guessed.
            if !ACTIONS.contains(&action.0.as_ref()) {
                self.item.flag(
                    vec![key_seg("change"), key_seg("actions"), Seg::Index(n)],
                    format!(
                        "`{}` is not an action: Terraform writes `no-op`, `create`, `read`, `update`, `delete` or `forget`",
                        action.0
                    ),
                );
            }
            if !joined.is_empty() {
                joined.push('\n');
            }
            joined.push_str(&action.0);
            n += 1;
        }
        if n == 0 {
            self.item.flag(
                vec![key_seg("change"), key_seg("actions")],
                "is empty: Terraform writes at least one action (`no-op` when nothing changes)"
                    .into(),
            );
        }
        let list = match strings.actions.get(joined.as_str()) {
            Some(list) => list.clone(),
            None => {
                let list: Rc<[String]> = joined.split('\n').map(str::to_owned).collect();
                strings.actions.insert(joined.clone(), list.clone());
                list
            }
        };
        strings.scratch = joined;
        self.item.actions = Some(list);
        Ok(())
    }
}

/// Keeps the wanted keys of an object (or nothing, for `null`).
struct AfterSeed<'k, 'o> {
    keep: Keep<'k>,
    item: &'o mut RawItem,
    /// Where the object is in the entry (`change.after`, `values`), for problems.
    base: &'static [&'static str],
}

impl AfterSeed<'_, '_> {
    fn flag(&mut self, below: Vec<Seg>, message: String) {
        let mut at: Vec<Seg> = self.base.iter().map(|k| key_seg(k)).collect();
        at.extend(below);
        self.item.flag(at, message);
    }
}

impl<'de> DeserializeSeed<'de> for AfterSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AfterSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of attribute values, or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        // Attributes juris reads may appear once (the projection has at most 128).
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<Key>()? {
            let needed = needed_static(&key.0);
            if let Some((k, bit)) = needed
                && !seen.first(bit)
            {
                self.flag(vec![key_seg(k)], "appears twice".into());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if let Some(tag_key) = TAG_KEYS.iter().find(|t| **t == key.0) {
                let (tags, list) = match map.next_value_seed(TagMapSeed)? {
                    ReadTags::Map(tags) => (Some(tags), Value::Null),
                    ReadTags::List(tags, list) => (Some(tags), list),
                    ReadTags::Null => (None, Value::Null),
                    ReadTags::Bad { at, message } => {
                        let mut below = vec![key_seg(tag_key)];
                        below.extend(at);
                        self.flag(below, message);
                        continue;
                    }
                };
                if self.keep.projects(tag_key) {
                    // Holds the attribute's place; a map is filled in from the tag map
                    // when projected, a list stays the list Terraform wrote.
                    self.item.after.push((Cow::Borrowed(*tag_key), list));
                }
                if let Some(tags) = tags {
                    self.item.tag_maps.push((tag_key, tags));
                }
            } else if let Some((k, _)) = needed {
                let v: Value = map.next_value()?;
                if super::families::place_attrs().contains(&k) && !place_shape(k, &v) {
                    let what = json_kind(&v);
                    self.flag(
                        vec![key_seg(k)],
                        format!(
                            "is {what}: Terraform writes a region, zone or location name (a list of names for zones)"
                        ),
                    );
                    continue;
                }
                self.item.after.push((Cow::Borrowed(k), v));
            } else if self.keep.projects(&key.0) {
                let v: Value = map.next_value()?;
                self.item.after.push((Cow::Owned(key.0.into_owned()), v));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A JSON value's kind in words, for problems.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A tag attribute as Terraform writes it.
enum ReadTags {
    /// A map of tags (`tags = { team = "crm" }`).
    Map(RawTags),
    /// A list (Google Compute network tags, DigitalOcean tags, the AWS autoscaling
    /// group's `{key, value}` blocks), read as tags, with the list itself.
    List(RawTags, Value),
    Null,
    /// A shape no Terraform provider writes, at a path below the attribute.
    Bad {
        at: Vec<Seg>,
        message: String,
    },
}

impl ReadTags {
    fn bad(at: Vec<Seg>, message: impl Into<String>) -> ReadTags {
        ReadTags::Bad {
            at,
            message: message.into(),
        }
    }
}

/// A tag attribute: a map's string values kept, numbers and booleans written as text
/// (what Terraform's conversion to `map(string)` gives), `null` values dropped; a list
/// of names or of `{key, value}` objects read as tags. Any other shape is refused: read
/// as "no tags", it would pass every rule that looks for one.
struct TagMapSeed;

impl<'de> DeserializeSeed<'de> for TagMapSeed {
    type Value = ReadTags;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ReadTags, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagMapSeed {
    type Value = ReadTags;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of tags, a list of tags, or null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ReadTags, A::Error> {
        TAGS_SCRATCH.with_borrow_mut(|out| {
            out.text.clear();
            out.entries.clear();
            let mut bad = None;
            let mut keys = 0;
            while let Some(key) = map.next_key::<Key>()? {
                keys += 1;
                match map.next_value::<TagValue>()? {
                    TagValue::Text(t) => out.push(&key.0, Some(&t)),
                    TagValue::None => {}
                    TagValue::Bad(what) if bad.is_none() => {
                        bad = Some(ReadTags::bad(
                            vec![key_seg(&key.0)],
                            format!("is {what}: a tag's value is text"),
                        ));
                    }
                    TagValue::Bad(_) => {}
                }
            }
            if let Some(bad) = bad {
                return Ok(bad);
            }
            if keys > 1
                && let Some(k) = out.duplicate_key()
            {
                return Ok(ReadTags::bad(vec![key_seg(k)], "appears twice"));
            }
            // `clone` allocates exactly the length: no growth slack is kept per resource.
            Ok(ReadTags::Map(out.clone()))
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<ReadTags, E> {
        Ok(ReadTags::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ReadTags, A::Error> {
        let list = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        let mut tags = RawTags {
            from_list: true,
            ..RawTags::default()
        };
        for (i, item) in list.as_array().into_iter().flatten().enumerate() {
            match item {
                Value::String(name) => tags.push(name, Some("")),
                // An element unknown until apply (`after` holds `null` in its place).
                Value::Null => tags.keys_unknown = true,
                Value::Object(o) => match (o.get("key"), o.get("value").map(scalar_text)) {
                    (Some(Value::String(k)), Some(Ok(Some(v)))) => tags.push(k, Some(&v)),
                    (Some(Value::String(_)), Some(Ok(None))) => {}
                    _ => {
                        return Ok(ReadTags::bad(
                            vec![Seg::Index(i)],
                            "is an object without a text `key` and `value`: a list of tags holds names or `{key, value}` objects",
                        ));
                    }
                },
                other => {
                    return Ok(ReadTags::bad(
                        vec![Seg::Index(i)],
                        format!(
                            "is {}: a list of tags holds names or `{{key, value}}` objects",
                            json_kind(other)
                        ),
                    ));
                }
            }
        }
        Ok(ReadTags::List(tags, list))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<ReadTags, E> {
        Ok(not_tags("a string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ReadTags, E> {
        Ok(not_tags("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ReadTags, E> {
        Ok(not_tags("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ReadTags, E> {
        Ok(not_tags("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ReadTags, E> {
        Ok(not_tags("a number"))
    }
}

fn not_tags(what: &str) -> ReadTags {
    ReadTags::bad(
        Vec::new(),
        format!("is {what}: Terraform writes tags as a map (or, for a few types, a list)"),
    )
}

/// A tag value as text: strings as they are, numbers and booleans as Terraform
/// converts them; `None` for `null` (no value: the tag is dropped); the kind of
/// anything else.
fn scalar_text(v: &Value) -> Result<Option<Cow<'_, str>>, &'static str> {
    match v {
        Value::String(s) => Ok(Some(Cow::Borrowed(s))),
        Value::Bool(_) | Value::Number(_) => Ok(Some(Cow::Owned(v.to_string()))),
        Value::Null => Ok(None),
        other => Err(json_kind(other)),
    }
}

thread_local! {
    /// The buffer tag maps are read into before their exact-size copy is kept.
    static TAGS_SCRATCH: RefCell<RawTags> = RefCell::default();
}

/// One tag value as text (borrowed when it can be).
enum TagValue<'de> {
    Text(Cow<'de, str>),
    /// `null`: no value.
    None,
    /// A list or an object: Terraform's `map(string)` has none, and read as text it
    /// would match nothing a policy looks for.
    Bad(&'static str),
}

impl<'de> Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag value (text, a number or a boolean)")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TagValue::Text(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TagValue::None)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TagValue::Bad("a list"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TagValue::Bad("an object"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Collects pointers to `true` leaves of `after_unknown`, under kept keys only.
struct UnknownSeed<'k, 'o> {
    keep: Keep<'k>,
    out: &'o mut Pointers,
}

impl<'de> DeserializeSeed<'de> for UnknownSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UnknownSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an after_unknown object, `true`, `false` or null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut path = String::new();
        while let Some(key) = map.next_key::<Key>()? {
            if self.keep.keeps(&key.0) {
                path.clear();
                push_pointer_step(&mut path, &key.0);
                map.next_value_seed(PointerSeed {
                    path: &mut path,
                    out: self.out,
                })?;
            } else {
                // Not kept, but still checked: `after_unknown` is small, and a value of
                // another shape means the document is not what Terraform wrote.
                map.next_value::<UnknownShape>()?;
            }
        }
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        if v {
            self.out.push("");
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An `after_unknown` value that is not kept: only its shape is checked.
struct UnknownShape;

impl<'de> Deserialize<'de> for UnknownShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UnknownShape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an after_unknown value: `true`, `false`, an object or an array")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<UnknownShape, E> {
                Ok(UnknownShape)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UnknownShape, A::Error> {
                while seq.next_element::<UnknownShape>()?.is_some() {}
                Ok(UnknownShape)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnknownShape, A::Error> {
                while map.next_entry::<IgnoredAny, UnknownShape>()?.is_some() {}
                Ok(UnknownShape)
            }
        }
        d.deserialize_any(V)
    }
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn push_pointer_step(path: &mut String, step: &str) {
    path.push('/');
    for c in step.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

struct PointerSeed<'p, 'o> {
    path: &'p mut String,
    out: &'o mut Pointers,
}

impl<'de> DeserializeSeed<'de> for PointerSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PointerSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an after_unknown value: `true`, `false`, an object or an array")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        if v {
            self.out.push(self.path);
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            let len = self.path.len();
            push_pointer_step(self.path, &key.0);
            map.next_value_seed(PointerSeed {
                path: &mut *self.path,
                out: &mut *self.out,
            })?;
            self.path.truncate(len);
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let len = self.path.len();
            push_pointer_step(self.path, &i.to_string());
            let more = seq
                .next_element_seed(PointerSeed {
                    path: &mut *self.path,
                    out: &mut *self.out,
                })?
                .is_some();
            self.path.truncate(len);
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }
    // Anything but `true`, `false`, objects and arrays is refused: Terraform writes
    // nothing else, and read as "known" it would hide a value unknown until apply.
}

/// `values` of a state (or `planned_values`): `root_module` and its `child_modules`.
struct StateValuesSeed<'k, 'o> {
    keep: Keep<'k>,
    root: &'static str,
    out: &'o mut Vec<RawItem>,
}

impl<'de> DeserializeSeed<'de> for StateValuesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StateValuesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with `root_module`")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            if key.0 == "root_module" {
                map.next_value_seed(ModuleSeed {
                    keep: self.keep,
                    root: self.root,
                    chain: Vec::new(),
                    out: &mut *self.out,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ModuleSeed<'k, 'o> {
    keep: Keep<'k>,
    root: &'static str,
    chain: Vec<usize>,
    out: &'o mut Vec<RawItem>,
}

impl<'de> DeserializeSeed<'de> for ModuleSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ModuleSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ModuleSeed {
            keep,
            root,
            chain,
            out,
        } = self;
        while let Some(key) = map.next_key::<Key>()? {
            let children = match key.0.as_ref() {
                "resources" => false,
                "child_modules" => true,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(ListSeed {
                keep,
                root,
                chain: &chain,
                children,
                out: &mut *out,
            })?;
        }
        Ok(())
    }
}

/// A module's `resources` or `child_modules` array.
struct ListSeed<'c, 'k, 'o> {
    keep: Keep<'k>,
    root: &'static str,
    chain: &'c [usize],
    children: bool,
    out: &'o mut Vec<RawItem>,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            let more = if self.children {
                let mut chain = self.chain.to_vec();
                chain.push(i);
                seq.next_element_seed(ModuleSeed {
                    keep: self.keep,
                    root: self.root,
                    chain,
                    out: &mut *self.out,
                })?
                .is_some()
            } else {
                let item = seq.next_element_seed(ItemSeed {
                    keep: self.keep,
                    origin: Origin::State(Box::new(StateOrigin {
                        root: self.root,
                        modules: self.chain.to_vec(),
                        index: i,
                    })),
                    values_key: "values",
                })?;
                match item {
                    Some(item) => {
                        self.out.push(item);
                        true
                    }
                    None => false,
                }
            };
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_join_in_order() {
        for n in [0, 1, 1023, 1024, 1025, 3000] {
            let mut c = Chunked::default();
            for i in 0..n {
                assert_eq!(c.len(), i);
                c.push(i);
            }
            assert_eq!(c.join(), (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_projection_fits_the_repeated_key_mask() {
        assert!(super::super::families::projection().len() <= 128);
    }

    #[test]
    fn progress_releases_only_what_the_parse_has_passed() {
        // Over 16 MiB of resource changes, so at least two releases happen.
        let item = r#"{"address": "aws_s3_bucket.b[NNNNNN]", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "after": {"bucket": "bucket-NNNNNN", "tags": {"data-classification": "pii"}, "ignored": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "after_unknown": {"id": true}}}"#;
        let count = (17 << 20) / item.len() + 1;
        let mut text = String::from(r#"{"format_version": "1.2", "resource_changes": ["#);
        for i in 0..count {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&item.replace("NNNNNN", &format!("{i:06}")));
        }
        text.push_str(r#"], "configuration": {}}"#);
        let released = RefCell::new(Vec::<Range<usize>>::new());
        let release = |r: Range<usize>| released.borrow_mut().push(r);
        let progress = Progress::new(text.as_bytes(), &release);
        let strings = RefCell::default();
        let keep = Keep {
            all: false,
            extra: None,
            strings: &strings,
            progress: Some(&progress),
            entries: None,
        };
        let doc = document(text.as_bytes(), keep).unwrap();
        let changes = doc.changes.unwrap();
        assert_eq!(changes.len(), count);
        assert_eq!(
            changes[count - 1].address,
            format!("aws_s3_bucket.b[{:06}]", count - 1)
        );
        let released = released.into_inner();
        assert!(released.len() >= 2, "{released:?}");
        let mut next = 0;
        for r in &released {
            assert_eq!(r.start, next, "releases are contiguous: {released:?}");
            assert_eq!(r.end % RELEASE_ALIGN, 0);
            assert!(r.end > r.start);
            next = r.end;
        }
        // Never the part still being read: the last key is `configuration`.
        let last_key = text.rfind("\"configuration\"").unwrap();
        assert!(next + RELEASE_ALIGN <= last_key);
    }

    #[test]
    fn unknown_pointers_escape_and_nest() {
        let strings = RefCell::default();
        let keep = Keep {
            all: true,
            extra: None,
            strings: &strings,
            progress: None,
            entries: None,
        };
        let text = r#"{"resource_changes": [{"address": "a.b", "change": {"after": {"tags": {"a/b": "x"}},
            "after_unknown": {"tags": {"a/b": false, "c~d": true}, "rule": [{"x": true}, false], "id": true}}}]}"#;
        let doc = document(text.as_bytes(), keep).unwrap();
        let item = &doc.changes.unwrap()[0];
        assert_eq!(
            item.unknown.iter().collect::<Vec<_>>(),
            ["/tags/c~0d", "/rule/0/x", "/id"]
        );
        let tags: Vec<_> = item.tag_map("tags").unwrap().iter().collect();
        assert_eq!(tags, [("a/b", Some("x")), ("c~d", None)]);
    }
}
