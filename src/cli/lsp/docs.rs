//! The one-line documentation hover shows for model fields and built-in functions:
//! what docs/inventory.md and docs/language.md say, shortened. A test keeps it
//! complete: every field and every built-in has a line.

use crate::ir::types::Rec;

/// What a field of a model record holds.
pub fn field(rec: Rec, name: &str) -> Option<&'static str> {
    Some(match (rec, name) {
        (Rec::Resource, "address") => {
            "The resource's address: `module.analytics.aws_s3_bucket.raw[\"logs\"]`."
        }
        (Rec::Resource, "type") => "The resource type: `aws_s3_bucket`.",
        (Rec::Resource, "name") => "The resource's name in its module: `raw`.",
        (Rec::Resource, "mode") => "`managed` (data sources are never resources).",
        (Rec::Resource, "actions") => {
            "Planned actions: `create`, `update`, `no-op`; a replace is `[\"delete\", \"create\"]`; empty for a state."
        }
        (Rec::Resource, "input") => "Which input file the resource came from.",
        (Rec::Resource, "provider") => {
            "The provider: registry `source`, `alias`, catalog `family`, its `company` and the `jurisdiction` that company is controlled from."
        }
        (Rec::Resource, "location") => {
            "Where the data sits: `region`, `countries`, the region's `operator`, and how it was derived."
        }
        (Rec::Resource, "custody") => {
            "Who holds the data: the region's operator if it has one, else the provider's company, with its jurisdiction."
        }
        (Rec::Resource, "tags") => {
            "Tags or labels (keys as written; compare them with `tag(r, key)`); values may be unknown."
        }
        (Rec::Resource, "attributes") => {
            "Planned attribute values (`after`), read with `.key` and `[index]`; a missing key is null."
        }
        (Rec::Resource, "flows") => {
            "Where copies of the resource's data go (replication, backups, replicas), transitively."
        }
        (Rec::Provider, "source") => "Registry address without host, lower case: `hashicorp/aws`.",
        (Rec::Provider, "alias") => "The provider configuration's alias: `eu` for `aws.eu`.",
        (Rec::Provider, "family") => {
            "The catalog key: `aws`, `azure`, `google`, `alicloud`, ... or a user family."
        }
        (Rec::Provider, "company") => "The company behind the provider.",
        (Rec::Provider, "jurisdiction") => {
            "ISO 3166-1 alpha-2 code of the country the provider's company is controlled from."
        }
        (Rec::Location, "region") => {
            "The provider's region code in the catalog's spelling; null for a global resource; unknown when the plan cannot tell."
        }
        (Rec::Location, "countries") => {
            "Every ISO 3166-1 alpha-2 country the data may sit in: one for a region, several for a multi- or dual-region, none when global."
        }
        (Rec::Location, "operator") => {
            "The company running the region in the provider's place (AWS China: Sinnet, NWCD; Azure China: 21Vianet); null otherwise."
        }
        (Rec::Location, "derivation") => "How the location was found, as a sentence.",
        (Rec::Custody, "company") => "The company holding the data.",
        (Rec::Custody, "jurisdiction") => {
            "ISO 3166-1 alpha-2 code of the country that company is controlled from."
        }
        (Rec::Flow, "kind") => {
            "What copies the data: `s3-replication`, `rds-read-replica`, `backup-copy`, `azure-geo-redundancy`, ..."
        }
        (Rec::Flow, "target") => {
            "The destination's address when it is in the inventory, else what the attribute names (an ARN, a bucket, a region)."
        }
        (Rec::Flow, "in_inventory") => "Whether `target` is an address in this inventory.",
        (Rec::Flow, "via") => {
            "The attribute that declares the copy, with the address of the resource it is on."
        }
        (Rec::Flow, "depth") => {
            "Hops from the resource: 1 for a direct copy, 2 for a copy of a copy."
        }
        (Rec::Flow, "location") => "Where the copy sits.",
        (Rec::Flow, "custody") => "Who holds the copy.",
        (Rec::Custody, "chain") => {
            "The chain of control: the company holding the data first, then every company with a hold over it (parent, shareholder, licensor), each with `company`, `jurisdiction`, `control` and cited `sources`."
        }
        (Rec::Link, "company") => "The company at this link of the chain of control.",
        (Rec::Link, "jurisdiction") => {
            "ISO 3166-1 alpha-2 code of the country this company is controlled from."
        }
        (Rec::Link, "control") => {
            "How it holds the data or has a hold over the holder: `operator`, `parent`, `shareholder` or `licensor`."
        }
        (Rec::Link, "sources") => {
            "The catalog sources (ids in catalog/sources.toml) that cite this link."
        }
        (Rec::Company, "name") => "The company's name.",
        (Rec::Company, "jurisdiction") => {
            "ISO 3166-1 alpha-2 code of the country the company is controlled from."
        }
        _ => return None,
    })
}

/// What a built-in function does.
pub fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "lower" => "Unicode lower case.",
        "upper" => "Unicode upper case.",
        "trim" => "Removes surrounding whitespace.",
        "split" => "Splits at every separator; an empty separator splits into characters.",
        "regex_split" => "Splits at matches of a constant pattern.",
        "replace" => "Replaces every occurrence of `from` (unchanged when `from` is empty).",
        "starts_with" => "Whether `s` starts with `prefix`.",
        "ends_with" => "Whether `s` ends with `suffix`.",
        "contains" => "Whether `part` occurs in `s`.",
        "glob" => "Whole-string match: `*` any run, `?` one character, `\\` escapes.",
        "regex" => "Unanchored search with a constant pattern in the Rust `regex` crate's syntax.",
        "count" => "Length of a list, set, map, json array or object, or a string's characters.",
        "known" => {
            "Whether `x` is known all the way down (a location with known region and countries...)."
        }
        "today" => "The run's date (fixed by the runner, so tests can choose it).",
        "date" => "Parses `YYYY-MM-DD`; null if it is not a date.",
        "string" => "The text `x` reads as in a message.",
        "int" => "Parses an integer (surrounding spaces allowed); null if it is not one.",
        "keys" => "A map's (or json object's) keys as a set.",
        "values" => "A map's values as a list.",
        "flatten" => "A set of all members of a collection of collections.",
        "tag" => {
            "A resource's tag, keys matched case- and separator-insensitively (`data-classification` = `DataClassification`)."
        }
        "join" => "The members of a list or set of strings joined with `separator`.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::builtins::BUILTINS;

    #[test]
    fn every_field_and_builtin_is_documented() {
        for rec in Rec::ALL {
            for (name, _) in rec.fields() {
                assert!(
                    field(rec, name).is_some(),
                    "{}.{name} has no doc",
                    rec.name()
                );
            }
        }
        for b in BUILTINS {
            assert!(builtin(b.name).is_some(), "{} has no doc", b.name);
        }
    }
}
