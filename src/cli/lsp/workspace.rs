//! The policy set an editor has open, kept checked as it changes.
//!
//! Every document keeps its last text that parsed, with that text's syntax tree and
//! analysis, so a file being typed into (and not parsing for a moment) leaves the
//! rest of the set checked against its last good version. A change re-parses only
//! the changed file and re-checks only what can depend on it: the files of its
//! package, of every package importing it (transitively), and, when its rule ids or
//! declared names change, the files whose diagnostics name those.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::check::symbols::{self, Declared, Reference};
use crate::diag::{SourceFile, SourceMap, Span};
use crate::ir::types::Type;
use crate::syntax::{self, ast};

/// A document's index in the workspace; stable for the server's lifetime, and the
/// `file` of every [`Span`] in its syntax tree.
pub type DocId = u32;

/// Diagnostic codes whose position depends on the order declarations are checked in
/// (cycles, chains that are too deep): when one is about, the whole set is re-checked,
/// so the editor shows exactly what `juris check` would.
const ORDER_DEPENDENT: &[&str] = &[
    "juris::E0208",
    "juris::E0209",
    "juris::E0210",
    "juris::E0212",
];

/// Codes whose help depends on every declaration and package of the set (the
/// did-you-mean and "declared in package ..." hints).
const NAME_HINTS: &[&str] = &["juris::E0201", "juris::E0203", "juris::E0205"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A diagnostic placed in one document: byte offsets into the text it was found in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diag {
    pub start: u32,
    pub end: u32,
    pub severity: Severity,
    pub code: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// Secondary labels: start, end, text.
    pub labels: Vec<(u32, u32, String)>,
}

/// What the checker recorded about one document.
#[derive(Clone, Debug, Default)]
pub struct FileAnalysis {
    pub diagnostics: Vec<Diag>,
    pub references: Vec<Reference>,
    pub types: Vec<(Span, Type)>,
    pub declared: Vec<Declared>,
}

/// What other files can depend on in a file: decides what a change re-checks.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Summary {
    package: String,
    imports: Vec<String>,
    names: BTreeSet<String>,
    rule_ids: BTreeSet<String>,
    /// Whether it names rules by id (exceptions, tests).
    names_rules: bool,
}

impl Summary {
    fn of(ast: &ast::File) -> Summary {
        let mut names = BTreeSet::new();
        let mut rule_ids = BTreeSet::new();
        let mut names_rules = false;
        for item in &ast.items {
            names.insert(item.kind.name().name.clone());
            match &item.kind {
                ast::ItemKind::Rule(r) => {
                    if let Some((id, _)) = symbols::declared_rule_id(r) {
                        rule_ids.insert(id.to_owned());
                    }
                }
                ast::ItemKind::Exception(_) | ast::ItemKind::Test(_) => names_rules = true,
                _ => {}
            }
        }
        Summary {
            package: ast.package.dotted(),
            imports: ast.imports.iter().map(|i| i.path.dotted()).collect(),
            names,
            rule_ids,
            names_rules,
        }
    }
}

/// A text that parsed, with its tree.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub source: SourceFile,
    pub ast: ast::File,
    summary: Summary,
}

#[derive(Debug)]
pub struct Document {
    /// The file this document is (for a shipped file, where it was written out).
    pub path: PathBuf,
    /// The name diagnostics and messages use: the path, or `<juris>/...` when shipped.
    pub name: String,
    /// Shipped with juris (standard library, standard rules): never edited here.
    pub shipped: bool,
    /// The latest text.
    pub text: SourceFile,
    /// The last text that parsed, if any did.
    pub parsed: Option<Parsed>,
    /// Why the latest text does not parse.
    pub syntax_error: Option<Diag>,
    /// The analysis of `parsed`.
    pub analysis: FileAnalysis,
    /// Removed from the workspace (its slot stays so ids remain stable).
    pub removed: bool,
}

impl Document {
    /// The diagnostics to show: the syntax error while there is one, else the analysis's.
    pub fn diagnostics(&self) -> Vec<Diag> {
        match &self.syntax_error {
            Some(e) => vec![e.clone()],
            None => self.analysis.diagnostics.clone(),
        }
    }
}

/// The open policy set.
#[derive(Debug, Default)]
pub struct Workspace {
    docs: Vec<Document>,
    by_path: HashMap<PathBuf, DocId>,
    /// The documents checked, in the order `juris check` reads them (shipped first,
    /// then the user's by path); a shipped file whose package a user file declares
    /// is left out, as `juris check` does.
    active: Vec<DocId>,
    /// How many documents the last check analysed (for tests and benchmarks).
    pub last_checked: usize,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    pub fn doc(&self, id: DocId) -> &Document {
        &self.docs[id as usize]
    }

