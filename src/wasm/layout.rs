//! The module's memory layout: value tags, DOM kinds, error codes, and the static
//! data segment (strings, constants, rule and exception tables, lookup tables) with
//! the addresses the runtime's `%NAME%` placeholders resolve to.

use std::collections::HashMap;

use crate::ir::ConstValue;
use crate::ir::types::Field;

/// Where static data starts; addresses below are never valid pointers.
pub const DATA_BASE: u32 = 1024;

/// Value tags, mirroring `eval::Value` (the high half of a value).
pub mod tag {
    pub const NULL: u32 = 0;
    pub const UNKNOWN: u32 = 1;
    pub const BOOL: u32 = 2;
    pub const INT: u32 = 3;
    pub const DATE: u32 = 4;
    pub const STR: u32 = 5;
    pub const RES: u32 = 6;
    pub const PROV: u32 = 7;
    pub const LOC: u32 = 8;
    pub const CUST: u32 = 9;
    pub const COMP: u32 = 10;
    pub const FLOW: u32 = 11;
    pub const LINK: u32 = 12;
    pub const JSON: u32 = 13;
    pub const JSONT: u32 = 14;
    // Collections from here on (`$is_collection`, `$len` test `>= TAGS`).
    pub const TAGS: u32 = 15;
    pub const STRLIST: u32 = 16;
    pub const STRSET: u32 = 17;
    pub const FLOWS: u32 = 18;
    pub const LINKS: u32 = 19;
    // Value lists from here on (`$nth` tests `>= CLIST`).
    pub const CLIST: u32 = 20;
    pub const CSET: u32 = 21;
    pub const LIST: u32 = 22;
    pub const SET: u32 = 23;
}

/// Error codes `juris_eval` returns (documented in `docs/embedding.md`).
pub mod code {
    /// The input is not JSON.
    pub const JSON: i64 = 1;
    /// The input is JSON but not an inventory document.
    pub const DOCUMENT: i64 = 2;
    /// `today` or `fail_on` in the document is invalid.
    pub const OPTIONS: i64 = 3;
    /// An exception expires more than a year after today.
    pub const EXCEPTION: i64 = 4;
    /// The module ran out of memory (reported with a trap).
    pub const MEMORY: i64 = 5;
    /// `ptr..ptr+len` is not inside the module's memory.
    pub const ABI: i64 = 6;
}

pub fn value(tag: u32, payload: u32) -> i64 {
    (((tag as u64) << 32) | payload as u64) as i64
}

/// The runtime's field ids: `Field` in declaration order.
pub fn field_id(f: Field) -> u32 {
    use Field::*;
    match f {
        Address => 0,
        Type => 1,
        Name => 2,
        Mode => 3,
        Actions => 4,
        Input => 5,
        Provider => 6,
        Location => 7,
        Custody => 8,
        Tags => 9,
        Attributes => 10,
        Flows => 11,
        ProviderSource => 12,
        ProviderAlias => 13,
        ProviderFamily => 14,
        ProviderCompany => 15,
        ProviderJurisdiction => 16,
        Region => 17,
        Countries => 18,
        Operator => 19,
        Derivation => 20,
        CustodyCompany => 21,
        CustodyJurisdiction => 22,
        FlowKind => 23,
        FlowTarget => 24,
        FlowInInventory => 25,
        FlowVia => 26,
        FlowDepth => 27,
        FlowLocation => 28,
        FlowCustody => 29,
        CompanyName => 30,
        CompanyJurisdiction => 31,
        CustodyChain => 32,
        LinkCompany => 33,
        LinkJurisdiction => 34,
        LinkControl => 35,
        LinkSources => 36,
    }
}

/// The static data segment under construction.
#[derive(Default)]
pub struct Data {
    bytes: Vec<u8>,
    strings: HashMap<String, u32>,
    /// Placeholder name → value, for the runtime text.
    pub symbols: Vec<(String, i64)>,
}

