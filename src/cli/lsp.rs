//! `juris lsp`: the language server for editors, over standard input and output.

use clap::Args;

use super::{EXIT_ERROR, EXIT_PASS, Failure};

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because
    /// many editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> Result<u8, Failure> {
    match crate::lsp::run_stdio() {
        Ok(()) => Ok(EXIT_PASS),
        Err(e) => {
            eprintln!("juris lsp: {e}");
            Ok(EXIT_ERROR)
        }
    }
}
