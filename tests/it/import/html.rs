//! HTML saves imported end to end, from fixtures written for these tests
//! (tests/fixtures/html/): each kind of save, a non-UTF-8 page, the
//! refusals, a stub upgraded by address, and pages built to hurt.

use super::{galley, import, read_article, site};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html").join(name)
}

/// Imports one fixture into a fresh site; the files written under content/.
fn import_one(name: &str) -> (tempfile::TempDir, Vec<PathBuf>, String) {
    let site = site();
    let (code, _, stderr) = import(site.path(), &[&fixture(name)]);
    assert_eq!(code, 0, "{stderr}");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(site.path()).unwrap().to_path_buf())
        .collect();
    files.sort();
    (site, files, stderr)
}

#[test]
fn a_wordpress_article_keeps_its_structure_and_metadata() {
    let (site, files, _) = import_one("wordpress-related.html");
    let path = PathBuf::from("content/articles/2021/03/breakwater-extension-approved.md");
    assert!(files.contains(&path), "{files:?}");
    let (fm, body) = read_article(&site.path().join(&path));
    assert_eq!(fm.title, "Breakwater extension approved");
    assert_eq!(fm.date.to_string(), "2021-03-02");
    assert_eq!(fm.authors, ["Ana Lima"]);
    assert_eq!(fm.publication.as_deref(), Some("Coastal Courier"));
    assert_eq!(
        fm.standfirst.as_deref(),
        Some("The harbour's northern wall will grow by 240 metres.")
    );
    assert_eq!(fm.tags, ["Harbour", "Council"]);
    let source = fm.source.unwrap();
    assert_eq!(
        source.url.as_deref(),
        Some("https://courier.example.org/2021/03/breakwater-extension-approved/")
    );
    assert_eq!(source.sha256.len(), 64);
    assert!(source.written.is_some());
    for expected in [
        "## What changes",
        "**£4.2 million**",
        "*late spring*",
        "[full plan](https://courier.example.org/documents/breakwater-plan.pdf)",
        "1. Surveying the seabed.\n2. Placing the rock armour.",
        "> It is the most important thing",
        "| Phase | Cost |\n| --- | --- |\n| Survey | £0.3m |",
        "`<script>` is only text",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in\n{body}");
    }
    // No script link, event handler or raw HTML; navigation, related box
    // and footer stay out of the body.
    for absent in
        ["javascript", "onclick", "<span", "Sport", "Ferry timetable", "All rights reserved"]
    {
        assert!(!body.contains(absent), "{absent:?} leaked into\n{body}");
    }
}

#[test]
fn a_json_ld_only_article_takes_its_metadata_from_json_ld() {
    let (site, files, _) = import_one("jsonld-only.html");
    let (fm, body) = read_article(&site.path().join(&files[0]));
    assert_eq!(fm.title, "Sheep farmers return to the high pastures");
    assert_eq!(fm.date.to_string(), "2019-06-05");
    assert_eq!(fm.authors, ["Tom Ng", "Ruth Okafor"]);
    assert_eq!(fm.publication.as_deref(), Some("Upland Ledger"));
    assert_eq!(fm.tags, ["Farming", "Uplands"]);
    let image = fm.image.unwrap();
    assert_eq!(image.src.as_deref(), Some("https://ledger.example.net/img/flock.jpg"));
    assert_eq!(image.caption.as_deref(), Some("A flock above the valley"));
    assert!(body.starts_with("\nFor the first time in three years"), "{body}");
}

#[test]
fn a_single_file_save_writes_its_data_images_once_beside_the_article() {
    let (site, files, _) = import_one("singlefile.html");
    let images: Vec<&PathBuf> =
        files.iter().filter(|f| f.extension().is_some_and(|e| e == "png")).collect();
    assert_eq!(images.len(), 1, "{files:?}");
    let article = files.iter().find(|f| f.extension().is_some_and(|e| e == "md")).unwrap();
    assert_eq!(images[0].parent(), article.parent());
    let (fm, body) = read_article(&site.path().join(article));
    assert_eq!(fm.title, "The last lighthouse keepers");
    assert_eq!(fm.date.to_string(), "2023-03-28");
    assert_eq!(fm.authors, ["Mara Quist"]);
    assert_eq!(
        fm.source.unwrap().url.as_deref(),
        Some("https://notes.example.com/posts/lighthouse-keepers")
    );
    let name = images[0].file_name().unwrap().to_string_lossy();
    assert_eq!(body.matches(&format!("]({name})")).count(), 2, "{body}");
    assert!(body.contains("*The lamp room at dusk.*"), "the caption is kept: {body}");
    assert!(!body.contains("data:"), "{body}");
    let bytes = std::fs::read(site.path().join(images[0])).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
}

