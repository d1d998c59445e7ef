//! Terraform source benchmarks on a generated tree of 1,000 `.tf` files declaring
//! 20,000 resources (a root module calling ten local modules of 100 files each, with
//! aliased providers, variables, locals, string templates, function calls and
//! conditionals; no `count`, `for_each` or cross-resource references): parsing alone (reading and parsing every file with
//! `hcl-edit`), juris's whole source load (parse, evaluate, build the model), and a
//! full check with the standard rules. The ratio of the last two to the first is the
//! cost of juris over the parse floor.
//!
//! `cargo bench --bench source`

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use juris::PolicySet;
use juris::adapters::LoadOptions;
use juris::adapters::source::{self, SourceOptions};
use juris::catalog::Catalog;
use juris::runner::RunOptions;

fn main() {
    divan::main();
}

const MODULES: usize = 10;
const FILES_PER_MODULE: usize = 100;
const RESOURCES_PER_FILE: usize = 20;

/// The generated tree, written once per run.
fn tree() -> &'static Path {
    static TREE: OnceLock<PathBuf> = OnceLock::new();
    TREE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("juris-source-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("temp dir");
        write_tree(&root);
        root
    })
}

fn write_tree(root: &Path) {
    let mut main = String::from(
        r#"
terraform {
  required_providers {
    aws    = { source = "hashicorp/aws" }
    google = { source = "hashicorp/google" }
  }
}
variable "env" { default = "prod" }
variable "regions" {
  default = { prod = "us-east-1", dev = "us-west-2" }
}
provider "aws" { region = lookup(var.regions, var.env) }
provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}
provider "google" { region = "us-central1" }
"#,
    );
    for m in 0..MODULES {
        let eu = if m % 3 == 0 { "aws.eu" } else { "aws" };
        main.push_str(&format!(
            "module \"svc{m}\" {{\n  source    = \"./modules/svc{m}\"\n  providers = {{ aws = {eu} }}\n  name      = \"svc{m}-${{var.env}}\"\n  subjects  = \"{}\"\n}}\n",
            if m % 2 == 0 { "US" } else { "EU" }
        ));
        let dir = root.join(format!("modules/svc{m}"));
        std::fs::create_dir_all(&dir).expect("module dir");
        std::fs::write(
            dir.join("variables.tf"),
            "variable \"name\" {}\nvariable \"subjects\" { default = \"US\" }\nlocals {\n  tags = { \"data-classification\" = \"personal\", \"data-subjects\" = var.subjects, owner = var.name }\n}\n",
        )
        .expect("write");
        for f in 0..FILES_PER_MODULE {
            let mut text = String::new();
            for r in 0..RESOURCES_PER_FILE {
                let n = f * RESOURCES_PER_FILE + r;
                match r % 4 {
                    0 | 1 => text.push_str(&format!(
                        "resource \"aws_s3_bucket\" \"b{n}\" {{\n  bucket = \"${{var.name}}-b{n}\"\n  tags   = merge(local.tags, {{ index = \"{n}\" }})\n}}\n\n"
                    )),
                    2 => text.push_str(&format!(
                        "resource \"aws_db_instance\" \"d{n}\" {{\n  identifier     = format(\"%s-d%d\", var.name, {n})\n  engine         = \"postgres\"\n  instance_class = \"db.t4g.micro\"\n  tags           = local.tags\n}}\n\n"
                    )),
                    _ => text.push_str(&format!(
                        "resource \"google_storage_bucket\" \"g{n}\" {{\n  name     = lower(\"${{var.name}}-G{n}\")\n  location = var.subjects == \"US\" ? \"US\" : \"EU\"\n  labels   = {{ data-classification = \"internal\" }}\n}}\n\n"
                    )),
                }
            }
            std::fs::write(dir.join(format!("r{f:03}.tf")), text).expect("write");
        }
    }
    std::fs::write(root.join("main.tf"), main).expect("write");
}

fn tf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            tf_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "tf") {
            out.push(p);
        }
    }
}

/// The floor: read and parse every `.tf` file, nothing else.
#[divan::bench(sample_count = 5)]
fn parse_only(bencher: divan::Bencher) {
    let mut files = Vec::new();
    tf_files(tree(), &mut files);
    assert_eq!(files.len(), MODULES * FILES_PER_MODULE + MODULES + 1);
    bencher.bench(|| {
        let mut blocks = 0usize;
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read");
            blocks += hcl_edit::parser::parse_body(&text).expect("parses").len();
        }
        blocks
    });
}

/// juris's source adapter: parse, evaluate, expand, place, build the model.
#[divan::bench(sample_count = 5)]
fn load(bencher: divan::Bencher) {
    let catalog = Catalog::builtin();
    let opts = LoadOptions::new(&catalog);
    let inv = source::load_dir(tree(), &opts, &SourceOptions::default()).expect("loads");
    assert_eq!(
        inv.resources.len(),
        MODULES * FILES_PER_MODULE * RESOURCES_PER_FILE
    );
    bencher.bench(|| source::load_dir(tree(), &opts, &SourceOptions::default()).expect("loads"));
}

/// A whole `juris check DIR`: the load and the standard rules over it.
#[divan::bench(sample_count = 5)]
fn check(bencher: divan::Bencher) {
    let catalog = Catalog::builtin();
    let set = PolicySet::compile_standard(Vec::new()).expect("standard rules");
    let options = RunOptions::new(juris::date::parse("2026-06-01").expect("date"));
    let mut opts = LoadOptions::new(&catalog);
    opts.projection = match set.program().attribute_keys() {
        Some(keys) => juris::adapters::Projection::Keys(keys),
        None => juris::adapters::Projection::All,
    };
    bencher.bench(|| {
        let inv = source::load_dir(tree(), &opts, &SourceOptions::default()).expect("loads");
        set.evaluate(&inv, &options)
            .expect("runs")
            .summary
            .violations
    });
}
