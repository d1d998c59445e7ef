//! `--timings`: where a run's time went, printed to standard error when it ends.
//!
//! Marks are taken on the main thread at the end of each stage and printed as
//! milliseconds since the process started (strictly, since `cli::main` began: loading
//! and relocating the binary before that is about 1.8 ms, `docs/performance.md`).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static START: OnceLock<Instant> = OnceLock::new();

/// Notes the process's start; the first thing `cli::main` does.
pub fn started() {
    START.get_or_init(Instant::now);
}

/// The stage marks of one run, or nothing when `--timings` was not given. Clones share
/// the marks, so the input reader can add its own.
#[derive(Clone, Debug, Default)]
pub struct Timings(Option<Rc<RefCell<Marks>>>);

/// Each stage and when it ended, since the start.
type Marks = Vec<(&'static str, Duration)>;

impl Timings {
    pub fn new(on: bool) -> Timings {
        Timings(on.then(Rc::default))
    }

    /// Notes that `stage` has just ended.
    pub fn mark(&self, stage: &'static str) {
        if let Some(marks) = &self.0 {
            let since = START.get_or_init(Instant::now).elapsed();
            marks.borrow_mut().push((stage, since));
        }
    }

    /// The marks as text: each stage's end and its own length, in milliseconds.
    pub fn render(&self) -> Option<String> {
        let marks = self.0.as_ref()?.borrow();
        let width = marks.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
        let mut out = String::from("juris: timings (milliseconds since the process started)\n");
        let mut before = Duration::ZERO;
        for (stage, at) in marks.iter() {
            out.push_str(&format!(
                "  {stage:<width$}  at {:>9.1}  took {:>9.1}\n",
                ms(*at),
                ms(at.saturating_sub(before)),
            ));
            before = *at;
        }
        Some(out)
    }

    /// Prints the marks to standard error, if there are any.
    pub fn print(&self) {
        if let Some(text) = self.render() {
            eprint!("{text}");
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_kept_only_when_asked_for() {
        let off = Timings::new(false);
        off.mark("ready");
        assert_eq!(off.render(), None);
        let on = Timings::new(true);
        let shared = on.clone();
        on.mark("ready");
        shared.mark("read");
        let text = on.render().unwrap();
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .trim_start()
                .starts_with("ready")
        );
        assert!(
            text.lines()
                .nth(2)
                .unwrap()
                .trim_start()
                .starts_with("read ")
        );
        assert_eq!(text.lines().count(), 3);
    }
}
