# juris's standard residency rules (issue 5), restated in Rego v1 so that OPA and
# regorus can be timed on the same work as juris. The catalog is data.catalog
# (catalog.json). Semantics, and where they are a documented subset of juris's:
# docs/performance.md, section "Semantics the engines agree on".
#
# Query: data.juris.residency.findings, a set of {"rule", "address", "outcome"}.
#
# Every index below is a complete rule (a comprehension), not a partial rule, so each
# engine builds it once and then looks keys up, instead of re-running a rule body per
# lookup: the fair way to write Rego for a large input.
#
# Written in the subset that OPA, regorus's interpreter and regorus's RVM (0.14.1)
# evaluate alike. The RVM, unlike OPA, binds `x := <missing key>` to undefined instead
# of failing the body, and does not fall through to a function's `else` when a `some`
# loop in the branch above finds nothing; so lookups that may miss go through
# object.get with a null default, and existential tests are counted comprehensions.
package juris.residency

import data.catalog

# ---------------------------------------------------------------------------
# Three-valued logic: "T" true, "F" false, "U" unknown at plan time (Kleene).

and3(a, b) := "F" if {
	a == "F"
} else := "F" if {
	b == "F"
} else := "T" if {
	a == "T"
	b == "T"
} else := "U"

or3(a, b) := "T" if {
	a == "T"
} else := "T" if {
	b == "T"
} else := "F" if {
	a == "F"
	b == "F"
} else := "U"

tf(b) := "T" if {
	b == true
} else := "F"

# A finding exists unless the Kleene "applies and violates" is false.
outcome("T") := "violation"

outcome("U") := "undetermined"

# ---------------------------------------------------------------------------
# Location: provider configuration per alias and module, region from variables,
# resource-level region / location / zone.

_cfg := input.configuration.root_module

# Configuration address (module path without instance keys + type.name) -> provider
# configuration key. Modules nest at most three levels deep in the benchmark plans.
provider_keys := object.union_n([
	{r.address: r.provider_config_key |
		some r in _cfg.resources
	},
	{concat(".", ["module", n1, r.address]): r.provider_config_key |
		some n1, c1 in _cfg.module_calls
		some r in c1.module.resources
	},
	{concat(".", ["module", n1, "module", n2, r.address]): r.provider_config_key |
		some n1, c1 in _cfg.module_calls
		some n2, c2 in c1.module.module_calls
		some r in c2.module.resources
	},
	{concat(".", ["module", n1, "module", n2, "module", n3, r.address]): r.provider_config_key |
		some n1, c1 in _cfg.module_calls
		some n2, c2 in c1.module.module_calls
		some n3, c3 in c2.module.module_calls
		some r in c3.module.resources
	},
])

# Configuration address -> the resource's configured arguments (for computed attributes).
config_exprs := object.union_n([
	{r.address: r.expressions |
		some r in _cfg.resources
	},
	{concat(".", ["module", n1, r.address]): r.expressions |
		some n1, c1 in _cfg.module_calls
		some r in c1.module.resources
	},
	{concat(".", ["module", n1, "module", n2, r.address]): r.expressions |
		some n1, c1 in _cfg.module_calls
		some n2, c2 in c1.module.module_calls
		some r in c2.module.resources
	},
	{concat(".", ["module", n1, "module", n2, "module", n3, r.address]): r.expressions |
		some n1, c1 in _cfg.module_calls
		some n2, c2 in c1.module.module_calls
		some n3, c3 in c2.module.module_calls
		some r in c3.module.resources
	},
])

# A configured argument as a string: a constant, or a variable of the root module
# (a module's variables are set by its call, which the benchmark plans never do);
# null otherwise. Total, with explicit nulls: regorus's RVM binds `x := <undefined>`
# instead of failing the body (see below).
config_value(rc, attr) := v if {
	v := object.get(config_exprs, [config_address(rc), attr, "constant_value"], null)
	is_string(v)
} else := v if {
	object.get(rc, "module_address", "") == ""
	ref := object.get(config_exprs, [config_address(rc), attr, "references", 0], null)
	is_string(ref)
	startswith(ref, "var.")
	v := object.get(input.variables, [substring(ref, 4, -1), "value"], null)
	is_string(v)
} else := null

# Whether the configuration sets the argument at all.
configured(rc, attr) if object.get(config_exprs, [config_address(rc), attr], null) != null