    /// A document by id, unless there is none or it was removed.
    pub fn get(&self, id: DocId) -> Option<&Document> {
        self.docs.get(id as usize).filter(|d| !d.removed)
    }

    pub fn docs(&self) -> impl Iterator<Item = (DocId, &Document)> {
        self.docs
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.removed)
            .map(|(i, d)| (i as DocId, d))
    }

    /// The documents in the checked set, in checking order.
    pub fn active(&self) -> &[DocId] {
        &self.active
    }

    pub fn find(&self, path: &std::path::Path) -> Option<DocId> {
        self.by_path
            .get(path)
            .copied()
            .filter(|&d| !self.doc(d).removed)
    }

    /// Add a document, or replace its text; call [`Workspace::refresh`] afterwards.
    pub fn set(&mut self, path: PathBuf, name: String, text: &str, shipped: bool) -> DocId {
        if let Some(&id) = self.by_path.get(&path) {
            let d = &mut self.docs[id as usize];
            d.text = SourceFile::new(d.name.clone(), text);
            d.removed = false;
            return id;
        }
        let id = self.docs.len() as DocId;
        self.docs.push(Document {
            text: SourceFile::new(name.clone(), text),
            path: path.clone(),
            name,
            shipped,
            parsed: None,
            syntax_error: None,
            analysis: FileAnalysis::default(),
            removed: false,
        });
        self.by_path.insert(path, id);
        id
    }

    /// Add the files shipped with juris (the standard library, and the standard rules
    /// when `standard`), as living under `dir`; returns their ids and texts.
    pub fn add_shipped(&mut self, dir: &std::path::Path, standard: bool) -> Vec<(DocId, PathBuf)> {
        let mut files = crate::policy::stdlib_sources();
        if standard {
            files.extend(crate::policy::standard_rule_sources());
        }
        files
            .into_iter()
            .map(|f| {
                let path = dir.join(f.name.trim_start_matches("<juris>/"));
                (self.set(path.clone(), f.name.clone(), &f.text, true), path)
            })
            .collect()
    }

    /// Mark a document that cannot be read (not UTF-8, too large) with that error.
    pub fn set_unreadable(&mut self, path: PathBuf, name: String, error: Diag) -> DocId {
        let id = self.set(path, name, "", false);
        let d = &mut self.docs[id as usize];
        d.parsed = None;
        d.syntax_error = Some(error);
        id
    }

    /// Take a document out of the set (its file was deleted).
    pub fn remove(&mut self, id: DocId) {
        let d = &mut self.docs[id as usize];
        d.removed = true;
        d.text = SourceFile::new(d.name.clone(), "");
    }

    /// Bring the analysis up to date after the given documents changed. Returns the
    /// documents whose diagnostics may have changed.
    pub fn refresh(&mut self, changed: &[DocId]) -> Vec<DocId> {
        let old: HashMap<DocId, Summary> = self
            .active
            .iter()
            .filter_map(|&d| Some((d, self.doc(d).parsed.as_ref()?.summary.clone())))
            .collect();
        let mut touched: BTreeSet<DocId> = BTreeSet::new();
        for &id in changed {
            if self.reparse(id) {
                touched.insert(id);
            }
        }
        let before: BTreeSet<DocId> = self.active.iter().copied().collect();
        self.active = self.layered();
        let after: BTreeSet<DocId> = self.active.iter().copied().collect();
        touched.extend(before.symmetric_difference(&after));
        let mut out: BTreeSet<DocId> = changed.iter().copied().collect();
        out.extend(before.difference(&after));
        for &gone in before.difference(&after) {
            self.docs[gone as usize].analysis = FileAnalysis::default();
        }
        if touched.is_empty() {
            return out.into_iter().collect();
        }
        let focus = self.affected(&touched, &old);
        out.extend(self.check(&focus));
        out.into_iter().collect()
    }

    /// Parse a document's latest text; true when it parsed (and replaced the last
    /// good version).
    fn reparse(&mut self, id: DocId) -> bool {
        let d = &mut self.docs[id as usize];
        if d.removed {
            d.parsed = None;
            d.syntax_error = None;
            return true;
        }
        if d.parsed
            .as_ref()
            .is_some_and(|p| p.source.text == d.text.text)
        {
            d.syntax_error = None;
            return false;
        }
        match syntax::parse_file(id, &d.text) {
            Ok(ast) => {
                let summary = Summary::of(&ast);
                d.parsed = Some(Parsed {
                    source: d.text.clone(),
                    ast,
                    summary,
                });
                d.syntax_error = None;
                true
            }
            Err(e) => {
                d.syntax_error = Some(convert_one(&miette::Report::new(e)));
                false
            }
        }
    }

    /// The documents to check, in order: shipped files first (unless a user file
    /// declares their package), then the user's by name.
    fn layered(&self) -> Vec<DocId> {
        let parsed = |d: &&Document| !d.removed && d.parsed.is_some();
        let package = |d: &Document| d.parsed.as_ref().map(|p| p.summary.package.clone());
        let user_packages: HashSet<String> = self
            .docs
            .iter()
            .filter(parsed)
            .filter(|d| !d.shipped)
            .filter_map(package)
            .collect();
        let mut shipped: Vec<DocId> = Vec::new();
        let mut user: Vec<DocId> = Vec::new();
        for (i, d) in self.docs.iter().enumerate() {
            if !parsed(&d) {
                continue;
            }
            if !d.shipped {
                user.push(i as DocId);
            } else if package(d).is_none_or(|p| !user_packages.contains(&p)) {
                shipped.push(i as DocId);
            }
        }
        user.sort_by(|a, b| self.doc(*a).name.cmp(&self.doc(*b).name));
        shipped.extend(user);
        shipped
    }

    /// The active documents a change to `touched` can affect.
    fn affected(&self, touched: &BTreeSet<DocId>, old: &HashMap<DocId, Summary>) -> Vec<bool> {
        let summary = |d: DocId| self.doc(d).parsed.as_ref().map(|p| &p.summary);
        let is_active: HashSet<DocId> = self.active.iter().copied().collect();
        let new = |d: DocId| summary(d).filter(|_| is_active.contains(&d));
        let order_dependent = self.active.iter().any(|&d| {
            self.doc(d).analysis.diagnostics.iter().any(|x| {
                x.code
                    .as_deref()
                    .is_some_and(|c| ORDER_DEPENDENT.contains(&c))
            })
        });
        if order_dependent {
            return vec![true; self.active.len()];
        }
        // The packages touched, then every package importing one of them.
        let mut packages: HashSet<&str> = HashSet::new();
        // A duplicate rule id's diagnostic gives the first one's position, so files
        // sharing an id with a touched file depend on it even when no id changed.
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        let mut ids_changed = false;
        let mut names_changed = false;
        for &t in touched {
            let (before, after) = (old.get(&t), new(t));
            for s in before.into_iter().chain(after) {
                packages.insert(&s.package);
                ids.extend(s.rule_ids.iter().map(String::as_str));
            }
            ids_changed |= before.map(|s| &s.rule_ids) != after.map(|s| &s.rule_ids);
            names_changed |=
                before.map(|s| (&s.package, &s.names)) != after.map(|s| (&s.package, &s.names));
        }
        let graph: Vec<&Summary> = old
            .values()
            .chain(self.active.iter().filter_map(|&d| summary(d)))
            .collect();
        loop {
            let more: Vec<&str> = graph
                .iter()
                .filter(|s| !packages.contains(s.package.as_str()))
                .filter(|s| s.imports.iter().any(|i| packages.contains(i.as_str())))
                .map(|s| s.package.as_str())
                .collect();
            if more.is_empty() {
                break;
            }
            packages.extend(more);
        }
        self.active
            .iter()
            .map(|&d| {
                let Some(s) = summary(d) else { return false };
                packages.contains(s.package.as_str())
                    || s.rule_ids.iter().any(|i| ids.contains(i.as_str()))
                    || (ids_changed && s.names_rules)
                    || (names_changed && self.has_code(d, NAME_HINTS))
            })
            .collect()
    }

    fn has_code(&self, d: DocId, codes: &[&str]) -> bool {
        self.doc(d)
            .analysis
            .diagnostics
            .iter()
            .any(|x| x.code.as_deref().is_some_and(|c| codes.contains(&c)))
    }

    /// Check the focused active documents and store their analyses; returns them.
    fn check(&mut self, focus: &[bool]) -> Vec<DocId> {
        let mut analysis = self.analyse(focus, None);
        let order_dependent = analysis.diagnostics.iter().any(|d| {
            d.code()
                .is_some_and(|c| ORDER_DEPENDENT.contains(&c.to_string().as_str()))
        });
        let focus = if order_dependent && focus.iter().any(|f| !f) {
            let all = vec![true; focus.len()];
            analysis = self.analyse(&all, None);
            all
        } else {
            focus.to_vec()
        };
        let focused: Vec<DocId> = self
            .active
            .iter()
            .zip(&focus)
            .filter(|(_, f)| **f)
            .map(|(d, _)| *d)
            .collect();
        self.last_checked = focused.len();
        let mut per_doc = self.distribute(analysis, &focused);
        for &d in &focused {
            self.docs[d as usize].analysis = per_doc.remove(&d).unwrap_or_default();
        }
        focused
    }

    /// Run the checker over the active documents with `focus`; `replace` swaps one
    /// document's tree and text for another (completion checks a patched text).
    pub fn analyse(&self, focus: &[bool], replace: Option<(DocId, &Parsed)>) -> symbols::Analysis {
        let mut sm = SourceMap::default();
        for (i, d) in self.docs.iter().enumerate() {
            let source = match (replace, &d.parsed) {
                (Some((r, p)), _) if r as usize == i => p.source.clone(),
                (_, Some(p)) => p.source.clone(),
                (_, None) => SourceFile::new(d.name.clone(), ""),
            };
            sm.add(source);
        }
        let files: Vec<&ast::File> = self
            .active
            .iter()
            .filter_map(|&d| match replace {
                Some((r, p)) if r == d => Some(&p.ast),
                _ => self.doc(d).parsed.as_ref().map(|p| &p.ast),
            })
            .collect();
        symbols::analyse(&files, &sm, focus)
    }

    /// Split an analysis by document, keeping only the focused documents' parts.
    pub fn distribute(
        &self,
        analysis: symbols::Analysis,
        focused: &[DocId],
    ) -> HashMap<DocId, FileAnalysis> {
        let mut out: HashMap<DocId, FileAnalysis> = focused
            .iter()
            .map(|&d| (d, FileAnalysis::default()))
            .collect();
        let by_name: HashMap<&str, DocId> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.as_str(), i as DocId))
            .collect();
        for report in analysis.diagnostics.iter() {
            // A diagnostic without a place (rare: a rule nested too deeply) goes to
            // the first document checked.
            let doc = source_name(report)
                .and_then(|n| by_name.get(n.as_str()).copied())
                .or_else(|| focused.first().copied());
            if let Some(f) = doc.and_then(|d| out.get_mut(&d)) {
                f.diagnostics.push(convert_one(report));
            }
        }
        let s = analysis.symbols;
        for r in s.references {
            if let Some(f) = out.get_mut(&r.span.file) {
                f.references.push(r);
            }
        }
        for (span, ty) in s.types {
            if let Some(f) = out.get_mut(&span.file) {
                f.types.push((span, ty));
            }
        }
        for d in s.declared {
            if let Some(f) = out.get_mut(&d.span.file) {
                f.declared.push(d);
            }
        }
        for f in out.values_mut() {
            f.diagnostics.sort();
            f.diagnostics.dedup();
        }
        out
    }

    /// Parse a text as if it were document `id`'s (for completion's patched text).
    pub fn parse_as(&self, id: DocId, text: &str) -> Option<Parsed> {
        let source = SourceFile::new(self.doc(id).name.clone(), text);
        let ast = syntax::parse_file(id, &source).ok()?;
        let summary = Summary::of(&ast);
        Some(Parsed {
            source,
            ast,
            summary,
        })
    }
}

