//! Terraform's two kinds of address: resource instance addresses
//! (`module.m[0].aws_db_instance.x`, `aws_s3_bucket.b["logs"]`) and provider source
//! addresses (`registry.terraform.io/hashicorp/aws`, or `aws` in Terraform 0.12).

#![forbid(unsafe_code)]

/// A parsed resource instance address; slices borrow from the address text.
#[derive(Debug, PartialEq, Eq)]
pub struct Address<'a> {
    /// The module instance part, e.g. `module.m[0].module.n` (empty in the root module).
    pub module: &'a str,
    /// Module call names from the root, without instance keys: `["m", "n"]`.
    pub module_names: Vec<&'a str>,
    pub data: bool,
    pub rtype: &'a str,
    pub name: &'a str,
    /// The instance key as written (`[0]`, `["logs"]`), if any.
    pub key: Option<&'a str>,
}

impl Address<'_> {
    /// The configuration module path (`module.m.module.n`), which has no instance keys.
    pub fn config_module(&self) -> String {
        let mut out = String::new();
        self.write_config_module(&mut out);
        out
    }

    /// Writes [`Address::config_module`] into `out` (cleared first).
    pub fn write_config_module(&self, out: &mut String) {
        out.clear();
        for n in &self.module_names {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str("module.");
            out.push_str(n);
        }
    }

    /// The resource's address inside its module, without instance key (`aws_s3_bucket.b`).
    pub fn config_address(&self) -> String {
        let mut out = String::new();
        self.write_config_address(&mut out);
        out
    }

    /// Writes [`Address::config_address`] into `out` (cleared first).
    pub fn write_config_address(&self, out: &mut String) {
        out.clear();
        if self.data {
            out.push_str("data.");
        }
        out.push_str(self.rtype);
        out.push('.');
        out.push_str(self.name);
    }
}

/// Parses a resource instance address; the error says what is wrong in words.
pub fn parse(text: &str) -> Result<Address<'_>, String> {
    let mut p = Parser { s: text, i: 0 };
    let mut module_names = Vec::new();
    let mut module_end = 0;
    while p.rest().starts_with("module.") {
        p.i += "module.".len();
        module_names.push(p.ident("a module name")?);
        p.key()?;
        module_end = p.i;
        p.dot("after the module step")?;
    }
    let data = p.rest().starts_with("data.");
    if data {
        p.i += "data.".len();
    }
    let rtype = p.ident("a resource type")?;
    p.dot("between the resource type and name")?;
    let name = p.ident("a resource name")?;
    let key = p.key()?;
    if p.i != text.len() {
        return Err(format!("unexpected `{}` after the resource name", p.rest()));
    }
    Ok(Address {
        module: &text[..module_end],
        module_names,
        data,
        rtype,
        name,
        key,
    })
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    /// HCL identifier: a letter or `_`, then letters, digits, `_` and `-`.
    fn ident(&mut self, what: &str) -> Result<&'a str, String> {
        let rest = self.rest();
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, c)) if c.is_alphabetic() || c == '_' => {}
            Some((_, c)) => return Err(format!("expected {what}, found `{c}`")),
            None => return Err(format!("expected {what}, found the end of the address")),
        }
        let end = chars
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(rest.len(), |(i, _)| i);
        self.i += end;
        Ok(&rest[..end])
    }

    fn dot(&mut self, where_: &str) -> Result<(), String> {
        if self.rest().starts_with('.') {
            self.i += 1;
            Ok(())
        } else if self.rest().is_empty() {
            Err(format!("the address ends where a `.` is expected {where_}"))
        } else {
            Err(format!(
                "expected `.` {where_}, found `{}`",
                first_char(self.rest())
            ))
        }
    }

    /// An optional `[<digits>]` or `["<string with escapes>"]`.
    fn key(&mut self) -> Result<Option<&'a str>, String> {
        let rest = self.rest();
        if !rest.starts_with('[') {
            return Ok(None);
        }
        let body = &rest[1..];
        if body.is_empty() {
            return Err("the address ends inside an instance key".to_owned());
        }
        let len = if let Some(quoted) = body.strip_prefix('"') {
            let mut escaped = false;
            let close = quoted.char_indices().find(|&(_, c)| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            });
            match close {
                Some((j, _)) => j + 2,
                None => return Err("an instance key string is never closed".to_owned()),
            }
        } else {
            let digits = body.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!(
                    "an instance key must be a number or a quoted string, found `{}`",
                    first_char(body)
                ));
            }
            digits
        };
        if !body[len..].starts_with(']') {
            return Err("an instance key is missing its closing `]`".to_owned());
        }
        let whole = &rest[..len + 2];
        self.i += whole.len();
        Ok(Some(whole))
    }
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// Length of a leading `[...]` instance key (key strings may contain `]`).
pub fn key_len(s: &str) -> usize {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if in_str && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_str = !in_str,
            ']' if !in_str => return i + 1,
            _ => {}
        }
        escaped = false;
    }
    s.len()
}

