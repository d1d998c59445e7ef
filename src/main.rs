//! The `juris` command: everything lives in the library; this only hands over.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    juris::cli::main()
}