#[test]
fn an_mhtml_archive_reads_its_html_part_and_copies_its_image_part() {
    let (site, files, _) = import_one("night-ferry.mhtml");
    assert_eq!(files.len(), 2, "{files:?}");
    let (fm, body) = read_article(&site.path().join(&files[1]));
    assert_eq!(fm.title, "Night ferry returns");
    assert_eq!(fm.date.to_string(), "2018-10-12");
    assert_eq!(fm.authors, ["Jo Bloggs"]);
    let image = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(body.contains(&format!("![The ferry]({image})")), "{body}");
    assert!(body.contains("The night ferry to the mainland runs again"), "{body}");
}

#[test]
fn a_save_page_as_page_copies_the_image_from_its_files_folder() {
    let (site, files, _) = import_one("save-page-as.html");
    let image =
        files.iter().find(|f| f.extension().is_some_and(|e| e == "png")).expect("image copied");
    let saved = std::fs::read(fixture("save-page-as_files/harbour.png")).unwrap();
    assert_eq!(std::fs::read(site.path().join(image)).unwrap(), saved);
    let article = files.iter().find(|f| f.extension().is_some_and(|e| e == "md")).unwrap();
    let (fm, body) = read_article(&site.path().join(article));
    // The address the browser recorded in its comment.
    assert_eq!(
        fm.source.unwrap().url.as_deref(),
        Some("https://www.harbour.example.com/news/new-pontoons.html")
    );
    assert!(
        body.contains(&format!("![Pontoons]({})", image.file_name().unwrap().to_string_lossy())),
        "{body}"
    );
}

#[test]
fn a_shift_jis_page_imports_as_the_reader_saw_it() {
    let (site, files, _) = import_one("shift-jis.html");
    let (fm, body) = read_article(&site.path().join(&files[0]));
    assert_eq!(fm.title, "港の新しい防波堤");
    assert_eq!(fm.publication.as_deref(), Some("海辺新聞"));
    assert_eq!(fm.date.to_string(), "2020-11-20");
    assert!(
        body.contains("港湾局は二十日、北側の防波堤を二百四十メートル延長する計画を発表した。"),
        "{body}"
    );
}

#[test]
fn a_home_page_is_refused_with_the_reason() {
    let site = site();
    let (code, stdout, stderr) = import(site.path(), &[&fixture("home.html")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("home.html:1: a home page, not an article"), "{stderr}");
    assert!(stdout.contains("0 written"), "{stdout}");
    assert!(!site.path().join("content").exists());
}

#[test]
fn a_page_without_a_date_is_dated_by_its_file_time_and_says_so() {
    let site = site();
    let saved = site.path().join("sources/no-date.html");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::copy(fixture("no-date.html"), &saved).unwrap();
    // Noon UTC: the same local date in every time zone from -11 to +11.
    let noon = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_765_022_400); // 2025-12-06T12:00:00Z
    std::fs::File::options().write(true).open(&saved).unwrap().set_modified(noon).unwrap();
    let (code, stdout, stderr) = import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "no-date.html:1: no publication date on the page; dated by when it was saved (2025-12-06): set date: by hand"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("1 warnings"), "{stdout}");
    let article = site.path().join("content/articles/2025/12/about-the-tide-tables.md");
    let (fm, _) = read_article(&article);
    assert_eq!(fm.date.to_string(), "2025-12-06");
    assert!(fm.source.as_ref().unwrap().undated);
    assert!(std::fs::read_to_string(&article).unwrap().contains("\n  undated: true\n"));
    // The file unchanged, its time too: a second import writes nothing.
    let written = std::fs::read(&article).unwrap();
    let (code, stdout, stderr) = import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written"), "{stdout}");
    assert_eq!(std::fs::read(&article).unwrap(), written);
}

