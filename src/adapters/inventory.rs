//! juris's own inventory document as an input: the resource model itself, for tools that
//! are not Terraform (CloudFormation exports, Pulumi, a CMDB) and for embedders. It is
//! taken as written; only the projection is applied.

#![forbid(unsafe_code)]

use serde_json::Value;

use crate::model::{InputInfo, Inventory};

use super::Projection;
use super::err::{AdapterError, Input};

pub(crate) fn read(input: Input<'_>, projection: &Projection) -> Result<Inventory, AdapterError> {
    let mut inv: Inventory =
        serde_json::from_str(input.text).map_err(|e| input.json_error(&e, "juris inventory"))?;
    for r in &mut inv.resources {
        if r.input.is_none() {
            r.input = Some(input.name.to_owned());
        }
        if let (Projection::Keys(keys), Value::Object(attrs)) = (projection, &mut r.attributes) {
            attrs.retain(|k, _| keys.contains(k));
            if let Value::Object(unknown) = &mut r.unknown_attributes {
                unknown.retain(|k, _| keys.contains(k));
            }
        }
    }
    inv.inputs.push(InputInfo {
        name: input.name.to_owned(),
        kind: "inventory".to_owned(),
        tool_version: None,
    });
    Ok(inv)
}
