//! Import: saved article pages become Markdown files with front matter.
