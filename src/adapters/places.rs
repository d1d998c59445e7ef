//! The ways providers spell a place inside other values: ARNs carry a region, zones
//! end in a letter or digit after their region, Alibaba OSS prefixes `oss-`, Tencent COS
//! names `qcs::cos:<region>::<bucket>`, Google self links contain `/zones/<zone>/`.

#![forbid(unsafe_code)]

use crate::catalog::{Catalog, RegionEntry};

/// The fields of an Amazon Resource Name.
#[derive(Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    /// Empty for global services (IAM) and for S3 buckets.
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Parses `arn:<partition>:<service>:<region>:<account>:<resource>`.
pub fn arn(s: &str) -> Option<Arn<'_>> {
    let mut it = s.splitn(6, ':');
    if it.next()? != "arn" {
        return None;
    }
    let partition = it.next()?;
    if !partition.starts_with("aws") {
        return None;
    }
    Some(Arn {
        partition,
        service: it.next()?,
        region: it.next()?,
        account: it.next()?,
        resource: it.next()?,
    })
}

/// The bucket named by an S3 bucket ARN (`arn:aws:s3:::name`), or the text itself when
/// it is already a bare bucket name.
pub fn s3_bucket_name(s: &str) -> &str {
    match arn(s) {
        Some(a) if a.service == "s3" => a.resource.split('/').next().unwrap_or(a.resource),
        _ => s,
    }
}

/// The region a zone belongs to, by the longest catalog region code the zone extends:
/// `us-east-1a` → `us-east-1`, `us-central1-a` → `us-central1`, `cn-hangzhou-h` →
/// `cn-hangzhou`, `ap-guangzhou-3` → `ap-guangzhou`, `us-west-2-lax-1a` → `us-west-2`.
/// Zone ids that do not spell their region (`use1-az1`) give `None`.
pub fn zone_region<'c>(catalog: &'c Catalog, family: &str, zone: &str) -> Option<&'c RegionEntry> {
    let b = zone.as_bytes();
    (1..b.len())
        .rev()
        .filter(|&i| b[i] == b'-' || (b[i - 1].is_ascii_digit() && b[i].is_ascii_alphabetic()))
        .find_map(|i| catalog.region(family, &zone[..i]))
}

/// `oss-cn-beijing` → `cn-beijing` (Alibaba OSS locations).
pub fn oss_region(s: &str) -> &str {
    s.strip_prefix("oss-").unwrap_or(s)
}

/// The region and bucket of a Tencent COS resource name `qcs::cos:<region>::<bucket>`.
pub fn qcs_cos(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("qcs::cos:")?;
    let (region, bucket) = rest.split_once("::")?;
    (!region.is_empty()).then_some((region, bucket))
}

