//! What can go wrong compiling, loading or running a WebAssembly policy module.

use miette::Diagnostic;
use thiserror::Error;

/// Why a module could not be compiled, loaded or run.
#[derive(Debug, Error, Diagnostic)]
pub enum WasmError {
    /// The policy set could not be compiled to a module (an internal limit or bug).
    #[error("cannot compile the policies to WebAssembly: {reason}")]
    #[diagnostic(
        code(juris::E1001),
        help(
            "the policies check and run natively; please report this with the policy that triggers it"
        )
    )]
    Compile {
        /// What the assembler reported.
        reason: String,
    },

    /// The bytes are not a valid WebAssembly module.
    #[error("not a valid WebAssembly module: {reason}")]
    #[diagnostic(
        code(juris::E1002),
        help("pass a file written by `juris compile`; it may be truncated or corrupted")
    )]
    InvalidModule {
        /// What the WebAssembly validator reported.
        reason: String,
    },

    /// A valid module that is not a juris policy module.
    #[error("not a juris policy module: {reason}")]
    #[diagnostic(
        code(juris::E1003),
        help(
            "only modules written by `juris compile` can be loaded: they export `juris_eval` and carry a `juris.meta` section"
        )
    )]
    ForeignModule {
        /// What the module lacks.
        reason: String,
    },

    /// A juris module built for a different ABI version.
    #[error("the module uses juris ABI version {found}; this build runs version {expected}")]
    #[diagnostic(
        code(juris::E1004),
        help(
            "recompile the policies with this version of juris: `juris compile --policy ... -o FILE`"
        )
    )]
    AbiVersion {
        /// The ABI version the module declares.
        found: String,
        /// The ABI version this host speaks.
        expected: u32,
    },

    /// The evaluation used up its fuel.
    #[error("the policy module ran out of fuel ({fuel} units) before finishing")]
    #[diagnostic(
        code(juris::E1005),
        help(
            "the inventory may be very large or a rule very expensive; if the module is trusted, raise the limit with `--limit wasm_fuel=N` (`Limits::fuel` when embedding)"
        )
    )]
    OutOfFuel {
        /// The fuel the call was given.
        fuel: u64,
    },

    /// The evaluation needed more memory than the cap.
    #[error("the policy module needed more than {bytes} bytes of memory")]
    #[diagnostic(
        code(juris::E1006),
        help(
            "the inventory may be very large; if the module is trusted, raise the limit with `--limit wasm_memory=N` (`Limits::memory` when embedding)"
        )
    )]
    OutOfMemory {
        /// The cap on the module's memory, in bytes.
        bytes: usize,
    },

    /// The module trapped for another reason (e.g. its stack overflowed).
    #[error("the policy module trapped: {reason}")]
    #[diagnostic(
        code(juris::E1007),
        help(
            "a module written by `juris compile` should never trap; please report it with the input"
        )
    )]
    Trap {
        /// What the runtime reported.
        reason: String,
    },

    /// The module rejected the input (see `docs/embedding.md` for the codes).
    #[error("{message}")]
    #[diagnostic(
        code(juris::E1008),
        help(
            "the module's error code is {code}: 1 not JSON, 2 not an inventory document, 3 bad `today` or `fail_on`, 4 exception expires too late"
        )
    )]
    Rejected {
        /// The module's error code (`wasm::error_code`).
        code: i32,
        /// The module's message.
        message: String,
    },

    /// The host could not set up or call the module.
    #[error("cannot run the policy module: {reason}")]
    #[diagnostic(
        code(juris::E1009),
        help("check the module was compiled for this ABI and the input is under 2 GiB")
    )]
    Host {
        /// What went wrong on the host side.
        reason: String,
    },
}
