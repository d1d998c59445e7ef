//! `juris lsp`: a Language Server for `.juris` files over standard input and output.
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
