//! Atomic publishing to a directory.
//!
//! Files are written into a staging directory beside the target
//! (`.public.staging-PID`), which is swapped into place only when the whole
//! build succeeded, so a failed or interrupted build leaves the last good
//! output untouched and a server never sees a half-written site. A file whose
//! bytes did not change is hard-linked from the previous output instead of
//! written again: creating many new files right after deleting many is slow
//! on ext4 (docs/performance.md).

use super::{OutputSink, check_relative};
use crate::error::{Error, Result};
use crate::open_dir::OpenDir;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a publish did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishStats {
    /// Files whose bytes were new or changed.
    pub written: usize,
    /// Files carried over unchanged from the previous output (hard links).
    pub unchanged: usize,
}

/// A directory being built; published by [`StagedOutput::commit`], discarded on drop.
#[derive(Debug)]
pub struct StagedOutput {
    target: PathBuf,
    staging: PathBuf,
    /// `staging`, opened once: files and directories are created relative to it.
    staging_dir: OpenDir,
    previous_exists: bool,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
}

/// Refuses output directories that would destroy the site itself: the site
/// root, a directory holding `content/` or `site.yaml`, anything inside
/// `content/`, or an existing non-empty directory that is not a galley output.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
        };
        // Canonicalise what exists so `./x/..` and symlinks compare equal.
        p.canonicalize().unwrap_or(p)
    };
    let root_abs = absolute(root);
    let out_abs = absolute(output);
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to use {} as the output directory: {why}",
            output.display()
        )))
    };
    if out_abs == root_abs || root_abs.starts_with(&out_abs) {
        return refuse("it is the site root or contains it");
    }
    if out_abs.starts_with(root_abs.join("content")) {
        return refuse("it is inside content/");
    }
    if out_abs.join("content").exists() || out_abs.join(crate::config::CONFIG_FILE).exists() {
        return refuse("it holds a site (content/ or site.yaml)");
    }
    if out_abs.is_dir() && !looks_like_output(&out_abs) {
        return refuse(
            "it is not empty and does not look like a galley output (no index.html and 404.html); remove it or choose another",
        );
    }
    Ok(())
}

fn looks_like_output(dir: &Path) -> bool {
    let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    empty || (dir.join("index.html").is_file() && dir.join("404.html").is_file())
}

impl StagedOutput {
    /// Starts a build that will replace `target`. Removes staging directories
    /// left by interrupted builds.
    pub fn begin(target: &Path) -> Result<StagedOutput> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .ok_or_else(|| {
                Error::Usage(format!("output directory {} has no name", target.display()))
            })?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        remove_stale_staging(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        let staging_dir = OpenDir::open(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(StagedOutput {
            target: target.to_path_buf(),
            staging,
            staging_dir,
            previous_exists: target.is_dir(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Swaps the staging directory into place and removes the old output.
    pub fn commit(mut self) -> Result<PublishStats> {
        if self.previous_exists {
            swap_dirs(&self.staging, &self.target)?;
            // After the exchange, the staging path holds the previous output.
        } else {
            fs::rename(&self.staging, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        self.committed = true;
        if self.previous_exists {
            fs::remove_dir_all(&self.staging).map_err(|e| Error::io(&self.staging, e))?;
        }
        Ok(PublishStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }

    /// Creates the directories of `relative` (a file's path in the output).
    /// Nearly every page has a directory of its own (`2019/06/slug/`), so
    /// there is nothing to gain from remembering which ones exist: one
    /// `mkdir` per file, which fails harmlessly for the few that share one.
    fn ensure_parent(&self, relative: &Path) -> Result<()> {
        let Some(dir) = relative.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        self.staging_dir.create_dir_all(dir).map_err(|e| Error::io(self.staging.join(dir), e))
    }
}

impl OutputSink for StagedOutput {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        check_relative(relative)?;
        let relative_path = Path::new(relative);
        self.ensure_parent(relative_path)?;
        if self.previous_exists {
            let previous = self.target.join(relative);
            let destination = self.staging.join(relative);
            if same_bytes(&previous, bytes) && fs::hard_link(&previous, &destination).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        let mut file = self
            .staging_dir
            .create_file(relative_path)
            .map_err(|e| Error::io(self.staging.join(relative), e))?;
        file.write_all(bytes).map_err(|e| Error::io(self.staging.join(relative), e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build: the previous output stays as it was.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes` (size first: cheap).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).map(|old| old == bytes).unwrap_or(false)
        }
        _ => false,
    }
}

fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        if let Some(pid) = file_name.strip_prefix(&prefix) {
            // Another build running right now owns its staging directory.
            if pid.parse::<u32>().is_ok_and(process_is_running) {
                continue;
            }
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_is_running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Exchanges two directories atomically where the OS can (Linux
/// `renameat2(RENAME_EXCHANGE)`), else by two renames.
fn swap_dirs(staging: &Path, target: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = target.with_file_name(format!(
        ".{}.old-{}",
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(Error::io(target, e));
    }
    fs::rename(&aside, staging).map_err(|e| Error::io(staging, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_and_reuses_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = StagedOutput::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("a/index.html", b"a").unwrap();
        let stats = out.commit().unwrap();
        assert_eq!(stats, PublishStats { written: 2, unchanged: 0 });
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"a");

        let out = StagedOutput::begin(&target).unwrap();
        out.write("index.html", b"home").unwrap();
        out.write("b/index.html", b"b").unwrap();
        let stats = out.commit().unwrap();
        assert_eq!(stats, PublishStats { written: 1, unchanged: 1 });
        assert!(!target.join("a").exists(), "files of the old build are gone");
        assert_eq!(fs::read(target.join("b/index.html")).unwrap(), b"b");
        let leftovers: Vec<_> =
            fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, ["public"], "no staging directory is left behind");
    }

    #[test]
    fn a_dropped_build_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let out = StagedOutput::begin(&target).unwrap();
        out.write("index.html", b"good").unwrap();
        out.commit().unwrap();
        let out = StagedOutput::begin(&target).unwrap();
        out.write("index.html", b"half").unwrap();
        drop(out);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"good");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_dangerous_output_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("content")).unwrap();
        fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content/out")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        fs::create_dir(root.join("docs")).unwrap();
        fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        assert!(check_output_dir(root, &root.join("docs")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
    }

    #[test]
    fn rejects_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = StagedOutput::begin(&dir.path().join("public")).unwrap();
        assert!(out.write("../evil", b"x").is_err());
        assert!(out.write("/etc/x", b"x").is_err());
        assert!(out.write("a//b", b"x").is_err());
    }
}
