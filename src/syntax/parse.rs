//! From pest pairs to the AST, and from pest errors to diagnostics a policy author
//! can act on ("expected an expression", not a list of grammar rule names).

use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use super::ast::*;
use super::err::SyntaxError;
use super::lex;
use crate::diag::{SourceFile, Span};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/juris.pest"]
struct JurisParser;

/// Parse one file. `file_id` is the file's index in the policy set's source map.
pub fn parse_file(file_id: u32, file: &SourceFile) -> Result<File, SyntaxError> {
    if file.text.len() as u64 > super::MAX_POLICY_BYTES {
        return Err(SyntaxError::TooLarge {
            file: file.name.clone(),
            size: file.text.len() as u64,
            limit: super::MAX_POLICY_BYTES,
        });
    }
    crate::diag::with_compiler_stack(|| {
        let parsed = parse_file_here(file_id, file)?;
        check_depth(file_id, file, parsed.expressions())?;
        Ok(parsed)
    })
}

/// Reject expressions deeper than [`super::MAX_EXPR_DEPTH`], so later stages (and the
/// evaluator, on the caller's stack) never recurse further.
fn check_depth(file_id: u32, file: &SourceFile, exprs: Vec<&Expr>) -> R<()> {
    for e in exprs {
        if let Some(at) = e.deeper_than(super::MAX_EXPR_DEPTH) {
            return Err(expr_too_deep(
                file_id,
                file,
                at.start as usize,
                at.end as usize,
            ));
        }
    }
    Ok(())
}

fn expr_too_deep(file_id: u32, file: &SourceFile, start: usize, end: usize) -> SyntaxError {
    SyntaxError::ExprTooDeep {
        limit: super::MAX_EXPR_DEPTH,
        src: file.named(),
        at: Span::new(file_id, start, end).into(),
    }
}

fn parse_file_here(file_id: u32, file: &SourceFile) -> Result<File, SyntaxError> {
    lex::scan(file_id, file)?;
    let mut pairs = JurisParser::parse(Rule::file, &file.text)
        .map_err(|e| unexpected(file_id, file, &file.text, 0, e))?;
    let pair = pairs.next().ok_or_else(|| SyntaxError::Unexpected {
        message: "empty policy file".into(),
        src: file.named(),
        at: Span::new(file_id, 0, 0).into(),
        label: "expected `package`".into(),
        help: Some("a policy file starts with `package name`".into()),
    })?;
    Builder {
        file_id,
        file,
        base: 0,
    }
    .file(pair)
}

/// Parse a single expression (the inside of a string interpolation, or a test helper)
/// found at byte `base` of `file`.
pub fn parse_expr(
    file_id: u32,
    file: &SourceFile,
    base: usize,
    text: &str,
) -> Result<Expr, SyntaxError> {
    crate::diag::with_compiler_stack(|| {
        let e = parse_expr_here(file_id, file, base, text)?;
        check_depth(file_id, file, vec![&e])?;
        Ok(e)
    })
}

fn parse_expr_here(
    file_id: u32,
    file: &SourceFile,
    base: usize,
    text: &str,
) -> Result<Expr, SyntaxError> {
    lex::scan_text(file_id, file, text, base)?;
    let mut pairs = JurisParser::parse(Rule::interpolation, text)
        .map_err(|e| unexpected(file_id, file, text, base, e))?;
    let b = Builder {
        file_id,
        file,
        base,
    };
    let pair = pairs
        .next()
        .and_then(|p| p.into_inner().next())
        .ok_or_else(|| b.unexpected_at(base, "expected an expression"))?;
    b.expr(pair)
}

struct Builder<'f> {
    file_id: u32,
    file: &'f SourceFile,
    /// Offset of the parsed text within the file (non-zero inside interpolations).
    base: usize,
}

type R<T> = Result<T, SyntaxError>;

