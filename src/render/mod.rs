//! Render: the site graph through Tera themes into HTML and XML.

pub mod context;
