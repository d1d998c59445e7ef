//! The limits every stage applies — input size and nesting, evaluation steps and value
//! size, WebAssembly fuel and memory — by one name each, set in `juris.toml`
//! (`[limits]`) and with `--limit NAME=N` (the flag wins). `docs/limits.md` lists them.

use crate::adapters::{DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, LoadOptions};
use crate::eval::EvalLimits;

/// Every limit, at the library's defaults unless set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub input_bytes: u64,
    pub input_depth: u64,
    pub eval_steps: u64,
    pub value_bytes: u64,
    pub wasm_fuel: u64,
    pub wasm_memory: u64,
}

/// The names, as written in `juris.toml` and after `--limit`.
pub const NAMES: &[&str] = &[
    "input_bytes",
    "input_depth",
    "eval_steps",
    "value_bytes",
    "wasm_fuel",
    "wasm_memory",
];

impl Default for Limits {
    fn default() -> Self {
        let eval = EvalLimits::default();
        let wasm = crate::wasm::Limits::default();
        Limits {
            input_bytes: DEFAULT_MAX_BYTES,
            input_depth: DEFAULT_MAX_DEPTH as u64,
            eval_steps: eval.steps,
            value_bytes: eval.value_bytes,
            wasm_fuel: wasm.fuel,
            wasm_memory: wasm.memory as u64,
        }
    }
}

impl Limits {
    /// Sets limit `name`; the error says what is wrong with the name or the value.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        if value == 0 {
            return Err(format!("`{name}` must be at least 1"));
        }
        let slot = match name {
            "input_bytes" => &mut self.input_bytes,
            "input_depth" if value > DEFAULT_MAX_DEPTH as u64 => {
                return Err(format!(
                    "`input_depth` can be at most {DEFAULT_MAX_DEPTH}, the JSON parser's own limit"
                ));
            }
            "input_depth" => &mut self.input_depth,
            "eval_steps" => &mut self.eval_steps,
            "value_bytes" => &mut self.value_bytes,
            "wasm_fuel" => &mut self.wasm_fuel,
            "wasm_memory" => &mut self.wasm_memory,
            _ => {
                return Err(format!(
                    "`{name}` is not a limit; the limits are {}",
                    NAMES.join(", ")
                ));
            }
        };
        *slot = value;
        Ok(())
    }

    /// These limits with `overrides` (from the command line) applied in order.
    pub fn with(mut self, overrides: &[(String, u64)]) -> Limits {
        for (name, value) in overrides {
            // Names and values were checked when the arguments were parsed.
            let _ = self.set(name, *value);
        }
        self
    }

    /// The input limits on a loader's options.
    pub fn apply(&self, opts: &mut LoadOptions) {
        opts.max_bytes = self.input_bytes;
        opts.max_depth = usize::try_from(self.input_depth).unwrap_or(DEFAULT_MAX_DEPTH);
    }

    pub fn eval(&self) -> EvalLimits {
        EvalLimits {
            steps: self.eval_steps,
            value_bytes: self.value_bytes,
        }
    }

    pub fn wasm(&self) -> crate::wasm::Limits {
        crate::wasm::Limits {
            fuel: self.wasm_fuel,
            memory: usize::try_from(self.wasm_memory).unwrap_or(usize::MAX),
        }
    }
}

/// `--limit NAME=N`: a known name and a positive whole number (`_` may group digits).
pub fn parse_limit(s: &str) -> Result<(String, u64), String> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(format!(
            "`{s}` is not NAME=N, e.g. eval_steps=50000000; the limits are {}",
            NAMES.join(", ")
        ));
    };
    let n: u64 = value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{value}` is not a whole number"))?;
    Limits::default().set(name, n)?;
    Ok((name.to_owned(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_and_errors() {
        assert_eq!(
            parse_limit("eval_steps=1_000").unwrap(),
            ("eval_steps".into(), 1000)
        );
        assert!(parse_limit("steps=5").unwrap_err().contains("eval_steps"));
        assert!(parse_limit("eval_steps").is_err());
        assert!(parse_limit("eval_steps=0").is_err());
        assert!(parse_limit("input_depth=1000").unwrap_err().contains("128"));
        let l = Limits::default().with(&[("value_bytes".into(), 7)]);
        assert_eq!(l.eval().value_bytes, 7);
        for name in NAMES {
            assert!(Limits::default().set(name, 1).is_ok(), "{name}");
        }
    }
}
