//! galley's integration tests: one binary, one module per command.

mod addresses;
mod build;
mod deploy;
mod icons;
mod import;
mod incremental;
mod names;
mod search;
mod serve;
mod site_chrome;
mod site_pages;
mod snapshot;
mod standalone;
mod structured_data;
mod support;
mod term_feeds;