#[test]
fn an_undated_mhtml_archive_is_dated_by_its_date_header() {
    let (site, files, stderr) = import_one("undated.mhtml");
    assert!(stderr.contains("dated by when it was saved (2026-12-06)"), "{stderr}");
    let (fm, _) = read_article(&site.path().join(&files[0]));
    assert_eq!(fm.title, "Reading the tide tables");
    assert_eq!(fm.date.to_string(), "2026-12-06");
    assert!(fm.source.unwrap().undated);
}

#[test]
fn a_dated_page_is_not_marked_undated() {
    let (site, files, stderr) = import_one("jsonld-only.html");
    assert!(!stderr.contains("dated by when it was saved"), "{stderr}");
    let text = std::fs::read_to_string(site.path().join(&files[0])).unwrap();
    assert!(!text.contains("undated"), "{text}");
}

#[test]
fn a_stub_known_by_its_address_is_upgraded_by_the_page() {
    let site = site();
    // The stub a teaser made of the page: another title, its own file.
    let stub_path = site.path().join("content/articles/2019/06/flocks-climb-again.md");
    std::fs::create_dir_all(stub_path.parent().unwrap()).unwrap();
    let stub = "---\ntitle: Flocks climb again\ndate: 2019-06-04\ntags: []\nsource:\n  url: https://ledger.example.net/news/sheep-farmers-return\nstub: true\n---\n";
    std::fs::write(&stub_path, stub).unwrap();
    let page = fixture("jsonld-only.html");
    // The page names itself only in JSON-LD's mainEntityOfPage: give it a canonical link.
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "<title>",
        "<link rel=\"canonical\" href=\"https://ledger.example.net/news/sheep-farmers-return/\"><title>",
    );
    let saved = site.path().join("sheep.html");
    std::fs::write(&saved, html).unwrap();
    let (code, stdout, stderr) = import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written, 0 stubs, 1 upgraded"), "{stdout}");
    let (fm, body) = read_article(&stub_path);
    assert!(!fm.stub);
    assert_eq!(fm.title, "Sheep farmers return to the high pastures");
    assert!(body.contains("drove roads"));
    // Imported again: found by its address, nothing written.
    let (code, stdout, stderr) = import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written, 0 stubs, 0 upgraded, 1 unchanged"), "{stdout}");
}

