//! One Terraform module folder, read: its `.tf` files parsed with `hcl-edit` (which
//! keeps the byte span of every block and expression), and its declarations indexed
//! the way Terraform indexes them, override files merged in.

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{self as hcl, Structure};
use indexmap::IndexMap;
use indexmap::map::Entry;

use super::err::SourceError;

/// One `.tf` file: its text and where its lines start.
pub(crate) struct TfFile {
    /// The path as reports show it: relative to the repository root, `/`-separated.
    pub shown: String,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl TfFile {
    pub fn new(shown: String, text: Arc<str>) -> TfFile {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        TfFile {
            shown,
            text,
            line_starts,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// First and last line (1-based) of a span.
    pub fn lines(&self, span: &Range<usize>) -> (u32, u32) {
        let last = span.end.saturating_sub(1).max(span.start);
        (self.line_of(span.start), self.line_of(last))
    }

    /// `infra/main.tf:17`, for derivations and warnings.
    pub fn place(&self, span: &Range<usize>) -> String {
        format!("{}:{}", self.shown, self.line_of(span.start))
    }

    /// The file parsed as an HCL body; a syntax error points at its file, line and column.
    pub fn parse(&self) -> Result<hcl::Body, SourceError> {
        hcl_edit::parser::parse_body(&self.text).map_err(|e| {
            let at = e.location().offset();
            let (src, span) = self.error_at(&(at..at + 1));
            SourceError::Syntax {
                message: e.message().trim().to_owned(),
                src,
                span,
            }
        })
    }

    pub fn error_at(
        &self,
        span: &Range<usize>,
    ) -> (Arc<miette::NamedSource<Arc<str>>>, miette::SourceSpan) {
        SourceError::at(&self.shown, &self.text, span.clone())
    }
}

/// An argument (`name = expr`), with the file it is written in.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub file: usize,
    pub expr: Expression,
    pub span: Range<usize>,
}

/// A block's body: arguments by name and nested blocks in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Body {
    pub attrs: IndexMap<String, Attr>,
    pub blocks: Vec<Block>,
}

/// A block (`resource "t" "n" { ... }`), with the file it is written in.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub file: usize,
    pub ident: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub span: Range<usize>,
}

impl Body {
    fn from_hcl(body: &hcl::Body, file: usize) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    out.attrs.insert(
                        a.key.as_str().to_owned(),
                        Attr {
                            file,
                            expr: a.value.clone(),
                            span: a.span().unwrap_or(0..0),
                        },
                    );
                }
                Structure::Block(b) => out.blocks.push(Block::from_hcl(b, file)),
            }
        }
        out
    }

    /// Nested blocks of one type.
    pub fn blocks_of<'b>(&'b self, ident: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }

    /// Terraform's override rule: arguments replace arguments of the same name; nested
    /// blocks of a type the override writes replace all blocks of that type.
    fn merge(&mut self, over: &Body) {
        for (k, v) in &over.attrs {
            self.attrs.insert(k.clone(), v.clone());
        }
        let types: Vec<&str> = over.blocks.iter().map(|b| b.ident.as_str()).collect();
        self.blocks.retain(|b| !types.contains(&b.ident.as_str()));
        self.blocks.extend(over.blocks.iter().cloned());
    }
}

