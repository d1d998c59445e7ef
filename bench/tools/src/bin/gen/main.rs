//! `gen`: a seeded generator of realistic `terraform show -json` plans for the juris
//! benchmark (`bench/run.py` calls it; see `docs/performance.md`).
//!
//! It first plans a small skeleton of every resource instance (address, provider, location
//! source, tags, actions, replication links), then streams the plan out section by section,
//! regenerating each instance's attribute bulk from its own random stream, so 100,000
//! resources never sit in memory as JSON trees and the same seed gives the same bytes.
//!
//! Usage: `gen --resources N [--seed S] --out PLAN.json`

mod attrs;
mod emit;
mod rng;
mod world;

use rng::Rng;
use world::{Fam, Instances, LocAttr, MODULES, PROVIDERS};

/// How many instances a resource block has.
pub enum Instancing {
    Single,
    Count(usize),
    Each(Vec<&'static str>),
}

/// One resource (or data) block of the configuration.
pub struct Block {
    pub module: usize,
    pub fam: Fam,
    pub ty: &'static str,
    pub name: String,
    pub data: bool,
    pub provider: &'static str,
    pub instancing: Instancing,
}

#[derive(Clone)]
pub enum Key {
    None,
    Int(usize),
    Str(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    NoOp,
    Update,
    DeleteCreate,
    CreateDelete,
    Delete,
    Read,
}

/// The resource-level location attribute of an instance.
pub enum Loc {
    None,
    Known(&'static str, String),
    /// Computed at apply time: absent from `after`, `true` in `after_unknown`.
    Unknown(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TagUnknown {
    None,
    /// The whole tag map is computed.
    Whole,
    /// Only the classification value is computed.
    Class,
    /// Only the subjects value is computed.
    Subjects,
}

#[derive(Clone)]
pub struct Tags {
    pub common: bool,
    pub class: Option<(&'static str, &'static str)>,
    pub subjects: Option<(&'static str, &'static str)>,
    pub unknown: TagUnknown,
}

/// Attributes that copy data elsewhere (the flows of the rules).
pub enum Extra {
    None,
    /// `aws_s3_bucket_replication_configuration`: source bucket name, destination bucket
    /// ARN (`None` = computed at apply).
    S3Repl {
        source: String,
        dest: Option<String>,
    },
    /// `aws_db_instance.replicate_source_db`, as an ARN.
    DbReplica {
        source_arn: String,
    },
    /// `aws_dynamodb_table.replica[].region_name`.
    Dynamo {
        replica: Option<&'static str>,
    },
    /// `azurerm_storage_account.account_replication_type`.
    AzureRepl(&'static str),
}

pub struct Inst {
    pub block: usize,
    pub module_inst: usize,
    pub key: Key,
    pub action: Action,
    pub loc: Loc,
    /// The region the instance really sits in, when known: keeps availability zones
    /// and ARNs consistent with what the rules resolve.
    pub region: Option<String>,
    pub tags: Tags,
    pub extra: Extra,
    /// A globally unique name (bucket name, database identifier).
    pub ident: String,
}

/// A module instance in the plan (`module.data[1]`).
pub struct ModInst {
    pub addr: String,
    pub module: usize,
    pub parent: Option<usize>,
}

pub struct Plan {
    pub seed: u64,
    pub blocks: Vec<Block>,
    pub insts: Vec<Inst>,
    pub mods: Vec<ModInst>,
}

impl Plan {
    pub fn block(&self, i: usize) -> &Block {
        &self.blocks[self.insts[i].block]
    }

    pub fn address(&self, i: usize) -> String {
        let inst = &self.insts[i];
        let b = &self.blocks[inst.block];
        let m = &self.mods[inst.module_inst].addr;
        let mut s = String::with_capacity(64);
        if !m.is_empty() {
            s.push_str(m);
            s.push('.');
        }
        if b.data {
            s.push_str("data.");
        }
        s.push_str(b.ty);
        s.push('.');
        s.push_str(&b.name);
        match &inst.key {
            Key::None => {}
            Key::Int(n) => s.push_str(&format!("[{n}]")),
            Key::Str(k) => s.push_str(&format!("[\"{k}\"]")),
        }
        s
    }
}

fn module_instances() -> Vec<ModInst> {
    let mut mods: Vec<ModInst> = Vec::new();
    for (mi, spec) in MODULES.iter().enumerate() {
        let Some((name, parent_path)) = spec.path.split_last() else {
            mods.push(ModInst {
                addr: String::new(),
                module: mi,
                parent: None,
            });
            continue;
        };
        // Parents of nested modules are single-instance, so the parent instance is unique.
        let parent = mods
            .iter()
            .position(|m| MODULES[m.module].path == parent_path)
            .expect("parent module declared first");
        let prefix = if mods[parent].addr.is_empty() {
            String::new()
        } else {
            format!("{}.", mods[parent].addr)
        };
        let keys: Vec<String> = match spec.instances {
            Instances::One => vec![String::new()],
            Instances::Count(n) => (0..n).map(|k| format!("[{k}]")).collect(),
            Instances::Each(ks) => ks.iter().map(|k| format!("[\"{k}\"]")).collect(),
        };
        for k in keys {
            mods.push(ModInst {
                addr: format!("{prefix}module.{name}{k}"),
                module: mi,
                parent: Some(parent),
            });
        }
    }
    mods
}

/// Where a scenario resource goes.
struct Site {
    module: usize,
    fam: Fam,
    ty: &'static str,
    provider: &'static str,
}

/// Builds the skeleton: every decision a residency rule depends on is made here.
struct Planner {
    rng: Rng,
    target: usize,
    plan: Plan,
}

const SINGLE_INSTANCE_MODULES: &[usize] = &[0, 4, 5, 6];

impl Planner {
    fn run(mut self) -> Plan {
        while self.plan.insts.len() < self.target {
            let remaining = self.target - self.plan.insts.len();
            if remaining >= 3 && self.rng.chance(100) {
                self.scenario();
            } else {
                self.random_block(remaining);
            }
        }
        self.plan
    }

    fn mod_insts(&self, module: usize) -> Vec<usize> {
        (0..self.plan.mods.len())
            .filter(|&m| self.plan.mods[m].module == module)
            .collect()
    }

    fn provider_for(&mut self, module: usize, fam: Fam) -> &'static str {
        let own = format!(
            "module.{}:{}",
            MODULES[module].path.join(".module."),
            fam.local()
        );
        if let Some(p) = PROVIDERS.iter().find(|p| p.key == own) {
            return p.key;
        }
        let choices: Vec<(&'static str, u32)> = PROVIDERS
            .iter()
            .filter(|p| p.fam == fam && p.module.is_none())
            .map(|p| (p.key, p.weight))
            .collect();
        self.rng.weighted(&choices)
    }

    /// Adds a block; its name gets a unique suffix.
    fn add_block(&mut self, mut block: Block) -> usize {
        block.name = format!("{}_{}", block.name, self.plan.blocks.len());
        self.plan.blocks.push(block);
        self.plan.blocks.len() - 1
    }

    fn random_block(&mut self, remaining: usize) {
        let weights: Vec<(usize, u32)> = MODULES
            .iter()
            .enumerate()
            .map(|(i, m)| (i, m.weight))
            .collect();
        let mut module = self.rng.weighted(&weights);
        let fam = if MODULES[module].path == ["cn"] && self.rng.chance(800) {
            self.rng.pick(&[Fam::Ali, Fam::Tencent])
        } else {
            self.rng.weighted(world::FAMILIES)
        };
        let data = self.rng.chance(30);
        let holding = !data && self.rng.chance(450);
        let ty = if data {
            self.rng.pick(fam.data_sources())
        } else if holding {
            self.rng.pick(fam.holding())
        } else {
            self.rng.pick(fam.other())
        };
        let mut instancing = match self.rng.weighted(&[(0, 55), (1, 30), (2, 15)]) {
            0 => Instancing::Single,
            1 => Instancing::Count(self.rng.range(2, 6)),
            _ => {
                let n = self.rng.range(2, 4);
                let mut keys: Vec<&'static str> = Vec::new();
                while keys.len() < n {
                    let k = self.rng.pick(world::FOR_EACH_KEYS);
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                keys.sort_unstable();
                Instancing::Each(keys)
            }
        };
        let per_block = match &instancing {
            Instancing::Single => 1,
            Instancing::Count(n) => *n,
            Instancing::Each(k) => k.len(),
        };
        if self.mod_insts(module).len() * per_block > remaining {
            instancing = Instancing::Single;
            if self.mod_insts(module).len() > remaining {
                module = 0;
            }
        }
        let provider = self.provider_for(module, fam);
        let stem = self.rng.pick(world::WORDS);
        let b = self.add_block(Block {
            module,
            fam,
            ty,
            name: stem.to_owned(),
            data,
            provider,
            instancing,
        });

        // A block's location attribute has one value in configuration, shared by its
        // instances (the regional module sets the AWS region per module instance).
        let attr = world::loc_attr(fam, ty);
        let block_loc: Option<(&'static str, String)> = match attr {
            _ if data => None,
            LocAttr::Location if fam == Fam::Azure => {
                let (name, display) = self.rng.pick(world::AZURE_LOCATIONS);
                Some((
                    "location",
                    if self.rng.chance(300) { display } else { name }.to_owned(),
                ))
            }
            LocAttr::Location if ty == "google_storage_bucket" => {
                Some(("location", self.rng.pick(world::GCS_LOCATIONS).to_owned()))
            }
            LocAttr::Location => Some((
                "location",
                self.rng.pick(world::BIGQUERY_LOCATIONS).to_owned(),
            )),
            LocAttr::Region => Some(("region", self.rng.pick(world::GOOGLE_REGIONS).to_owned())),
            LocAttr::Zone => Some(("zone", self.rng.pick(world::GOOGLE_ZONES).to_owned())),
            LocAttr::Provider => match fam {
                // Global services (IAM, Route 53) take no `region` argument in AWS v6.
                Fam::Aws if !world::AWS_GLOBAL_TYPES.contains(&ty) && self.rng.chance(120) => {
                    Some(("region", self.rng.pick(world::AWS_REGIONS).to_owned()))
                }
                Fam::Huawei if self.rng.chance(400) => {
                    Some(("region", self.rng.pick(world::HUAWEI_REGIONS).to_owned()))
                }
                _ => None,
            },
        };
        let keys: Vec<Key> = match &self.plan.blocks[b].instancing {
            Instancing::Single => vec![Key::None],
            Instancing::Count(n) => (0..*n).map(Key::Int).collect(),
            Instancing::Each(ks) => ks.iter().map(|k| Key::Str(k)).collect(),
        };
        for mi in self.mod_insts(module) {
            let mut loc = block_loc.clone();
            if fam == Fam::Aws
                && !data
                && !world::AWS_GLOBAL_TYPES.contains(&ty)
                && MODULES[module].path == ["region"]
            {
                let key = self.plan.mods[mi].addr.split('"').nth(1).unwrap_or("us");
                loc = Some(("region", world::regional_module_region(key).to_owned()));
            }
            for key in &keys {
                self.random_inst(b, mi, key.clone(), loc.clone(), holding);
            }
        }
    }

    fn random_action(&mut self) -> Action {
        self.rng.weighted(&[
            (Action::Create, 500),
            (Action::NoOp, 280),
            (Action::Update, 100),
            (Action::DeleteCreate, 25),
            (Action::CreateDelete, 15),
            (Action::Delete, 80),
        ])
    }

    fn random_inst(
        &mut self,
        b: usize,
        mi: usize,
        key: Key,
        block_loc: Option<(&'static str, String)>,
        holding: bool,
    ) {
        let block = &self.plan.blocks[b];
        let (fam, ty, data, provider) = (block.fam, block.ty, block.data, block.provider);
        let mut action = if data {
            Action::Read
        } else {
            self.random_action()
        };
        let loc = match block_loc {
            Some((attr, _)) if action == Action::Create && self.rng.chance(20) => {
                Loc::Unknown(attr)
            }
            Some((attr, v)) => Loc::Known(attr, v),
            None => Loc::None,
        };
        let region = true_region(&loc, provider);
        // Nothing that exists already has an unknown region: keep those to creates.
        if region.is_none() && !data && matches!(loc, Loc::None) {
            action = Action::Create;
        }
        let tags = self.random_tags(fam, holding, action == Action::Create);
        let extra = match ty {
            "aws_dynamodb_table" => Extra::Dynamo { replica: None },
            "azurerm_storage_account" => {
                let china =
                    matches!(&loc, Loc::Known(_, v) if v.to_lowercase().starts_with("china"));
                let kinds = [
                    ("LRS", 50),
                    ("ZRS", 20),
                    ("GRS", 20),
                    ("RAGRS", 5),
                    ("GZRS", 5),
                ];
                Extra::AzureRepl(if china {
                    "LRS"
                } else {
                    self.rng.weighted(&kinds)
                })
            }
            _ => Extra::None,
        };
        let ident = self.ident(b, fam);
        self.plan.insts.push(Inst {
            block: b,
            module_inst: mi,
            key,
            action,
            loc,
            region,
            tags,
            extra,
            ident,
        });
    }

    fn ident(&self, b: usize, fam: Fam) -> String {
        let block = &self.plan.blocks[b];
        let word = block.name.split('_').next().unwrap_or("x");
        format!(
            "acme-{}-{}-{}-{}",
            fam.local(),
            word,
            b,
            self.plan.insts.len()
        )
    }

    fn random_tags(&mut self, fam: Fam, holding: bool, may_be_unknown: bool) -> Tags {
        let common = self.rng.chance(850);
        let classified = fam != Fam::Oci && self.rng.chance(if holding { 550 } else { 60 });
        if !classified {
            return Tags {
                common,
                class: None,
                subjects: None,
                unknown: TagUnknown::None,
            };
        }
        let (ck, sk) = self.tag_keys(fam);
        let class = Some((ck, self.rng.weighted(world::CLASS_VALUES)));
        let subjects = self
            .rng
            .chance(850)
            .then(|| (sk, self.rng.weighted(world::SUBJECT_VALUES)));
        let unknown = if !may_be_unknown {
            TagUnknown::None
        } else {
            match self.rng.below(100) {
                0..=2 => TagUnknown::Whole,
                3..=4 => TagUnknown::Class,
                5..=7 if subjects.is_some() => TagUnknown::Subjects,
                _ => TagUnknown::None,
            }
        };
        Tags {
            common,
            class,
            subjects,
            unknown,
        }
    }

    fn tag_keys(&mut self, fam: Fam) -> (&'static str, &'static str) {
        if fam == Fam::Google {
            (
                self.rng.pick(world::LABEL_CLASS_KEYS),
                self.rng.pick(world::LABEL_SUBJECT_KEYS),
            )
        } else {
            (
                self.rng.pick(world::CLASS_KEYS),
                self.rng.pick(world::SUBJECT_KEYS),
            )
        }
    }

    /// Tags of a resource that certainly holds protected data of US (or EU) persons.
    fn protected_tags(&mut self, fam: Fam, us: bool) -> Tags {
        let (ck, sk) = self.tag_keys(fam);
        let subjects = if us {
            world::US_SUBJECT_VALUES
        } else {
            world::EU_SUBJECT_VALUES
        };
        Tags {
            common: true,
            class: Some((ck, self.rng.pick(world::PROTECTED_CLASS_VALUES))),
            subjects: Some((sk, self.rng.pick(subjects))),
            unknown: TagUnknown::None,
        }
    }

    fn existing_or_new(&mut self) -> Action {
        if self.rng.chance(600) {
            Action::Create
        } else {
            Action::NoOp
        }
    }

    /// Pushes a single-instance managed resource of a scenario.
    fn push_one(&mut self, site: Site, stem: &str, tags: Tags, extra: Extra, loc: Loc) -> usize {
        let Site {
            module,
            fam,
            ty,
            provider,
        } = site;
        let name = stem.to_owned();
        let b = self.add_block(Block {
            module,
            fam,
            ty,
            name,
            data: false,
            provider,
            instancing: Instancing::Single,
        });
        let mi = self.mod_insts(module)[0];
        let region = true_region(&loc, provider);
        let action = self.existing_or_new();
        let ident = self.ident(b, fam);
        self.plan.insts.push(Inst {
            block: b,
            module_inst: mi,
            key: Key::None,
            action,
            loc,
            region,
            tags,
            extra,
            ident,
        });
        self.plan.insts.len() - 1
    }

    /// Resource groups whose data flows somewhere, or that sit in a provider controlled
    /// from a foreign-adversary jurisdiction: the cases the rules exist for.
    fn scenario(&mut self) {
        let module = self.rng.pick(SINGLE_INSTANCE_MODULES);
        let word = self.rng.pick(world::WORDS);
        let us = self.rng.chance(700);
        match self
            .rng
            .weighted(&[(0, 35), (1, 20), (2, 15), (3, 15), (4, 15)])
        {
            0 => {
                // S3 replication, often to Hong Kong (ap-east-1).
                let src_p = self
                    .rng
                    .weighted(&[("aws", 60), ("aws.west", 25), ("aws.eu", 15)]);
                let tags = self.protected_tags(Fam::Aws, us);
                let src = self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_s3_bucket",
                        provider: src_p,
                    },
                    &format!("{word}_src"),
                    tags,
                    Extra::None,
                    Loc::None,
                );
                let dst_p = self.rng.weighted(&[
                    ("aws.hk", 35),
                    ("aws.west", 25),
                    ("aws.eu", 20),
                    ("aws", 20),
                ]);
                let plain = self.plain_tags();
                let dst = self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_s3_bucket",
                        provider: dst_p,
                    },
                    &format!("{word}_replica"),
                    plain,
                    Extra::None,
                    Loc::None,
                );
                let source = self.plan.insts[src].ident.clone();
                let dest_arn = match self.rng.below(100) {
                    0..=9 => Some(format!("arn:aws:s3:::external-archive-{}", self.rng.hex(8))),
                    10..=17 => None,
                    _ => Some(format!("arn:aws:s3:::{}", self.plan.insts[dst].ident)),
                };
                let unknown = dest_arn.is_none();
                let plain = self.plain_tags();
                let repl = self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_s3_bucket_replication_configuration",
                        provider: src_p,
                    },
                    word,
                    plain,
                    Extra::S3Repl {
                        source,
                        dest: dest_arn,
                    },
                    Loc::None,
                );
                if unknown {
                    self.plan.insts[repl].action = Action::Create;
                }
            }
            1 => {
                // RDS cross-region read replica: the source's data is copied to the replica.
                let src_p = self
                    .rng
                    .weighted(&[("aws", 60), ("aws.west", 25), ("aws.eu", 15)]);
                let tags = self.protected_tags(Fam::Aws, us);
                let src = self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_db_instance",
                        provider: src_p,
                    },
                    &format!("{word}_primary"),
                    tags.clone(),
                    Extra::None,
                    Loc::None,
                );
                let s = &self.plan.insts[src];
                let region = s.region.clone().expect("source provider has a region");
                let partition = "aws";
                let source_arn =
                    format!("arn:{partition}:rds:{region}:123456789012:db:{}", s.ident);
                let dst_p = self.rng.weighted(&[
                    ("aws.hk", 30),
                    ("aws.west", 30),
                    ("aws.eu", 20),
                    ("aws", 20),
                ]);
                let rtags = if self.rng.chance(500) {
                    tags
                } else {
                    self.plain_tags()
                };
                self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_db_instance",
                        provider: dst_p,
                    },
                    &format!("{word}_replica"),
                    rtags,
                    Extra::DbReplica { source_arn },
                    Loc::None,
                );
            }
            2 => {
                // DynamoDB global table with one replica region.
                let p = self
                    .rng
                    .weighted(&[("aws", 60), ("aws.west", 25), ("aws.eu", 15)]);
                let home = world::provider_region(p).expect("known region");
                let candidates: Vec<&'static str> = [
                    "us-west-2",
                    "eu-west-1",
                    "ap-east-1",
                    "ap-northeast-1",
                    "us-east-2",
                    "ap-southeast-1",
                ]
                .into_iter()
                .filter(|r| *r != home)
                .collect();
                let replica = Some(self.rng.pick(&candidates));
                let tags = self.protected_tags(Fam::Aws, us);
                self.push_one(
                    Site {
                        module,
                        fam: Fam::Aws,
                        ty: "aws_dynamodb_table",
                        provider: p,
                    },
                    word,
                    tags,
                    Extra::Dynamo { replica },
                    Loc::None,
                );
            }
            3 => {
                // Azure geo-redundant storage: a copy in the paired region.
                let (name, display) = self.rng.pick(&world::AZURE_LOCATIONS[..11]);
                let location = if self.rng.chance(300) { display } else { name }.to_owned();
                let repl = self.rng.weighted(&[
                    ("GRS", 40),
                    ("RAGRS", 20),
                    ("GZRS", 15),
                    ("LRS", 15),
                    ("ZRS", 10),
                ]);
                let tags = self.protected_tags(Fam::Azure, us);
                self.push_one(
                    Site {
                        module,
                        fam: Fam::Azure,
                        ty: "azurerm_storage_account",
                        provider: "azurerm",
                    },
                    word,
                    tags,
                    Extra::AzureRepl(repl),
                    Loc::Known("location", location),
                );
            }
            _ => {
                // US persons' data in the US regions of providers controlled from China.
                let tags = self.protected_tags(Fam::Ali, true);
                if self.rng.chance(700) {
                    let p = self.rng.pick(&["alicloud", "alicloud.us_east"]);
                    self.push_one(
                        Site {
                            module,
                            fam: Fam::Ali,
                            ty: "alicloud_oss_bucket",
                            provider: p,
                        },
                        word,
                        tags,
                        Extra::None,
                        Loc::None,
                    );
                } else {
                    self.push_one(
                        Site {
                            module,
                            fam: Fam::Tencent,
                            ty: "tencentcloud_cos_bucket",
                            provider: "tencentcloud",
                        },
                        word,
                        tags,
                        Extra::None,
                        Loc::None,
                    );
                }
            }
        }
    }

    fn plain_tags(&mut self) -> Tags {
        Tags {
            common: true,
            class: None,
            subjects: None,
            unknown: TagUnknown::None,
        }
    }
}