# Provider configuration key -> region, from a constant or a root variable.
provider_regions := object.union(
	{key: r |
		some key, pc in input.configuration.provider_config
		r := object.get(pc, ["expressions", "region", "constant_value"], null)
		is_string(r)
	},
	{key: r |
		some key, pc in input.configuration.provider_config
		ref := object.get(pc, ["expressions", "region", "references", 0], null)
		is_string(ref)
		startswith(ref, "var.")
		r := object.get(input.variables, [substring(ref, 4, -1), "value"], null)
		is_string(r)
	},
)

config_address(rc) := concat(".", [regex.replace(m, `\[[^\]]*\]`, ""), rc.type, rc.name]) if {
	m := object.get(rc, "module_address", "")
	m != ""
} else := concat(".", [rc.type, rc.name])

# {"known": true, "region": code} or {"known": false}. A resource's own region /
# location / zone wins. One unknown at plan time decides only if the configuration sets
# it (then its configured value, if that is a constant or a variable, else unknown);
# computed without an argument, it is a default the provider fills in from its own
# configuration, so the provider's region applies.
region_of(rc) := {"known": true, "region": lower(rc.change.after.region)} if {
	is_string(rc.change.after.region)
} else := r if {
	rc.change.after_unknown.region == true
	configured(rc, "region")
	r := configured_place(rc, "region")
} else := {"known": true, "region": norm_location(rc.change.after.location)} if {
	is_string(rc.change.after.location)
} else := r if {
	rc.change.after_unknown.location == true
	configured(rc, "location")
	r := configured_place(rc, "location")
} else := {"known": true, "region": norm_zone(rc.change.after.zone)} if {
	is_string(rc.change.after.zone)
} else := r if {
	# Only Google places a resource by its zone; elsewhere a zone just confirms the
	# provider's region, and unknown it says nothing.
	startswith(rc.type, "google_")
	rc.change.after_unknown.zone == true
	configured(rc, "zone")
	r := configured_zone(rc)
} else := {"known": true, "region": r} if {
	r := object.get(provider_regions, object.get(provider_keys, config_address(rc), ""), null)
	is_string(r)
} else := {"known": false}

# A configured region or location, normalised like the planned one.
configured_place(rc, attr) := {"known": true, "region": norm_location(v)} if {
	v := config_value(rc, attr)
	is_string(v)
} else := {"known": false}

configured_zone(rc) := {"known": true, "region": norm_zone(v)} if {
	v := config_value(rc, "zone")
	is_string(v)
} else := {"known": false}

norm_location(v) := lower(replace(v, " ", ""))

norm_zone(v) := regex.replace(lower(v), `-[a-z]$`, "")

# Where data sits and who holds it. Custody = the region's operator if it has one,
# else the provider's company; with the region unknown it is still known for
# providers that have no separately operated regions.
place(fam, reg) := {"known": true, "region": reg.region, "countries": info.countries, "custody": custody} if {
	reg.known
	info := object.get(catalog.regions, [fam, reg.region], null)
	info != null
	custody := object.get(info, ["operator", "jurisdiction"], family_jurisdiction[fam])
} else := {"known": false, "custody": null} if {
	catalog.families_with_operators[fam]
} else := {"known": false, "custody": family_jurisdiction[fam]}

# Global services (identity, DNS, edge) have no region: no countries, and with the
# provider's region unknown they stay with the provider's company.
global_place(fam, reg) := {"known": true, "region": null, "countries": [], "custody": custody} if {
	info := object.get(catalog.regions, [fam, reg.region], null)
	reg.known
	info != null
	custody := object.get(info, ["operator", "jurisdiction"], family_jurisdiction[fam])
} else := {"known": true, "region": null, "countries": [], "custody": family_jurisdiction[fam]}

is_global(rc) if {
	some prefix in catalog.global_type_prefixes
	startswith(rc.type, prefix)
	not startswith(rc.type, "aws_route53_resolver_")
}

place_of(fam, rc) := global_place(fam, region_of(rc)) if is_global(rc)

else := place(fam, region_of(rc))

family_jurisdiction := {p.family: p.jurisdiction | some p in catalog.providers}

# ---------------------------------------------------------------------------
# Classification from tags / labels: keys compared lower-case without - _ or spaces.
# (Collections are checked with is_object before iterating: regorus's interpreter
# rejects `some .. in null`, where OPA is merely undefined.)

tag_fields := ["tags", "tags_all", "labels"]

