//! Every real plan in the shared fixture folder (plans from public projects, see its
//! SOURCES.md) loads without error. CI points `JURIS_SHARED_FIXTURES` at the folder;
//! without it the test looks next to the crate and skips loudly when absent.

use std::path::PathBuf;

use juris::adapters::{LoadOptions, load_path};
use juris::catalog::Catalog;

fn fixtures() -> Option<PathBuf> {
    let dir = match std::env::var_os("JURIS_SHARED_FIXTURES") {
        Some(d) => PathBuf::from(d),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/terraform-plans")
        }
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: no shared Terraform plan fixtures at {} (set JURIS_SHARED_FIXTURES)",
            dir.display()
        );
        None
    }
}

fn plans() -> Vec<PathBuf> {
    let Some(dir) = fixtures() else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_real_plan_loads() {
    let catalog = Catalog::builtin();
    let opts = LoadOptions::new(&catalog);
    for path in plans() {
        let inv = load_path(&path, &opts).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(inv.inputs[0].kind, "terraform-plan", "{}", path.display());
        println!(
            "{}: {} resources, {} warnings",
            path.display(),
            inv.resources.len(),
            inv.warnings.len()
        );
        for r in &inv.resources {
            println!(
                "  {} {:?} {:?} | {}",
                r.address, r.location.region, r.custody.jurisdiction, r.location.derivation
            );
        }
    }
}

/// What the real plans must say, resource by resource, where the fixture exists to test it.
#[test]
fn real_plans_resolve_as_terraform_does() {
    let Some(dir) = fixtures() else { return };
    let catalog = Catalog::builtin();
    let opts = LoadOptions::new(&catalog);
    let region = |file: &str, address: &str| {
        let inv = load_path(&dir.join(file), &opts).unwrap();
        let r = inv
            .resources
            .iter()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("{file}: {address}"));
        r.location.region.known().cloned().flatten()
    };
    // `var.region` resolved through the plan's variables, on an aliased provider.
    assert_eq!(
        region(
            "aws-checkov-region-from-var-alias.json",
            "aws_s3_bucket.test-bucket1"
        )
        .as_deref(),
        Some("us-west-2")
    );
    // The alias binding is only in the configuration's provider_config_key.
    assert_eq!(
        region("aws-snyk-alias-two-regions.json", "aws_s3_bucket.bucket2").as_deref(),
        Some("us-west-1")
    );
    // Module-scoped keys without expressions inherit the root provider.
    assert_eq!(
        region(
            "aws-checkov-module-provider-keys.json",
            "module.test.module.s3-bucket-1.aws_s3_bucket.this[0]"
        )
        .as_deref(),
        Some("eu-central-1")
    );
    // The resource's location beats the provider's region.
    assert_eq!(
        region(
            "google-conftest-gke-region-vs-location.json",
            "google_container_cluster.primary"
        )
        .as_deref(),
        Some("us-central1")
    );
    // A GKE cluster in a zone is in that zone's region.
    assert_eq!(
        region(
            "google-tgc-gke-beta.json",
            "google_container_cluster.primary"
        )
        .as_deref(),
        Some("us-central1")
    );
    // A Google multi-region bucket, and a zone beside an AWS provider in the same plan.
    assert_eq!(
        region(
            "mixed-regula-aws-google-bucket-US.json",
            "google_storage_bucket.example"
        )
        .as_deref(),
        Some("US")
    );
    assert_eq!(
        region(
            "mixed-regula-aws-google-bucket-US.json",
            "google_compute_instance.default"
        )
        .as_deref(),
        Some("us-central1")
    );
    assert_eq!(
        region(
            "mixed-regula-aws-google-bucket-US.json",
            "aws_s3_bucket.example"
        )
        .as_deref(),
        Some("us-west-2")
    );
    // Before Terraform 1.2 a module's passed provider is unrecorded: two candidates, two regions.
    assert_eq!(
        region(
            "aws-tfcompliance-module-alias-eu-us.json",
            "module.apigw_test_1.aws_api_gateway_rest_api.base"
        ),
        None
    );
}
