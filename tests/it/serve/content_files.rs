//! Files beside the pages in `content/` (images an import saved beside its
//! article): a build publishes those a body links at their path in
//! `content/`, under the base path, and serve answers them from disk.

use super::client::get;
use super::{options, write};
use galley::pipeline::BuildOptions;
use galley::serve::{SiteEngine, start};

const ARTICLE: &str = "---\ntitle: Harbour\ndate: 2020-01-05\n---\n\n\
    ![The quay at dawn](4f9a.png)\n\n[Plan](plan.pdf) and [missing](gone.png).\n";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: T\nbase_url: https://example.org/sub/\n");
    write(root, "content/articles/2020/01/harbour.md", ARTICLE);
    write(root, "content/articles/2020/01/4f9a.png", "PNG bytes");
    write(root, "content/articles/2020/01/plan.pdf", "PDF bytes");
    write(root, "content/articles/2020/01/unused.png", "never linked");
    dir
}

#[test]
fn a_build_publishes_the_files_bodies_link_beside_their_pages() {
    let site = site();
    let out = site.path().join("out");
    let options = BuildOptions { output: Some(out.clone()), ..Default::default() };
    galley::pipeline::build(site.path(), &options).unwrap();
    let html = std::fs::read_to_string(out.join("2020/01/harbour/index.html")).unwrap();
    assert!(html.contains("src=\"/sub/articles/2020/01/4f9a.png\""), "{html}");
    assert!(html.contains("href=\"/sub/articles/2020/01/plan.pdf\""), "{html}");
    // A link to a file that is not there stays as written.
    assert!(html.contains("href=\"gone.png\""), "{html}");
    assert_eq!(std::fs::read(out.join("articles/2020/01/4f9a.png")).unwrap(), b"PNG bytes");
    assert_eq!(std::fs::read(out.join("articles/2020/01/plan.pdf")).unwrap(), b"PDF bytes");
    assert!(!out.join("articles/2020/01/unused.png").exists(), "only linked files are published");
    assert!(!out.join("articles/2020/01/harbour.md").exists(), "never the Markdown");
}

#[test]
fn serve_answers_them_from_content() {
    let site = site();
    let engine = SiteEngine::new(site.path(), BuildOptions::default());
    let handle = start(engine, options()).unwrap();
    let home = handle.url();
    let (status, _, html) = get(&format!("{home}2020/01/harbour/"));
    assert_eq!(status, 200);
    assert!(html.contains("src=\"/sub/articles/2020/01/4f9a.png\""), "{html}");
    let (status, _, bytes) = get(&format!("{home}articles/2020/01/4f9a.png"));
    assert_eq!((status, bytes.as_str()), (200, "PNG bytes"));
    for hidden in ["articles/2020/01/harbour.md", "articles/2020/01/../01/4f9a.png"] {
        let status = get(&format!("{home}{hidden}")).0;
        assert!(matches!(status, 400 | 404), "{hidden}: {status}");
    }
}
