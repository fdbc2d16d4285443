//! galley's integration tests: one binary, one module per command.

mod build;
mod import;
mod serve;
mod support;
