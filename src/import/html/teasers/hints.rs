//! What a box's class, id and heading say it is for: a list of related
//! articles, navigation and other chrome, or advertising.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// A small set of flags about one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Hint(u8);

impl Hint {
    /// Related, recommended, most read, read next, latest: a teaser box.
    pub const RELATED: Hint = Hint(1);
    /// Navigation, menus, breadcrumbs, tag lists, pagers; recommendation widgets.
    pub const NAVIGATION: Hint = Hint(2);
    /// Footers, comments, share and social bars, author boxes.
    pub const CHROME: Hint = Hint(4);
    /// Advertising, sponsored and partner content.
    pub const ADVERT: Hint = Hint(8);

    pub const fn empty() -> Hint {
        Hint(0)
    }
    pub const fn contains(self, other: Hint) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }
    pub fn insert(&mut self, other: Hint) {
        self.0 |= other.0;
    }
}

impl std::ops::BitOr for Hint {
    type Output = Hint;
    fn bitor(self, other: Hint) -> Hint {
        Hint(self.0 | other.0)
    }
}

/// Parts of class names and ids (matched anywhere, so `relatedPosts` and
/// `most-read-list` count) that mark a box of related articles.
const RELATED_PARTS: &[&str] = &[
    "related",
    "relacionad",
    "recommend",
    "recirc",
    "readnext",
    "read-next",
    "read_next",
    "up-next",
    "popular",
    "trending",
    "mostread",
    "most-read",
    "most_read",
    "mostviewed",
    "most-viewed",
    "mostshared",
    "most-shared",
    "meistgelesen",
    "similar",
    "onward",
    "ranking",
    "toplist",
    "top-stories",
    "topstories",
    "teaser",
    "headlines",
    "latest",
    "more-stories",
    "more-articles",
    "morestories",
    "you-may",
    "youmay",
    "also",
];

/// Whole words of class names and ids that mark the same.
const RELATED_WORDS: &[&str] = &["more"];

const NAVIGATION_PARTS: &[&str] = &[
    "breadcrumb",
    "navigation",
    "navbar",
    "pagination",
    "pager",
    "tagcloud",
    "tag-cloud",
    "tag-list",
    "taglist",
    "keywords",
    "megamenu",
    "mega-menu",
    "dropdown",
    "flyout",
];
const NAVIGATION_WORDS: &[&str] = &[
    "nav",
    "menu",
    "tags",
    "tag",
    "topics",
    "categories",
    "category",
    "sections",
    "masthead",
    "toc",
    "subnav",
];

const CHROME_PARTS: &[&str] = &[
    "footer",
    "disqus",
    "sharebar",
    "sharing",
    "social",
    "byline",
    "newsletter",
    "subscri",
    "login",
    "signin",
    "cookie",
    "consent",
    "copyright",
];
// Whole words only: a card's `is-commentable` or `shareable` is no comment section or share bar.
const CHROME_WORDS: &[&str] = &[
    "contentinfo",
    "print",
    "email",
    "comment",
    "comments",
    "commentlist",
    "share",
    "shares",
    "author",
    "authors",
    "bio",
    // A reference list cites sources (often other newspapers' articles):
    // neither related articles nor anything to take out of the body.
    "references",
    "reflist",
    "footnotes",
    "citation",
    "citations",
    "bibliography",
];

const ADVERT_PARTS: &[&str] = &[
    "advert",
    "sponsor",
    "partner",
    "promoted",
    "paid",
    "dfp",
    "doubleclick",
    "adslot",
    "ad-slot",
    "adunit",
    "ad-unit",
    "affiliate",
    "commercial",
];
const ADVERT_WORDS: &[&str] = &["ad", "ads", "adv", "native"];

/// Recommendation widgets serve the site's own articles beside paid links
/// to other sites (which the same-site test removes): excluded like
/// navigation, unless the box also says it holds related articles.
const WIDGET_PARTS: &[&str] = &["outbrain", "taboola", "zergnet"];
const WIDGET_WORDS: &[&str] = &["ob", "trc"];

