//! Names that always fit: whatever the front matter says, every directory
//! and file a build writes has a name of at most 200 bytes, and terms that
//! meet after cutting keep distinct addresses.

use crate::support::*;
use std::collections::BTreeSet;
use std::path::Path;

/// The longest name a build may write, in bytes.
const MAX_SEGMENT: usize = 200;

/// Every path segment of the files under `dir` longer than the limit.
pub fn overlong_segments(dir: &Path) -> Vec<String> {
    let mut overlong = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if name.len() > MAX_SEGMENT {
            overlong.insert(format!("{} bytes: {}", name.len(), entry.path().display()));
        }
    }
    overlong.into_iter().collect()
}

#[test]
fn long_names_are_cut_to_fit_and_colliding_terms_keep_their_own_pages() {
    // Two tags whose slugs share the first 200 bytes, a 1,000-character
    // publication and author, a long `slug:` and a long alias.
    let stem = "harbour-".repeat(40);
    let tag_a = format!("{stem} alpha");
    let tag_b = format!("{stem} beta");
    let publication = "The Very Long Gazette ".repeat(46);
    let author = "Ann Lee-Harbourmaster ".repeat(46);
    let slug = "a-slug-that-goes-on-".repeat(15);
    let alias = format!("/old/{}/", "an-earlier-address-".repeat(15));
    let article = format!(
        "---\ntitle: Long names\ndate: 2021-03-04\nslug: {slug}x\npublication: \"{publication}\"\n\
         authors: [\"{author}\"]\ntags: [\"{tag_a}\", \"{tag_b}\", short]\naliases: [\"{alias}\"]\n---\n\nBody.\n"
    );
    let site = site_with(&[("site.yaml", "title: Long names\n"), ("content/long.md", &article)]);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();
    assert_eq!(overlong_segments(&public), Vec::<String>::new());

    let tag_pages: Vec<String> = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(tag_pages.len(), 3, "three tags, three pages: {tag_pages:?}");
    for tag in [&tag_a, &tag_b] {
        // Each long tag's own page carries its own name.
        let found = tag_pages.iter().any(|dir| {
            let html =
                std::fs::read_to_string(public.join("tags").join(dir).join("index.html")).unwrap();
            html.contains(&format!("<h1 class=\"page-title\">{}</h1>", tag.trim()))
        });
        assert!(found, "no page of its own for {tag}");
    }
    // The article links each tag to the page that carries it, and the build
    // checks clean: no link leads nowhere.
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn a_failed_write_names_the_content_file_and_line() {
    // An alias under the file of a term's page: one of the two writes fails
    // (which one depends on the order of a parallel build), and the error
    // names the article and the line of the key that made the page.
    let article = "---\ntitle: T\ndate: 2021-03-04\ntags: [ports]\n\
                   aliases: [/tags/ports/index.html/]\n---\n\nBody.\n";
    let site = site_with(&[("site.yaml", "title: T\n"), ("content/t.md", article)]);
    let out = tempfile::tempdir().unwrap();
    let assert = galley(site.path())
        .args(["build", "--output"])
        .arg(out.path().join("public"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("t.md:4:") || stderr.contains("t.md:5:"),
        "names the file and the `tags:` or `aliases:` line: {stderr}"
    );
    assert!(stderr.contains("writing the page made from this file failed"), "{stderr}");
}
