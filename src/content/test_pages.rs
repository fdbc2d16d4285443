//! Pages and files the content module's tests share.

use std::path::Path;

/// A page with only the two keys every page needs, and a one-line body.
pub(super) const MINIMAL: &str =
    "---\ntitle: \"Khamenei’s calculations\"\ndate: 2019-06-28\n---\nBody.\n";

/// Writes `text` to `relative` under `dir`, creating its directories.
pub(super) fn write(dir: &Path, relative: &str, text: &[u8]) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