/// One automaton for the parts of all four kinds, with the kind of each pattern.
struct PartMatcher {
    automaton: AhoCorasick,
    kinds: Vec<Hint>,
}

static PARTS: LazyLock<Option<PartMatcher>> = LazyLock::new(|| {
    let groups = [
        (RELATED_PARTS, Hint::RELATED),
        (NAVIGATION_PARTS, Hint::NAVIGATION),
        (CHROME_PARTS, Hint::CHROME),
        (ADVERT_PARTS, Hint::ADVERT),
        (WIDGET_PARTS, Hint::NAVIGATION),
    ];
    let patterns: Vec<&str> = groups.iter().flat_map(|(parts, _)| parts.iter().copied()).collect();
    let kinds = groups.iter().flat_map(|(parts, kind)| parts.iter().map(|_| *kind)).collect();
    let automaton = AhoCorasick::builder().ascii_case_insensitive(true).build(patterns).ok()?;
    Some(PartMatcher { automaton, kinds })
});

/// The kind a whole word of a class name or id marks.
fn word_hint(word: &str) -> Hint {
    let lower_matches =
        |words: &[&str]| words.iter().any(|candidate| candidate.eq_ignore_ascii_case(word));
    let mut hint = Hint::empty();
    for (words, kind) in [
        (RELATED_WORDS, Hint::RELATED),
        (NAVIGATION_WORDS, Hint::NAVIGATION),
        (CHROME_WORDS, Hint::CHROME),
        (ADVERT_WORDS, Hint::ADVERT),
        (WIDGET_WORDS, Hint::NAVIGATION),
    ] {
        if lower_matches(words) {
            hint.insert(kind);
        }
    }
    hint
}

/// The hints of an element from its attribute values (class, id, labels).
pub(super) fn attribute_hints<'a>(values: impl Iterator<Item = &'a str>) -> Hint {
    let mut hints = Hint::empty();
    for value in values {
        let mut end = value.len().min(300);
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        let value = &value[..end];
        if let Some(parts) = PARTS.as_ref() {
            for found in parts.automaton.find_overlapping_iter(value) {
                hints.insert(parts.kinds[found.pattern().as_usize()]);
            }
        }
        for class in value.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
            if class.len() <= 12 {
                hints.insert(word_hint(class));
            }
            if class.contains('-') {
                for word in class.split('-').filter(|word| word.len() <= 12) {
                    hints.insert(word_hint(word));
                }
            }
        }
    }
    hints
}

/// Headings over lists of related articles, in the languages of the
/// pages galley is used on (lowercase; matched anywhere in a short heading).
const RELATED_HEADINGS: &[&str] = &[
    "related",
    "recommended",
    "more on",
    "more from",
    "more in",
    "more to explore",
    "more like this",
    "more stories",
    "read next",
    "read more",
    "up next",
    "most read",
    "most popular",
    "most shared",
    "most viewed",
    "popular",
    "trending",
    "latest",
    "top stories",
    "top picks",
    "you might also",
    "you may also",
    "you may like",
    "also on",
    "people are reading",
    "similar",
    "further reading",
    "recent posts",
    "recent articles",
    "featured",
    "sur le même sujet",
    "lire aussi",
    "à lire",
    "les plus",
    "relacionad",
    "veja também",
    "leia também",
    "mais lidas",
    "más leídas",
    "más sobre",
    "te puede interesar",
    "lo más",
    "mehr zum thema",
    "meistgelesen",
    "meistkommentiert",
    "auch auf",
    "lesen sie auch",
    "související",
    "nejčtenější",
    "právě se děje",
    "関連",
    "ランキング",
    "注目",
    "人気",
    "相关",
    "相關",
    "推荐",
    "推薦",
    "热门",
    "熱門",
    "最新",
    "관련",
    "인기",
    "ذات صلة",
    "الأكثر",
    "כתבות נוספות",
];

/// Whether a heading's text announces a list of related articles.
pub(super) fn is_related_heading(text: &str) -> bool {
    if text.chars().count() > 80 {
        return false;
    }
    let lower = text.to_lowercase();
    RELATED_HEADINGS.iter().any(|phrase| lower.contains(phrase))
}
