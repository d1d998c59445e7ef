//! `juris inventory` without a tree of every attribute in memory. The model is built as
//! for a check (only the attributes location, tags and flows read), each resource noting
//! where its entry is in the input; while the inventory is written, each resource's
//! entry is read again in full, written, and dropped.

#![forbid(unsafe_code)]

use std::cell::RefCell;

use serde_json::Value;

use crate::model::Inventory;

use super::err::Input;
use super::terraform::read::{self, EntryAt, Interner};
use super::{
    AdapterError, LoadOptions, Prepared, Projection, keep, load_bytes, prepare, terraform,
};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An input read for `juris inventory`: the model as a check builds it, and what is
/// needed to read each resource's every attribute when it is written. The default has
/// no resources.
#[derive(Default)]
pub struct Listed {
    /// The model. For a Terraform plan or state its resources' `attributes` hold only
    /// what location, tags and flows read; [`EntryReader::attributes`] gives the rest.
    pub inventory: Inventory,
    /// Where each resource's entry is, in the order of `inventory.resources`; empty when
    /// the inventory already holds every attribute (a juris inventory, say).
    entries: Vec<Option<EntryAt>>,
    /// The input, kept for reading the entries again; empty with `entries`.
    bytes: Vec<u8>,
    name: String,
}

/// Reads one input for listing every attribute of every resource (`opts.projection`
/// should be [`Projection::All`]; with another, the input is loaded as usual). A plan
/// or state is read once for the model and kept in memory for its entries; a juris
/// inventory is read once, with every attribute, as [`load_bytes`] reads it.
pub fn load_listed(name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<Listed, AdapterError> {
    let whole = |bytes: Vec<u8>| -> Result<Listed, AdapterError> {
        Ok(Listed {
            inventory: load_bytes(name, &bytes, opts)?,
            ..Listed::default()
        })
    };
    if opts.projection != Projection::All {
        return whole(bytes);
    }
    match prepare(name, &bytes, None, opts, true)? {
        // Every entry has a place (an entry whose first key is written with escapes
        // has none, and the input is then read whole).
        Prepared::Terraform(doc) if doc.items.iter().all(|i| i.entry.is_some()) => {
            let (needed, strings) = (Some(Default::default()), RefCell::default());
            let mut entries = Vec::new();
            let inventory = terraform::normalise(
                name,
                *doc,
                opts.catalog,
                &opts.default_regions,
                keep(&needed, &strings),
                &mut entries,
            );
            Ok(Listed {
                inventory,
                entries,
                bytes,
                name: name.to_owned(),
            })
        }
        Prepared::Terraform(_) => whole(bytes),
        // A juris inventory holds every attribute already.
        Prepared::Inventory(inventory) => Ok(Listed {
            inventory,
            ..Listed::default()
        }),
    }
}

impl Listed {
    /// A reader of the resources' entries. Readers share nothing but the input, so
    /// each thread can have its own.
    pub fn reader(&self) -> EntryReader<'_> {
        EntryReader { listed: self }
    }
}

/// Reads resources' entries of one [`Listed`] again, in full.
pub struct EntryReader<'l> {
    listed: &'l Listed,
}

impl EntryReader<'_> {
    /// Resource `i`'s `attributes` and `unknown_attributes` with every attribute, read
    /// from its entry: `None` when the inventory holds them already.
    ///
    /// The entry was read (every byte of it checked) when the model was built, so this
    /// fails only if that reading and this one disagree, which would be a bug.
    pub fn attributes(&self, i: usize) -> Result<Option<(Value, Value)>, AdapterError> {
        let Some(Some(at)) = self.listed.entries.get(i) else {
            return Ok(None);
        };
        let bytes = &self.listed.bytes;
        let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        // Every attribute, and one resource's strings: nothing is shared beyond it.
        let (all, strings) = (None, RefCell::new(Interner::default()));
        let keep = keep(&all, &strings);
        let start = read::entry_start(bytes, *at);
        let text = bytes.get(start..).unwrap_or_default();
        let item = read::read_entry(text, *at, keep).map_err(|e| {
            let whole = std::str::from_utf8(bytes).unwrap_or_default();
            let input = Input {
                name: &self.listed.name,
                text: whole,
            };
            input.json_error_in(whole.get(start..).unwrap_or_default(), &e, "Terraform JSON")
        })?;
        Ok(Some(terraform::attributes(
            item.after,
            item.tag_maps,
            &item.unknown,
            keep,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    const PLAN: &str = r#"{"format_version": "1.2", "terraform_version": "1.9.0",
        "resource_changes": [
          {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "after": {"bucket": "a", "region": "eu-west-1",
             "policy": {"deep": [1, 2.50, {"x": null}]}}, "after_unknown": {"arn": true}}},
          {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "after": {"bucket": "b", "region": "us-east-1"},
             "after_unknown": {}}}],
        "configuration": {}}"#;

    fn listed(text: &str) -> Listed {
        let catalog = Catalog::builtin();
        load_listed(
            "plan.json",
            text.as_bytes().to_vec(),
            &LoadOptions::new(&catalog),
        )
        .unwrap()
    }

    #[test]
    fn entries_are_read_again_with_every_attribute() {
        let listed = listed(PLAN);
        assert_eq!(listed.entries.len(), 2);
        assert!(listed.entries.iter().all(Option::is_some));
        // The model holds only what location reads; the entry gives everything.
        let model = &listed.inventory.resources[0].attributes;
        assert!(model.get("policy").is_none(), "{model}");
        let reader = listed.reader();
        let (attributes, unknown) = reader.attributes(0).unwrap().unwrap();
        assert_eq!(attributes["policy"]["deep"][1].to_string(), "2.50");
        assert_eq!(unknown["arn"], true);
        let (attributes, _) = reader.attributes(1).unwrap().unwrap();
        assert_eq!(attributes["bucket"], "b");
        assert!(reader.attributes(2).unwrap().is_none());
    }

    #[test]
    fn an_entry_without_a_place_reads_the_input_whole() {
        // A first key written with an escape is a copy, not the input's own text.
        let escaped = PLAN.replacen(r#"{"address""#, r#"{"\u0061ddress""#, 1);
        let listed = listed(&escaped);
        assert!(listed.entries.is_empty());
        assert!(listed.bytes.is_empty());
        assert!(
            listed.inventory.resources[0]
                .attributes
                .get("policy")
                .is_some()
        );
        assert!(listed.reader().attributes(0).unwrap().is_none());
    }
}
