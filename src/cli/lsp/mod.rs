//! `juris lsp`: a Language Server for `.juris` files over standard input and output.
//! It is part of the command line (the `cli` feature): an embedder links neither.
//!
//! The whole policy set is checked as `juris check` checks it (the workspace's
//! `.juris` files with the standard library and rules), and kept checked as
//! documents change ([`workspace`]); hover, definition, references and completion
//! read what the checker recorded ([`query`], [`complete`]). The server is
//! synchronous: one message at a time, each answered in milliseconds.

mod complete;
mod docs;
mod query;
mod server;
pub mod text;
pub mod transport;
pub mod workspace;

pub use server::serve;

use clap::Args;

use super::{EXIT_ERROR, EXIT_PASS, Failure};

/// Serve one session over standard input and output; returns when the client
/// sends `exit` or closes the input.
pub fn run_stdio() -> std::io::Result<()> {
    let (connection, threads) =
        transport::connect(std::io::BufReader::new(std::io::stdin()), std::io::stdout());
    let result = serve(&connection);
    drop(connection);
    threads.join()?;
    result
}

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because
    /// many editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> Result<u8, Failure> {
    match run_stdio() {
        Ok(()) => Ok(EXIT_PASS),
        Err(e) => {
            eprintln!("juris lsp: {e}");
            Ok(EXIT_ERROR)
        }
    }
}