/// What a Google self link says about where a resource is.
#[derive(Debug, PartialEq, Eq)]
pub enum SelfLink<'a> {
    Zone(&'a str),
    Region(&'a str),
    Global,
}

/// Reads `.../zones/<zone>/...`, `.../regions/<region>/...` or `.../global/...`.
pub fn google_self_link(s: &str) -> Option<SelfLink<'_>> {
    if !s.starts_with("https://") {
        return None;
    }
    let mut parts = s.split('/');
    while let Some(p) = parts.next() {
        match p {
            "zones" => return parts.next().map(SelfLink::Zone),
            "regions" => return parts.next().map(SelfLink::Region),
            "global" => return Some(SelfLink::Global),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut c = Catalog::empty();
        for (family, codes) in [
            ("aws", &["us-east-1", "us-west-2", "eu-central-1"][..]),
            (
                "google",
                &["us-central1", "europe-west1", "europe-west10"][..],
            ),
            ("alicloud", &["cn-hangzhou", "ap-southeast-1"][..]),
            ("tencentcloud", &["ap-guangzhou"][..]),
            ("huaweicloud", &["cn-north-4"][..]),
        ] {
            let regions: Vec<String> = codes
                .iter()
                .map(|c| format!("{{ code = \"{c}\", name = \"{c}\", countries = [\"US\"] }}"))
                .collect();
            let text = format!("family = \"{family}\"\nregions = [{}]", regions.join(", "));
            c.extend_from_toml(&text, "test.toml").unwrap();
        }
        c
    }

    #[test]
    fn zones_map_to_their_region() {
        let c = catalog();
        let z = |f: &str, z: &str| zone_region(&c, f, z).map(|r| r.code.clone());
        assert_eq!(z("aws", "us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(z("aws", "us-west-2-lax-1a").as_deref(), Some("us-west-2"));
        assert_eq!(z("aws", "use1-az1"), None);
        assert_eq!(
            z("aws", "us-east-1"),
            None,
            "a region is not a zone of itself"
        );
        assert_eq!(z("google", "us-central1-a").as_deref(), Some("us-central1"));
        assert_eq!(
            z("google", "europe-west10-b").as_deref(),
            Some("europe-west10")
        );
        assert_eq!(
            z("google", "europe-west1-b").as_deref(),
            Some("europe-west1")
        );
        assert_eq!(
            z("alicloud", "cn-hangzhou-h").as_deref(),
            Some("cn-hangzhou")
        );
        assert_eq!(
            z("alicloud", "ap-southeast-1a").as_deref(),
            Some("ap-southeast-1")
        );
        assert_eq!(
            z("tencentcloud", "ap-guangzhou-3").as_deref(),
            Some("ap-guangzhou")
        );
        assert_eq!(
            z("huaweicloud", "cn-north-4a").as_deref(),
            Some("cn-north-4")
        );
        assert_eq!(z("aws", ""), None);
    }

    #[test]
    fn arns_carry_their_region() {
        let a = arn("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr").unwrap();
        assert_eq!(
            (a.service, a.region, a.account),
            ("backup", "eu-west-1", "123456789012")
        );
        assert_eq!(a.resource, "backup-vault:dr");
        assert_eq!(
            arn("arn:aws-cn:rds:cn-north-1:1:db:x").unwrap().region,
            "cn-north-1"
        );
        assert_eq!(arn("arn:aws:iam::123:role/x").unwrap().region, "");
        assert_eq!(arn("arn:aws:s3:::logs").unwrap().resource, "logs");
        assert_eq!(arn("arn:azure:x:y:z:w"), None);
        assert_eq!(arn("arn:aws:s3"), None);
        assert_eq!(arn("not an arn"), None);
    }

    #[test]
    fn bucket_names_come_out_of_s3_arns() {
        assert_eq!(s3_bucket_name("arn:aws:s3:::logs"), "logs");
        assert_eq!(s3_bucket_name("arn:aws:s3:::logs/prefix/*"), "logs");
        assert_eq!(s3_bucket_name("logs"), "logs");
    }

    #[test]
    fn provider_specific_spellings() {
        assert_eq!(oss_region("oss-cn-beijing"), "cn-beijing");
        assert_eq!(oss_region("cn-beijing"), "cn-beijing");
        assert_eq!(
            qcs_cos("qcs::cos:ap-guangzhou::backup-1250000000"),
            Some(("ap-guangzhou", "backup-1250000000"))
        );
        assert_eq!(qcs_cos("qcs::cos:::x"), None);
        assert_eq!(qcs_cos("cos"), None);
        assert_eq!(
            google_self_link(
                "https://www.googleapis.com/compute/v1/projects/p/zones/europe-west2-a/instances/i"
            ),
            Some(SelfLink::Zone("europe-west2-a"))
        );
        assert_eq!(
            google_self_link(
                "https://www.googleapis.com/compute/v1/projects/p/regions/us-east1/subnetworks/s"
            ),
            Some(SelfLink::Region("us-east1"))
        );
        assert_eq!(
            google_self_link("https://www.googleapis.com/compute/v1/projects/p/global/networks/n"),
            Some(SelfLink::Global)
        );
        assert_eq!(google_self_link("projects/p/zones/x"), None);
    }
}