impl Builder<'_> {
    /// The span of a pair without the whitespace and comments pest leaves at its end
    /// when a trailing optional part did not match.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(
            self.file_id,
            self.base + s.start(),
            self.base + token_end(pair),
        )
    }

    fn unexpected_at(&self, offset: usize, message: &str) -> SyntaxError {
        SyntaxError::Unexpected {
            message: message.into(),
            src: self.file.named(),
            at: Span::new(self.file_id, offset, offset).into(),
            label: "here".into(),
            help: None,
        }
    }

    fn file(&self, pair: Pair<Rule>) -> R<File> {
        let span = self.span(&pair);
        let mut package = None;
        let mut imports = Vec::new();
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::package_decl => package = Some(self.path(last_inner(p)?)),
                Rule::import_decl => imports.push(self.import(p)?),
                Rule::item => items.push(self.item(p)?),
                _ => {}
            }
        }
        let package =
            package.ok_or_else(|| self.unexpected_at(span.start as usize, "missing `package`"))?;
        Ok(File {
            package,
            imports,
            items,
            span,
        })
    }

    fn path(&self, pair: Pair<Rule>) -> Path {
        Path {
            span: self.span(&pair),
            segments: pair.as_str().split('.').map(str::to_owned).collect(),
        }
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&pair),
            name: pair.as_str().to_owned(),
        }
    }

    fn import(&self, pair: Pair<Rule>) -> R<Import> {
        let span = self.span(&pair);
        let mut path = None;
        let mut alias = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qname => path = Some(self.path(p)),
                Rule::ident => alias = Some(self.ident(p)),
                _ => {}
            }
        }
        Ok(Import {
            path: path.ok_or_else(|| {
                self.unexpected_at(span.start as usize, "expected a package name")
            })?,
            alias,
            span,
        })
    }

    fn item(&self, pair: Pair<Rule>) -> R<Item> {
        let span = self.span(&pair);
        let mut docs = Vec::new();
        let mut kind = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc_comment => {
                    let text = p.into_inner().next().map(|t| t.as_str()).unwrap_or("");
                    docs.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_owned());
                }
                Rule::const_decl => kind = Some(ItemKind::Const(self.const_decl(p)?)),
                Rule::fn_decl => kind = Some(ItemKind::Fn(self.fn_decl(p)?)),
                Rule::rule_decl => kind = Some(ItemKind::Rule(self.rule_decl(p)?)),
                Rule::exception_decl => {
                    let mut inner = p.into_inner().filter(|p| p.as_rule() != Rule::kw_exception);
                    let name = self.ident(next(&mut inner)?);
                    let meta = inner.map(|m| self.meta(m)).collect::<R<_>>()?;
                    kind = Some(ItemKind::Exception(ExceptionDecl { name, meta }));
                }
                Rule::test_decl => {
                    let mut inner = p.into_inner().filter(|p| p.as_rule() != Rule::kw_test);
                    let n = next(&mut inner)?;
                    let name = if n.as_rule() == Rule::string {
                        let span = self.span(&n);
                        let text = n.into_inner().next().map(|b| b.as_str()).unwrap_or("");
                        Ident {
                            name: decode_escapes(self, text, span.start as usize + 1)?,
                            span,
                        }
                    } else {
                        self.ident(n)
                    };
                    let meta = inner.map(|m| self.meta(m)).collect::<R<_>>()?;
                    kind = Some(ItemKind::Test(TestDecl { name, meta }));
                }
                _ => {}
            }
        }
        let kind =
            kind.ok_or_else(|| self.unexpected_at(span.start as usize, "expected a declaration"))?;
        Ok(Item { docs, kind, span })
    }

    fn const_decl(&self, pair: Pair<Rule>) -> R<ConstDecl> {
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_const);
        let name = self.ident(next(&mut inner)?);
        let mut ty = None;
        let mut value = None;
        for p in inner {
            match p.as_rule() {
                Rule::type_expr => ty = Some(self.type_expr(p)?),
                Rule::expr => value = Some(self.expr(p)?),
                _ => {}
            }
        }
        Ok(ConstDecl {
            value: value
                .ok_or_else(|| self.unexpected_at(name.span.end as usize, "expected `=`"))?,
            name,
            ty,
        })
    }

    fn fn_decl(&self, pair: Pair<Rule>) -> R<FnDecl> {
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_fn);
        let name = self.ident(next(&mut inner)?);
        let mut params = Vec::new();
        let mut ret = None;
        let mut body = None;
        for p in inner {
            match p.as_rule() {
                Rule::params => {
                    for param in p.into_inner() {
                        let mut pi = param.into_inner();
                        let pname = self.ident(next(&mut pi)?);
                        let ty = self.type_expr(next(&mut pi)?)?;
                        params.push(Param { name: pname, ty });
                    }
                }
                Rule::type_expr => ret = Some(self.type_expr(p)?),
                Rule::block => body = Some(self.block(p)?),
                _ => {}
            }
        }
        Ok(FnDecl {
            body: body
                .ok_or_else(|| self.unexpected_at(name.span.end as usize, "expected a body"))?,
            name,
            params,
            ret,
        })
    }

    fn block(&self, pair: Pair<Rule>) -> R<Block> {
        let span = self.span(&pair);
        let mut lets = Vec::new();
        let mut result = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::let_binding => lets.push(self.let_binding(p)?),
                Rule::expr => result = Some(self.expr(p)?),
                _ => {}
            }
        }
        Ok(Block {
            lets,
            result: result
                .ok_or_else(|| self.unexpected_at(span.end as usize, "expected an expression"))?,
            span,
        })
    }

    fn let_binding(&self, pair: Pair<Rule>) -> R<Let> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_let);
        let name = self.ident(next(&mut inner)?);
        let value = self.expr(next(&mut inner)?)?;
        Ok(Let { name, value, span })
    }

    fn type_expr(&self, pair: Pair<Rule>) -> R<TypeExpr> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(next(&mut inner)?);
        let args = inner.map(|p| self.type_expr(p)).collect::<R<_>>()?;
        Ok(TypeExpr { name, args, span })
    }

    fn meta(&self, pair: Pair<Rule>) -> R<MetaEntry> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = self.ident(next(&mut inner)?);
        let value = self.expr(next(&mut inner)?)?;
        Ok(MetaEntry { key, value, span })
    }

    fn rule_decl(&self, pair: Pair<Rule>) -> R<RuleDecl> {
        let mut name = None;
        let mut meta = Vec::new();
        let mut var = None;
        let mut clauses = Vec::new();
        let mut verdict = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                Rule::meta_entry => meta.push(self.meta(p)?),
                Rule::for_clause => {
                    let v = p.into_inner().find(|p| p.as_rule() == Rule::ident);
                    var = v.map(|v| self.ident(v));
                }
                Rule::clause => {
                    let c = next(&mut p.into_inner())?;
                    clauses.push(match c.as_rule() {
                        Rule::where_clause => Clause::Where(self.expr(last_inner(c)?)?),
                        _ => Clause::Let(self.let_binding(c)?),
                    });
                }
                Rule::verdict => verdict = Some(self.verdict(p)?),
                _ => {}
            }
        }
        let name = name.ok_or_else(|| self.unexpected_at(self.base, "expected a rule name"))?;
        let at = name.span.end as usize;
        Ok(RuleDecl {
            var: var.ok_or_else(|| self.unexpected_at(at, "expected `for r in resources`"))?,
            verdict: verdict
                .ok_or_else(|| self.unexpected_at(at, "expected `deny if` or `require`"))?,
            name,
            meta,
            clauses,
        })
    }

    fn verdict(&self, pair: Pair<Rule>) -> R<Verdict> {
        let span = self.span(&pair);
        let mut kind = VerdictKind::DenyIf;
        let mut condition = None;
        let mut message = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::deny | Rule::require => {
                    if p.as_rule() == Rule::require {
                        kind = VerdictKind::Require;
                    }
                    condition = Some(self.expr(last_inner(p)?)?);
                }
                Rule::message => message = Some(self.expr(last_inner(p)?)?),
                _ => {}
            }
        }
        Ok(Verdict {
            kind,
            condition: condition
                .ok_or_else(|| self.unexpected_at(span.start as usize, "expected a condition"))?,
            message,
            span,
        })
    }

    // ------------------------------------------------------------ expressions

    fn expr(&self, pair: Pair<Rule>) -> R<Expr> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr | Rule::paren | Rule::primary | Rule::literal => {
                let inner = next(&mut pair.into_inner())?;
                let mut e = self.expr(inner)?;
                if matches!(e.kind, ExprKind::Binary(..) | ExprKind::Quantified(..)) {
                    // Keep parentheses in the span so evidence labels read as written.
                    e.span = e.span.to(span);
                }
                Ok(e)
            }
            Rule::quantified => {
                let mut inner = pair.into_inner();
                let q = next(&mut inner)?;
                let q = if q.as_str() == "all" {
                    Quantifier::All
                } else {
                    Quantifier::Any
                };
                let var = self.ident(next(&mut inner)?);
                let mut rest = inner.filter(|p| p.as_rule() != Rule::kw_in);
                let coll = self.expr(next(&mut rest)?)?;
                let body = self.expr(next(&mut rest)?)?;
                Ok(Expr {
                    kind: ExprKind::Quantified(q, var, Box::new(coll), Box::new(body)),
                    span,
                })
            }
            Rule::conditional => {
                // `if c1 then t1 else if c2 then t2 ... else e`: fold from the right; each
                // `if` covers the text from its keyword to the end of the chain.
                let mut starts = Vec::new();
                let mut es = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::kw_if => starts.push(self.span(&p).start),
                        Rule::expr => es.push(self.expr(p)?),
                        _ => {}
                    }
                }
                let mut es = es.into_iter().rev();
                let mut e = next_expr(&mut es)?;
                for start in starts.into_iter().rev() {
                    let (Some(t), Some(c)) = (es.next(), es.next()) else {
                        return Err(self.unexpected_at(span.start as usize, "expected `then`"));
                    };
                    e = Expr {
                        span: Span { start, ..span },
                        kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                    };
                }
                Ok(e)
            }
            Rule::or_expr | Rule::and_expr | Rule::set_expr | Rule::add_expr => {
                self.left_assoc(pair)
            }
            Rule::cmp_expr => {
                let mut inner = pair.into_inner();
                let lhs = self.expr(next(&mut inner)?)?;
                match inner.next() {
                    None => Ok(lhs),
                    Some(op) => {
                        let op = binary_op(next(&mut op.into_inner())?.as_rule());
                        let rhs = self.expr(next(&mut inner)?)?;
                        Ok(Expr {
                            span: lhs.span.to(rhs.span),
                            kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                        })
                    }
                }
            }
            Rule::not_expr | Rule::unary => {
                let mut ops = Vec::new();
                let mut operand = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::op_not => ops.push((UnaryOp::Not, self.span(&p))),
                        Rule::op_neg => ops.push((UnaryOp::Neg, self.span(&p))),
                        _ => operand = Some(self.expr(p)?),
                    }
                    if let Some((_, at)) = ops.last() {
                        self.chain(ops.len(), *at)?;
                    }
                }
                let mut e = operand
                    .ok_or_else(|| self.unexpected_at(span.end as usize, "expected an operand"))?;
                for (op, op_span) in ops.into_iter().rev() {
                    e = Expr {
                        span: op_span.to(e.span),
                        kind: ExprKind::Unary(op, Box::new(e)),
                    };
                }
                Ok(e)
            }
            Rule::postfix => {
                let mut inner = pair.into_inner();
                let mut e = self.expr(next(&mut inner)?)?;
                for (length, p) in inner.enumerate() {
                    let pspan = self.span(&p);
                    self.chain(length + 1, pspan)?;
                    e = match p.as_rule() {
                        Rule::field_access => {
                            let f = self.ident(next(&mut p.into_inner())?);
                            Expr {
                                span: e.span.to(pspan),
                                kind: ExprKind::Field(Box::new(e), f),
                            }
                        }
                        _ => {
                            let idx = self.expr(next(&mut p.into_inner())?)?;
                            Expr {
                                span: e.span.to(pspan),
                                kind: ExprKind::Index(Box::new(e), Box::new(idx)),
                            }
                        }
                    };
                }
                Ok(e)
            }
            Rule::name => Ok(Expr {
                kind: ExprKind::Name(pair.as_str().to_owned()),
                span,
            }),
            Rule::call => {
                let mut inner = pair.into_inner();
                let path = self.path(next(&mut inner)?);
                let args = match inner.next() {
                    Some(a) => a.into_inner().map(|p| self.expr(p)).collect::<R<_>>()?,
                    None => Vec::new(),
                };
                Ok(Expr {
                    kind: ExprKind::Call(path, args),
                    span,
                })
            }
            Rule::list_literal | Rule::set_literal => {
                let is_list = pair.as_rule() == Rule::list_literal;
                let mut inner = pair.into_inner();
                let Some(first) = inner.next() else {
                    let kind = if is_list {
                        ExprKind::List(Vec::new())
                    } else {
                        ExprKind::Set(Vec::new())
                    };
                    return Ok(Expr { kind, span });
                };
                if first.as_rule() == Rule::record_fields {
                    return self.record(first, span);
                }
                if first.as_rule() == Rule::string_items {
                    let items = first
                        .into_inner()
                        .map(|p| self.string(p))
                        .collect::<R<Vec<Expr>>>()?;
                    let kind = if is_list {
                        ExprKind::List(items)
                    } else {
                        ExprKind::Set(items)
                    };
                    return Ok(Expr { kind, span });
                }
                let first = self.expr(first)?;
                let rest = next(&mut inner)?;
                if rest.as_rule() == Rule::comprehension {
                    return self.comprehension(is_list, first, rest, span);
                }
                let mut items = vec![first];
                for p in rest.into_inner() {
                    items.push(self.expr(p)?);
                }
                let kind = if is_list {
                    ExprKind::List(items)
                } else {
                    ExprKind::Set(items)
                };
                Ok(Expr { kind, span })
            }
            Rule::kw_true | Rule::kw_false => Ok(Expr {
                kind: ExprKind::Literal(Literal::Bool(pair.as_rule() == Rule::kw_true)),
                span,
            }),
            Rule::kw_null => Ok(Expr {
                kind: ExprKind::Literal(Literal::Null),
                span,
            }),
            Rule::int => {
                let text = pair.as_str();
                let n = text
                    .parse::<i64>()
                    .map_err(|_| SyntaxError::IntegerTooLarge {
                        text: text.to_owned(),
                        src: self.file.named(),
                        at: span.into(),
                    })?;
                Ok(Expr {
                    kind: ExprKind::Literal(Literal::Int(n)),
                    span,
                })
            }
            Rule::date => {
                let text = pair.as_str();
                let d = crate::semantics::date::parse(text).ok_or_else(|| {
                    SyntaxError::InvalidDate {
                        text: text.to_owned(),
                        src: self.file.named(),
                        at: span.into(),
                    }
                })?;
                Ok(Expr {
                    kind: ExprKind::Literal(Literal::Date(d)),
                    span,
                })
            }
            Rule::string | Rule::text_block | Rule::raw_string | Rule::raw_text_block => {
                self.string(pair)
            }
            other => Err(self.unexpected_at(span.start as usize, &format!("unexpected {other:?}"))),
        }
    }

    /// Guard a chain (`a or b or ...`, `not not ...`, `x.a.b...`) before it becomes
    /// a tree too deep to check or drop safely.
    fn chain(&self, length: usize, at: Span) -> R<()> {
        if length > super::MAX_EXPR_DEPTH {
            return Err(expr_too_deep(
                self.file_id,
                self.file,
                at.start as usize,
                at.end as usize,
            ));
        }
        Ok(())
    }

    fn record(&self, fields_pair: Pair<Rule>, span: Span) -> R<Expr> {
        let mut fields = Vec::new();
        for f in fields_pair.into_inner() {
            let mut fi = f.into_inner();
            let name = self.ident(next(&mut fi)?);
            let value = self.expr(next(&mut fi)?)?;
            fields.push((name, value));
        }
        Ok(Expr {
            kind: ExprKind::Record(fields),
            span,
        })
    }

    /// `[element for var in source where filter]` (or with braces, a set).
    fn comprehension(&self, is_list: bool, element: Expr, tail: Pair<Rule>, span: Span) -> R<Expr> {
        let mut inner = tail
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_for | Rule::kw_in | Rule::kw_where));
        let var = self.ident(next(&mut inner)?);
        let source = self.expr(next(&mut inner)?)?;
        let filter = inner.next().map(|p| self.expr(p)).transpose()?;
        let kind = if is_list {
            CollectionKind::List
        } else {
            CollectionKind::Set
        };
        Ok(Expr {
            kind: ExprKind::Comprehension(Comprehension {
                kind,
                element: Box::new(element),
                var,
                source: Box::new(source),
                filter: filter.map(Box::new),
            }),
            span,
        })
    }

    fn left_assoc(&self, pair: Pair<Rule>) -> R<Expr> {
        let mut inner = pair.into_inner();
        let mut lhs = self.expr(next(&mut inner)?)?;
        let mut length = 0;
        while let Some(op) = inner.next() {
            length += 1;
            self.chain(length, self.span(&op))?;
            let rule = match op.as_rule() {
                Rule::set_op | Rule::add_op => next(&mut op.into_inner())?.as_rule(),
                r => r,
            };
            let rhs = self.expr(next(&mut inner)?)?;
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(binary_op(rule), Box::new(lhs), Box::new(rhs)),
            };
        }
        Ok(lhs)
    }

    /// A string literal: decode escapes, dedent text blocks, split `{expr}` parts.
    fn string(&self, pair: Pair<Rule>) -> R<Expr> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let body = next(&mut pair.into_inner())?;
        let body_start = self.base + body.as_span().start();
        let raw = body.as_str();
        let (escapes, block) = match rule {
            Rule::string => (true, false),
            Rule::text_block => (true, true),
            Rule::raw_string => (false, false),
            _ => (false, true),
        };
        let lines = if block {
            dedent(raw, body_start)
        } else {
            vec![(raw, body_start)]
        };
        let mut parts: Vec<StrPart> = Vec::new();
        let mut text = String::new();
        for (n, (line, offset)) in lines.into_iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            if escapes {
                self.interpolated_line(line, offset, &mut text, &mut parts)?;
            } else {
                text.push_str(line);
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(StrPart::Text(text));
        }
        let kind = match parts.as_slice() {
            [StrPart::Text(t)] => ExprKind::Literal(Literal::Str(t.clone())),
            _ => ExprKind::Interpolated(parts),
        };
        Ok(Expr { kind, span })
    }

    /// Decode one line of an interpolating string into `text`/`parts`.
    fn interpolated_line(
        &self,
        line: &str,
        offset: usize,
        text: &mut String,
        parts: &mut Vec<StrPart>,
    ) -> R<()> {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => {
                    let (ch, len) = escape(self, line, i, offset)?;
                    text.push(ch);
                    i += len;
                }
                b'{' if bytes.get(i + 1) == Some(&b'{') => {
                    text.push('{');
                    i += 2;
                }
                b'}' if bytes.get(i + 1) == Some(&b'}') => {
                    text.push('}');
                    i += 2;
                }
                b'}' => {
                    return Err(SyntaxError::UnmatchedBrace {
                        src: self.file.named(),
                        at: Span::new(self.file_id, offset + i, offset + i + 1).into(),
                    });
                }
                b'{' => {
                    let end = matching_brace(bytes, i).ok_or_else(|| {
                        SyntaxError::UnclosedInterpolation {
                            src: self.file.named(),
                            at: Span::new(self.file_id, offset + i, offset + i + 1).into(),
                        }
                    })?;
                    let inner = &line[i + 1..end];
                    if inner.trim().is_empty() {
                        return Err(SyntaxError::EmptyInterpolation {
                            src: self.file.named(),
                            at: Span::new(self.file_id, offset + i, offset + end + 1).into(),
                        });
                    }
                    if !text.is_empty() {
                        parts.push(StrPart::Text(std::mem::take(text)));
                    }
                    parts.push(StrPart::Expr(parse_expr_here(
                        self.file_id,
                        self.file,
                        offset + i + 1,
                        inner,
                    )?));
                    i = end + 1;
                }
                _ => {
                    let ch = line[i..].chars().next().unwrap_or('\u{fffd}');
                    text.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        Ok(())
    }
}