/// The first `depth` steps of a module instance path: `module.a[0].module.b`, 1 →
/// `module.a[0]`.
pub fn module_prefix(module: &str, depth: usize) -> &str {
    let mut end = 0;
    for step in 0..depth {
        // Steps after the first begin after the `.` that ends the previous one.
        let start = if step == 0 { 0 } else { end + 1 };
        let Some(rest) = module.get(start..).and_then(|r| r.strip_prefix("module.")) else {
            return module;
        };
        let name = rest.find(['[', '.']).unwrap_or(rest.len());
        end = start + "module.".len() + name;
        if module[end..].starts_with('[') {
            end += key_len(&module[end..]);
        }
    }
    &module[..end]
}

/// Normalises a provider source to `namespace/type` in lower case, without host.
///
/// Terraform 0.12 writes the bare type (`aws`), which meant `hashicorp/aws`; 0.13 wrote
/// legacy providers as `-/aws`. Any registry host is accepted (OpenTofu's included), so
/// the same provider matches the same catalog entry wherever it was downloaded from.
pub fn provider_source(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('/').collect();
    let ok = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let (ns, ty) = match parts.as_slice() {
        [ty] => ("hashicorp", *ty),
        [ns, ty] => (*ns, *ty),
        [host, ns, ty] if is_host(host) => (*ns, *ty),
        _ => return None,
    };
    let ns = if ns == "-" { "hashicorp" } else { ns };
    (ok(ns) && ok(ty)).then(|| format!("{ns}/{ty}").to_ascii_lowercase())
}

fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

