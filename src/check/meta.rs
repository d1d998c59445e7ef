//! Rules, exceptions and tests: their metadata entries and, for rules, their bodies.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::err::CheckError;
use super::symbols::Target;
use super::{Checker, Ctx};
use crate::diag::{Span, did_you_mean};
use crate::ir::types::{Rec, Type};
use crate::ir::{self, Enforcement, Expectation, ExprKind, Severity, TestInput};
use crate::syntax::ast::{self, ExprKind as A, Literal};

const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "enforce",
    "undetermined",
    "references",
    "remediation",
    "description",
];
const EXCEPTION_KEYS: &[&str] = &[
    "rule",
    "resources",
    "reason",
    "approved_by",
    "expires",
    "ticket",
];
const TEST_KEYS: &[&str] = &["input", "inline", "rules", "today", "expect", "description"];
pub const OUTCOMES: &[&str] = &["violation", "undetermined", "excepted"];

/// Metadata entries by key, after rejecting unknown and repeated keys.
struct Meta<'a> {
    entries: IndexMap<&'a str, &'a ast::MetaEntry>,
}

impl Checker<'_> {
    fn meta<'e>(
        &mut self,
        what: &str,
        entries: &'e [ast::MetaEntry],
        allowed: &[&str],
    ) -> Meta<'e> {
        let mut map = IndexMap::new();
        for e in entries {
            let key = e.key.name.as_str();
            if !allowed.contains(&key) {
                let help = did_you_mean(key, allowed.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| Some(format!("{what} metadata keys are {}", quote_list(allowed))));
                self.diags.push(CheckError::UnknownMetaKey {
                    what: what.to_owned(),
                    key: key.to_owned(),
                    src: self.src(e.key.span),
                    at: e.key.span.into(),
                    help,
                });
            } else if map.insert(key, e).is_some() {
                self.diags.push(CheckError::DuplicateMetaKey {
                    key: key.to_owned(),
                    src: self.src(e.key.span),
                    at: e.key.span.into(),
                });
            }
        }
        Meta { entries: map }
    }

    fn missing(&mut self, what: &str, name: &ast::Ident, key: &str, help: Option<String>) {
        self.diags.push(CheckError::MissingMeta {
            what: what.to_owned(),
            name: name.name.clone(),
            key: key.to_owned(),
            src: self.src(name.span),
            at: name.span.into(),
            help,
        });
    }

    fn bad_meta(&mut self, key: &str, expected: &str, span: Span, help: Option<String>) {
        self.diags.push(CheckError::BadMetaValue {
            key: key.to_owned(),
            expected: expected.to_owned(),
            src: self.src(span),
            at: span.into(),
            help,
        });
    }

    /// A plain string (no interpolation).
    fn meta_text(&mut self, m: &Meta, key: &str) -> Option<String> {
        let e = m.entries.get(key)?;
        match &e.value.kind {
            A::Literal(Literal::Str(s)) => Some(s.clone()),
            A::Interpolated(_) => {
                self.bad_meta(key, "plain text", e.value.span, Some("metadata is fixed text: `{...}` is not evaluated here; write `{{` for a brace".into()));
                None
            }
            _ => {
                self.bad_meta(key, "a string", e.value.span, None);
                None
            }
        }
    }

    /// A bare word or a string: `severity: critical`.
    fn meta_word(&mut self, m: &Meta, key: &str) -> Option<(String, Span)> {
        let e = m.entries.get(key)?;
        match &e.value.kind {
            A::Name(n) => Some((n.clone(), e.value.span)),
            A::Literal(Literal::Str(s)) => Some((s.clone(), e.value.span)),
            _ => {
                self.bad_meta(key, "a word", e.value.span, None);
                None
            }
        }
    }

    /// A list of plain strings, or one string.
    fn meta_texts(&mut self, m: &Meta, key: &str) -> Option<Vec<(String, Span)>> {
        let e = m.entries.get(key)?;
        let items: Vec<&ast::Expr> = match &e.value.kind {
            A::List(items) | A::Set(items) => items.iter().collect(),
            _ => vec![&e.value],
        };
        let mut out = Vec::new();
        for item in items {
            match &item.kind {
                A::Literal(Literal::Str(s)) => out.push((s.clone(), item.span)),
                _ => self.bad_meta(key, "a list of strings", item.span, None),
            }
        }
        Some(out)
    }

    fn meta_date(&mut self, m: &Meta, key: &str) -> Option<i32> {
        let e = m.entries.get(key)?;
        match &e.value.kind {
            A::Literal(Literal::Date(d)) => Some(*d),
            _ => {
                self.bad_meta(
                    key,
                    "a date",
                    e.value.span,
                    Some("write dates as YYYY-MM-DD, without quotes".into()),
                );
                None
            }
        }
    }

    pub(super) fn check_rule(
        &mut self,
        fi: usize,
        item: &ast::Item,
        rule: &ast::RuleDecl,
        rule_ids: &mut HashMap<String, Span>,
    ) {
        let m = self.meta("rule", &rule.meta, RULE_KEYS);
        let id = self.meta_text(&m, "id");
        if id.is_none() && !m.entries.contains_key("id") {
            self.missing(
                "rule",
                &rule.name,
                "id",
                Some("every rule has a stable id, e.g. `id: \"ACME-001\"`".into()),
            );
        }
        if let (Some(id), Some(e)) = (&id, m.entries.get("id")) {
            self.note_reference(e.value.span, Target::RuleId(id.clone()));
            if id.trim().is_empty() {
                self.bad_meta("id", "a non-empty string", e.value.span, None);
            } else if let Some(first) = rule_ids.get(id) {
                let first = self.sm.position(*first).to_string();
                self.diags.push(CheckError::DuplicateRuleId {
                    id: id.clone(),
                    first,
                    src: self.src(e.value.span),
                    at: e.value.span.into(),
                });
            } else {
                rule_ids.insert(id.clone(), e.value.span);
            }
        }
        let severity = match self.meta_word(&m, "severity") {
            Some((w, span)) => Severity::parse(&w).or_else(|| {
                self.diags.push(CheckError::BadSeverity {
                    help: Some(suggest(&w, Severity::NAMES)),
                    value: w,
                    src: self.src(span),
                    at: span.into(),
                });
                None
            }),
            None => {
                if !m.entries.contains_key("severity") {
                    self.missing(
                        "rule",
                        &rule.name,
                        "severity",
                        Some(format!(
                            "add `severity:` one of {}",
                            quote_list(Severity::NAMES)
                        )),
                    );
                }
                None
            }
        };
        let enforcement = match self.meta_word(&m, "enforce") {
            Some((w, span)) => Enforcement::parse(&w).or_else(|| {
                self.diags.push(CheckError::BadEnforcement {
                    help: Some(suggest(&w, Enforcement::NAMES)),
                    value: w,
                    src: self.src(span),
                    at: span.into(),
                });
                None
            }),
            None => {
                if !m.entries.contains_key("enforce") {
                    self.missing(
                        "rule",
                        &rule.name,
                        "enforce",
                        Some("add `enforce: advisory`, `enforce: soft` or `enforce: hard`".into()),
                    );
                }
                None
            }
        };
        let undetermined_blocks = match self.meta_word(&m, "undetermined") {
            None => true,
            Some((w, span)) => match w.as_str() {
                "block" => true,
                "allow" => false,
                _ => {
                    self.bad_meta("undetermined", "`block` or `allow`", span, Some("`block` fails the check when the rule cannot be decided at plan time (the default); `allow` lets it pass with a report".into()));
                    true
                }
            },
        };
        let references = self
            .meta_texts(&m, "references")
            .map(|v| v.into_iter().map(|(s, _)| s).collect())
            .unwrap_or_default();
        let title = self
            .meta_text(&m, "title")
            .unwrap_or_else(|| rule.name.name.replace('_', " "));
        let remediation = self.meta_text(&m, "remediation");
        let description = self
            .meta_text(&m, "description")
            .or_else(|| (!item.docs.is_empty()).then(|| item.docs.join("\n")));

        // The body: slot 0 is the resource.
        let mut ctx = Ctx::new(fi, true, None);
        self.bind(&mut ctx, &rule.var, Type::Record(Rec::Resource), false);
        let mut clauses = Vec::new();
        for c in &rule.clauses {
            match c {
                ast::Clause::Where(e) => {
                    let x = self.expr(&mut ctx, e);
                    self.want_bool(&x, e.span);
                    clauses.push(ir::Clause::Where(x));
                }
                ast::Clause::Let(l) => {
                    let x = self.expr(&mut ctx, &l.value);
                    let slot = self.bind(&mut ctx, &l.name, x.ty.clone(), true);
                    clauses.push(ir::Clause::Let(slot, x));
                }
            }
        }
        let cond = self.expr(&mut ctx, &rule.verdict.condition);
        self.want_bool(&cond, rule.verdict.condition.span);
        let violation = match rule.verdict.kind {
            ast::VerdictKind::DenyIf => cond,
            ast::VerdictKind::Require => ir::Expr::new(ExprKind::Not(Box::new(cond)), Type::Bool),
        };
        ctx.observe = false;
        let message = rule
            .verdict
            .message
            .as_ref()
            .map(|e| self.expr(&mut ctx, e));
        self.pop_scope(&mut ctx, 0);

        let keyword = match rule.verdict.kind {
            ast::VerdictKind::DenyIf => "deny if",
            ast::VerdictKind::Require => "require",
        };
        let source = format!("{keyword} {}", self.canonical(&rule.verdict.condition));
        let (Some(id), Some(severity), Some(enforcement)) = (id, severity, enforcement) else {
            return;
        };
        let pkg = self.package_of(fi);
        self.program.rules.push(ir::Rule {
            meta: ir::RuleMeta {
                id,
                name: format!("{pkg}.{}", rule.name.name),
                title,
                severity,
                enforcement,
                undetermined_blocks,
                references,
                remediation,
                description,
                position: self.sm.position(rule.name.span),
                source,
            },
            frame: ctx.frame,
            clauses,
            violation,
            message,
        });
    }

    fn known_rule(&mut self, id: &str, span: Span, rule_ids: &HashMap<String, Span>) -> bool {
        self.note_reference(span, Target::RuleId(id.to_owned()));
        if rule_ids.contains_key(id) {
            return true;
        }
        let help = did_you_mean(id, rule_ids.keys().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                let mut ids: Vec<&str> = rule_ids.keys().map(String::as_str).collect();
                ids.sort();
                Some(format!("rule ids in this policy set: {}", quote_list(&ids)))
            });
        self.diags.push(CheckError::UnknownRuleId {
            id: id.to_owned(),
            src: self.src(span),
            at: span.into(),
            help,
        });
        false
    }

    pub(super) fn check_exception(
        &mut self,
        fi: usize,
        e: &ast::ExceptionDecl,
        rule_ids: &HashMap<String, Span>,
    ) {
        let m = self.meta("exception", &e.meta, EXCEPTION_KEYS);
        let rule = self.meta_text(&m, "rule");
        if let (Some(r), Some(entry)) = (&rule, m.entries.get("rule")) {
            self.known_rule(r, entry.value.span, rule_ids);
        }
        let resources = self.meta_texts(&m, "resources");
        let reason = self.meta_text(&m, "reason");
        let approved_by = self.meta_text(&m, "approved_by");
        let expires = self.meta_date(&m, "expires");
        let ticket = self.meta_text(&m, "ticket");
        let required: [(&str, &str); 5] = [
            ("rule", "name the rule id it waives: `rule: \"RES-US-002\"`"),
            (
                "resources",
                "give the resource addresses it covers, globs allowed: `resources: \"module.legacy.*\"`",
            ),
            (
                "reason",
                "say why the waiver is acceptable: `reason: \"...\"`",
            ),
            (
                "approved_by",
                "record who approved it: `approved_by: \"name <email>\"`",
            ),
            (
                "expires",
                "every exception expires, at most a year ahead: `expires: YYYY-MM-DD`",
            ),
        ];
        for (key, help) in required {
            if !m.entries.contains_key(key) {
                self.missing("exception", &e.name, key, Some(help.to_owned()));
            }
        }
        if let (Some(rule), Some(resources), Some(reason), Some(approved_by), Some(expires)) =
            (rule, resources, reason, approved_by, expires)
        {
            let pkg = self.package_of(fi);
            self.program.exceptions.push(ir::Exception {
                name: format!("{pkg}.{}", e.name.name),
                rule,
                resources: resources.into_iter().map(|(s, _)| s).collect(),
                reason,
                approved_by,
                expires,
                ticket,
                position: self.sm.position(e.name.span),
            });
        }
    }

    pub(super) fn check_test(
        &mut self,
        fi: usize,
        t: &ast::TestDecl,
        rule_ids: &HashMap<String, Span>,
    ) {
        let m = self.meta("test", &t.meta, TEST_KEYS);
        let input = match (self.meta_text(&m, "input"), m.entries.get("inline")) {
            (Some(path), None) => Some(TestInput::Path(path)),
            (None, Some(_)) => self.meta_text(&m, "inline").map(TestInput::Inline),
            (Some(_), Some(e)) => {
                self.bad_meta("inline", "absent when `input` is given", e.key.span, Some("a test reads either a fixture file (`input`) or an inline document (`inline`)".into()));
                None
            }
            (None, None) => {
                if !m.entries.contains_key("input") {
                    self.missing("test", &t.name, "input", Some("name a fixture (`input: \"fixtures/plan.json\"`) or give the document inline (`inline: r\"\"\"{...}\"\"\"`)".into()));
                }
                None
            }
        };
        let mut rules = Vec::new();
        for (id, span) in self.meta_texts(&m, "rules").unwrap_or_default() {
            if self.known_rule(&id, span, rule_ids) {
                rules.push(id);
            }
        }
        let today = self.meta_date(&m, "today");
        if today.is_none() && !m.entries.contains_key("today") {
            self.missing(
                "test",
                &t.name,
                "today",
                Some(
                    "tests fix the date exceptions are judged against: `today: 2026-01-15`".into(),
                ),
            );
        }
        let mut expect = Vec::new();
        match m.entries.get("expect").map(|e| &e.value) {
            None => self.missing(
                "test",
                &t.name,
                "expect",
                Some("list the exact findings: `expect: []` for none".into()),
            ),
            Some(v) => match &v.kind {
                A::List(items) => {
                    for item in items {
                        if let Some(x) = self.expectation(item, rule_ids) {
                            expect.push(x);
                        }
                    }
                }
                _ => self.bad_meta(
                    "expect",
                    "a list of findings",
                    v.span,
                    Some(
                        "write `expect: [{rule: \"ID\", address: \"...\", outcome: violation}]`"
                            .into(),
                    ),
                ),
            },
        }
        expect.sort();
        if let (Some(input), Some(today)) = (input, today) {
            let file = self.sm.file(t.name.span.file).name.clone();
            self.program.tests.push(ir::Test {
                name: t.name.name.clone(),
                input,
                rules,
                today,
                expect,
                position: self.sm.position(t.name.span),
                file,
            });
        }
        let _ = fi;
    }

    fn expectation(
        &mut self,
        item: &ast::Expr,
        rule_ids: &HashMap<String, Span>,
    ) -> Option<Expectation> {
        let A::Record(fields) = &item.kind else {
            self.bad_meta(
                "expect",
                "a list of findings",
                item.span,
                Some(
                    "each finding is `{rule: \"ID\", address: \"...\", outcome: violation}`".into(),
                ),
            );
            return None;
        };
        let (mut rule, mut address, mut outcome) = (None, None, None);
        let errors_before = self.diags.error_count();
        for (name, value) in fields {
            let key = name.name.as_str();
            if !["rule", "address", "outcome"].contains(&key) {
                let help = did_you_mean(key, ["rule", "address", "outcome"])
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| Some("a finding has `rule`, `address` and `outcome`".into()));
                self.diags.push(CheckError::UnknownMetaKey {
                    what: "expected finding".into(),
                    key: key.to_owned(),
                    src: self.src(name.span),
                    at: name.span.into(),
                    help,
                });
                continue;
            }
            let text = match &value.kind {
                A::Literal(Literal::Str(s)) => Some(s.clone()),
                A::Name(n) if key == "outcome" => Some(n.clone()),
                _ => None,
            };
            let Some(text) = text else {
                self.bad_meta(key, "a string", value.span, None);
                continue;
            };
            match key {
                "rule" => {
                    if self.known_rule(&text, value.span, rule_ids) {
                        rule = Some(text);
                    }
                }
                "address" => address = Some(text),
                _ => {
                    if OUTCOMES.contains(&text.as_str()) {
                        outcome = Some(text);
                    } else {
                        self.diags.push(CheckError::BadOutcome {
                            value: text,
                            src: self.src(value.span),
                            at: value.span.into(),
                        });
                    }
                }
            }
        }
        match (rule, address, outcome) {
            (Some(rule), Some(address), Some(outcome)) => Some(Expectation {
                rule,
                address,
                outcome,
            }),
            // A finding that is incomplete for a reason already reported adds nothing.
            _ if self.diags.error_count() > errors_before => None,
            _ => {
                self.bad_meta(
                    "expect",
                    "findings with `rule`, `address` and `outcome`",
                    item.span,
                    None,
                );
                None
            }
        }
    }
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn suggest(word: &str, names: &[&str]) -> String {
    match did_you_mean(word, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("use one of {}", quote_list(names)),
    }
}
