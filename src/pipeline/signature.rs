//! Keys that tell the incremental engine what it may reuse.
//!
//! A page's own signature is the hash of everything its template sees
//! ([`PageView::signature`](crate::render::PageView::signature)); what is
//! here keys the inputs that are not template values: a rendered body (the
//! page's content and where its `.md` links point) and an asset's bytes.

use crate::markdown::LinkResolver;
use std::hash::Hash;

fn finish(value: impl Hash) -> u64 {
    crate::fingerprint::of(value)
}

/// An asset: its bytes.
pub(super) fn of_asset(bytes: &[u8]) -> u64 {
    finish(bytes)
}

/// Where each `.md` link of a body points now (`None`: missing).
pub(super) fn link_targets(links: &dyn LinkResolver, body_links: &[String]) -> Vec<Option<String>> {
    body_links.iter().map(|l| links.resolve(l)).collect()
}

/// Identifies a rendered body: the page's content and where its links point.
pub(super) fn markdown_key(content_hash: u64, link_targets: &[Option<String>]) -> u64 {
    finish((content_hash, link_targets))
}
