//! `calsim`: the Cal.com API v2 simulator as a program (DESIGN §3).

fn main() -> std::process::ExitCode {
    calsim::cli::main_from(std::env::args_os())
}