/// Split a text block into lines without their common indentation. A first line that
/// is empty and a last line of only spaces (before the closing `"""`) are dropped.
fn dedent(raw: &str, start: usize) -> Vec<(&str, usize)> {
    let mut lines: Vec<(&str, usize)> = Vec::new();
    let mut offset = start;
    for line in raw.split('\n') {
        lines.push((line.strip_suffix('\r').unwrap_or(line), offset));
        offset += line.len() + 1;
    }
    if lines.len() > 1 && lines[0].0.trim().is_empty() {
        lines.remove(0);
    }
    if lines.len() > 1 && lines.last().is_some_and(|(l, _)| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|(l, _)| !l.trim().is_empty())
        .map(|(l, _)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|(l, o)| {
            let cut = indent.min(l.len() - l.trim_start_matches([' ', '\t']).len());
            (&l[cut..], o + cut)
        })
        .collect()
}

/// Index of the `}` closing the `{` at `open`, skipping nested braces and strings.
fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\'' | b'"' => {
                // A string inside an interpolation cannot contain `"` (it would end the
                // outer string), so only skip to the matching quote of the same kind.
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Decode the escape at `line[i..]` (which starts with a backslash).
fn escape(b: &Builder, line: &str, i: usize, offset: usize) -> R<(char, usize)> {
    let rest = &line[i + 1..];
    let c = rest.chars().next().unwrap_or(' ');
    let simple = match c {
        '"' => Some('"'),
        '\\' => Some('\\'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '{' => Some('{'),
        '}' => Some('}'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Ok((ch, 2));
    }
    let at = |len: usize| Span::new(b.file_id, offset + i, offset + i + len).into();
    if c == 'u' {
        let close = rest.find('}');
        if rest.as_bytes().get(1) == Some(&b'{')
            && let Some(close) = close
        {
            let hex = &rest[2..close];
            let len = close + 2;
            return u32::from_str_radix(hex, 16)
                .ok()
                .filter(|_| (1..=6).contains(&hex.len()))
                .and_then(char::from_u32)
                .map(|ch| (ch, len))
                .ok_or_else(|| SyntaxError::BadUnicodeEscape {
                    escape: line[i..i + len].to_owned(),
                    src: b.file.named(),
                    at: at(len),
                });
        }
        return Err(SyntaxError::BadUnicodeEscape {
            escape: "\\u".into(),
            src: b.file.named(),
            at: at(2),
        });
    }
    let len = 1 + c.len_utf8();
    Err(SyntaxError::UnknownEscape {
        escape: line[i..i + len.min(line.len() - i)].to_owned(),
        src: b.file.named(),
        at: at(len),
    })
}

/// Decode escapes of a string that must not interpolate (a test's name).
fn decode_escapes(b: &Builder, text: &str, offset: usize) -> R<String> {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i] == b'\\' {
            let (ch, len) = escape(b, text, i, offset)?;
            out.push(ch);
            i += len;
        } else {
            let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Ok(out)
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_in => BinaryOp::In,
        Rule::op_not_in => BinaryOp::NotIn,
        Rule::op_subset => BinaryOp::Subset,
        Rule::op_union => BinaryOp::Union,
        Rule::op_intersect => BinaryOp::Intersect,
        Rule::op_minus => BinaryOp::Minus,
        Rule::op_plus => BinaryOp::Add,
        _ => BinaryOp::Sub,
    }
}

fn next<'i>(it: &mut impl Iterator<Item = Pair<'i, Rule>>) -> R<Pair<'i, Rule>> {
    it.next().ok_or_else(|| SyntaxError::Unexpected {
        message: "internal parser error: a grammar node is missing a child".into(),
        src: miette::NamedSource::new("<grammar>", std::sync::Arc::from("")),
        at: (0, 0).into(),
        label: String::new(),
        help: None,
    })
}

