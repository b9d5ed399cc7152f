//! The `frontdesk` command: serve, demo, migrate, retell-tools, bench.

fn main() -> std::process::ExitCode {
    frontdesk::cli::main_from(std::env::args_os())
}
