//! The header of a whole page: the headline, the dateline and the byline
//! among the site's own lines. Pages in `tests/fixtures/whole-pages/` were
//! written for these tests.

use galley::content::FrontMatter;
use galley::import::{ImportedArticle, Importer, SavedTextImporter, one_line};
use std::path::Path;

fn parse_page(name: &str) -> ImportedArticle {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whole-pages").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    SavedTextImporter::default().parse(&path, &text).map_err(|e| one_line(&e)).unwrap()
}

fn date(front_matter: &FrontMatter) -> String {
    front_matter.date.to_string()[..10].to_string()
}

#[test]
fn a_page_title_with_the_site_name_names_a_short_headline() {
    // `Harbour Notes | The Tidewater Gazette` at the top: the part that is
    // not the masthead is the headline, though two words long and with a
    // longer line (`Listen to this article`) right by the date.
    let article = parse_page("title-with-site-name.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Harbour Notes");
    assert_eq!(date(fm), "2021-03-03");
    assert!(fm.authors.is_empty(), "{:?}", fm.authors);
    assert!(article.body[0].starts_with("The fish market opens"), "{:#?}", article.body);
}

#[test]
fn share_buttons_do_not_part_a_headline_from_its_byline_and_a_caption_is_no_dateline() {
    // Six share buttons and a count stand between the headline and its
    // byline; the line over the picture stands by the dateline and by a
    // caption with a date of its own, which is the picture's.
    let article = parse_page("headline-over-share-buttons.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Harbour Arcade Makers Bet on Slow Games");
    assert_eq!(fm.authors, ["Ana Lima"]);
    assert_eq!(date(fm), "2019-11-19");
    assert_eq!(article.body.len(), 4, "{:#?}", article.body);
}

#[test]
fn a_dotted_date_with_a_two_digit_year_is_read_when_one_order_names_a_day() {
    // `10.15.15 in Harbour News`: month first, as only it names a day.
    let article = parse_page("dotted-short-date.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "The Ferry Timetable Changes Again This Winter");
    assert_eq!(date(fm), "2015-10-15");
    assert_eq!(fm.authors, ["Jan Okafor"]);
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
}

#[test]
fn a_byline_after_a_sites_mark_is_read() {
    // `// By Jan Okafor • Nov 11, 2020`: a mark before `By`, a bullet
    // between the names and the date.
    let article = parse_page("byline-after-a-mark.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "The Ferry Timetable Changes Again This Winter");
    assert_eq!(fm.authors, ["Jan Okafor"]);
    assert_eq!(date(fm), "2020-11-11");
}

#[test]
fn a_byline_between_the_headline_and_the_date_is_no_headline() {
    // A menu, then `Headline` / `By Ann Lee` / `Oct 28, 2019`: the line over
    // the date signs the article; neither it nor the first menu entry is
    // taken for the headline or the publication.
    let article = parse_page("byline-between-headline-and-date.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Council approves new harbour bridge after decade of debate");
    assert_eq!(fm.authors, ["Ann Lee"]);
    assert_eq!(date(fm), "2019-10-28");
    assert_eq!(fm.publication, None);
    assert_eq!(article.body.len(), 3, "{:#?}", article.body);
}