/// Resource-change `provider_name` values that some tools write as `provider["..."]`
/// (the raw state's form); plan JSON itself never does, but accept it rather than fail.
pub fn unwrap_provider_ref(text: &str) -> &str {
    text.strip_prefix("provider[\"")
        .and_then(|s| s.split_once("\"]"))
        .map_or(text, |(inner, _)| inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_root_and_module_addresses() {
        let a = parse("aws_s3_bucket.b").unwrap();
        assert_eq!(
            (a.module, a.rtype, a.name, a.key),
            ("", "aws_s3_bucket", "b", None)
        );
        let a = parse("module.m[0].aws_db_instance.x").unwrap();
        assert_eq!(a.module, "module.m[0]");
        assert_eq!(a.module_names, ["m"]);
        assert_eq!(a.config_module(), "module.m");
        assert_eq!(a.config_address(), "aws_db_instance.x");
        let a = parse(r#"module.a["x.y"].module.b.data.aws_region.current"#).unwrap();
        assert!(a.data);
        assert_eq!(a.module, r#"module.a["x.y"].module.b"#);
        assert_eq!(a.config_module(), "module.a.module.b");
        assert_eq!(a.config_address(), "data.aws_region.current");
    }

    #[test]
    fn parses_instance_keys_with_dots_and_escapes() {
        let a = parse(r#"aws_s3_bucket.b["logs"]"#).unwrap();
        assert_eq!(a.key, Some(r#"["logs"]"#));
        let a = parse(r#"aws_instance.i["test.1"]"#).unwrap();
        assert_eq!((a.name, a.key), ("i", Some(r#"["test.1"]"#)));
        let a = parse(r#"aws_instance.i["a\"]b"]"#).unwrap();
        assert_eq!(a.key, Some(r#"["a\"]b"]"#));
        let a = parse("null_resource.baz[12]").unwrap();
        assert_eq!(a.key, Some("[12]"));
        let a = parse("module.acm_cert_regional[0].aws_route53_record.cert_validation[\"testapi.cc.aws.cmclabs.io\"]").unwrap();
        assert_eq!(a.module, "module.acm_cert_regional[0]");
    }

    #[test]
    fn rejects_malformed_addresses_with_a_reason() {
        for (bad, why) in [
            ("", "expected a resource type, found the end of the address"),
            (
                "aws_s3_bucket",
                "the address ends where a `.` is expected between the resource type and name",
            ),
            (
                "aws_s3_bucket.",
                "expected a resource name, found the end of the address",
            ),
            (
                "aws_s3_bucket.b.c",
                "unexpected `.c` after the resource name",
            ),
            (
                "aws_s3_bucket.b[",
                "the address ends inside an instance key",
            ),
            (
                "aws_s3_bucket.b[x]",
                "an instance key must be a number or a quoted string, found `x`",
            ),
            (
                "aws_s3_bucket.b[\"x]",
                "an instance key string is never closed",
            ),
            (
                "aws_s3_bucket.b[1",
                "an instance key is missing its closing `]`",
            ),
            ("module..x.y", "expected a module name, found `.`"),
            (
                "module.m.",
                "expected a resource type, found the end of the address",
            ),
            ("1bucket.b", "expected a resource type, found `1`"),
            (
                "aws bucket.b",
                "expected `.` between the resource type and name, found ` `",
            ),
        ] {
            assert_eq!(parse(bad).unwrap_err(), why, "{bad:?}");
        }
    }

    #[test]
    fn module_prefixes() {
        let m = r#"module.a["x.y]"].module.b[0].module.c"#;
        assert_eq!(module_prefix(m, 0), "");
        assert_eq!(module_prefix(m, 1), r#"module.a["x.y]"]"#);
        assert_eq!(module_prefix(m, 2), r#"module.a["x.y]"].module.b[0]"#);
        assert_eq!(module_prefix(m, 3), m);
        assert_eq!(module_prefix(m, 9), m);
        assert_eq!(module_prefix("", 1), "");
    }

    #[test]
    fn normalises_provider_sources() {
        let n = |s| provider_source(s);
        assert_eq!(
            n("registry.terraform.io/hashicorp/aws").as_deref(),
            Some("hashicorp/aws")
        );
        assert_eq!(
            n("registry.opentofu.org/hashicorp/aws").as_deref(),
            Some("hashicorp/aws")
        );
        assert_eq!(n("aws").as_deref(), Some("hashicorp/aws"));
        assert_eq!(
            n("registry.terraform.io/-/aws").as_deref(),
            Some("hashicorp/aws")
        );
        assert_eq!(
            n("registry.terraform.io/FlexibleEngineCloud/flexibleengine").as_deref(),
            Some("flexibleenginecloud/flexibleengine")
        );
        assert_eq!(n("localhost:8080/acme/dc").as_deref(), Some("acme/dc"));
        for bad in [
            "",
            "/",
            "a//b",
            "a/b/c/d",
            "hashicorp/aws provider",
            "registry.terraform.io/aws!",
        ] {
            assert_eq!(n(bad), None, "{bad:?}");
        }
        assert_eq!(
            unwrap_provider_ref(r#"provider["registry.terraform.io/hashicorp/aws"].eu"#),
            "registry.terraform.io/hashicorp/aws"
        );
    }
}
