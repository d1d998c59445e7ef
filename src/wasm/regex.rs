//! Regex DFA tables: the dense DFAs `regex-automata` builds for a pattern (the
//! same ones `eval::regex` validated), flattened into tables the runtime walks.
//!
//! States are renumbered densely; bytes that every state treats alike share a
//! class. Start states are kept per look-behind byte, so a search that resumes
//! mid-text starts exactly where regex-automata would.

use std::collections::HashMap;

use regex_automata::Anchored;
use regex_automata::dfa::{Automaton, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

use super::layout::Data;

const MATCH: u8 = 1;
const DEAD: u8 = 2;
const QUIT: u8 = 4;

/// Lay out a pattern's tables; returns the regex descriptor's address.
pub fn emit(pattern: &str, data: &mut Data) -> Result<u32, String> {
    let re = crate::semantics::regex::build_dfa(pattern)?;
    let fwd = re.forward();
    let rev = re.reverse();
    let mut flags = 0u32;
    if fwd.has_empty() && fwd.is_utf8() {
        flags |= 1;
    }
    if fwd.is_always_start_anchored() {
        flags |= 2;
    }
    let f = table(fwd, Anchored::No, data)?;
    let r = table(rev, Anchored::Yes, data)?;
    data.align(4);
    let at = data.u32(flags);
    data.u32(f);
    data.u32(r);
    Ok(at)
}

fn table(dfa: &dense::DFA<Vec<u32>>, anchored: Anchored, data: &mut Data) -> Result<u32, String> {
    let start_of = |look: Option<u8>| {
        dfa.start_state(&start::Config::new().anchored(anchored).look_behind(look))
            .map_err(|e| e.to_string())
    };
    let mut starts = Vec::with_capacity(257);
    for b in 0..=255u8 {
        starts.push(start_of(Some(b))?);
    }
    starts.push(start_of(None)?);
    // Number the reachable states.
    let mut ids: HashMap<StateID, u32> = HashMap::new();
    let mut order: Vec<StateID> = Vec::new();
    let visit = |s: StateID, ids: &mut HashMap<StateID, u32>, order: &mut Vec<StateID>| {
        *ids.entry(s).or_insert_with(|| {
            order.push(s);
            (order.len() - 1) as u32
        })
    };
    for &s in &starts {
        visit(s, &mut ids, &mut order);
    }
    let mut i = 0;
    while i < order.len() {
        let s = order[i];
        for b in 0..=255u8 {
            visit(dfa.next_state(s, b), &mut ids, &mut order);
        }
        visit(dfa.next_eoi_state(s), &mut ids, &mut order);
        i += 1;
    }
    let n = order.len();
    // Byte classes: bytes with identical columns.
    let mut classes = [0u8; 256];
    let mut columns: Vec<Vec<u32>> = Vec::new();
    for b in 0..=255u8 {
        let col: Vec<u32> = order.iter().map(|&s| ids[&dfa.next_state(s, b)]).collect();
        let c = match columns.iter().position(|c| *c == col) {
            Some(c) => c,
            None => {
                columns.push(col);
                columns.len() - 1
            }
        };
        classes[b as usize] = c as u8;
    }
    let nclasses = columns.len();
    data.align(4);
    let eoi = data.addr();
    for &s in &order {
        data.u32(ids[&dfa.next_eoi_state(s)]);
    }
    let state_flags = data.addr();
    for &s in &order {
        let mut f = 0u8;
        if dfa.is_match_state(s) {
            f |= MATCH;
        }
        if dfa.is_dead_state(s) {
            f |= DEAD;
        }
        if dfa.is_quit_state(s) {
            f |= QUIT;
        }
        data.u8s(&[f]);
    }
    data.align(4);
    let trans = data.addr();
    for si in 0..n {
        for col in &columns {
            data.u32(col[si]);
        }
    }
    let at = data.addr();
    data.u32(nclasses as u32);
    data.u32(eoi);
    data.u32(state_flags);
    data.u32(trans);
    data.u8s(&classes);
    for s in &starts {
        data.u32(ids[s]);
    }
    Ok(at)
}