fn true_region(loc: &Loc, provider: &str) -> Option<String> {
    match loc {
        Loc::Known(_, v) => Some(v.clone()),
        Loc::Unknown(_) => None,
        Loc::None => world::provider_region(provider).map(str::to_owned),
    }
}

fn parse_args() -> Result<(usize, u64, String), String> {
    let mut resources = None;
    let mut seed = 1u64;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--resources" => {
                resources = Some(val()?.parse().map_err(|e| format!("--resources: {e}"))?)
            }
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(val()?),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    match (resources, out) {
        (Some(r), Some(o)) if r > 0 => Ok((r, seed, o)),
        _ => Err("usage: gen --resources N [--seed S] --out PLAN.json".into()),
    }
}

fn main() {
    let (resources, seed, out) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen: {e}");
            std::process::exit(2);
        }
    };
    let planner = Planner {
        rng: Rng::new(seed),
        target: resources,
        plan: Plan {
            seed,
            blocks: Vec::new(),
            insts: Vec::new(),
            mods: module_instances(),
        },
    };
    let plan = planner.run();
    // Write to a temporary name and rename, so an interrupted run never leaves a
    // truncated plan that a later run would mistake for a cached one.
    let tmp = format!("{out}.tmp");
    let result = std::fs::File::create(&tmp)
        .and_then(|f| emit::write_plan(&plan, std::io::BufWriter::with_capacity(1 << 20, f)))
        .and_then(|()| std::fs::rename(&tmp, &out));
    if let Err(e) = result {
        eprintln!("gen: writing {out}: {e}");
        std::process::exit(2);
    }
}
