//! Data flows: edges from a resource to where copies of its data go (replication,
//! replicas, backup copies, geo-redundant pairs), then their transitive closure.
//!
//! A destination is a planned resource when the configuration references it or an index
//! (ARN, id, name) finds it, else a place read from the attribute itself (an ARN's
//! region, `oss-<region>`, `qcs::cos:<region>::`), else unknown. Each resource's walk
//! marks what it has visited, so cycles end and the work stays linear in the edges.

use std::rc::Rc;

use serde_json::Value;

use crate::model::{Custody, Flow, Known, Location};

use super::config::Resolved;
use super::families::{self, At, Declares, Reads};
use super::how::{Geo, How};
use super::locate::{Placed, Resolver};
use super::nodes::Node;
use crate::adapters::places;

/// Where one edge goes.
enum Dest {
    Node(usize),
    Place { target: String, placed: Rc<Placed> },
}

struct Edge {
    kind: &'static str,
    via: String,
    to: Dest,
}

/// One occurrence of an attribute inside nested blocks.
struct Slot<'v> {
    /// `rule[0].destination[0].bucket`
    via: String,
    /// Steps into the configuration's `expressions` (`rule`, `0`, ...).
    steps: Vec<String>,
    /// `None` when the value is unknown until apply.
    value: Option<&'v Value>,
}

/// How many copies deep a resource's flows are followed. Each resource lists every copy
/// it reaches, so a chain of `n` replications would otherwise list `n²` flows in all.
const MAX_FLOW_DEPTH: u32 = 32;

/// Computes every node's flows.
pub(crate) fn flows(r: &mut Resolver<'_, '_>) -> Vec<Vec<Flow>> {
    let nodes = r.nodes;
    let mut edges: Vec<Vec<Edge>> = (0..nodes.len()).map(|_| Vec::new()).collect();
    for i in 0..nodes.len() {
        declare(r, i, &mut edges);
    }
    backup_selections(r, &mut edges);

    let mut out: Vec<Vec<Flow>> = (0..nodes.len()).map(|_| Vec::new()).collect();
    // `seen[j] == i + 1` marks node j visited in node i's walk, without clearing.
    let mut seen = vec![0usize; nodes.len()];
    for (i, flows) in out.iter_mut().enumerate() {
        if edges[i].is_empty() {
            continue;
        }
        seen[i] = i + 1;
        let mut frontier: Vec<(usize, u32)> = vec![(i, 1)];
        let mut next = 0;
        while let Some(&(from, depth)) = frontier.get(next) {
            next += 1;
            for e in &edges[from] {
                match &e.to {
                    Dest::Node(t) => {
                        if seen[*t] == i + 1 {
                            continue;
                        }
                        seen[*t] = i + 1;
                        let placed = r.placed(*t);
                        flows.push(Flow {
                            kind: e.kind.to_owned(),
                            target: nodes[*t].item.address.clone(),
                            in_inventory: true,
                            via: e.via.clone(),
                            depth,
                            location: placed.location.clone(),
                            custody: placed.custody.clone(),
                            source: None,
                        });
                        if depth < MAX_FLOW_DEPTH {
                            frontier.push((*t, depth + 1));
                        } else if let Some(further) = edges[*t].first() {
                            // Copies further on are where no one can say: unknown, so
                            // a rule over them is undetermined, never a silent pass.
                            flows.push(Flow {
                                kind: further.kind.to_owned(),
                                target: format!("copies of {}", nodes[*t].item.address),
                                in_inventory: false,
                                via: further.via.clone(),
                                depth: depth + 1,
                                location: Location::unknown(format!(
                                    "copies more than {MAX_FLOW_DEPTH} steps from `{}` are not followed",
                                    nodes[i].item.address
                                )),
                                custody: Custody::unknown(),
                                source: None,
                            });
                        }
                    }
                    Dest::Place { target, placed } => flows.push(Flow {
                        kind: e.kind.to_owned(),
                        target: target.clone(),
                        in_inventory: false,
                        via: e.via.clone(),
                        depth,
                        location: placed.location.clone(),
                        custody: placed.custody.clone(),
                        source: None,
                    }),
                }
            }
        }
    }
    out
}

