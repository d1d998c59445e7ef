//! Placeholder: the embedding example is written with the WebAssembly backend.
fn main() {}
