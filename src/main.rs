//! The `galley` binary: parses arguments, calls the library, prints errors.

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(_args) => Err(galley::Error::Usage("import is not built yet".into())),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            for e in err.flatten() {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}
