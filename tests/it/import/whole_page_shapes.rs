//! Whole pages of shapes beyond a headline over prose: a page that is all
//! body (no headline marks any line), text hard-wrapped at a fixed width,
//! a page padded with blank and indented lines. Pages in
//! `tests/fixtures/whole-pages/` and the texts below were written for these
//! tests.

use galley::import::{ImportedArticle, Importer, SavedTextImporter, one_line};
use std::path::{Path, PathBuf};

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whole-pages").join(name)
}

fn parse_file(path: &Path) -> Result<ImportedArticle, String> {
    let text = std::fs::read_to_string(path).unwrap();
    SavedTextImporter::default().parse(path, &text).map_err(|e| one_line(&e))
}

/// `text` saved as `name` in a scratch directory (so the page has a time
/// of saving) and parsed.
fn parse_saved(name: &str, text: &str) -> Result<ImportedArticle, String> {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    parse_file(&path)
}

fn warnings(article: &ImportedArticle) -> Vec<String> {
    article.warnings.iter().map(one_line).collect()
}

#[test]
fn a_page_of_prose_alone_is_titled_after_its_file_name() {
    let path = page("a-note-on-the-tides.txt");
    let article = parse_file(&path).unwrap();
    assert_eq!(article.front_matter.title, "a note on the tides");
    assert_eq!(article.body.len(), 2, "{:#?}", article.body);
    assert!(article.body[0].starts_with("The tide came in faster"));
    assert!(article.body[1].starts_with("It was reset last week"));
    let warnings = warnings(&article);
    let titled = format!(
        "{}:1: no title on the page; titled after the file name: set title: by hand",
        path.display()
    );
    assert!(warnings.contains(&titled), "{warnings:#?}");
    assert!(
        warnings.iter().any(|w| w.contains("no publication date on the page")),
        "{warnings:#?}"
    );
}

#[test]
fn lines_no_headline_marks_are_all_body() {
    for (name, text, body) in [
        // A paragraph cut off mid-sentence: two sentences, no headline.
        (
            "cut-off.txt",
            "The gauge on the north quay reads slow in a spring tide. The harbour master says it is, L",
            vec![
                "The gauge on the north quay reads slow in a spring tide. The harbour master says it is, L",
            ],
        ),
        ("fragments.txt", "abc\n\ndef\n\nghi\n", vec!["abc", "def", "ghi"]),
        // Numbered headings of a series, not a headline over a body.
        ("tide-steps.txt", "Step 1\nStep 2\n", vec!["Step 1", "Step 2"]),
    ] {
        let article = parse_saved(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(article.body, body, "{name}");
        let title = name.trim_end_matches(".txt").replace('-', " ");
        assert_eq!(article.front_matter.title, title, "{name}");
        assert!(article.front_matter.source.as_ref().is_some_and(|s| s.undated), "{name}");
    }
}

#[test]
fn a_word_alone_or_a_headline_with_no_body_is_still_refused() {
    for (name, text) in [
        ("word.txt", "Test\n"),
        (
            "headline.txt",
            "Caldmere Evening Post\n\nMountain rescue asks walkers to carry a torch\n",
        ),
    ] {
        let error = parse_saved(name, text).unwrap_err();
        assert!(error.contains(name) && error.contains("expected"), "{name}: {error}");
    }
}

#[test]
fn a_page_padded_with_blank_lines_and_a_sidebar_is_read_whole() {
    // Whitespace-only lines, indentation, a long menu and a `More Stories`
    // sidebar, and no date: read whole and dated by the file's time, not
    // refused as a page of the seed's shape missing its date line.
    let article = parse_file(&page("padded-review.txt")).unwrap();
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Tide Clock Review: A Clock That Knows the Sea");
    assert_eq!(fm.authors, ["Mara Oyelaran"]);
    assert!(fm.source.as_ref().is_some_and(|s| s.undated));
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
    assert!(article.body[0].starts_with("The tide clock on the wall"));
    assert!(article.body[2].ends_with("than any forecast can."));
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let article = parse_file(&page("wrapped-draft.txt")).unwrap();
    assert_eq!(article.front_matter.date.to_string(), "2021-02-03");
    let body = &article.body;
    assert!(
        body.iter().any(|p| p.starts_with(
            "This draft describes a plain file format for tide tables, one tide to a line, that \
             a harbour office can keep in any text editor and a program can read"
        ) && p.ends_with("a table of a whole year fits in a page.")),
        "{body:#?}"
    );
    // A word hyphenated at the margin is one word again; a paragraph ends
    // where a blank line parts it from the next.
    assert!(body.iter().any(|p| p.contains("The Internet-Drafts before this one")), "{body:#?}");
    assert!(
        body.iter().any(|p| p.starts_with("Each line of a table holds")
            && p.ends_with("in the order of the tides.")),
        "{body:#?}"
    );
}

#[test]
fn a_how_to_keeps_its_unbulleted_list_its_steps_and_its_table() {
    // A list printed without marks under `What you'll need:`, `Step 1`
    // headings over short sentences and a captioned picture, a table drawn
    // with box-drawing characters: all of it between the first paragraph
    // and the last, none of it parting them.
    let article = parse_file(&page("steps-and-lists.txt")).unwrap();
    let fm = &article.front_matter;
    assert_eq!(fm.title, "How to Rig a Tide Gauge on a Pier");
    assert_eq!(fm.date.to_string(), "2021-03-03");
    let body = &article.body;
    assert!(body[0].starts_with("A tide gauge needs nothing but a post"), "{body:#?}");
    for line in
        ["A cedar post", "Marine glue", "Step 1", "Hang the float from the hinges.", "Mon │ 4.1"]
    {
        assert!(body.iter().any(|p| p == line), "{line} missing: {body:#?}");
    }
    assert!(body.last().unwrap().starts_with("A gauge read for a week"), "{body:#?}");
    for furniture in ["Share this article", "Facebook", "More Stories", "Tide Clocks Reviewed"] {
        assert!(!body.iter().any(|p| p == furniture), "{furniture} in the body");
    }
}

#[test]
fn a_list_leading_into_the_prose_opens_the_body() {
    let text = "Harbour Log\nHome\nNews\nReleases\nDocs\nForum\nDownload\nAbout\n\
        Harbour Log 2.0 Released\nMarch 3, 2021\n\
        + Added tide tables for every harbour on the coast\n\
        + Added a night mode for the chart\n\
        * Faster start on old phones\n\
        - Removed the old export\n\
        The release took a winter, and most of it went into the tables, which now come from the \
        harbour offices themselves rather than from a printed almanac.\n\
        Share this article\nFacebook\n";
    let article = parse_saved("release.txt", text).unwrap();
    assert_eq!(article.front_matter.title, "Harbour Log 2.0 Released");
    assert_eq!(article.body.len(), 5, "{:#?}", article.body);
    assert_eq!(article.body[0], "+ Added tide tables for every harbour on the coast");
    assert!(article.body[4].starts_with("The release took a winter"));
}
