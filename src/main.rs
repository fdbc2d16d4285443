//! The `galley` binary: parses arguments, calls the library, prints errors.

mod cli;

use clap::Parser;
use cli::{Cli, Command, ImportArgs};
use galley::pipeline::BuildOptions;
use galley::serve::ServeEvent;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    let result = match cli.command {
        Command::Import(args) => run_import(&root, &args),
        Command::Build(args) => {
            keep_freed_memory();
            let options = BuildOptions {
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
                timings: args.timings,
                ..BuildOptions::default()
            };
            galley::pipeline::build(&root, &options).map(|report| {
                if let Some(timings) = &report.timings {
                    eprintln!("{timings}");
                }
                let pages = match report.pages {
                    0 => String::new(),
                    1 => " and 1 page".to_string(),
                    n => format!(" and {n} pages"),
                };
                println!(
                    "built {} articles{pages}: {} files ({} written, {} unchanged) in {} ms",
                    report.articles,
                    report.files,
                    report.publish.written,
                    report.publish.unchanged,
                    report.elapsed.as_millis()
                );
                ExitCode::SUCCESS
            })
        }
        Command::Check(args) => {
            keep_freed_memory();
            let options = BuildOptions {
                output: None,
                base_url: args.base_url,
                drafts: args.drafts,
                ..BuildOptions::default()
            };
            galley::check::check(&root, &options).map(|report| {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
                for problem in &report.problems {
                    eprintln!("error: {problem}");
                }
                println!(
                    "checked {} pages and {} internal links: {} problems",
                    report.pages,
                    report.links,
                    report.problems.len()
                );
                if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
            })
        }
        Command::Serve(args) => {
            no_huge_pages();
            let build = BuildOptions {
                output: None,
                base_url: args.base_url,
                drafts: args.drafts,
                ..BuildOptions::default()
            };
            let options = galley::serve::ServeOptions {
                bind: args.bind,
                port: args.port,
                poll: args.poll,
                reporter: galley::serve::Reporter::new(print_serve_event),
                ..galley::serve::ServeOptions::default()
            };
            galley::serve::serve(galley::serve::SiteEngine::new(&root, build), options)
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Init(args) => {
            let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
            galley::init::init(&args.dir, today).map(|()| {
                println!(
                    "created a new site in {}; run `galley --root {} build`",
                    args.dir.display(),
                    args.dir.display()
                );
                ExitCode::SUCCESS
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            for e in err.flatten() {
                eprintln!("error: {e}");
            }
            let count = err.count();
            if count > 1 {
                eprintln!("{count} errors");
            }
            ExitCode::FAILURE
        }
    }
}

/// `galley import`: errors, warnings and hand-edited files on stderr, the
/// summary on stdout.
fn run_import(root: &Path, args: &ImportArgs) -> galley::Result<ExitCode> {
    let options =
        galley::import::ImportOptions { force: args.force, dry_run: args.dry_run, progress: true };
    let report = galley::import::import_paths(root, &args.paths, &options)?;
    for diagnostic in &report.failed {
        eprintln!("error: {}", galley::import::one_line(diagnostic));
    }
    for diagnostic in &report.warnings {
        eprintln!("warning: {}", galley::import::one_line(diagnostic));
    }
    for path in &report.kept {
        eprintln!(
            "warning: {}: edited by hand, left alone (--force replaces it, keeping a .bak)",
            path.display()
        );
    }
    for path in &report.unrecorded {
        eprintln!(
            "warning: {}: differs from this import and has no record of what galley wrote \
             (written by hand or by an older galley), left alone (--force replaces it, keeping a .bak)",
            path.display()
        );
    }
    println!("{}", report.summary());
    Ok(if report.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `galley serve`'s events: progress on stdout, problems on stderr.
fn print_serve_event(event: ServeEvent) {
    match event {
        ServeEvent::Serving { url } => println!("serving the site at {url}  (Ctrl-C to stop)"),
        ServeEvent::Reimported { pages } => println!("re-imported {pages} saved page(s)"),
        ServeEvent::KeptHandEdit { path } => {
            eprintln!("warning: {}: edited by hand, left alone", path.display());
        }
        ServeEvent::Built { changed_files, elapsed } => {
            println!("built: {changed_files} file(s) changed in {} ms", elapsed.as_millis());
        }
        ServeEvent::Failed { error } => {
            for e in error.flatten() {
                eprintln!("error: {e}");
            }
        }
        ServeEvent::Warning { message } => eprintln!("warning: {message}"),
        // A kind of event added to the library before this printer learnt it.
        other => eprintln!("{other:?}"),
    }
}

/// mimalloc for Rust's allocations, and (its `override` feature, in
/// Cargo.toml) for C's `malloc` too: syntect's regex engine, Oniguruma, is C
/// and allocates and frees a match region on every search, which glibc's
/// malloc made costly (docs/performance.md, "Allocator").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (mimalloc.h), which
/// libmimalloc-sys does not name; the test below checks that the number still
/// means that option.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the memory a one-shot command frees instead of
/// handing it back to the system a second later (its default): a build frees
/// and allocates again all along, and every page handed back and taken again
/// is a fault and a page the kernel zeroes once more; the price is a higher
/// peak (docs/performance.md). `serve` keeps the default: it runs for hours
/// and should give back what a rebuild used.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table; it
    // has no preconditions and takes effect for later frees.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

/// Asks the kernel for no transparent huge pages in this process: `serve`
/// holds many small objects for hours, and each 2 MiB page the kernel zeroes
/// at its first touch made the start slower and left more memory resident
/// (docs/performance.md). mimalloc asks for them where the system leaves it
/// to each program.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // Only a cost if refused: nothing to report.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 15 is still the purge delay: the allocator reports its documented
    /// default (1,000 ms in mimalloc 3; its neighbours' defaults are 1 and 0),
    /// unless the environment set it.
    #[test]
    fn purge_delay_option_number_matches_mimalloc() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        #[allow(unsafe_code)]
        // SAFETY: reads a number from mimalloc's option table.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
