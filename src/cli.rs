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
    /// Render the site into `public/` (or `--output`), atomically.
    Build(BuildArgs),
    /// Build in memory and report broken links, anchors, feed and sitemap problems.
    Check(CheckArgs),
    /// Create a new site that builds at once.
    Init(InitArgs),
    /// Build in memory, serve the site with live reload, rebuild on every save.
    Serve(ServeArgs),
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

/// `galley build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output directory (default: `public/` under the site root).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml (e.g. `https://example.org/archive/`).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print where the build's time goes: thread-seconds per phase, wall time between steps.
    #[arg(long)]
    pub timings: bool,
}

/// `galley check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Check the site as deployed at this base URL.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
}

/// `galley init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Directory to create the site in (must not exist or be empty).
    pub dir: PathBuf,
}

/// `galley serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; `0.0.0.0` exposes the preview to the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on; 0 picks any free port.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Poll for changes instead of using file-system events (network file systems, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml; the site is served under its path.
    #[arg(long)]
    pub base_url: Option<String>,
}
