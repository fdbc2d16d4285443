//! `galley-corpus OUT N [--seed S]`: writes a generated site of N articles
//! (see the library's documentation) for benchmarks and experiments.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes a site of N generated news articles in galley's format.
#[derive(Parser)]
#[command(name = "galley-corpus")]
struct Args {
    /// Directory to write the site into (site.yaml, content/articles/).
    out: PathBuf,
    /// Number of articles.
    articles: usize,
    /// Seed: the same seed and N give the same bytes.
    #[arg(long, default_value_t = galley_corpus::DEFAULT_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match galley_corpus::write_site(&args.out, args.articles, args.seed) {
        Ok(summary) => {
            eprintln!(
                "wrote {} articles ({} body words) to {} [seed {}]",
                summary.articles,
                summary.body_words,
                args.out.display(),
                args.seed
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