norm_key(k) := lower(replace(replace(replace(k, "-", ""), "_", ""), " ", ""))

# Cloud SQL keeps its labels in `settings[0].user_labels` (juris's tag table).
tag_maps(tree, rc) := [m] if {
	rc.type == "google_sql_database_instance"
	is_array(tree.settings)
	m := tree.settings[0].user_labels
} else := [] if {
	rc.type == "google_sql_database_instance"
} else := [object.get(tree, f, null) | some f in tag_fields]

tag_unknown(rc, want) if {
	some m in tag_maps(rc.change.after_unknown, rc)
	m == true
}

tag_unknown(rc, want) if {
	some m in tag_maps(rc.change.after_unknown, rc)
	is_object(m)
	some k, u in m
	u == true
	norm_key(k) == want
}

# {"state": "known", "value": v}, {"state": "unknown"} or {"state": "absent"}.
tag(rc, want) := {"state": "known", "value": vals[0]} if {
	vals := [v |
		some m in tag_maps(rc.change.after, rc)
		is_object(m)
		some k, v in m
		is_string(v)
		norm_key(k) == want
	]
	count(vals) > 0
} else := {"state": "unknown"} if {
	tag_unknown(rc, want)
} else := {"state": "absent"}

canonical_class(v) := object.get(catalog.classification.aliases, x, x) if {
	x := lower(trim_space(v))
}

protected3(c) := "U" if {
	c.state == "unknown"
} else := "T" if {
	c.state == "known"
	catalog.classification.protected[canonical_class(c.value)]
} else := "F"

subject_codes(v) := {upper(s) |
	some s in split(regex.replace(v, `[\s,_-]+`, ","), ",")
	s != ""
}

us_subject3(s) := "U" if {
	s.state == "unknown"
} else := "T" if {
	s.state == "known"
	"US" in subject_codes(s.value)
} else := "F"

eu_code(c) if catalog.groups.eea[c]

eu_code(c) if c in {"EU", "EEA"}

eu_subject3(s) := "U" if {
	s.state == "unknown"
} else := "T" if {
	s.state == "known"
	count([c | some c in subject_codes(s.value); eu_code(c)]) > 0
} else := "F"

present3(t) := "U" if {
	t.state == "unknown"
} else := "T" if {
	t.state == "known"
} else := "F"

# ---------------------------------------------------------------------------
# The evaluated resources: managed, and not only being deleted.

res := {i: info |
	some i, rc in input.resource_changes
	rc.mode == "managed"
	rc.change.actions != ["delete"]
	info := resource_info(rc)
}

resource_info(rc) := info if {
	fam := catalog.providers[rc.provider_name].family
	class := tag(rc, "dataclassification")
	subjects := tag(rc, "datasubjects")
	holding := tf(object.get(catalog.data_holding_types, rc.type, false))
	protected := and3(holding, protected3(class))
	info := {
		"address": rc.address,
		"place": place_of(fam, rc),
		"holding": holding,
		"protected": protected,
		"us": and3(protected, us_subject3(subjects)),
		"eu": and3(protected, eu_subject3(subjects)),
		"has_class": present3(class),
		"has_subjects": present3(subjects),
	}
}

# ---------------------------------------------------------------------------
# Flows: [source index, destination place]. The benchmark plans have no chains
# (no destination is itself a source), so direct edges are all the edges.

bucket_index := {name: i |
	some i, r in res
	rc := input.resource_changes[i]
	rc.type == "aws_s3_bucket"
	name := object.get(rc.change.after, "bucket", null)
	is_string(name)
}

db_index := {id: i |
	some i, r in res
	rc := input.resource_changes[i]
	rc.type == "aws_db_instance"
	id := object.get(rc.change.after, "identifier", null)
	is_string(id)
}

unknown_place := {"known": false, "custody": null}

s3_flows := {[src, dest] |
	some j, r in res
	rc := input.resource_changes[j]
	rc.type == "aws_s3_bucket_replication_configuration"
	src := object.get(bucket_index, object.get(rc.change.after, "bucket", ""), null)
	src != null
	some k, rule in rc.change.after.rule
	some m, d in rule.destination
	dest := s3_destination(rc, k, m, d)
}