impl Block {
    fn from_hcl(b: &hcl::Block, file: usize) -> Block {
        Block {
            file,
            ident: b.ident.as_str().to_owned(),
            labels: b.labels.iter().map(|l| l.as_str().to_owned()).collect(),
            body: Body::from_hcl(&b.body, file),
            span: b.span().unwrap_or(0..0),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.body.attrs.get(name)
    }
}

/// The declarations of one module, keyed as Terraform keys them.
#[derive(Default)]
pub(crate) struct Module {
    pub dir: PathBuf,
    pub files: Vec<TfFile>,
    /// Managed resources by `type.name`.
    pub resources: IndexMap<String, Block>,
    /// Data sources by `type.name`.
    pub data: IndexMap<String, Block>,
    pub variables: IndexMap<String, Block>,
    pub locals: IndexMap<String, Attr>,
    pub outputs: IndexMap<String, Block>,
    /// Module calls by name.
    pub calls: IndexMap<String, Block>,
    /// Provider configurations by local name (`aws`, `aws.eu`).
    pub providers: IndexMap<String, Block>,
    /// `required_providers`: local name → source (`aliyun/alicloud`).
    pub required: IndexMap<String, String>,
}

/// Limits on what one module folder may hold.
pub(crate) struct ReadLimits {
    /// Bytes of all `.tf` files read so far may not pass this.
    pub max_bytes: u64,
}

impl Module {
    /// Reads every `*.tf` file in `dir` (sorted by name, override files last).
    pub fn read(
        dir: &Path,
        repo_root: &Path,
        limits: &ReadLimits,
        read_bytes: &mut u64,
    ) -> Result<Module, SourceError> {
        let io = |e: std::io::Error| SourceError::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        let mut names: Vec<PathBuf> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            if name.ends_with(".tf.json") {
                return Err(SourceError::JsonSyntax {
                    path: shown_path(&path, repo_root),
                });
            }
            if name.ends_with(".tf") {
                names.push(path);
            }
        }
        // Terraform reads files in lexical order and applies overrides after the rest.
        names.sort_by(|a, b| (is_override(a), a).cmp(&(is_override(b), b)));
        let mut module = Module {
            dir: dir.to_path_buf(),
            ..Module::default()
        };
        for path in names {
            let text = read_text(&path, repo_root, limits, read_bytes)?;
            let file = TfFile::new(shown_path(&path, repo_root), text);
            let body = file.parse()?;
            let index = module.files.len();
            let over = is_override(&path);
            module.files.push(file);
            module.add(&body, index, over)?;
        }
        Ok(module)
    }

    fn add(&mut self, body: &hcl::Body, file: usize, over: bool) -> Result<(), SourceError> {
        for s in body.iter() {
            let Structure::Block(b) = s else {
                // Top-level arguments are not valid Terraform; `terraform validate`
                // reports them, and they declare nothing juris reads.
                continue;
            };
            let block = Block::from_hcl(b, file);
            match block.ident.as_str() {
                "resource" | "data" => {
                    let [t, n] = self.labels::<2>(&block, "a type and a name")?;
                    let key = format!("{t}.{n}");
                    let what = if block.ident == "resource" {
                        "resource"
                    } else {
                        "data source"
                    };
                    let map = if block.ident == "resource" {
                        &mut self.resources
                    } else {
                        &mut self.data
                    };
                    insert(map, key, block, over, what, &self.files)?;
                }
                "variable" | "output" | "module" => {
                    let [n] = self.labels::<1>(&block, "a name")?;
                    let (map, what) = match block.ident.as_str() {
                        "variable" => (&mut self.variables, "variable"),
                        "output" => (&mut self.outputs, "output"),
                        _ => (&mut self.calls, "module call"),
                    };
                    insert(map, n, block, over, what, &self.files)?;
                }
                "provider" => {
                    let [n] = self.labels::<1>(&block, "a provider name")?;
                    let key = match block.attr("alias").and_then(|a| literal_string(&a.expr)) {
                        Some(alias) => format!("{n}.{alias}"),
                        None => n,
                    };
                    insert(
                        &mut self.providers,
                        key,
                        block,
                        over,
                        "provider configuration",
                        &self.files,
                    )?;
                }
                "locals" => {
                    for (name, attr) in block.body.attrs {
                        match self.locals.entry(name) {
                            Entry::Occupied(mut e) if over => {
                                e.insert(attr);
                            }
                            Entry::Occupied(e) => {
                                let (src, span) = self.files[attr.file].error_at(&attr.span);
                                return Err(SourceError::Duplicate {
                                    what: "local value",
                                    name: e.key().clone(),
                                    src,
                                    span,
                                });
                            }
                            Entry::Vacant(e) => {
                                e.insert(attr);
                            }
                        }
                    }
                }
                "terraform" => {
                    for req in block.body.blocks_of("required_providers") {
                        for (name, attr) in &req.body.attrs {
                            if let Some(source) = required_source(&attr.expr) {
                                self.required.insert(name.clone(), source);
                            }
                        }
                    }
                }
                // `moved`, `import`, `check`, `removed` blocks declare no resources.
                _ => {}
            }
        }
        Ok(())
    }

    fn labels<const N: usize>(
        &self,
        block: &Block,
        want: &str,
    ) -> Result<[String; N], SourceError> {
        <[String; N]>::try_from(block.labels.clone()).map_err(|_| {
            let (src, span) = self.files[block.file].error_at(&block.span);
            SourceError::BadBlock {
                block: block.ident.clone(),
                message: format!("it needs {want} as labels, and has {}", block.labels.len()),
                src,
                span,
            }
        })
    }

