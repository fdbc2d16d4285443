//! galley's integration tests: one binary, one module per command.

mod build;
mod import;
mod incremental;
mod serve;
mod snapshot;
mod support;
