//! The command line, as clap types only; `main.rs` carries them out.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// galley: a static site generator for archives of saved news articles.
#[derive(Debug, Parser)]
#[command(name = "galley", version, about)]
pub struct Cli {
    /// The site root, holding `site.yaml`.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// galley's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn saved article pages (`*.txt`) into Markdown under `content/`.
    Import(ImportArgs),
}

/// `galley import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Saved pages, or directories searched for `*.txt`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Overwrite files edited by hand, keeping a `.bak` beside each.
    #[arg(long)]
    pub force: bool,
    /// Report what would be written without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}
