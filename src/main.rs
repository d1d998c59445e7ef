//! The `juris` command: everything lives in the library; this only hands over.

// Unsafe code is refused but for the two calls that set up memory for one check.
#![deny(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    set_up_memory();
    juris::cli::main()
}

/// One run is one check. Memory freed while loading a plan is soon needed again, so
/// mimalloc keeps it (purge delay -1: never return it to the OS) rather than take
/// freshly zeroed pages back. Transparent huge pages are off: on a virtual machine like
/// CI's, faulting in 2 MiB pages put 0.4–1.25 s of system time on the 100,000-resource
/// plan, against 0.36–0.47 s with ordinary pages (10 interleaved runs, 2026-12-04).
fn set_up_memory() {
    // `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the 16th entry, in v2 and
    // v3 alike); libmimalloc-sys names the options around it but not this one.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option table, before
    // any other thread exists; PR_SET_THP_DISABLE sets one flag of this process (a
    // kernel without it returns an error, which changes nothing).
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
