//! The `juris` command: everything lives in the library; this only hands over.

fn main() -> std::process::ExitCode {
    juris::cli::main()
}
