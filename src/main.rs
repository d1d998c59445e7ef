//! The `juris` command: everything lives in the library; this only hands over.

// Unsafe code is refused but for one call that sets an allocator option.
#![deny(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    juris::cli::main()
}

/// One run is one check: memory freed while loading a plan is soon needed again for
/// the next resources, so mimalloc keeps it (purge delay -1 = never return it to the
/// OS) instead of returning it and taking freshly zeroed pages back.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the 16th entry, in v2 and
    // v3 alike); libmimalloc-sys names the options around it but not this one.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option table; it is
    // called before any other thread exists.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}