impl Data {
    pub fn addr(&self) -> u32 {
        DATA_BASE + self.bytes.len() as u32
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn align(&mut self, a: usize) {
        while !self.bytes.len().is_multiple_of(a) {
            self.bytes.push(0);
        }
    }

    pub fn u8s(&mut self, b: &[u8]) -> u32 {
        let at = self.addr();
        self.bytes.extend_from_slice(b);
        at
    }

    pub fn u32(&mut self, v: u32) -> u32 {
        self.u8s(&v.to_le_bytes())
    }

    pub fn i64(&mut self, v: i64) -> u32 {
        self.align(8);
        self.u8s(&v.to_le_bytes())
    }

    /// Overwrite a word written earlier.
    #[allow(dead_code)]
    pub fn patch(&mut self, at: u32, v: u32) {
        let i = (at - DATA_BASE) as usize;
        self.bytes[i..i + 4].copy_from_slice(&v.to_le_bytes());
    }

    /// A string header {len, data} followed by its bytes; interned.
    pub fn str(&mut self, s: &str) -> u32 {
        if let Some(&at) = self.strings.get(s) {
            return at;
        }
        self.align(4);
        let at = self.addr();
        self.u32(s.len() as u32);
        self.u32(at + 8);
        self.u8s(s.as_bytes());
        self.strings.insert(s.to_owned(), at);
        at
    }

    /// A list of words: [count][words...].
    /// A fixed-size record of words, aligned, without a length (the runtime knows
    /// its shape).
    pub fn record(&mut self, fields: &[u32]) -> u32 {
        self.align(4);
        let at = self.addr();
        for &f in fields {
            self.u32(f);
        }
        at
    }

    pub fn words(&mut self, items: &[u32]) -> u32 {
        self.align(4);
        let at = self.u32(items.len() as u32);
        for &i in items {
            self.u32(i);
        }
        at
    }

    pub fn symbol(&mut self, name: &str, v: i64) {
        self.symbols.push((name.to_owned(), v));
    }

    /// A constant as a run-time value (records never reach evaluated code: null).
    pub fn constant(&mut self, c: &ConstValue) -> i64 {
        match c {
            ConstValue::Null | ConstValue::Record(_) => value(tag::NULL, 0),
            ConstValue::Bool(b) => value(tag::BOOL, *b as u32),
            ConstValue::Int(i) => {
                let at = self.i64(*i);
                value(tag::INT, at)
            }
            ConstValue::Str(s) => value(tag::STR, self.str(s)),
            ConstValue::Date(d) => value(tag::DATE, *d as u32),
            ConstValue::List(items) => value(tag::CLIST, self.values(items)),
            ConstValue::Set(items) => value(tag::CSET, self.values(items)),
        }
    }

    /// [count][pad][values...], 8-aligned.
    fn values(&mut self, items: &[ConstValue]) -> u32 {
        let vs: Vec<i64> = items.iter().map(|c| self.constant(c)).collect();
        self.value_list(&vs)
    }

    fn value_list(&mut self, vs: &[i64]) -> u32 {
        self.align(8);
        let at = self.u32(vs.len() as u32);
        self.u32(0);
        for v in vs {
            self.u8s(&v.to_le_bytes());
        }
        at
    }

    /// An interned constant set for `member_const`: [members][mask][hash table of
    /// string headers (open addressing, FNV-1a)] then, 8-aligned, the members
    /// that are not strings as a value list.
    pub fn const_set(&mut self, members: &[ConstValue]) -> u32 {
        let mut strings: Vec<&str> = members.iter().filter_map(ConstValue::as_str).collect();
        strings.sort_unstable();
        strings.dedup();
        let others: Vec<i64> = members
            .iter()
            .filter(|m| m.as_str().is_none())
            .map(|m| self.constant(m))
            .collect();
        let size = (strings.len() * 2).next_power_of_two().max(2);
        let mut table = vec![0u32; size];
        for s in &strings {
            let h = self.str(s);
            let mut i = fnv1a(s.as_bytes()) as usize & (size - 1);
            while table[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            table[i] = h;
        }
        self.align(4);
        let at = self.u32(members.len() as u32);
        self.u32(size as u32 - 1);
        for h in table {
            self.u32(h);
        }
        self.value_list(&others);
        at
    }
}

/// The string hash of constant sets; the runtime's `$fnv1a` computes the same.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
