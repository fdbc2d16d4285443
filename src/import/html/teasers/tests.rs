//! Tests of the teaser search on pages written for them.

use super::card::parse_date;
use super::{FoundTeasers, find_teasers};
use dom_query::Document;
use jiff::civil::date;
use proptest::prelude::*;
use url::Url;

const PAGE: &str = "https://news.example.com/2024/05/02/harbour-bridge-reopens-after-repairs/";

/// An article page: the `extra` HTML after a few paragraphs of prose.
fn page(extra: &str) -> String {
    format!(
        r#"<!doctype html><html><head><title>Harbour bridge reopens</title>
<link rel="canonical" href="{PAGE}"></head><body>
<header><nav class="site-nav"><ul>
<li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li>
<li><a href="/2024/05/01/city-council-approves-new-budget-for-parks/">City council approves new budget for parks</a></li>
</ul></nav></header>
<article><h1>Harbour bridge reopens after repairs</h1>
<p>The bridge reopened on Thursday after eight months of repairs that cost the city more than it had planned,
and traffic returned to the old route across the harbour within the hour. Read
<a href="/2024/04/30/why-the-bridge-repairs-took-so-long-explained/">why the bridge repairs took so long</a> in our earlier report.</p>
<p>Engineers said the new deck should last fifty years, twice as long as the one it replaced, and that the
toll would stay the same until the end of the year while the council reviews its transport plan.</p>
<p>Residents who had crossed by ferry during the works said they would miss the view but not the queues.</p>
</article>
{extra}
</body></html>"#
    )
}

fn find(html: &str) -> FoundTeasers {
    let document = Document::from(html);
    find_teasers(&document, Some(&Url::parse(PAGE).expect("page URL")))
}

fn urls(found: &FoundTeasers) -> Vec<&str> {
    found.teasers.iter().map(|teaser| teaser.url.as_str()).collect()
}

#[test]
fn wordpress_related_posts_box() {
    let found = find(&page(
        r#"<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3>
<div class="jp-relatedposts-items">
<div class="jp-relatedposts-post"><h4><a href="https://news.example.com/2024/04/11/ferry-timetable-changes-during-bridge-works/">Ferry timetable changes during bridge works</a></h4></div>
<div class="jp-relatedposts-post"><h4><a href="https://news.example.com/2024/03/02/council-votes-to-fund-bridge-repairs/">Council votes to fund bridge repairs</a></h4></div>
<div class="jp-relatedposts-post"><h4><a href="https://news.example.com/2023/09/15/cracks-found-in-harbour-bridge-deck/">Cracks found in harbour bridge deck</a></h4></div>
</div></div>"#,
    ));
    assert_eq!(
        urls(&found),
        [
            "https://news.example.com/2024/04/11/ferry-timetable-changes-during-bridge-works/",
            "https://news.example.com/2024/03/02/council-votes-to-fund-bridge-repairs/",
            "https://news.example.com/2023/09/15/cracks-found-in-harbour-bridge-deck/",
        ]
    );
    assert_eq!(found.teasers[1].title, "Council votes to fund bridge repairs");
    assert_eq!(found.boxes.len(), 1);
    // The box is the related-posts container, which the importer removes.
    let html = find_box_html(&page(
        r#"<div class="jp-relatedposts"><h3>Related</h3><p><a href="/2024/04/11/ferry-timetable-changes-during-bridge-works/">Ferry timetable changes during bridge works</a></p></div>"#,
    ));
    assert!(html.starts_with("<div class=\"jp-relatedposts\">"), "{html}");
}

fn find_box_html(html: &str) -> String {
    let document = Document::from(html);
    let found = find_teasers(&document, Some(&Url::parse(PAGE).expect("page URL")));
    let first = found.boxes.first().expect("a box");
    dom_query::NodeRef::new(*first, &document.tree).html().to_string()
}

#[test]
fn most_read_sidebar() {
    let found = find(&page(
        r#"<aside class="sidebar"><section class="widget"><h2>Most read</h2><ol>
<li><a href="/2024/05/01/storm-warning-issued-for-the-coast/">Storm warning issued for the coast</a></li>
<li><a href="/2024/04/29/local-team-wins-the-regional-cup/">Local team wins the regional cup</a></li>
<li><a href="/2024/04/28/new-library-opens-in-the-old-station/">New library opens in the old station</a></li>
</ol></section></aside>"#,
    ));
    assert_eq!(found.teasers.len(), 3);
    assert_eq!(
        found.teasers[0].url,
        "https://news.example.com/2024/05/01/storm-warning-issued-for-the-coast/"
    );
    assert_eq!(found.teasers[2].title, "New library opens in the old station");
}

