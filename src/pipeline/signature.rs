//! The key of a rendered body: what it was rendered from and where its `.md`
//! links lead (a body links to a page by its address, so the HTML changes
//! when a linked page moves). The preview keeps bodies by it.

use crate::markdown::LinkResolver;
use std::hash::Hash;

fn finish(value: impl Hash) -> u64 {
    crate::fingerprint::of(value)
}

/// Where each `.md` link of a body points now (`None`: missing).
pub(super) fn link_targets(links: &dyn LinkResolver, body_links: &[String]) -> Vec<Option<String>> {
    body_links.iter().map(|l| links.resolve(l)).collect()
}

/// Identifies a rendered body: the page's content and where its links point.
pub(super) fn markdown_key(content_hash: u64, link_targets: &[Option<String>]) -> u64 {
    finish((content_hash, link_targets))
}
