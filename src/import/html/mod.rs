//! Import of saved HTML article pages.

// The importer that calls it lives on its own branch until the merge.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod teasers;