#[test]
fn image_and_headline_links_make_one_teaser_with_its_date_caption_and_image() {
    let card = |slug: &str, title: &str, day: u8| {
        format!(
            r#"<li class="card"><a href="/2024/04/{day:02}/{slug}/"><figure><img data-src="/images/{slug}.jpg" src="data:image/gif;base64,R0lGOD">
<figcaption>Photo of {slug}</figcaption></figure></a>
<h3><a href="/2024/04/{day:02}/{slug}/">{title}</a></h3><time datetime="2024-04-{day:02}T08:00:00Z">{day} April 2024</time></li>"#
        )
    };
    let cards = [
        card(
            "tram-line-extension-opens-to-the-airport",
            "Tram line extension opens to the airport",
            3,
        ),
        card("harbour-festival-returns-this-summer", "Harbour festival returns this summer", 9),
        card("old-lighthouse-to-become-a-museum", "Old lighthouse to become a museum", 21),
    ];
    let found = find(&page(&format!(
        r#"<section class="more-stories"><ul>{}</ul></section>"#,
        cards.concat()
    )));
    assert_eq!(found.teasers.len(), 3, "{:?}", found.teasers);
    let teaser = &found.teasers[1];
    assert_eq!(teaser.title, "Harbour festival returns this summer");
    assert_eq!(
        teaser.url,
        "https://news.example.com/2024/04/09/harbour-festival-returns-this-summer/"
    );
    assert_eq!(teaser.date, Some(date(2024, 4, 9)));
    assert_eq!(teaser.caption.as_deref(), Some("Photo of harbour-festival-returns-this-summer"));
    assert_eq!(
        teaser.image.as_deref(),
        Some("https://news.example.com/images/harbour-festival-returns-this-summer.jpg")
    );
}

#[test]
fn navigation_tags_share_bar_and_footer_yield_nothing() {
    let found = find(&page(
        r#"<div class="tag-cloud"><a href="/tag/bridges/">bridges</a> <a href="/tag/harbour/">harbour</a> <a href="/tag/city-council-news/">city council news</a></div>
<div class="share-tools"><a href="https://news.example.com/share?u=2024/05/02/harbour-bridge-reopens">Share this on the social networks</a>
<a href="/2024/05/02/harbour-bridge-reopens-after-repairs/#comments">Read the comments on this story</a></div>
<nav class="breadcrumb"><a href="/">Home</a> › <a href="/local/">Local</a></nav>
<footer><ul><li><a href="/2020/01/01/about-the-news-example-team-and-history/">About the Example News team</a></li>
<li><a href="/2021/06/01/how-we-correct-our-mistakes-policy/">How we correct our mistakes</a></li>
<li><a href="/2022/02/02/our-ethics-policy-for-all-reporters/">Our ethics policy for all reporters</a></li></ul></footer>"#,
    ));
    assert!(found.teasers.is_empty(), "{:?}", found.teasers);
    assert!(found.boxes.is_empty());
}

#[test]
fn calls_to_action_are_not_headlines() {
    for label in [
        "Learn more about Web Audio Editor",
        "Find out more about the harbour",
        "More about the ferry timetable",
    ] {
        assert!(!super::links::is_headline(label), "{label}");
    }
    assert!(super::links::is_headline("What we learned from the harbour bridge repairs"));
}

#[test]
fn links_in_the_article_prose_are_not_teasers() {
    let found = find(&page(""));
    assert!(found.teasers.is_empty(), "{:?}", found.teasers);
}

#[test]
fn relative_urls_resolve_against_the_page() {
    let found = find(&page(
        r#"<div class="related-articles"><h2>Related</h2>
<a href="../../01/tram-drivers-vote-to-strike-next-week/">Tram drivers vote to strike next week</a>
<a href="stories-readers-sent-about-the-bridge">Stories readers sent about the bridge</a></div>"#,
    ));
    assert_eq!(
        urls(&found),
        [
            "https://news.example.com/2024/05/01/tram-drivers-vote-to-strike-next-week/",
            "https://news.example.com/2024/05/02/harbour-bridge-reopens-after-repairs/stories-readers-sent-about-the-bridge",
        ]
    );
}

#[test]
fn sponsored_and_cross_site_links_are_not_teasers() {
    let found = find(&page(
        r#"<div class="related"><h2>You may also like</h2><ul>
<li><a href="https://other-site.example.org/2024/05/01/ten-tricks-doctors-do-not-want-you-to-know/">Ten tricks doctors do not want you to know</a></li>
<li><a href="https://traffic.adnetwork.example.net/click?id=123456">This new gadget is taking the country by storm</a></li>
</ul></div>
<div class="sponsored-content"><h2>Recommended</h2><ul>
<li><a href="/2024/05/01/partner-feature-best-mortgage-rates-this-spring/">Best mortgage rates this spring, from our partner</a></li>
<li><a href="/2024/05/01/partner-feature-holiday-deals-for-families/">Holiday deals for families, from our partner</a></li>
<li><a href="/2024/05/01/partner-feature-cars-of-the-year-reviewed/">Cars of the year reviewed, from our partner</a></li>
</ul></div>"#,
    ));
    assert!(found.teasers.is_empty(), "{:?}", found.teasers);
}

#[test]
fn subdomains_of_the_site_count_and_the_page_itself_does_not() {
    let found = find(&page(
        r#"<div class="popular"><h2>Popular</h2>
<a href="https://sport.example.com/2024/05/01/harbour-rowing-club-wins-national-title/">Harbour rowing club wins national title</a>
<a href="https://news.example.com/2024/05/02/harbour-bridge-reopens-after-repairs/">Harbour bridge reopens after repairs</a></div>"#,
    ));
    assert_eq!(
        urls(&found),
        ["https://sport.example.com/2024/05/01/harbour-rowing-club-wins-national-title/"]
    );
}