/// The edges node `i` declares by the rows of its type ([`families::flow_rows`]),
/// pushed onto the node that owns the data. Selections wait for [`backup_selections`].
fn declare(r: &mut Resolver<'_, '_>, i: usize, edges: &mut [Vec<Edge>]) {
    let nodes = r.nodes;
    let n = &nodes[i];
    for row in families::flow_rows(&n.item.rtype) {
        let kind = row.kind;
        match row.declares {
            Declares::ToIfSet((path, _)) if n.cfg.is_some() && n.expr(path[0]).is_none() => {}
            Declares::To(to) | Declares::ToIfSet(to) => copies(r, edges, i, i, kind, to),
            Declares::ReplicaOf(source) => replica_of(r, edges, i, source, kind),
            // A companion resource (`aws_s3_bucket_replication_configuration`) declares
            // copies of another resource's data: the edge belongs to that resource when
            // it is in the plan, else to the companion itself.
            Declares::Companion { source, dest } => {
                let owner = found(r, i, source).unwrap_or(i);
                copies(r, edges, i, owner, kind, dest);
            }
            Declares::Pair { key, geo } => azure_pair(r, edges, i, kind, key, geo),
            Declares::Members => gcs_members(r, edges, i, kind),
            Declares::OssReplication => oss_replication(r, edges, i, kind),
            Declares::Selection { .. } => {}
        }
    }
}

/// Copies of `owner`'s data go where the values at node `i`'s path say.
fn copies(
    r: &mut Resolver<'_, '_>,
    edges: &mut [Vec<Edge>],
    i: usize,
    owner: usize,
    kind: &'static str,
    (path, reads): At,
) {
    for slot in slots(&r.nodes[i], path) {
        let to = dest(r, i, &slot, reads);
        edges[owner].push(Edge {
            kind,
            via: via(&r.nodes[i], &slot.via),
            to,
        });
    }
}

/// The planned resource the first value at the path names, if it is one.
fn found(r: &mut Resolver<'_, '_>, i: usize, (path, reads): At) -> Option<usize> {
    match dest(r, i, slots(&r.nodes[i], path).first()?, reads) {
        Dest::Node(o) => Some(o),
        Dest::Place { .. } => None,
    }
}

/// A replica names its source (`replicate_source_db`): the source's data flows here.
fn replica_of(
    r: &mut Resolver<'_, '_>,
    edges: &mut [Vec<Edge>],
    i: usize,
    (path, reads): At,
    kind: &'static str,
) {
    for slot in slots(&r.nodes[i], path) {
        if let Dest::Node(source) = dest(r, i, &slot, reads) {
            edges[source].push(Edge {
                kind,
                via: via(&r.nodes[i], &slot.via),
                to: Dest::Node(i),
            });
        }
    }
}

/// Google Storage dual- and multi-regions copy data to each member region.
fn gcs_members(r: &mut Resolver<'_, '_>, edges: &mut [Vec<Edge>], i: usize, kind: &'static str) {
    let n = &r.nodes[i];
    let placement = slots(n, &["custom_placement_config", "*", "data_locations", "*"]);
    let slots: Vec<(String, String)> = if placement.is_empty() {
        let Some(loc) = n.str_attr("location") else {
            return;
        };
        let Some(entry) = r.catalog.region("google", loc) else {
            return;
        };
        entry
            .members
            .iter()
            .map(|m| ("location".to_owned(), m.clone()))
            .collect()
    } else {
        placement
            .iter()
            .filter_map(|s| Some((s.via.clone(), s.value?.as_str()?.to_owned())))
            .collect()
    };
    for (path, member) in slots {
        let placed = r.region_placed(
            i,
            &member,
            How::Member {
                member: member.clone(),
            },
        );
        edges[i].push(Edge {
            kind,
            via: via(&r.nodes[i], &path),
            to: Dest::Place {
                target: member,
                placed,
            },
        });
    }
}