/// The name of the source a diagnostic points into.
fn source_name(report: &miette::Report) -> Option<String> {
    let src = report.source_code()?;
    let span = report
        .labels()
        .and_then(|mut l| l.next())
        .map(|l| *l.inner())
        .unwrap_or_else(|| (0, 0).into());
    let contents = src.read_span(&span, 0, 0).ok()?;
    contents.name().map(str::to_owned)
}

/// A miette diagnostic as a [`Diag`]: its primary label is where it is, the others
/// travel as secondary labels.
pub fn convert_one(report: &miette::Report) -> Diag {
    let labels: Vec<miette::LabeledSpan> = report.labels().map(|l| l.collect()).unwrap_or_default();
    let primary = labels.iter().position(|l| l.primary()).unwrap_or(0);
    let (start, end) = labels
        .get(primary)
        .map(|l| (l.offset() as u32, (l.offset() + l.len()) as u32))
        .unwrap_or((0, 0));
    let severity = match report.severity() {
        Some(miette::Severity::Warning) => Severity::Warning,
        Some(miette::Severity::Advice) => Severity::Info,
        _ => Severity::Error,
    };
    Diag {
        start,
        end,
        severity,
        code: report.code().map(|c| c.to_string()),
        message: report.to_string(),
        help: report.help().map(|h| h.to_string()),
        labels: labels
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != primary)
            .map(|(_, l)| {
                (
                    l.offset() as u32,
                    (l.offset() + l.len()) as u32,
                    l.label().unwrap_or("").to_owned(),
                )
            })
            .collect(),
    }
}