#[test]
fn deep_nesting_scripts_only_and_a_50_megabyte_page_neither_panic_nor_hang() {
    let site = site();
    let dir = site.path().join("inbox");
    std::fs::create_dir_all(&dir).unwrap();
    let dated = "<meta property=\"article:published_time\" content=\"2020-01-02\">";
    let words = "Harbour walls and ferries and tides and boats. ".repeat(30);
    std::fs::write(
        dir.join("nested.html"),
        format!("<html><head><title>Deep page</title>{dated}</head><body>{}<p>{words}</p>{}</body></html>", "<div>".repeat(10_000), "</div>".repeat(10_000)),
    )
    .unwrap();
    std::fs::write(
        dir.join("scripts.html"),
        format!(
            "<html><head><title>Scripts</title>{dated}</head><body>{}</body></html>",
            "<script>var a = 1;</script>".repeat(2_000)
        ),
    )
    .unwrap();
    let paragraph = format!("<p>{words}</p>\n");
    std::fs::write(
        dir.join("big.html"),
        format!("<html><head><title>Big page</title>{dated}</head><body><article><h1>Big page</h1>{}</article></body></html>", paragraph.repeat(50_000_000 / paragraph.len())),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.html"),
        "<html><p>unclosed <b><i>tags</p></table></html>\u{0}\u{0}\u{0}",
    )
    .unwrap();
    let (code, stdout, stderr) = import(site.path(), &[&dir]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("scripts.html:1: no article found"), "{stderr}");
    assert!(stderr.contains("broken.html:1: binary data"), "{stderr}");
    assert!(stdout.contains("2 written"), "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_page_without_a_title_is_titled_after_its_file_name_and_says_so() {
    let site = site();
    let (code, stdout, stderr) = import(site.path(), &[&fixture("harbour_lights-after-dark.html")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "harbour_lights-after-dark.html:1: no title on the page; titled after the file name: set title: by hand"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("1 written") && stdout.contains("1 warnings"), "{stdout}");
    let article = site.path().join("content/articles/2024/02/harbour-lights-after-dark.md");
    let (fm, body) = read_article(&article);
    assert_eq!(fm.title, "harbour lights after dark");
    assert!(body.contains("the lens from the lighthouse"), "{body}");
}

#[test]
fn links_between_imported_pages_become_file_links_that_check_follows() {
    let site = site();
    std::fs::write(site.path().join("site.yaml"), "title: Courier archive\n").unwrap();
    let ferry = "content/articles/2021/03/the-night-ferry-returns.md";
    let lamps = "content/articles/2021/02/pier-lamps-replaced.md";
    // The lamps article first: the ferry is not in the site yet, so its
    // link stays on the web.
    let (code, _, stderr) = import(site.path(), &[&fixture("pier-lamps-replaced.html")]);
    assert_eq!(code, 0, "{stderr}");
    let (_, body) = read_article(&site.path().join(lamps));
    assert!(
        body.contains(
            "[the night ferry](http://courier.example.org/2021/03/night-ferry-returns#timetable)"
        ),
        "{body}"
    );
    // The ferry article's link to the lamps (another spelling of the
    // address) finds the file imported before.
    let (code, _, stderr) = import(site.path(), &[&fixture("night-ferry-returns.html")]);
    assert_eq!(code, 0, "{stderr}");
    let (_, body) = read_article(&site.path().join(ferry));
    assert!(body.contains("[the new lamps](../02/pier-lamps-replaced.md)"), "{body}");
    // Imported again together, each links to the other; the ferry's file,
    // linked already, is unchanged.
    let (code, stdout, stderr) = import(
        site.path(),
        &[&fixture("pier-lamps-replaced.html"), &fixture("night-ferry-returns.html")],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 written") && stdout.contains("1 unchanged"), "{stdout}");
    let (_, body) = read_article(&site.path().join(lamps));
    assert!(body.contains("[the night ferry](../03/the-night-ferry-returns.md)"), "{body}");
    galley(site.path()).arg("build").assert().success();
    let built = std::fs::read_to_string(
        site.path().join("public/2021/03/the-night-ferry-returns/index.html"),
    )
    .unwrap();
    assert!(built.contains("href=\"/2021/02/pier-lamps-replaced/\""), "{built}");
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn undated_teasers_become_stubs_dated_like_their_page_and_marked() {
    let (site, files, stderr) = import_one("undated-teasers.html");
    let stub = site.path().join("content/articles/2022/05/quarry-wins-the-harbour-contract.md");
    assert!(files.iter().any(|f| site.path().join(f) == stub), "{files:?}\n{stderr}");
    let (fm, body) = read_article(&stub);
    assert!(fm.stub && body.trim().is_empty());
    assert_eq!(fm.date.to_string(), "2022-05-10");
    let source = fm.source.unwrap();
    assert!(source.undated);
    assert_eq!(
        source.url.as_deref(),
        Some("https://courier.example.org/2022/04/quarry-wins-harbour-contract/")
    );
    // A teaser that shows its date keeps it, unmarked.
    let dated =
        site.path().join("content/articles/2021/11/storm-damage-to-the-harbour-wall-surveyed.md");
    let (fm, _) = read_article(&dated);
    assert!(!fm.source.unwrap().undated);
}

#[test]
fn one_undated_teaser_on_two_pages_of_a_run_makes_one_stub() {
    let site = site();
    let first = std::fs::read_to_string(fixture("undated-teasers.html")).unwrap();
    // The same box on a later page of the site.
    let second = first
        .replace("2022/05/harbour-wall-repairs-begin", "2022/07/harbour-wall-repairs-end")
        .replace("Harbour wall repairs begin", "Harbour wall repairs end")
        .replace("2022-05-10", "2022-07-28");
    let pages = site.path().join("saved");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("begin.html"), first).unwrap();
    std::fs::write(pages.join("end.html"), second).unwrap();
    let (code, stdout, stderr) = import(site.path(), &[&pages]);
    assert_eq!(code, 0, "{stderr}");
    // Two articles; three stubs, not five: the two undated teasers once each.
    assert!(stdout.contains("2 written, 3 stubs"), "{stdout}");
    let quarry: Vec<_> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "quarry-wins-the-harbour-contract.md")
        .collect();
    assert_eq!(quarry.len(), 1, "{quarry:?}");
}
