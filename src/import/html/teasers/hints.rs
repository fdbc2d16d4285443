//! What a box's class, id and heading say it is for: a list of related
//! articles, navigation and other chrome, or advertising.

/// A small set of flags about one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Hint(u8);

impl Hint {
    /// Related, recommended, most read, read next, latest: a teaser box.
    pub const RELATED: Hint = Hint(1);
    /// Navigation, menus, breadcrumbs, tag lists, pagers.
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
    pub const fn intersects(self, other: Hint) -> bool {
        self.0 & other.0 != 0
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
    "comment",
    "disqus",
    "share",
    "sharing",
    "social",
    "byline",
    "author",
    "newsletter",
    "subscri",
    "login",
    "signin",
    "cookie",
    "consent",
    "copyright",
];
const CHROME_WORDS: &[&str] = &["contentinfo", "print", "email"];

const ADVERT_PARTS: &[&str] = &[
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "zergnet",
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
const ADVERT_WORDS: &[&str] = &["ad", "ads", "adv", "ob", "trc", "native"];

/// The hints of an element from its attribute values (class, id, labels).
pub(super) fn attribute_hints<'a>(values: impl Iterator<Item = &'a str>) -> Hint {
    let mut hints = Hint::empty();
    let mut lower = String::new();
    for value in values {
        lower.clear();
        lower.extend(value.chars().take(300).map(|c| c.to_ascii_lowercase()));
        let has_part = |parts: &[&str]| parts.iter().any(|part| lower.contains(part));
        let has_word = |words: &[&str]| {
            lower
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .flat_map(|class| std::iter::once(class).chain(class.split('-')))
                .any(|word| words.contains(&word))
        };
        if has_part(RELATED_PARTS) || has_word(RELATED_WORDS) {
            hints.insert(Hint::RELATED);
        }
        if has_part(NAVIGATION_PARTS) || has_word(NAVIGATION_WORDS) {
            hints.insert(Hint::NAVIGATION);
        }
        if has_part(CHROME_PARTS) || has_word(CHROME_WORDS) {
            hints.insert(Hint::CHROME);
        }
        if has_part(ADVERT_PARTS) || has_word(ADVERT_WORDS) {
            hints.insert(Hint::ADVERT);
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
