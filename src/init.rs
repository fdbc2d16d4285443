//! `galley init`: a new site that builds at once.

use crate::error::{Error, Result};
use std::fs;
use std::path::Path;

/// Creates a site in `dir` (which must not exist or be empty): `site.yaml`
/// and one article dated `today`. Never overwrites anything.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<()> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; galley init only creates new sites",
                dir.display()
            )));
        }
    }
    let name = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My archive".to_string());
    let article_dir =
        dir.join(format!("content/articles/{:04}/{:02}", today.year(), today.month()));
    fs::create_dir_all(&article_dir).map_err(|e| Error::io(&article_dir, e))?;
    let config = format!(
        "# galley site configuration: every key but `title` is optional.\n\
         title: {name:?}\n\
         base_url: \"/\"\n\
         language: \"en\"\n\
         paginate: 20\n"
    );
    let config_path = dir.join(crate::config::CONFIG_FILE);
    fs::write(&config_path, config).map_err(|e| Error::io(&config_path, e))?;
    let article = format!(
        "---\n\
         title: \"Welcome to your archive\"\n\
         date: {today}\n\
         authors: [\"The Archivist\"]\n\
         tags: [\"galley\"]\n\
         standfirst: \"Import saved pages with `galley import`, then build with `galley build`.\"\n\
         ---\n\n\
         This archive was created by `galley init`. Put saved article pages in `sources/` and run\n\
         `galley import sources`, or write Markdown files with front matter under `content/`.\n\n\
         ## Previewing\n\n\
         Run `galley serve` and open the address it prints; pages reload as you save.\n"
    );
    let article_path = article_dir.join("welcome-to-your-archive.md");
    fs::write(&article_path, article).map_err(|e| Error::io(&article_path, e))?;
    Ok(())
}
