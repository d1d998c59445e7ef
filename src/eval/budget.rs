//! What one evaluation of a rule on one resource may spend: a step budget (function
//! calls, loop iterations and the elements that operators walk) and a cap on the size
//! of any value it builds. The WebAssembly module has the same two kinds of limit as
//! fuel and memory; these keep the in-process evaluator as safe on a hostile policy.
//!
//! The budget is per rule and resource, not per run: that way a run's outcome and the
//! error that names the rule and resource do not depend on how many threads evaluate.

use super::value::Value;

/// Limits on one evaluation of a rule on one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalLimits {
    /// Steps: function calls, loop iterations, and elements visited by membership,
    /// subset, set operations, comparisons of collections and list-building builtins.
    pub steps: u64,
    /// Largest value a rule may build: a string's bytes, or a collection's elements
    /// counted with their contents (a string element counts its bytes).
    pub value_bytes: u64,
}

impl Default for EvalLimits {
    /// 10 million steps (the shipped rules take under a thousand per resource) and
    /// 16 MiB.
    fn default() -> Self {
        EvalLimits {
            steps: 10_000_000,
            value_bytes: 16 << 20,
        }
    }
}

/// Which limit an evaluation ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitHit {
    Steps,
    ValueSize,
}

impl LimitHit {
    /// The limit's name in `juris.toml` (`[limits]`) and `--limit NAME=N`.
    pub fn name(self) -> &'static str {
        match self {
            LimitHit::Steps => "eval_steps",
            LimitHit::ValueSize => "value_bytes",
        }
    }
}

/// The size of a value as [`EvalLimits::value_bytes`] counts it, or some number over
/// `cap` as soon as it is known to exceed it (so a value shared many times over inside
/// itself is never walked whole). Values borrowed from the inventory or the program
/// count one: their size is the input's, which has its own limit.
pub fn size_over(v: &Value<'_>, cap: u64) -> u64 {
    match v {
        Value::OwnedStr(s) => s.len() as u64,
        Value::List(items) | Value::Set(items) => {
            let mut total = items.len() as u64;
            for item in items.iter() {
                if total > cap {
                    break;
                }
                total = total.saturating_add(size_over(item, cap - total));
            }
            total
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_are_not_walked_past_the_cap() {
        // A list holding itself twice, thirty levels deep: 2^30 leaves, 30 lists.
        let mut v = Value::owned_str("x".into());
        for _ in 0..30 {
            v = Value::List(vec![v.clone(), v].into());
        }
        assert!(size_over(&v, 1000) > 1000);
        assert_eq!(size_over(&Value::owned_str("abc".into()), 10), 3);
        assert_eq!(
            size_over(
                &Value::List(vec![Value::owned_str("ab".into()), Value::Int(1)].into()),
                100
            ),
            5
        );
    }
}