#[test]
fn a_list_of_headlines_without_a_marked_box_counts() {
    let found = find(&page(
        r#"<div class="column"><ul>
<li><a href="/2024/05/01/storm-warning-issued-for-the-coast/">Storm warning issued for the coast</a></li>
<li><a href="/2024/04/29/local-team-wins-the-regional-cup/">Local team wins the regional cup</a></li>
<li><a href="/2024/04/28/new-library-opens-in-the-old-station/">New library opens in the old station</a></li>
</ul></div><div class="column"><p><a href="/2024/04/20/a-lone-link-is-left-out-of-the-stubs/">A lone link is left out of the stubs</a></p></div>"#,
    ));
    assert_eq!(found.teasers.len(), 3);
}

#[test]
fn without_a_page_url_links_stay_as_written() {
    let html = page(
        r#"<div class="related"><h2>Related</h2><a href="/2024/04/11/ferry-timetable-changes-during-bridge-works/">Ferry timetable changes during bridge works</a></div>"#,
    )
    .replace(r#"<link rel="canonical" href="https://news.example.com/2024/05/02/harbour-bridge-reopens-after-repairs/">"#, "");
    let document = Document::from(html);
    let found = find_teasers(&document, None);
    assert_eq!(urls(&found), ["/2024/04/11/ferry-timetable-changes-during-bridge-works/"]);
}

#[test]
fn dates_in_cards() {
    assert_eq!(parse_date("2019-01-03T10:00:00Z"), Some(date(2019, 1, 3)));
    assert_eq!(parse_date("Updated Jan. 3, 2019"), Some(date(2019, 1, 3)));
    assert_eq!(parse_date("3 January 2019"), Some(date(2019, 1, 3)));
    assert_eq!(parse_date("03.01.2019 | 10:00"), Some(date(2019, 1, 3)));
    assert_eq!(parse_date("2019/01/03"), Some(date(2019, 1, 3)));
    assert_eq!(parse_date("Market report 2019"), None);
    assert_eq!(parse_date("2019-02-30"), None);
}

#[test]
fn deep_nesting_and_many_links_finish_quickly() {
    let deep = format!(
        "{}<a href=\"/2024/01/01/deep-down-in-the-page-tree/\">Deep down in the page tree</a>{}",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    let started = std::time::Instant::now();
    let found = find(&page(&deep));
    assert!(found.teasers.len() <= 1);
    let many: String = (0..20_000)
        .map(|n| format!("<li><a href=\"/2024/01/01/story-number-{n}-of-the-long-list/\">Story number {n} of the long list</a></li>"))
        .collect();
    let found = find(&page(&format!("<ul class=\"latest\">{many}</ul>")));
    assert_eq!(found.teasers.len(), 20_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_markup_never_panics(
        pieces in prop::collection::vec(
            prop_oneof![
                Just("<div class=\"related\">".to_string()),
                Just("<h2>Most read</h2>".to_string()),
                Just("</div>".to_string()),
                Just("<nav>".to_string()),
                Just("<p>".to_string()),
                Just("<time datetime=\"2024-13-45\">".to_string()),
                Just("<img srcset=\", ,\">".to_string()),
                "<a href=\"[a-z/:#?%.0-9-]{0,30}\">".prop_map(|tag| tag),
                "[a-zA-Z0-9 éü漢-]{0,40}",
                Just("</a>".to_string()),
            ],
            0..200,
        ),
        with_url in any::<bool>(),
    ) {
        let html = pieces.concat();
        let document = Document::from(html.as_str());
        let base = Url::parse(PAGE).expect("page URL");
        let found = find_teasers(&document, with_url.then_some(&base));
        for teaser in &found.teasers {
            prop_assert!(!teaser.title.is_empty());
            prop_assert!(!teaser.url.is_empty());
        }
    }
}

#[test]
fn a_reference_list_citing_articles_is_no_teaser_box() {
    let items = r#"<li><a href="/2024/04/01/council-votes-to-repair-the-harbour-bridge/">Council votes to repair the harbour bridge</a></li>
<li><a href="/2024/04/12/bridge-repairs-begin-with-the-old-deck-removed/">Bridge repairs begin with the old deck removed</a></li>
<li><a href="/2024/04/20/ferry-timetable-extended-while-the-bridge-is-shut/">Ferry timetable extended while the bridge is shut</a></li>"#;
    // The same links, once as a plain list (teasers) and once as the
    // article's reference list (citations, left alone).
    let plain = find(&page(&format!("<ul>{items}</ul>")));
    assert_eq!(plain.teasers.len(), 3, "{:?}", plain.teasers);
    let cited = find(&page(&format!(
        r#"<h2>References</h2><div class="reflist"><ol class="references">{items}</ol></div>"#
    )));
    assert!(cited.teasers.is_empty(), "{:?}", cited.teasers);
    assert!(cited.boxes.is_empty());
}
