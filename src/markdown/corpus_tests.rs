//! Loads and renders every page of a small generated corpus (the benchmarks'
//! generator, `crates/galley-corpus`), so the loader and renderer are tested
//! on the shape of content a real build sees.

use super::*;
use crate::content::load_pages;
use std::collections::HashMap;

#[test]
fn loads_and_renders_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    galley_corpus::write_site(dir.path(), 50, galley_corpus::DEFAULT_SEED).unwrap();

    let pages = load_pages(&dir.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages.len(), 50);
    let urls: HashMap<String, String> =
        pages.iter().map(|p| (p.relative_path.clone(), format!("/{}/", p.slug))).collect();
    let highlighter = Highlighter::new("InspiredGitHub").unwrap();

    let mut code_pages = 0;
    let mut linked_pages = 0;
    for page in &pages {
        assert!(page.relative_path.starts_with("articles/"), "{}", page.relative_path);
        assert!(!page.front_matter.title.is_empty());
        let out = render_markdown(page, &urls, &highlighter)
            .unwrap_or_else(|errors| panic!("{}: {}", page.relative_path, errors[0]));
        // The generator writes ~1,100–1,400 words of prose per article.
        assert!(
            (900..1600).contains(&out.word_count),
            "{}: {}",
            page.relative_path,
            out.word_count
        );
        assert!(!out.html.contains("](") || out.html.contains("<pre"), "unrendered link");
        assert!(!out.html.contains(".md\""), "{}: a page link kept its .md", page.relative_path);
        if out.has_code {
            code_pages += 1;
            assert!(out.html.contains("<span class=\"hl-"), "{}", page.relative_path);
        }
        if page.body.as_deref().unwrap_or_default().contains(".md)") {
            linked_pages += 1;
        }
    }
    // The generator puts code in ~10% and links in ~30% of articles; with 50
    // articles and its fixed seed both occur, so both paths were exercised.
    assert!(code_pages > 0 && linked_pages > 0, "code {code_pages}, links {linked_pages}");
    assert_eq!(highlighter.loaded(), code_pages > 0);
}
