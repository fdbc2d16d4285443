//! Embeds the default theme (`themes/default/`) into the binary, so `galley build`
//! works from any directory without the repository at hand.
//!
//! Writes `$OUT_DIR/default_theme.rs`: a sorted table of `(relative path with '/', bytes)`
//! built from `include_bytes!` with absolute paths. std only: no build-dependencies.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = generate() {
        // A build script reports failure by panicking; this message is what cargo shows.
        panic!("embedding themes/default failed: {e}");
    }
}

fn generate() -> io::Result<()> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let theme_dir = manifest_dir.join("themes").join("default");
    println!("cargo:rerun-if-changed={}", theme_dir.display());

    let mut files = Vec::new();
    collect_files(&theme_dir, &mut files)?;
    let mut entries = Vec::with_capacity(files.len());
    for path in files {
        // Watching each file as well as the directories catches edits in place,
        // which do not change a directory's modification time.
        println!("cargo:rerun-if-changed={}", path.display());
        let relative = relative_slash_path(&theme_dir, &path)?;
        entries.push((relative, path));
    }
    entries.sort();

    let mut code = String::from(
        "/// Every file of `themes/default/`: (path relative to it with `/`, contents), sorted by path.\n\
         pub static DEFAULT_THEME_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, path) in &entries {
        let absolute = path.to_str().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{} is not UTF-8", path.display()))
        })?;
        code.push_str(&format!("    ({relative:?}, include_bytes!({absolute:?})),\n"));
    }
    code.push_str("];\n");

    let out = PathBuf::from(env_var("OUT_DIR")?).join("default_theme.rs");
    // Rewrite only on change, so an unchanged theme does not recompile the crate.
    if fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        fs::write(&out, code)?;
    }
    Ok(())
}

fn env_var(name: &str) -> io::Result<String> {
    std::env::var(name)
        .map_err(|_| io::Error::new(io::ErrorKind::NotFound, format!("${name} unset")))
}

/// Every regular file under `dir`, recursively; directories are watched too so
/// that adding a file re-runs this script.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_files(&path, files)?;
        } else if file_type.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

fn relative_slash_path(base: &Path, path: &Path) -> io::Result<String> {
    let relative = path.strip_prefix(base).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is outside {}", path.display(), base.display()),
        )
    })?;
    let mut parts = Vec::new();
    for component in relative.components() {
        let part = component.as_os_str().to_str().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{} is not UTF-8", path.display()))
        })?;
        parts.push(part);
    }
    Ok(parts.join("/"))
}