/// Azure geo-redundant storage and backups go to the region's pair.
fn azure_pair(
    r: &mut Resolver<'_, '_>,
    edges: &mut [Vec<Edge>],
    i: usize,
    kind: &'static str,
    key: &'static str,
    geo: &[&str],
) {
    let n = &r.nodes[i];
    let setting = match n.attr(key) {
        super::nodes::Attr::Known(Value::String(s)) => Some(s.clone()),
        super::nodes::Attr::Known(Value::Bool(b)) => Some(b.to_string()),
        super::nodes::Attr::Unknown => None,
        _ => return,
    };
    if let Some(s) = &setting
        && !geo.iter().any(|g| g.eq_ignore_ascii_case(s))
    {
        return;
    }
    let placed = r.placed(i);
    let region = placed.location.region.clone();
    let via = via(n, key);
    let condition = match setting {
        Some(value) => Geo::Set { key, value },
        None => Geo::Unknown { key },
    };
    let to = match region {
        Known::Known(Some(code)) => match r
            .catalog
            .region("azure", &code)
            .and_then(|e| e.pair.clone())
        {
            Some(pair) => Dest::Place {
                placed: r.region_placed(
                    i,
                    &pair,
                    How::Pair {
                        condition,
                        pair: pair.clone(),
                        code,
                    },
                ),
                target: pair,
            },
            None => Dest::Place {
                target: format!("pair of {code}"),
                placed: r.unknown_placed(i, How::NoPair { condition, code }),
            },
        },
        _ => Dest::Place {
            target: "paired region".to_owned(),
            placed: r.unknown_placed(i, How::PairUnknown { condition }),
        },
    };
    edges[i].push(Edge { kind, via, to });
}

/// `alicloud_oss_bucket_replication`: `bucket` → `destination[].bucket` in `destination[].location`.
fn oss_replication(
    r: &mut Resolver<'_, '_>,
    edges: &mut [Vec<Edge>],
    i: usize,
    kind: &'static str,
) {
    let owner = found(r, i, (&["bucket"], Reads::Name("alicloud_oss_bucket"))).unwrap_or(i);
    let buckets = slots(&r.nodes[i], &["destination", "*", "bucket"]);
    for slot in buckets {
        let mut to = dest(r, i, &slot, Reads::Name("alicloud_oss_bucket"));
        if let Dest::Place { .. } = to {
            let location_via = slot.via.replace(".bucket", ".location");
            let location = slots(&r.nodes[i], &["destination", "*", "location"])
                .into_iter()
                .find(|s| s.via == location_via)
                .and_then(|s| s.value.and_then(Value::as_str).map(str::to_owned));
            if let Some(loc) = location {
                let region = places::oss_region(&loc).to_owned();
                let bucket = slot.value.and_then(Value::as_str).unwrap_or("?").to_owned();
                to = Dest::Place {
                    placed: r.region_placed(
                        i,
                        &region,
                        How::Value {
                            via: location_via,
                            value: loc,
                        },
                    ),
                    target: bucket,
                };
            }
        }
        edges[owner].push(Edge {
            kind,
            via: via(&r.nodes[i], &slot.via),
            to,
        });
    }
}

/// A selection (`aws_backup_selection`) applies a plan to resources: they get the
/// plan's copies, so this runs after every plan's own rows.
fn backup_selections(r: &mut Resolver<'_, '_>, edges: &mut [Vec<Edge>]) {
    for i in 0..r.nodes.len() {
        for row in families::flow_rows(&r.nodes[i].item.rtype) {
            if let Declares::Selection { plan, resources } = row.declares {
                select(r, edges, i, row.kind, plan, resources);
            }
        }
    }
}

fn select(
    r: &mut Resolver<'_, '_>,
    edges: &mut [Vec<Edge>],
    i: usize,
    kind: &'static str,
    plan: At,
    resources: &str,
) {
    let Some(plan) = found(r, i, plan) else {
        return;
    };
    let copies: Vec<(String, usize)> = edges[plan]
        .iter()
        .filter_map(|e| match e.to {
            Dest::Node(t) => Some((e.via.clone(), t)),
            Dest::Place { .. } => None,
        })
        .collect();
    let places: Vec<(String, String, Rc<Placed>)> = edges[plan]
        .iter()
        .filter_map(|e| match &e.to {
            Dest::Place { target, placed } => Some((e.via.clone(), target.clone(), placed.clone())),
            Dest::Node(_) => None,
        })
        .collect();
    for target in selected(r, i, resources) {
        for (via, t) in &copies {
            edges[target].push(Edge {
                kind,
                via: via.clone(),
                to: Dest::Node(*t),
            });
        }
        for (via, t, placed) in &places {
            edges[target].push(Edge {
                kind,
                via: via.clone(),
                to: Dest::Place {
                    target: t.clone(),
                    placed: placed.clone(),
                },
            });
        }
    }
}

