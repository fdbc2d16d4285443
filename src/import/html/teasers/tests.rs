//! Tests of the teaser search on pages written for them.
