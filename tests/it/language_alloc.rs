//! The evaluator allocates nothing per resource for a rule that only reads fields,
//! compares and looks up a constant set. The allocator counts per thread, so tests
//! running beside this one in the same binary do not count.

use crate::language_support as support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    // A const-initialised `Cell` needs no allocation and no destructor, so the
    // allocator may touch it.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn evaluating_a_simple_rule_allocates_nothing_per_resource() {
    let set = support::compile_ok(
        "package bench\nimport juris.groups\nrule simple {\n  id: \"B-1\" severity: high enforce: hard\n  for r in resources\n  where r.type == \"aws_s3_bucket\"\n  deny if r.custody.jurisdiction in groups.foreign_adversaries\n}\n",
    );
    let jurisdictions = ["US", "CN", "DE", "RU"];
    let resources: Vec<serde_json::Value> = (0..2_000)
        .map(|i| {
            let ty = if i % 3 == 0 { "aws_instance" } else { "aws_s3_bucket" };
            support::resource(
                &format!("{ty}.r{i}"),
                serde_json::json!({"custody": {"company": "C", "jurisdiction": if i % 7 == 0 { serde_json::json!({"unknown": true}) } else { serde_json::json!(jurisdictions[i % 4]) }}}),
            )
        })
        .collect();
    let inv = support::inventory(resources);
    let program = set.program();
    let rule = &program.rules[0];
    let mut ev = juris::eval::Evaluator::new(program, set.compiled(), support::today());
    // Warm up: the evaluator's stack grows once.
    for r in &inv.resources {
        let _ = ev.rule(rule, r);
    }
    let before = allocations();
    let mut outcomes = [0usize; 4];
    for r in &inv.resources {
        match ev.rule(rule, r) {
            None => outcomes[0] += 1,
            Some(juris::eval::Outcome::Pass) => outcomes[1] += 1,
            Some(juris::eval::Outcome::Violation) => outcomes[2] += 1,
            Some(juris::eval::Outcome::Undetermined) => outcomes[3] += 1,
        }
    }
    let after = allocations();
    assert_eq!(
        after - before,
        0,
        "allocations while evaluating {} resources",
        inv.resources.len()
    );
    // And the rule did decide things: every outcome occurs.
    assert!(outcomes.iter().all(|n| *n > 0), "{outcomes:?}");
}
