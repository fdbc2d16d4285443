//! The `galley` binary: parses arguments, calls the library, prints errors.

mod cli;

use clap::Parser;
use cli::{Cli, Command, ImportArgs};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => run_import(&cli.root, &args),
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

/// `galley import`: errors and hand-edited files on stderr, the summary on stdout.
fn run_import(root: &Path, args: &ImportArgs) -> galley::Result<ExitCode> {
    let options =
        galley::import::ImportOptions { force: args.force, dry_run: args.dry_run, progress: true };
    let report = galley::import::import_paths(root, &args.paths, &options)?;
    for diagnostic in &report.failed {
        eprintln!("error: {}", galley::import::one_line(diagnostic));
    }
    for path in &report.kept {
        eprintln!(
            "warning: {}: edited by hand, left alone (--force replaces it, keeping a .bak)",
            path.display()
        );
    }
    println!("{}", report.summary());
    Ok(if report.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
