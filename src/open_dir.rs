//! [`OpenDir`]: a directory opened once, whose files are then opened by
//! their path relative to it.
//!
//! Resolving a path costs a lookup per component, and resolving a long
//! absolute path can cost more than writing a small file (measured in
//! docs/performance.md, "files opened relative to a directory"). A build
//! opens every content file and creates every output file, so both go
//! through an `OpenDir` where the system has `openat` (Linux); elsewhere the
//! paths are joined as usual.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// An open directory (see the module's documentation).
#[derive(Debug)]
pub struct OpenDir {
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
    #[cfg(not(target_os = "linux"))]
    path: std::path::PathBuf,
}

impl OpenDir {
    /// Opens the directory at `path`.
    pub fn open(path: &Path) -> std::io::Result<OpenDir> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Ok(OpenDir { fd: rustix::fs::open(path, flags, Mode::empty())? })
        }
        #[cfg(not(target_os = "linux"))]
        {
            if !path.is_dir() {
                return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"));
            }
            Ok(OpenDir { path: path.to_path_buf() })
        }
    }

    /// The whole of the file at `relative`, as UTF-8 text (an error of kind
    /// `InvalidData` when it is not), like [`std::fs::read_to_string`].
    pub fn read_to_string(&self, relative: &Path) -> std::io::Result<String> {
        let mut file = self.open_file(relative)?;
        // Sized from the file so the buffer is allocated once.
        let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
        let mut text = String::new();
        text.try_reserve_exact(size).map_err(std::io::Error::other)?;
        ReadCalls(&mut file).read_to_string(&mut text)?;
        Ok(text)
    }

    /// Appends the whole of the file at `relative` to `buffer`, as UTF-8 text
    /// (an error of kind `InvalidData`, `buffer` unchanged, when it is not),
    /// like [`Read::read_to_string`]: for a caller that reuses one buffer.
    pub fn read_into(&self, relative: &Path, buffer: &mut String) -> std::io::Result<()> {
        // Room for a typical page, so a new buffer is not grown step by step.
        buffer.reserve(16 * 1024);
        let file = self.open_file(relative)?;
        #[cfg(target_os = "linux")]
        {
            append_file(&file, buffer)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut file = file;
            ReadCalls(&mut file).read_to_string(buffer).map(|_| ())
        }
    }

    /// `mkdir -p` of `relative` inside the directory.
    pub fn create_dir_all(&self, relative: &Path) -> std::io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            use rustix::io::Errno;
            let mode = rustix::fs::Mode::from_raw_mode(0o777);
            match rustix::fs::mkdirat(&self.fd, relative, mode) {
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(Errno::NOENT) => {
                    if let Some(parent) = relative.parent().filter(|p| !p.as_os_str().is_empty()) {
                        self.create_dir_all(parent)?;
                    }
                    match rustix::fs::mkdirat(&self.fd, relative, mode) {
                        // Another thread may have made it in the meantime.
                        Ok(()) | Err(Errno::EXIST) => Ok(()),
                        Err(e) => Err(e.into()),
                    }
                }
                Err(e) => Err(e.into()),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            std::fs::create_dir_all(self.path.join(relative))
        }
    }

    /// Creates (or truncates) the file at `relative` for writing, like
    /// [`File::create`].
    pub fn create_file(&self, relative: &Path) -> std::io::Result<File> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.fd, relative, flags, Mode::from_raw_mode(0o666))?;
            Ok(File::from(fd))
        }
        #[cfg(not(target_os = "linux"))]
        {
            File::create(self.path.join(relative))
        }
    }

    fn open_file(&self, relative: &Path) -> std::io::Result<File> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::CLOEXEC;
            Ok(File::from(rustix::fs::openat(&self.fd, relative, flags, Mode::empty())?))
        }
        #[cfg(not(target_os = "linux"))]
        {
            File::open(self.path.join(relative))
        }
    }
}

/// Appends the rest of `file` to `buffer` as UTF-8 text (`buffer` unchanged
/// and an error of kind `InvalidData` when it is not), reading straight into
/// the buffer's spare room: std's `read_to_string` on a reader without
/// `read_buf` (as [`ReadCalls`]) zeroes that room before every read: 1% of a
/// build's instructions spent in `memset` (docs/performance.md,
/// "Content: files read into the buffer's spare room").
#[cfg(target_os = "linux")]
fn append_file(file: &File, buffer: &mut String) -> std::io::Result<()> {
    let start = buffer.len();
    let mut bytes = std::mem::take(buffer).into_bytes();
    let read = read_to_end(file, &mut bytes);
    if read.is_err() {
        bytes.truncate(start);
    }
    // One check of the whole text (the buffer is usually empty before the
    // read); only when it fails is the part before `start` taken back.
    let valid = match String::from_utf8(bytes) {
        Ok(text) => {
            *buffer = text;
            true
        }
        Err(bad) => {
            let mut bytes = bad.into_bytes();
            bytes.truncate(start);
            *buffer = String::from_utf8(bytes).unwrap_or_default();
            false
        }
    };
    read?;
    if valid {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    }
}

