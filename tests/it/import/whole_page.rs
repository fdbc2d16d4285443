//! The saved text of a whole article page from any site: navigation,
//! notices and share bars around the article, the byline on its own line,
//! the date in the forms sites print. Pages in `tests/fixtures/whole-pages/`
//! were written for these tests.

use galley::content::FrontMatter;
use galley::import::{ImportedArticle, Importer, SavedTextImporter, one_line};
use std::path::{Path, PathBuf};

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whole-pages").join(name)
}

fn parse_text(path: &Path, text: &str) -> Result<ImportedArticle, String> {
    SavedTextImporter::default().parse(path, text).map_err(|e| one_line(&e))
}

fn parse_page(name: &str) -> ImportedArticle {
    let path = page(name);
    let text = std::fs::read_to_string(&path).unwrap();
    parse_text(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn date(front_matter: &FrontMatter) -> String {
    front_matter.date.to_string()[..10].to_string()
}

#[test]
fn navigation_before_the_article_and_a_share_bar_after_it_are_left_out() {
    let article = parse_page("navigation-first.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Harbour Arcade Makers Bet on Slow Games");
    assert_eq!(fm.authors, ["Sarah E. Needleman"]);
    assert_eq!(date(fm), "2019-11-19");
    assert_eq!(article.body.len(), 4, "{:#?}", article.body);
    assert!(article.body[0].starts_with("The makers of quiet games"));
    assert!(article.body[3].starts_with("Not everyone is convinced"));
    let body = article.body.join("\n");
    for furniture in ["Share", "Facebook", "Related", "Ferry timetable", "©", "Subscribe"] {
        assert!(!body.contains(furniture), "{furniture} in the body");
    }
    assert_eq!(article.title_line, 14);
}

#[test]
fn a_cookie_banner_and_the_comments_are_not_the_article() {
    let article = parse_page("cookie-banner.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Council Approves the New Tide Barrier");
    assert_eq!(date(fm), "2019-11-20");
    assert!(fm.authors.is_empty());
    assert_eq!(article.body.len(), 4, "{:#?}", article.body);
    assert!(article.body[0].starts_with("The council voted"));
    assert!(article.body[3].starts_with("The mayor said"));
}

#[test]
fn a_page_with_no_date_is_dated_by_its_file_time_and_says_so() {
    let site = super::site();
    let saved = site.path().join("sources/no-date.txt");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::copy(page("no-date.txt"), &saved).unwrap();
    // Noon UTC: the same local date in every time zone from -11 to +11.
    let noon = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_765_022_400); // 2025-12-06T12:00:00Z
    std::fs::File::options().write(true).open(&saved).unwrap().set_modified(noon).unwrap();
    let (code, stdout, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 written"), "{stdout}");
    assert!(
        stderr.contains(
            "no-date.txt:4: no publication date on the page; dated by when it was saved (2025-12-06): set date: by hand"
        ),
        "{stderr}"
    );
    let article = site.path().join("content/articles/2025/12/notes-on-keeping-a-small-boat.md");
    let (fm, body) = super::read_article(&article);
    assert_eq!(fm.title, "Notes on Keeping a Small Boat");
    assert_eq!(fm.date.to_string(), "2025-12-06");
    assert!(fm.source.as_ref().unwrap().undated);
    assert!(body.trim_start().starts_with("A small boat wants less care"), "{body}");
    // The file unchanged, its time too: a second import writes nothing.
    let written = std::fs::read(&article).unwrap();
    let (code, stdout, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written"), "{stdout}");
    assert_eq!(std::fs::read(&article).unwrap(), written);
}

#[test]
fn a_seed_shaped_page_with_no_date_line_is_still_refused() {
    let text = "The Harbour Review\n\nNotes on Keeping a Small Boat\n\n\
        A small boat wants less care than a large one, but it wants that care more often, and the owner who forgets this learns it at sea.\n\n\
        The hull should be looked at after every trip, the lines checked for wear and the bilge pumped before it needs to be.\n\n\
        Tags: boats, care\n";
    let error = parse_text(Path::new("page.txt"), text).unwrap_err();
    assert!(
        error.starts_with("page.txt:5: expected a date line like `Jun 28, 2019 | Author`"),
        "{error}"
    );
}

#[test]
fn a_page_of_navigation_alone_is_refused() {
    let path = page("navigation-only.txt");
    let error = parse_text(&path, &std::fs::read_to_string(&path).unwrap()).unwrap_err();
    assert!(error.starts_with(&path.display().to_string()), "{error}");
    assert!(error.contains("expected"), "{error}");
}

/// A page of navigation, a headline, `dateline`, and a body.
fn page_with_dateline(dateline: &str) -> String {
    format!(
        "Home\nNews\nSport\nCulture\nSearch\nThe Ferry Returns to the Island\n{dateline}\n\
         The ferry to the island ran again on Monday after a winter in the dry dock at the yard.\n\
         Islanders met the first crossing at the pier, and the harbour master rang the old bell.\n\
         The timetable keeps three crossings a day until the summer season begins in June.\n\
         Share this article\nFacebook\n"
    )
}

#[test]
fn each_date_form_is_read_as_printed() {
    for (dateline, want) in [
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("20 Nov, 2019 05:47", "2019-11-20"),
        ("Updated 3:46 PM EST, Wed March 11, 2015", "2015-03-11"),
        ("2019年11月20日 10:42", "2019-11-20"),
        ("Veröffentlicht am 19.11.2019", "2019-11-19"),
        ("Publié le 20 novembre 2019 à 18h02", "2019-11-20"),
        ("20. November 2019", "2019-11-20"),
        ("20 de noviembre de 2019", "2019-11-20"),
        ("2019-11-20T23:30:00-05:00", "2019-11-20"),
        ("By Ana Lima JAN. 13, 2017", "2017-01-13"),
        ("21.dez.2018 às 12h55", "2018-12-21"),
        ("9/11/13 10:00AM", "2013-09-11"),
        ("9/11/13 22:15", "2013-11-09"),
    ] {
        let article = parse_text(Path::new("page.txt"), &page_with_dateline(dateline))
            .unwrap_or_else(|e| panic!("{dateline}: {e}"));
        assert_eq!(article.front_matter.title, "The Ferry Returns to the Island", "{dateline}");
        assert_eq!(date(&article.front_matter), want, "{dateline}");
        assert_eq!(article.body.len(), 3, "{dateline}: {:#?}", article.body);
    }
}

#[test]
fn an_updated_date_gives_way_to_the_published_one() {
    let both = "Published 4:10 PM EST, Tue March 10, 2015\nUpdated 3:46 PM EST, Wed March 11, 2015";
    let article = parse_text(Path::new("page.txt"), &page_with_dateline(both)).unwrap();
    assert_eq!(date(&article.front_matter), "2015-03-10");
    let one_line = "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13";
    let article = parse_text(Path::new("page.txt"), &page_with_dateline(one_line)).unwrap();
    assert_eq!(date(&article.front_matter), "2015-05-04");
}

#[test]
fn the_date_nearest_the_headline_wins() {
    let text =
        format!("Latest: Market day moved (1 March 2018)\n{}", page_with_dateline("5 May 2019"));
    let article = parse_text(Path::new("page.txt"), &text).unwrap();
    assert_eq!(date(&article.front_matter), "2019-05-05");
}

#[test]
fn a_byline_alone_and_a_newsletter_box_inside_the_article_are_read_as_such() {
    let article = parse_page("how-to-with-code.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Keeping a Tide Table in Plain Files");
    assert_eq!(fm.authors, ["Mara Oyelaran"]);
    assert_eq!(date(fm), "2021-03-03");
    let body = article.body.join("\n");
    // The newsletter box and the `Read more` teaser inside the article do
    // not end it; the share bar does.
    assert!(body.starts_with("A tide table is a short list"), "{body}");
    assert!(body.contains("- one tide per line"), "{body}");
    assert!(body.contains("let (time, height) = line.split_once(' ').unwrap();"), "{body}");
    assert!(body.ends_with("no tide has been lost to a program that could not read it."), "{body}");
    for furniture in ["Share this article", "Facebook", "Leave a reply", "Anna wrote", "©"] {
        assert!(!body.contains(furniture), "{furniture} in the body");
    }
}

#[test]
fn the_headline_over_a_source_tagline_wins_over_a_table_of_contents() {
    let article = parse_page("encyclopedia.txt");
    assert_eq!(article.front_matter.title, "Tide Gauge");
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
    assert!(article.body[0].starts_with("A tide gauge is a device"));
}

#[test]
fn a_page_whose_first_line_stands_over_a_date_is_read_whole() {
    // A blog's name over its date line is not the seed's headline.
    let text = "Harbour Log\nSunday, May 8, 2016\nA New Flow for the Old Tide Gauges\n\
        I have written a few posts in the past months, but they were all about the boats and not about the gauges at all.\n\
        The gauges have a flow of their own now, and it takes a winter's readings in less time than the coffee takes to cool.\n";
    let article = parse_text(Path::new("page.txt"), text).unwrap();
    assert_eq!(article.front_matter.title, "A New Flow for the Old Tide Gauges");
    assert_eq!(date(&article.front_matter), "2016-05-08");
    assert_eq!(article.body.len(), 2, "{:#?}", article.body);
}

#[test]
fn the_headline_stands_over_its_standfirst_byline_and_captioned_picture() {
    // A desk's name under a byline, a standfirst, a captioned picture with
    // its credit and a share bar all stand between the headline and the
    // body, each headline-long.
    let text = "Home\nNews\nHarbour\nShare via Email\nShare on Facebook\n\
        Tide Barrier Opens After a Decade of Work\n\
        By Ana Lima\n\
        12/03/2021 09:30\n\
        Harbour Desk Weekly\n\
        The barrier closes in two minutes, and engineers say the old quay walls will finally rest\n\
        Media caption The new barrier gates close for the first time on a spring tide\n\
        Workers watch the gates close at dawn - Tom Reyes/Harbour Photo\n\
        The tide barrier opened on Friday after ten years of building, two floods and one long strike at the yard.\n\
        Its six gates close in two minutes when the surge warning sounds, and they open again when the water falls.\n\
        The old quay walls, which held back every storm since the war, will now be repaired one stone at a time.\n\
        Share this article\nFacebook\n";
    let article = parse_text(Path::new("page.txt"), text).unwrap();
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Tide Barrier Opens After a Decade of Work");
    assert_eq!(fm.authors, ["Ana Lima"]);
    assert_eq!(date(fm), "2021-03-12");
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
    assert!(article.body[0].starts_with("The tide barrier opened"));
}
