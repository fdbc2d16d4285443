//! Unit tests of the saved-text parser, one rule at a time.