/// Where the last token of a pair ends (relative to the parsed text).
fn token_end(pair: &Pair<Rule>) -> usize {
    let end = pair.as_span().end();
    // Most pairs end on a token: nothing to trim when the text ends in neither
    // whitespace nor a comment.
    let text = pair.as_str();
    let comment_on_last_line = || {
        text.bytes()
            .rev()
            .take_while(|&b| b != b'\n')
            .any(|b| b == b'#')
    };
    if !text.ends_with(|c: char| c.is_whitespace())
        && !text.ends_with("*/")
        && !comment_on_last_line()
    {
        return end;
    }
    let Some(last) = pair.clone().into_inner().last() else {
        return end;
    };
    let inner_end = token_end(&last);
    let rest = pair.get_input().get(inner_end..end).unwrap_or("");
    if lex::only_trivia(rest) {
        inner_end
    } else {
        end
    }
}

fn next_expr(it: &mut impl Iterator<Item = Expr>) -> R<Expr> {
    it.next().ok_or_else(|| SyntaxError::Unexpected {
        message: "internal parser error: an expression is missing".into(),
        src: miette::NamedSource::new("<grammar>", std::sync::Arc::from("")),
        at: (0, 0).into(),
        label: String::new(),
        help: None,
    })
}

fn last_inner(pair: Pair<Rule>) -> R<Pair<Rule>> {
    let mut last = None;
    for p in pair.into_inner() {
        last = Some(p);
    }
    next(&mut last.into_iter())
}

