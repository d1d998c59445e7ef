//! `juris rules`: what the policy set enforces, as a table or JSON.

use clap::Args;

use super::config::{self, Config};
use super::{EXIT_PASS, Failure, PolicyArgs, output};

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// `table` (default) or `json`.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
}

pub fn run(args: RulesArgs) -> Result<u8, Failure> {
    let config = Config::load(args.policy.config.as_deref())?;
    let policy = config::compile_policies(&args.policy, &config).map_err(Failure)?;
    let mut rules = policy.rules();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let text = match args.format {
        RulesFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rules).unwrap_or_default();
            s.push('\n');
            s
        }
        RulesFormat::Table => {
            let rows: Vec<[String; 5]> = rules
                .iter()
                .map(|r| {
                    [
                        r.id.clone(),
                        r.enforcement.as_str().to_owned(),
                        r.severity.as_str().to_owned(),
                        r.title.clone(),
                        r.references.join("; "),
                    ]
                })
                .collect();
            table(["ID", "ENFORCE", "SEVERITY", "TITLE", "REFERENCES"], &rows)
        }
    };
    output::write(None, &text)?;
    Ok(EXIT_PASS)
}

/// A plain aligned text table.
fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == N {
                l.push_str(c);
            } else {
                l.push_str(&format!("{c:<w$}  "));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}
