//! The `sgsearch` binary: parse arguments, run the command, print the error once,
//! exit with the code DESIGN.md promises (0 ok, 1 failure, 2 usage, 3 index).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = sgsearch::cli::Cli::parse();
    match sgsearch::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if sgsearch::cli::is_broken_pipe(&err) {
                // `sgsearch … | head` closing the pipe is not a failure.
                return ExitCode::SUCCESS;
            }
            eprintln!("sgsearch: {err}");
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