// ------------------------------------------------------------ parse errors

/// Turn a pest error into an author-facing diagnostic.
fn unexpected(
    file_id: u32,
    file: &SourceFile,
    text: &str,
    base: usize,
    e: pest::error::Error<Rule>,
) -> SyntaxError {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = found_token(text, pos);
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let expected = tidy_expected(expected);
    let expected_text = join_or(&expected);
    let message = match (&found, expected_text.is_empty()) {
        (Some(f), false) => format!("expected {expected_text}, found `{f}`"),
        (None, false) => format!("expected {expected_text}, found the end of the file"),
        (Some(f), true) => format!("unexpected `{f}`"),
        (None, true) => "unexpected end of file".to_owned(),
    };
    let len = found.as_ref().map(|f| f.len()).unwrap_or(0);
    SyntaxError::Unexpected {
        help: hint(found.as_deref(), &expected),
        label: if expected_text.is_empty() {
            "unexpected here".into()
        } else {
            format!("expected {expected_text}")
        },
        message,
        src: file.named(),
        at: Span::new(file_id, base + pos, base + pos + len).into(),
    }
}

/// The token at `pos`: a word, a number, or one character.
fn found_token(text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    let word: String = if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    } else {
        let two: String = rest.chars().take(2).collect();
        if ["==", "!=", "<=", ">=", "&&", "||", "//", "->"].contains(&two.as_str()) {
            two
        } else {
            first.to_string()
        }
    };
    Some(word)
}

