//! How a save changed articles' addresses, for a preview that follows the
//! page being edited.

use super::AddressChanges;
use crate::site::SiteGraph;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The site path of each changed content file that is an article of
/// the current graph.
pub(super) fn addresses_of(
    graph: Option<&SiteGraph>,
    content_dir: &Path,
    changed: &[PathBuf],
) -> Vec<(String, String)> {
    let Some(graph) = graph else { return Vec::new() };
    changed
        .iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(content_dir).ok()?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            let &index = graph.by_content_path.get(&relative)?;
            Some((relative, graph.articles[index].site_path.to_string()))
        })
        .collect()
}

/// Articles whose address changed between `before` and `after` (content
/// path, site path). A file renamed is one content path gone and one new
/// in the same save: when that is all that happened, it is a move.
pub(super) fn compare(
    graph: Option<&SiteGraph>,
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
) -> AddressChanges {
    let Some(graph) = graph else { return AddressChanges::default() };
    let file = |site_path: &str| format!("{}index.html", site_path.trim_start_matches('/'));
    let after_by_path: BTreeMap<&str, &str> =
        after.iter().map(|(p, s)| (p.as_str(), s.as_str())).collect();
    let before_paths: std::collections::HashSet<&str> =
        before.iter().map(|(p, _)| p.as_str()).collect();
    let mut changes = AddressChanges::default();
    let mut gone = Vec::new();
    for (path, old) in &before {
        match after_by_path.get(path.as_str()) {
            Some(new) if *new != old => changes.moved.push((file(old), graph.url(new))),
            Some(_) => {}
            None => gone.push(old.as_str()),
        }
    }
    let added: Vec<&str> = after
        .iter()
        .filter(|(p, _)| !before_paths.contains(p.as_str()))
        .map(|(_, s)| s.as_str())
        .collect();
    match (gone.as_slice(), added.as_slice()) {
        ([old], [new]) => changes.moved.push((file(old), graph.url(new))),
        _ => changes.removed.extend(gone.iter().map(|old| file(old))),
    }
    changes
}
