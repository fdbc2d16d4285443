//! Times the middle of a build on a corpus: load every page, then render every
//! body (links resolved, code highlighted), in parallel, writing nothing.
//!
//!   cargo run --release -p galley-corpus -- /tmp/corpus 10000
//!   cargo run --release --example content_timing -- /tmp/corpus/content
//!
//! Compare with the floor program's `parse` and `full-hl` modes
//! (../shared/bench/README.md) on the same corpus.

use galley::content::load_pages;
use galley::markdown::{Highlighter, render_markdown};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(content) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: content_timing CONTENT_DIR");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let pages = match load_pages(&content) {
        Ok(pages) => pages,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let load = start.elapsed();

    let urls: HashMap<String, String> =
        pages.iter().map(|p| (p.relative_path.clone(), format!("/{}/", p.slug))).collect();
    let highlighter = match Highlighter::new("InspiredGitHub") {
        Ok(highlighter) => highlighter,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let render_start = Instant::now();
    let results: Vec<_> =
        pages.par_iter().map(|page| render_markdown(page, &urls, &highlighter)).collect();
    let render = render_start.elapsed();

    let mut html_bytes = 0;
    let mut words = 0;
    let mut code_pages = 0;
    for (page, result) in pages.iter().zip(&results) {
        match result {
            Ok(out) => {
                html_bytes += out.html.len();
                words += out.word_count;
                code_pages += usize::from(out.has_code);
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("{error}");
                }
                eprintln!("{}: could not render", page.relative_path);
                return ExitCode::FAILURE;
            }
        }
    }
    println!(
        "pages={} threads={} load={:.3}s render={:.3}s total={:.3}s html={:.1}MB words={} code_pages={}",
        pages.len(),
        rayon::current_num_threads(),
        load.as_secs_f64(),
        render.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        html_bytes as f64 / 1e6,
        words,
        code_pages,
    );
    ExitCode::SUCCESS
}
