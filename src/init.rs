//! `galley init`: a new site that builds at once.

use crate::error::{Error, Result};
use std::fs;
use std::path::Path;

/// Creates a site in `dir` (which must not exist or be empty): `site.yaml`
/// with a menu, one article dated `today` and an about page. Never overwrites anything.
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
         paginate: 20\n\
         # Links in the header of every page: a standalone page's slug, or a url.\n\
         menu:\n  - title: About\n    page: about\n"
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
    let pages_dir = dir.join("content/pages");
    fs::create_dir_all(&pages_dir).map_err(|e| Error::io(&pages_dir, e))?;
    let about = "---\n\
         title: \"About\"\n\
         ---\n\n\
         A page under `content/pages/` stands on its own: it needs a title, may have a date, and is\n\
         published at its own address (this one at `about/`), outside the archive, the listings\n\
         and the feed. Add it to `menu:` in `site.yaml` to link it from every page.\n";
    let about_path = pages_dir.join("about.md");
    fs::write(&about_path, about).map_err(|e| Error::io(&about_path, e))?;
    Ok(())
}