fn describe_expected(rules: &[Rule]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rules {
        let d = describe(*r).to_owned();
        if !d.is_empty() && !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

fn describe(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        expr | quantified | conditional | or_expr | and_expr | not_expr | cmp_expr | set_expr
        | add_expr | unary | postfix | primary | literal | paren | name | call | list_literal
        | set_literal | more_items | string_items | string | text_block | raw_string
        | raw_text_block | int | date | kw_true | kw_false | kw_null | interpolation => {
            "an expression"
        }
        op_or | op_and | op_not | op_neg | cmp_op | op_eq | op_ne | op_le | op_ge | op_lt
        | op_gt | op_in | op_not_in | op_subset | set_op | op_union | op_intersect | op_minus
        | add_op | op_plus | op_sub => "an operator",
        ident | qname => "a name",
        field_access | field_name => "a field name",
        index_access => "`[`",
        kw_package | package_decl => "`package`",
        kw_import | import_decl => "`import`",
        item | const_decl | fn_decl | rule_decl | exception_decl | test_decl | kw_const | kw_fn
        | kw_rule | kw_exception | kw_test | doc_comment => {
            "a declaration (`const`, `fn`, `rule`, `exception` or `test`)"
        }
        params | param => "a parameter `name: type`",
        type_expr | type_name => "a type",
        block => "`{`",
        meta_entry | meta_key => "a metadata entry such as `id: \"RES-001\"`",
        for_clause | kw_for => "`for`",
        clause | where_clause | kw_where => "`where`",
        let_binding | kw_let => "`let`",
        verdict | deny | require | kw_deny | kw_require => {
            "a verdict (`deny if ...` or `require ...`)"
        }
        message | kw_message => "`message`",
        kw_in => "`in`",
        kw_resources => "`resources`",
        kw_if => "`if`",
        kw_then => "`then`",
        kw_else => "`else`",
        kw_as => "`as`",
        args => "an argument",
        field_init | record_fields => "a field `name: value`",
        comprehension => "`for`",
        EOI => "the end of the file",
        _ => "",
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Leave out what merely continues the expression before the error (`.field`,
/// `[index]`) when an operator is expected anyway: it reads as noise.
fn tidy_expected(expected: Vec<String>) -> Vec<String> {
    if !expected.iter().any(|e| e == "an operator") {
        return expected;
    }
    expected
        .into_iter()
        .filter(|e| e != "a field name" && e != "`[`")
        .collect()
}

/// A help line for the mistakes people coming from other languages make.
fn hint(found: Option<&str>, expected: &[String]) -> Option<String> {
    if (found.is_none() || found == Some("}"))
        && expected.iter().any(|e| e.starts_with("a verdict"))
    {
        return Some(
            "a rule ends with `deny if <condition>` or `require <condition>`, then an optional `message \"...\"`".into(),
        );
    }
    let h = match found? {
        "&&" => "write `and` instead of `&&`",
        "||" => "write `or` instead of `||`",
        "!" => "write `not` instead of `!`",
        "=" => "compare with `==`; `=` only appears in `let x = ...` and `const x = ...`",
        "//" => "comments start with `#` (and documentation comments with `///`)",
        "'" => "strings use double quotes: \"...\"",
        "elif" | "elsif" => "write `else if`",
        "function" | "def" | "func" => "functions are declared with `fn name(param: type) { ... }`",
        "true" | "false" | "null" if expected.iter().any(|e| e == "a name") => {
            "this word is reserved and cannot be used as a name"
        }
        w if is_keyword(w) && expected.iter().any(|e| e == "a name") => {
            "this word is reserved and cannot be used as a name"
        }
        _ => return None,
    };
    Some(h.to_owned())
}

fn is_keyword(w: &str) -> bool {
    super::KEYWORDS.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "package acme.residency\n\n/// Buckets stay home.\nrule home {\n  id: \"A-1\" severity: high enforce: hard\n  for r in resources\n  where r.type == \"aws_s3_bucket\"\n  deny if r.location.country != \"US\"\n}\n";

    fn parse(text: &str) -> Result<File, SyntaxError> {
        parse_file(0, &SourceFile::new("p.juris", text))
    }

    fn message(e: SyntaxError) -> String {
        let mut d = crate::diag::Diagnostics::new();
        d.push(e);
        d.render_plain()
    }

    #[test]
    fn a_file_is_a_package_and_its_items_with_their_docs_and_spans() {
        let file = parse(POLICY).expect("it parses");
        assert_eq!(file.package.dotted(), "acme.residency");
        assert_eq!(file.items.len(), 1);
        let item = &file.items[0];
        assert_eq!(item.docs, ["Buckets stay home."]);
        let ItemKind::Rule(rule) = &item.kind else {
            panic!("not a rule: {:?}", item.kind)
        };
        assert_eq!(rule.name.name, "home");
        assert_eq!(rule.var.name, "r");
        assert_eq!(rule.meta.len(), 3);
        assert_eq!(rule.clauses.len(), 1);
        // The item's span runs from its docs to its closing brace.
        let (start, end) = (item.span.start as usize, item.span.end as usize);
        assert!(POLICY[start..end].starts_with("/// Buckets stay home.\nrule home"));
        assert!(POLICY[start..end].ends_with('}'));
    }

    #[test]
    fn a_file_without_a_package_line_says_so() {
        for text in ["rule r {}\n", ""] {
            let err = message(parse(text).expect_err("no package"));
            assert!(err.contains("package"), "{err}");
        }
    }

    #[test]
    fn an_error_names_what_was_expected_not_grammar_rules() {
        let err = parse(
            "package p\nrule r {\n  id: \"X\"\n  for r in resources\n  deny if r.type ==\n}\n",
        )
        .expect_err("a missing operand");
        let text = message(err);
        assert!(
            text.contains("p.juris:5") || text.contains("p.juris:6"),
            "{text}"
        );
        assert!(!text.contains("EOI") && !text.contains("expr_"), "{text}");
    }

    #[test]
    fn an_interpolated_expression_keeps_spans_in_its_file() {
        let file = SourceFile::new("p.juris", "0123456789r.name");
        let e = parse_expr(0, &file, 10, "r.name").expect("an expression");
        assert_eq!((e.span.start, e.span.end), (10, 16));
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_not_overflowed() {
        let deep = format!(
            "package p\nconst c = {}1{}\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        assert!(parse(&deep).is_err());
        let deep = format!("package p\nconst c = {}1\n", "-".repeat(100_000));
        assert!(parse(&deep).is_err());
    }
}