# S3 bucket ARNs carry no region: a destination outside the plan is unknown.
s3_destination(rc, k, m, d) := unknown_place if {
	object.get(rc.change.after_unknown, ["rule", k, "destination", m, "bucket"], false) == true
} else := res[i].place if {
	arn := object.get(d, "bucket", "")
	startswith(arn, "arn:aws:s3:::")
	i := object.get(bucket_index, substring(arn, 13, -1), null)
	i != null
} else := unknown_place

# A read replica copies its source's data to the replica's place.
rds_flows := {[src, r.place] |
	some j, r in res
	rc := input.resource_changes[j]
	rc.type == "aws_db_instance"
	ref := object.get(rc.change.after, "replicate_source_db", null)
	is_string(ref)
	parts := split(ref, ":")
	src := object.get(db_index, parts[count(parts) - 1], null)
	src != null
}

dynamodb_flows := {[i, place("aws", {"known": true, "region": rep.region_name})] |
	some i, r in res
	rc := input.resource_changes[i]
	rc.type == "aws_dynamodb_table"
	is_array(rc.change.after.replica)
	some rep in rc.change.after.replica
}

azure_flows := {[i, paired_place(r.place)] |
	some i, r in res
	rc := input.resource_changes[i]
	rc.type == "azurerm_storage_account"
	object.get(catalog.geo_redundant_replication, object.get(rc.change.after, "account_replication_type", ""), false)
}

paired_place(p) := place("azurerm", {"known": true, "region": pair}) if {
	p.known
	pair := object.get(catalog.regions.azurerm, [p.region, "pair"], null)
	is_string(pair)
} else := unknown_place

# A Google dual-region bucket keeps copies in each member region.
gcs_flows := {[i, place("google", {"known": true, "region": m})] |
	some i, r in res
	rc := input.resource_changes[i]
	rc.type == "google_storage_bucket"
	loc := rc.change.after.location
	is_string(loc)
	some m in object.get(catalog.regions.google, [lower(loc), "members"], [])
}

flows := (((s3_flows | rds_flows) | dynamodb_flows) | azure_flows) | gcs_flows

# ---------------------------------------------------------------------------
# Verdicts on places.

in_adversary_custody(p) := "U" if {
	p.custody == null
} else := tf(object.get(catalog.groups.foreign_adversaries, p.custody, false))

outside_us(p) := "U" if {
	not p.known
} else := "T" if {
	count([c | some c in p.countries; c != "US"]) > 0
} else := "F"

gdpr_ok(c) if catalog.groups.eea[c]

gdpr_ok(c) if catalog.groups.gdpr_adequate[c]

outside_gdpr(p) := "U" if {
	not p.known
} else := "T" if {
	count([c | some c in p.countries; not gdpr_ok(c)]) > 0
} else := "F"

us_flow_bad(p) := or3(in_adversary_custody(p), outside_us(p))

# Sources with a flow that certainly / possibly breaks a rule.
us_flow_violation := {f[0] | some f in flows; us_flow_bad(f[1]) == "T"}

us_flow_unknown := {f[0] | some f in flows; us_flow_bad(f[1]) == "U"}

eu_flow_violation := {f[0] | some f in flows; outside_gdpr(f[1]) == "T"}

eu_flow_unknown := {f[0] | some f in flows; outside_gdpr(f[1]) == "U"}

us_flow3(i) := "T" if {
	us_flow_violation[i]
} else := "U" if {
	us_flow_unknown[i]
} else := "F"

eu_flow3(i) := "T" if {
	eu_flow_violation[i]
} else := "U" if {
	eu_flow_unknown[i]
} else := "F"

# ---------------------------------------------------------------------------
# The rules.

verdicts(i, r) := [
	["RES-US-001", and3(r.us, in_adversary_custody(r.place))],
	["RES-US-002", and3(r.us, outside_us(r.place))],
	["RES-US-003", and3(r.us, us_flow3(i))],
	["RES-EU-001", and3(r.eu, or3(outside_gdpr(r.place), eu_flow3(i)))],
	["RES-PRV-001", in_adversary_custody(r.place)],
	["RES-UNK-001", and3(r.holding, tf(r.place.known == false))],
	["RES-TAG-001", and3(r.holding, not3(r.has_class))],
	["RES-TAG-002", and3(r.protected, not3(r.has_subjects))],
]

not3(x) := "F" if {
	x == "T"
} else := "T" if {
	x == "F"
} else := "U"

findings contains {"rule": v[0], "address": r.address, "outcome": outcome(v[1])} if {
	some i, r in res
	some v in verdicts(i, r)
	v[1] != "F"
}
