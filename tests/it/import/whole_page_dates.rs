//! Numeric dates either order reads (`03/11/2017`, `11.03.17`) on a whole
//! page: the page's other dates or its language tell the order, and a page
//! that tells neither leaves the date unread. Pages in
//! `tests/fixtures/whole-pages/` were written for these tests.

use galley::content::FrontMatter;
use galley::import::{ImportedArticle, Importer, SavedTextImporter, one_line};
use std::path::Path;

fn parse_page(name: &str) -> ImportedArticle {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whole-pages").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    SavedTextImporter::default().parse(&path, &text).map_err(|e| one_line(&e)).unwrap()
}

/// The page's date, `None` when the page shows none it could read.
fn date(front_matter: &FrontMatter) -> Option<String> {
    let undated = front_matter.source.as_ref().is_some_and(|s| s.undated);
    (!undated).then(|| front_matter.date.to_string()[..10].to_string())
}

#[test]
fn another_date_of_plain_order_on_the_page_says_day_first() {
    // `03/11/2017` over the article, `25/12/2016` (only day first names a
    // day) under a teaser: the page prints the day first. The page's words
    // are Chinese, so its language does not tell (see the untold page).
    let article = parse_page("either-order-by-other-date-day-first.txt");
    let fm = &article.front_matter;
    assert_eq!(date(fm).as_deref(), Some("2017-11-03"));
}

#[test]
fn another_date_of_plain_order_on_the_page_says_month_first() {
    // `11.03.17 in Harbour News` over the article, `12.25.16` (only month
    // first names a day) over a teaser: month first, though the page's
    // English alone would say day first.
    let article = parse_page("either-order-by-other-date-month-first.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "The Ferry Timetable Changes Again This Winter");
    assert_eq!(date(fm).as_deref(), Some("2017-11-03"));
    assert_eq!(fm.authors, ["Jan Okafor"]);
}

#[test]
fn a_french_page_prints_the_day_first() {
    // `Publié le 04.05.2017`: no other date, but the page is French.
    let article = parse_page("either-order-by-language-french.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "Le nouvel horaire du bac entre en vigueur cet hiver");
    assert_eq!(date(fm).as_deref(), Some("2017-05-04"));
}

#[test]
fn an_english_page_prints_the_day_first_without_american_signs() {
    let article = parse_page("either-order-by-language-british.txt");
    let fm = &article.front_matter;
    assert_eq!(date(fm).as_deref(), Some("2017-11-03"));
    assert_eq!(fm.authors, ["Jan Okafor"]);
}

#[test]
fn an_english_page_with_american_time_zones_prints_the_month_first() {
    // `04/05/2017 8:03 am ET`: the Eastern time zone marks American style.
    let article = parse_page("either-order-by-language-american.txt");
    let fm = &article.front_matter;
    assert_eq!(fm.title, "The Ferry Timetable Changes Again This Winter");
    assert_eq!(date(fm).as_deref(), Some("2017-04-05"));
    assert_eq!(fm.authors, ["Jan Okafor"]);
}

#[test]
fn a_page_that_tells_no_order_leaves_the_date_unread() {
    // The day-first page without its teaser: no other date, and Chinese
    // words tell neither order, so `03/11/2017` is not guessed at.
    let article = parse_page("either-order-untold.txt");
    let fm = &article.front_matter;
    assert_eq!(date(fm), None);
    assert!(article.body[0].starts_with("港务局周二表示"), "{:#?}", article.body);
}
