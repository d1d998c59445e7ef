//! Users extend the catalog at run time with files in the built-in formats; a bad file is
//! refused with a diagnostic naming the file and the entry, and changes nothing.

use juris::catalog::{Catalog, CatalogError};

fn render(e: &CatalogError) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

fn refused(text: &str) -> String {
    let mut c = Catalog::builtin();
    let before = c.version();
    let e = c
        .extend_from_toml(text, "acme.toml")
        .expect_err("the file must be refused");
    assert_eq!(c.version(), before, "a refused file must change nothing");
    render(&e)
}

const ACME: &str = r#"
[sources.acme-cmdb]
title = "ACME data-centre register"
retrieved = 2026-11-01

[[provider]]
family = "acme-dc"
sources = ["acme/dc"]
company = "ACME GmbH"
jurisdiction = "DE"
refs = ["acme-cmdb"]

[[operator]]
id = "acme-hosting-ch"
company = "ACME Hosting AG"
jurisdiction = "CH"
"#;

const ACME_REGIONS: &str = r#"
family = "acme-dc"
refs = ["acme-cmdb"]
regions = [
  { code = "fra-1", name = "Frankfurt", countries = ["DE"] },
  { code = "zrh-1", name = "Zurich", countries = ["CH"], operator = "acme-hosting-ch", pair = "fra-1" },
]
"#;

#[test]
fn a_private_cloud_family_can_be_added() {
    let mut c = Catalog::builtin();
    c.extend_from_toml(ACME, "acme-providers.toml").unwrap();
    c.extend_from_toml(ACME_REGIONS, "acme-regions.toml")
        .unwrap();
    let p = c.provider("acme/dc").unwrap();
    assert_eq!(
        (p.family.as_str(), p.jurisdiction.as_str()),
        ("acme-dc", "DE")
    );
    let zrh = c.region("acme-dc", "ZRH-1").unwrap();
    assert_eq!(zrh.operator.as_deref(), Some("acme-hosting-ch"));
    assert_eq!(zrh.pair.as_deref(), Some("fra-1"));
    assert!(c.dangling_refs().is_empty());
    assert_eq!(
        c.origins().last().map(String::as_str),
        Some("acme-regions.toml")
    );
}

#[test]
fn a_user_file_overrides_a_builtin_region_and_operator() {
    let mut c = Catalog::builtin();
    c.extend_from_toml(
        r#"
[[operator]]
id = "aws-eusc"
company = "AWS European Sovereign Cloud GmbH"
jurisdiction = "DE"
"#,
        "eusc.toml",
    )
    .unwrap();
    assert_eq!(c.operator("aws-eusc").unwrap().jurisdiction, "DE");
    c.extend_from_toml(
        "family = \"aws\"\nregions = [{ code = \"eu-central-1\", name = \"Frankfurt (audited)\", countries = [\"DE\"] }]",
        "aws-local.toml",
    )
    .unwrap();
    assert_eq!(
        c.region("aws", "eu-central-1").unwrap().name,
        "Frankfurt (audited)"
    );
    assert!(c.region("aws", "eu-west-1").is_some(), "other regions stay");
}

#[test]
fn a_user_file_can_move_a_source_to_another_provider() {
    let mut c = Catalog::builtin();
    c.extend_from_toml(
        "[[provider]]\nfamily = \"acme-dc\"\nsources = [\"hashicorp/null\"]\ncompany = \"ACME\"\njurisdiction = \"DE\"",
        "claim.toml",
    )
    .unwrap();
    assert!(c.utility("hashicorp/null").is_none());
    assert_eq!(c.provider("hashicorp/null").unwrap().company, "ACME");
}

#[test]
fn unknown_operator_is_refused() {
    insta::assert_snapshot!(refused(
        "family = \"aws\"\nregions = [\n  { code = \"cn-south-9\", name = \"X\", countries = [\"CN\"], operator = \"sinet\" },\n]\n"
    ));
}

#[test]
fn duplicate_code_is_refused() {
    insta::assert_snapshot!(refused(
        "family = \"acme\"\nregions = [\n  { code = \"a-1\", name = \"A\", countries = [\"DE\"] },\n  { code = \"A-1\", name = \"B\", countries = [\"DE\"] },\n]\n"
    ));
}

#[test]
fn bad_iso_code_is_refused() {
    insta::assert_snapshot!(refused(
        "family = \"acme\"\nregions = [\n  { code = \"lon-1\", name = \"London\", countries = [\"UK\"] },\n]\n"
    ));
}

#[test]
fn bad_jurisdiction_is_refused() {
    insta::assert_snapshot!(refused(
        "[[provider]]\nfamily = \"acme\"\nsources = [\"acme/dc\"]\ncompany = \"ACME\"\njurisdiction = \"Germany\"\n"
    ));
}

#[test]
fn unknown_pair_is_refused() {
    insta::assert_snapshot!(refused(
        "family = \"azure\"\nregions = [\n  { code = \"newregion\", name = \"New\", countries = [\"DE\"], pair = \"nowhere\" },\n]\n"
    ));
}

#[test]
fn provider_source_with_host_is_refused() {
    insta::assert_snapshot!(refused(
        "[[provider]]\nfamily = \"acme\"\nsources = [\"registry.terraform.io/acme/dc\"]\ncompany = \"ACME\"\njurisdiction = \"DE\"\n"
    ));
}

#[test]
fn misspelt_field_is_refused() {
    insta::assert_snapshot!(refused(
        "family = \"acme\"\nregions = [\n  { code = \"a-1\", name = \"A\", country = [\"DE\"] },\n]\n"
    ));
}

#[test]
fn regions_without_family_are_refused() {
    insta::assert_snapshot!(refused(
        "regions = [\n  { code = \"a-1\", name = \"A\", countries = [\"DE\"] },\n]\n"
    ));
}

#[test]
fn not_toml_is_refused() {
    insta::assert_snapshot!(refused("[[provider]\nfamily = "));
}

#[test]
fn controllers_form_the_chain_of_an_operator() {
    let mut c = Catalog::builtin();
    c.extend_from_toml(
        r#"
[sources.acme-register]
title = "ACME register"

[[operator]]
id = "acme-sovereign"
company = "ACME Sovereign GmbH"
jurisdiction = "DE"
refs = ["acme-register"]
controllers = [
  { company = "ACME Holding SE", jurisdiction = "DE", control = "parent", refs = ["acme-register"] },
  { company = "Hyperscaler Inc.", jurisdiction = "US", control = "licensor", refs = ["acme-register"] },
]
"#,
        "acme.toml",
    )
    .unwrap();
    let chain = c.operator("acme-sovereign").unwrap().chain();
    let got: Vec<_> = chain.iter().map(|l| (l.jurisdiction, l.control)).collect();
    assert_eq!(
        got,
        [("DE", "operator"), ("DE", "parent"), ("US", "licensor")]
    );
    assert!(c.dangling_refs().is_empty());
}

#[test]
fn a_controller_without_a_source_is_refused() {
    insta::assert_snapshot!(refused(
        "[[operator]]\nid = \"x\"\ncompany = \"X\"\njurisdiction = \"DE\"\ncontrollers = [{ company = \"P\", jurisdiction = \"US\", control = \"parent\", refs = [] }]\n"
    ));
}

#[test]
fn an_unknown_kind_of_control_is_refused() {
    insta::assert_snapshot!(refused(
        "[[operator]]\nid = \"x\"\ncompany = \"X\"\njurisdiction = \"DE\"\ncontrollers = [{ company = \"P\", jurisdiction = \"US\", control = \"subsidiary\", refs = [\"s\"] }]\n"
    ));
}
