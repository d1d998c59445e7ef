//! Placeholder; see the module docs once written.