/// The resources a selection selects in attribute `key`, by reference or by known ARN.
fn selected(r: &mut Resolver<'_, '_>, i: usize, key: &str) -> Vec<usize> {
    let n = &r.nodes[i];
    let mut out = Vec::new();
    if let Some(expr) = n.expr(key) {
        for (module, address) in r.config.resource_refs(expr, &n.config_module) {
            out.extend(r.index.referenced(r.nodes, i, &module, &address));
        }
    }
    if let Some(Value::Array(arns)) = n.item.get(key) {
        for arn in arns.iter().filter_map(Value::as_str) {
            out.extend_from_slice(r.index.by_arn(arn));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Resolves one destination slot.
fn dest(r: &mut Resolver<'_, '_>, from: usize, slot: &Slot<'_>, reads: Reads) -> Dest {
    let n = &r.nodes[from];
    // 1. The configuration references a planned resource: exact, even before apply.
    let steps: Vec<&str> = slot.steps.iter().map(String::as_str).collect();
    if let Some(expr) = n
        .cfg
        .and_then(|c| super::config::expr_at(&c.expressions, &steps))
        && let Resolved::Ref {
            module, address, ..
        } = r.config.resolve(expr, &n.config_module)
    {
        let found = r.index.referenced(r.nodes, from, &module, &address);
        match found.as_slice() {
            [one] => return Dest::Node(*one),
            [] => {}
            _ => {
                return Dest::Place {
                    placed: r.unknown_placed(
                        from,
                        How::SeveralInstances {
                            address: address.clone(),
                        },
                    ),
                    target: address,
                };
            }
        }
    }
    let Some(value) = slot.value else {
        return Dest::Place {
            target: "unknown until apply".to_owned(),
            placed: r.unknown_placed(
                from,
                How::DestinationUnknown {
                    via: slot.via.clone(),
                },
            ),
        };
    };
    let Some(text) = value.as_str() else {
        return Dest::Place {
            target: value.to_string(),
            placed: r.unknown_placed(
                from,
                How::NotText {
                    via: slot.via.clone(),
                },
            ),
        };
    };
    // 2. An index finds a planned resource; 3. else the value says where.
    let find = |r: &Resolver<'_, '_>, rtype: &str, name: &str| -> Option<usize> {
        let mut of_type = r
            .index
            .by_name(name)
            .iter()
            .copied()
            .filter(|&j| j != from && &*r.nodes[j].item.rtype == rtype);
        match (of_type.next(), of_type.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    match reads {
        Reads::S3Bucket => {
            let bucket = places::s3_bucket_name(text);
            match find(r, "aws_s3_bucket", bucket) {
                Some(j) => Dest::Node(j),
                None => Dest::Place {
                    target: text.to_owned(),
                    placed: r.unknown_placed(
                        from,
                        How::BucketElsewhere {
                            bucket: bucket.to_owned(),
                        },
                    ),
                },
            }
        }
        Reads::Arn => match r.index.by_arn(text) {
            [one] if *one != from => Dest::Node(*one),
            _ => arn_place(r, from, text, "is not in this plan and names no region"),
        },
        Reads::Name(rtype) => {
            // Cloud SQL names may be written `project:instance`.
            let name = text.rsplit(':').next().unwrap_or(text);
            match find(r, rtype, name).or_else(|| match r.index.by_id(text) {
                [one] if *one != from => Some(*one),
                _ => None,
            }) {
                Some(j) => Dest::Node(j),
                None => arn_place(r, from, text, "is not in this plan"),
            }
        }
        Reads::Region => Dest::Place {
            placed: r.region_placed(
                from,
                text,
                How::Value {
                    via: slot.via.clone(),
                    value: text.to_owned(),
                },
            ),
            target: text.to_owned(),
        },
        Reads::Qcs => match places::qcs_cos(text) {
            Some((region, bucket)) => match find(r, "tencentcloud_cos_bucket", bucket) {
                Some(j) => Dest::Node(j),
                None => Dest::Place {
                    placed: r.region_placed(
                        from,
                        region,
                        How::Qcs {
                            text: text.to_owned(),
                            region: region.to_owned(),
                        },
                    ),
                    target: text.to_owned(),
                },
            },
            None => Dest::Place {
                target: text.to_owned(),
                placed: r.unknown_placed(
                    from,
                    How::NotQcs {
                        text: text.to_owned(),
                    },
                ),
            },
        },
    }
}

/// `address.path`, naming the attribute that declares a flow.
/// A destination outside the plan: the region its ARN names, else unknown (`text`
/// followed by `why`).
fn arn_place(r: &mut Resolver<'_, '_>, from: usize, text: &str, why: &'static str) -> Dest {
    let placed = match places::arn(text) {
        Some(arn) if !arn.region.is_empty() => r.region_placed(
            from,
            arn.region,
            How::ArnNames {
                text: text.to_owned(),
                region: arn.region.to_owned(),
            },
        ),
        _ => r.unknown_placed(
            from,
            How::Elsewhere {
                text: text.to_owned(),
                why,
            },
        ),
    };
    Dest::Place {
        target: text.to_owned(),
        placed,
    }
}

fn via(n: &Node<'_>, path: &str) -> String {
    format!("{}.{path}", n.item.address)
}

/// Every value at `path` in the node's attributes; `*` walks an array.
fn slots<'v>(n: &'v Node<'_>, path: &[&str]) -> Vec<Slot<'v>> {
    let mut out = Vec::new();
    let Some((first, rest)) = path.split_first() else {
        return out;
    };
    let start = n.item.get(first).filter(|v| !v.is_null());
    // Most resources have no such attribute, or an empty list: nothing to walk.
    let empty = start.is_none_or(|v| v.as_array().is_some_and(Vec::is_empty));
    if empty && !n.is_unknown_under(first) {
        return out;
    }
    let mut at = Walk {
        via: first.to_string(),
        pointer: format!("/{first}"),
        steps: vec![first.to_string()],
    };
    walk(n, start, rest, &mut at, &mut out);
    out
}

/// Where a walk is: the attribute path in three spellings, grown and shrunk in place.
struct Walk {
    via: String,
    pointer: String,
    steps: Vec<String>,
}

impl Walk {
    fn slot<'v>(&self, value: Option<&'v Value>) -> Slot<'v> {
        Slot {
            via: self.via.clone(),
            steps: self.steps.clone(),
            value,
        }
    }
}

fn walk<'v>(
    n: &Node<'_>,
    value: Option<&'v Value>,
    rest: &[&str],
    at: &mut Walk,
    out: &mut Vec<Slot<'v>>,
) {
    let Some(value) = value else {
        if n.is_unknown_at(&at.pointer) {
            out.push(at.slot(None));
        }
        return;
    };
    let Some((step, rest)) = rest.split_first() else {
        out.push(at.slot(Some(value)));
        return;
    };
    let (via_len, pointer_len) = (at.via.len(), at.pointer.len());
    if *step == "*" {
        let Some(items) = value.as_array() else {
            return;
        };
        for (k, item) in items.iter().enumerate() {
            use std::fmt::Write;
            let _ = write!(at.via, "[{k}]");
            let _ = write!(at.pointer, "/{k}");
            at.steps.push(k.to_string());
            walk(n, Some(item).filter(|v| !v.is_null()), rest, at, out);
            at.steps.pop();
            at.via.truncate(via_len);
            at.pointer.truncate(pointer_len);
        }
        if items.is_empty() && n.is_unknown_at(&at.pointer) {
            out.push(at.slot(None));
        }
    } else {
        at.via.push('.');
        at.via.push_str(step);
        at.pointer.push('/');
        at.pointer.push_str(step);
        at.steps.push((*step).to_owned());
        let next = value.get(*step).filter(|v| !v.is_null());
        walk(n, next, rest, at, out);
        at.steps.pop();
        at.via.truncate(via_len);
        at.pointer.truncate(pointer_len);
    }
}