/// Appends the rest of `file` to `bytes` with `read` calls alone.
#[cfg(target_os = "linux")]
fn read_to_end(file: &File, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    loop {
        if bytes.capacity() - bytes.len() < 4096 {
            bytes.reserve(bytes.capacity().max(16 * 1024));
        }
        match rustix::io::read(file, rustix::buffer::spare_capacity(bytes)) {
            Ok(0) => return Ok(()),
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// A file read with `read` calls alone. std's `read_to_string` on a `File`
/// first asks for the file's size and position (`statx`, `lseek`) to size the
/// buffer; here the buffer is already sized (or reused), and in a profile of
/// a 10,000-article build those two calls were an eighth of the time spent
/// reading each page's file again.
struct ReadCalls<'f>(&'f mut File);

impl Read for ReadCalls<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_nested_directories_and_files_and_reads_them_back() {
        let temp = tempfile::tempdir().unwrap();
        let dir = OpenDir::open(temp.path()).unwrap();
        dir.create_dir_all(Path::new("2019/06/slug")).unwrap();
        // Creating what exists is not an error (two pages share a month).
        dir.create_dir_all(Path::new("2019/06")).unwrap();
        let mut file = dir.create_file(Path::new("2019/06/slug/index.html")).unwrap();
        std::io::Write::write_all(&mut file, "<p>café</p>".as_bytes()).unwrap();
        drop(file);
        let on_disk = std::fs::read_to_string(temp.path().join("2019/06/slug/index.html")).unwrap();
        assert_eq!(on_disk, "<p>café</p>");
        let read = dir.read_to_string(Path::new("2019/06/slug/index.html")).unwrap();
        assert_eq!(read, "<p>café</p>");
        // A second create truncates.
        drop(dir.create_file(Path::new("2019/06/slug/index.html")).unwrap());
        assert_eq!(dir.read_to_string(Path::new("2019/06/slug/index.html")).unwrap(), "");
    }

    #[test]
    fn reports_missing_files_and_text_that_is_not_utf8() {
        let temp = tempfile::tempdir().unwrap();
        let dir = OpenDir::open(temp.path()).unwrap();
        let missing = dir.read_to_string(Path::new("nope.md")).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        std::fs::write(temp.path().join("latin1.md"), b"caf\xe9").unwrap();
        let bad = dir.read_to_string(Path::new("latin1.md")).unwrap_err();
        assert_eq!(bad.kind(), std::io::ErrorKind::InvalidData);
        // A file where a directory is needed is an error, not a panic.
        std::fs::write(temp.path().join("file"), b"x").unwrap();
        assert!(dir.create_dir_all(Path::new("file/sub")).is_err());
        assert!(OpenDir::open(&temp.path().join("file")).is_err());
    }

    #[test]
    fn reads_into_a_reused_buffer_whole_files_of_any_size_and_keeps_it_on_bad_text() {
        let temp = tempfile::tempdir().unwrap();
        let dir = OpenDir::open(temp.path()).unwrap();
        // Larger than the buffer's first room, so read in several calls.
        let long: String = (0..20_000).map(|i| format!("línea {i}\n")).collect();
        std::fs::write(temp.path().join("long.md"), &long).unwrap();
        std::fs::write(temp.path().join("short.md"), "é").unwrap();
        std::fs::write(temp.path().join("latin1.md"), b"caf\xe9").unwrap();
        let mut buffer = String::from("kept ");
        dir.read_into(Path::new("short.md"), &mut buffer).unwrap();
        assert_eq!(buffer, "kept é");
        buffer.clear();
        dir.read_into(Path::new("long.md"), &mut buffer).unwrap();
        assert_eq!(buffer, long);
        let bad = dir.read_into(Path::new("latin1.md"), &mut buffer).unwrap_err();
        assert_eq!(bad.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(buffer, long, "the buffer is as it was");
        let missing = dir.read_into(Path::new("nope.md"), &mut buffer).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
    }
}
