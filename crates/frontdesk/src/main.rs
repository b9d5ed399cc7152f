//! The `frontdesk` command: serve, demo, migrate, retell-tools, bench.

fn main() -> std::process::ExitCode {
    frontdesk::cli::main_from(std::env::args_os())
}

/// mimalloc instead of glibc's allocator: a function call allocates a few hundred small objects
/// (tokens, JSON, spoken words), and glibc's malloc and free were a fifth of a request's CPU
/// (with `malloc_consolidate` on the handler's large future). Measured in BENCHMARKS.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
