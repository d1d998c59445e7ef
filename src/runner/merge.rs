//! One report from the reports of consecutive slices of an inventory, as if the
//! inventory had been evaluated whole: what a host that runs the WebAssembly module on
//! several slices at once (each slice in its own instance) puts back together.

use super::{ExceptionState, Report};

/// Merges reports of consecutive slices of one inventory, in inventory order, evaluated
/// with the same policy set and options. `None` when there are none, or when they
/// disagree on what only the policy set and options decide (today, the failing level,
/// the rules, the exceptions), which would mean they are not parts of one run.
/// [`Report::applied`] is not merged (its indexes are each slice's): it is the first
/// part's, which a module's report leaves empty.
pub fn merge(parts: Vec<Report>) -> Option<Report> {
    let mut parts = parts.into_iter();
    let mut whole = parts.next()?;
    for part in parts {
        let same_exceptions = part.exceptions.len() == whole.exceptions.len()
            && part
                .exceptions
                .iter()
                .zip(&whole.exceptions)
                .all(|(a, b)| a.name == b.name && a.rule == b.rule);
        if part.version != whole.version
            || part.today != whole.today
            || part.fail_on != whole.fail_on
            || part.summary.rules != whole.summary.rules
            || !same_exceptions
        {
            return None;
        }
        let s = &mut whole.summary;
        s.resources += part.summary.resources;
        s.evaluated += part.summary.evaluated;
        s.passed += part.summary.passed;
        whole.findings.extend(part.findings);
        for (all, some) in whole.exceptions.iter_mut().zip(part.exceptions) {
            all.matched.extend(some.matched);
            if some.state == ExceptionState::Expired {
                all.state = ExceptionState::Expired;
            }
        }
    }
    // Parts in inventory order, sorted stably: the whole run's order.
    super::order_findings(&mut whole.findings);
    super::count_findings(&mut whole.summary, &whole.findings);
    for e in &mut whole.exceptions {
        e.matched.sort();
        e.matched.dedup();
        e.state = super::exception_state(e.state == ExceptionState::Expired, &e.matched);
    }
    super::count_exceptions(&mut whole.summary, &whole.exceptions);
    Some(whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Enforcement;

    fn report(today: &str, resources: usize) -> Report {
        Report {
            version: super::super::REPORT_VERSION,
            today: today.to_owned(),
            fail_on: Enforcement::Soft,
            findings: Vec::new(),
            exceptions: Vec::new(),
            summary: super::super::Summary {
                resources,
                rules: 2,
                ..Default::default()
            },
            applied: Vec::new(),
        }
    }

    #[test]
    fn parts_of_one_run_merge_and_others_do_not() {
        assert_eq!(merge(Vec::new()), None);
        let whole = merge(vec![report("2026-06-01", 3), report("2026-06-01", 4)]);
        assert_eq!(whole.map(|r| r.summary.resources), Some(7));
        // Another date, or another rule count: not halves of one run.
        assert_eq!(
            merge(vec![report("2026-06-01", 3), report("2026-06-02", 4)]),
            None
        );
        let mut other = report("2026-06-01", 4);
        other.summary.rules = 1;
        assert_eq!(merge(vec![report("2026-06-01", 3), other]), None);
    }
}