    /// The registry source of a provider's local name (`aws` → `hashicorp/aws`).
    pub fn provider_source(&self, local: &str) -> String {
        let name = local.split('.').next().unwrap_or(local);
        self.required
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("hashicorp/{name}"))
    }

    /// The `.tf` file an item is written in.
    pub fn file(&self, index: usize) -> &TfFile {
        &self.files[index]
    }
}

fn insert(
    map: &mut IndexMap<String, Block>,
    key: String,
    block: Block,
    over: bool,
    what: &'static str,
    files: &[TfFile],
) -> Result<(), SourceError> {
    match map.entry(key) {
        Entry::Occupied(mut e) if over => {
            e.get_mut().body.merge(&block.body);
            Ok(())
        }
        Entry::Occupied(e) => {
            let (src, span) = files[block.file].error_at(&block.span);
            Err(SourceError::Duplicate {
                what,
                name: e.key().clone(),
                src,
                span,
            })
        }
        Entry::Vacant(e) => {
            e.insert(block);
            Ok(())
        }
    }
}

/// `override.tf` and `*_override.tf` (Terraform's override files).
fn is_override(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    stem == "override" || stem.ends_with("_override")
}

/// A string literal (`"eu"`), or `None` for anything computed.
pub(crate) fn literal_string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().clone()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for e in t.iter() {
                out.push_str(e.as_literal()?.as_str());
            }
            Some(out)
        }
        _ => None,
    }
}

/// `aws = { source = "hashicorp/aws" }` → `hashicorp/aws`; the legacy form
/// `aws = "~> 4.0"` (a version only) means `hashicorp/aws`.
fn required_source(expr: &Expression) -> Option<String> {
    let Expression::Object(obj) = expr else {
        return None;
    };
    obj.iter()
        .find_map(|(k, v)| {
            let key = match k {
                hcl_edit::expr::ObjectKey::Ident(i) => i.as_str().to_owned(),
                hcl_edit::expr::ObjectKey::Expression(e) => literal_string(e)?,
            };
            (key == "source")
                .then(|| literal_string(v.expr()))
                .flatten()
        })
        .map(|s| {
            // `registry.terraform.io/hashicorp/aws` → `hashicorp/aws`
            let parts: Vec<&str> = s.split('/').collect();
            match parts.as_slice() {
                [_, ns, t] => format!("{ns}/{t}").to_lowercase(),
                _ => s.to_lowercase(),
            }
        })
}

/// Reads one `.tf` (or variables) file: a regular file, UTF-8, inside the byte budget.
pub(crate) fn read_text(
    path: &Path,
    repo_root: &Path,
    limits: &ReadLimits,
    read_bytes: &mut u64,
) -> Result<Arc<str>, SourceError> {
    let shown = shown_path(path, repo_root);
    let fail = |reason: String| SourceError::Io {
        path: shown.clone(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("it is not a regular file".into()));
    }
    let left = limits.max_bytes.saturating_sub(*read_bytes);
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(left + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > left {
        return Err(fail(format!(
            "the configuration is over the {}-byte input limit",
            limits.max_bytes
        )));
    }
    *read_bytes += bytes.len() as u64;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "it is not UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(Arc::from(text))
}

/// A path relative to the repository root, `/`-separated (`infra/main.tf`).
pub(crate) fn shown_path(path: &Path, repo_root: &Path) -> String {
    let abs = absolute(path);
    let rel = relative(&abs, repo_root);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        ".".to_owned()
    } else {
        s.join("/")
    }
}

/// The path made absolute and free of `.`/`..` steps (symbolic links are resolved
/// where the path exists).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to the folder `base` (both absolute), with `..` steps if needed.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_spans() {
        let f = TfFile::new("main.tf".into(), Arc::from("a\nresource {\n}\n"));
        assert_eq!(f.line_of(0), 1);
        assert_eq!(f.line_of(2), 2);
        assert_eq!(f.lines(&(2..14)), (2, 3));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/r/infra/main.tf"), Path::new("/r")),
            PathBuf::from("infra/main.tf")
        );
        assert_eq!(
            relative(Path::new("/shared/m/main.tf"), Path::new("/r/infra")),
            PathBuf::from("../../shared/m/main.tf")
        );
    }

    #[test]
    fn override_files_sort_last() {
        assert!(is_override(Path::new("override.tf")));
        assert!(is_override(Path::new("x_override.tf")));
        assert!(!is_override(Path::new("main.tf")));
    }
}
