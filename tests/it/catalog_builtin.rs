//! The catalog compiled into juris loads, is consistent, and cites only defined sources.

use juris::catalog::{Catalog, RegionKind};

#[test]
fn builtin_catalog_loads_every_family() {
    let c = Catalog::builtin();
    for family in [
        "aws",
        "azure",
        "google",
        "alicloud",
        "tencentcloud",
        "huaweicloud",
        "oci",
    ] {
        let f = c
            .family(family)
            .unwrap_or_else(|| panic!("family {family} missing"));
        assert!(
            f.regions().count() > 5,
            "family {family} has too few regions"
        );
    }
}

#[test]
fn every_refs_id_exists_in_sources_toml() {
    let dangling = Catalog::builtin().dangling_refs();
    assert!(
        dangling.is_empty(),
        "refs without a [sources.<id>] entry: {dangling:?}"
    );
}

#[test]
fn every_provider_family_with_regions_is_claimed_by_a_provider() {
    let c = Catalog::builtin();
    for f in c.families() {
        assert!(
            c.providers().any(|p| p.family == f.name),
            "region family {} has no [[provider]] entry",
            f.name
        );
    }
}

#[test]
fn china_regions_have_their_operators() {
    let c = Catalog::builtin();
    let op = |fam: &str, code: &str| {
        let r = c
            .region(fam, code)
            .unwrap_or_else(|| panic!("{fam}/{code} missing"));
        let id = r
            .operator
            .clone()
            .unwrap_or_else(|| panic!("{fam}/{code} has no operator"));
        c.operator(&id).map(|o| o.jurisdiction.clone())
    };
    assert_eq!(op("aws", "cn-north-1").as_deref(), Some("CN"));
    assert_eq!(op("aws", "cn-northwest-1").as_deref(), Some("CN"));
    assert_eq!(op("azure", "chinaeast2").as_deref(), Some("CN"));
    assert!(
        c.region("aws", "eu-central-1")
            .is_some_and(|r| r.operator.is_none())
    );
}

#[test]
fn well_known_facts_hold() {
    let c = Catalog::builtin();
    let countries = |fam: &str, code: &str| {
        let r = c
            .region(fam, code)
            .unwrap_or_else(|| panic!("{fam}/{code} missing"));
        c.countries_of(fam, r)
    };
    assert_eq!(countries("aws", "eu-central-1"), ["DE"]);
    assert_eq!(countries("azure", "West Europe"), ["NL"]);
    assert_eq!(countries("google", "us-central1"), ["US"]);
    assert_eq!(countries("google", "nam4"), ["US"]);
    assert_eq!(countries("huaweicloud", "ap-southeast-1"), ["HK"]);
    assert_eq!(countries("alicloud", "cn-hangzhou"), ["CN"]);
    assert_eq!(
        c.region("azure", "westeurope")
            .and_then(|r| r.pair.clone())
            .as_deref(),
        Some("northeurope")
    );
    let eu = c.region("google", "EU").map(|r| r.kind);
    assert_eq!(eu, Some(RegionKind::MultiRegion));
    assert_eq!(
        c.provider("hashicorp/google-beta")
            .map(|p| p.family.as_str()),
        Some("google")
    );
    assert_eq!(
        c.provider("Aliyun/AliCloud")
            .map(|p| p.jurisdiction.as_str()),
        Some("CN")
    );
    assert!(c.utility("hashicorp/random").is_some());
}

#[test]
fn version_is_stable_and_changes_with_the_data() {
    let a = Catalog::builtin();
    assert_eq!(a.version(), Catalog::builtin().version());
    assert!(a.version().starts_with("sha256:"));
    let mut b = Catalog::builtin();
    b.extend_from_toml(
        "family = \"aws\"\nregions = [{ code = \"xx-test-1\", name = \"Test\", countries = [\"DE\"] }]",
        "ext.toml",
    )
    .unwrap();
    assert_ne!(a.version(), b.version());
}

#[test]
fn sovereign_regions_name_their_operators_and_owners() {
    let c = Catalog::builtin();
    let chain = |fam: &str, code: &str| -> Vec<(String, &'static str)> {
        let r = c
            .region(fam, code)
            .unwrap_or_else(|| panic!("{fam}/{code} missing"));
        let id = r
            .operator
            .as_deref()
            .unwrap_or_else(|| panic!("{fam}/{code}: no operator"));
        c.operator(id)
            .unwrap()
            .chain()
            .iter()
            .map(|l| (l.jurisdiction.to_owned(), l.control))
            .collect()
    };
    let j = |v: &[(&str, &'static str)]| -> Vec<(String, &'static str)> {
        v.iter().map(|(a, b)| (a.to_string(), *b)).collect()
    };
    assert_eq!(
        chain("aws", "eusc-de-east-1"),
        j(&[("DE", "operator"), ("US", "parent")])
    );
    assert_eq!(
        chain("azure", "chinaeast2"),
        j(&[("CN", "operator"), ("CN", "parent"), ("US", "licensor")])
    );
    assert_eq!(
        chain("aws", "cn-north-1"),
        j(&[("CN", "operator"), ("US", "licensor")])
    );
    assert_eq!(
        chain("alicloud", "me-central-1"),
        j(&[("SA", "operator"), ("SA", "parent"), ("CN", "shareholder")])
    );
    assert_eq!(
        chain("oci", "eu-madrid-2"),
        j(&[("ES", "operator"), ("US", "parent")])
    );
    assert_eq!(
        chain("google", "u-france-east1")[1],
        ("FR".to_owned(), "parent")
    );
    assert_eq!(
        chain("azure", "deloscloudgermanynorth")[2],
        ("US".to_owned(), "licensor")
    );
    assert_eq!(
        c.region("azure", "bleufrancecentral")
            .and_then(|r| r.pair.as_deref()),
        Some("bleufrancesouth")
    );
    // Every provider's own chain starts with its company and cites a source.
    for p in c.providers() {
        let links = p.chain();
        assert_eq!(links[0].company, p.company);
        assert!(links.iter().all(|l| !l.refs.is_empty()), "{}", p.family);
    }
}
