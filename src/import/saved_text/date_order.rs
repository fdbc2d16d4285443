//! Which order a page prints numeric dates in, for the dates that name a
//! real day either way round (`03/11/2017`, `11.03.17 in Gadgetry`).
//!
//! The page tells, first by the same day printed in a form of no doubt
//! (`2017-11-03` in its metadata), then by its other numeric dates whose order is plain
//! (`25/12/2015` says day first, `12.25.15` month first), then by its
//! language: an English page of American style (`ET` and `PT` clocks,
//! `Nov. 19, 2019` dates) prints the month first; any other page in the
//! words of a European language, day first. A page that tells neither
//! leaves such a date unread.

use super::Line;
use super::dates::{FoundDate, Order};
use crate::content::PageDate;

/// How a page orders the day and month of its numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageOrder {
    DayFirst,
    MonthFirst,
}

/// How many words of a language make a page speak it.
const LANGUAGE_WORDS: usize = 5;

/// Words that are common in English prose and no other language's.
const ENGLISH_WORDS: [&str; 12] =
    ["the", "and", "of", "to", "is", "with", "for", "that", "this", "was", "are", "it"];

/// Words that are common in the prose of other European languages
/// (French, German, Spanish, Italian, Portuguese, Dutch) and not English.
const EUROPEAN_WORDS: [&str; 36] = [
    "le", "les", "des", "du", "et", "est", "une", "dans", "pour", "der", "das", "und", "ist",
    "nicht", "mit", "ein", "eine", "sich", "el", "los", "las", "y", "que", "del", "una", "por",
    "para", "il", "della", "che", "per", "não", "em", "uma", "het", "een",
];

/// Time zones American pages print beside a clock time.
const AMERICAN_ZONES: [&str; 10] =
    ["ET", "PT", "CT", "EST", "EDT", "PST", "PDT", "CST", "CDT", "MT"];

/// The order the page's numeric dates are printed in, or `None` when the
/// page does not tell. `dates` are every date on the page.
pub(super) fn page_order(lines: &[Line<'_>], dates: &[(usize, FoundDate)]) -> Option<PageOrder> {
    // The page's words are read only for a date in doubt.
    if !dates.iter().any(|(_, d)| matches!(d.order, Order::Either { .. })) {
        return None;
    }
    let plain = |order: Order| dates.iter().filter(|(_, d)| d.order == order).count();
    let (day_first, month_first) = (plain(Order::DayFirst), plain(Order::MonthFirst));
    if day_first != month_first {
        return Some(if day_first > month_first {
            PageOrder::DayFirst
        } else {
            PageOrder::MonthFirst
        });
    }
    order_of_language(lines, dates)
}

/// The order the page's language prints dates in: month first on an
/// English page with American signs, else day first on a page in words
/// of English or another European language.
fn order_of_language(lines: &[Line<'_>], dates: &[(usize, FoundDate)]) -> Option<PageOrder> {
    let mut english = 0;
    let mut european = 0;
    let mut american_zones = 0;
    let mut dated_words = 0;
    for line in lines {
        let words = line.text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
        let mut previous = "";
        for word in words {
            if AMERICAN_ZONES.contains(&word) {
                american_zones += 1;
            }
            // `le 20 novembre`, `am 08.04.2015`: the French and German for
            // "on" a date.
            if matches!(previous, "le" | "am" | "Le" | "Am") && word.starts_with(char::is_numeric) {
                dated_words += 1;
            }
            let lower = word.to_lowercase();
            if ENGLISH_WORDS.contains(&lower.as_str()) {
                english += 1;
            } else if EUROPEAN_WORDS.contains(&lower.as_str()) {
                european += 1;
            }
            previous = word;
        }
    }
    let named = |order: Order| dates.iter().filter(|(_, d)| d.order == order).count();
    let (named_month_first, named_day_first) =
        (named(Order::NamedMonthFirst), named(Order::NamedDayFirst));
    let speaks_english = english >= LANGUAGE_WORDS && english > european;
    if speaks_english && named_month_first + american_zones > named_day_first + dated_words {
        return Some(PageOrder::MonthFirst);
    }
    let speaks_european = european >= LANGUAGE_WORDS || dated_words > 0;
    (speaks_english || speaks_european || named_day_first + named_month_first > 0)
        .then_some(PageOrder::DayFirst)
}

/// The date a found date stands for on a page printing in `order`: its one
/// reading; for a date either order reads, the reading the page prints
/// elsewhere in a form of no doubt (`2017-11-03` in its metadata for
/// `11.03.17`), else the page's order (`None` when the page does not tell).
pub(super) fn resolve(
    found: &FoundDate,
    order: Option<PageOrder>,
    dates: &[(usize, FoundDate)],
) -> Option<PageDate> {
    if let Order::Either { month_first } = found.order {
        let printed = |date: PageDate| {
            dates.iter().any(|(_, d)| d.date == date && !matches!(d.order, Order::Either { .. }))
        };
        match (printed(found.date), printed(month_first)) {
            (true, false) => return Some(found.date),
            (false, true) => return Some(month_first),
            _ => {}
        }
    }
    match (found.order, order) {
        (Order::Either { .. }, Some(PageOrder::DayFirst)) => Some(found.date),
        (Order::Either { month_first }, Some(PageOrder::MonthFirst)) => Some(month_first),
        (Order::Either { .. }, None) => None,
        _ => Some(found.date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::saved_text::dates::find_dates;
    use crate::import::saved_text::split_lines;

    /// The date the first date on `page` stands for, as a string.
    fn first_date(page: &str) -> Option<String> {
        let lines = split_lines(page);
        let dates: Vec<(usize, FoundDate)> = (0..lines.len())
            .flat_map(|i| find_dates(&lines[i].text).into_iter().map(move |d| (i, d)))
            .collect();
        let order = page_order(&lines, &dates);
        resolve(&dates.first()?.1, order, &dates).map(|d| d.to_string())
    }

    #[test]
    fn the_same_day_printed_without_doubt_decides() {
        let page = "11.03.17 in Gadgetry\n\"datePublished\": \"2017-11-03 03:01:00\"";
        assert_eq!(first_date(page).as_deref(), Some("2017-11-03"));
        let page = "11.03.17 in Gadgetry\n\"datePublished\": \"2017-03-11 03:01:00\"";
        assert_eq!(first_date(page).as_deref(), Some("2017-03-11"));
    }

    #[test]
    fn plain_numeric_dates_outvote_the_language() {
        let page = "Posted 03/11/2017 8:03 am ET\nThe ferry and the tide\n25/12/2016\n";
        assert_eq!(first_date(page).as_deref(), Some("2017-11-03"));
    }

    #[test]
    fn the_language_decides_when_no_date_does() {
        let german = "Veröffentlicht am 08.04.2015\nDer Hafen und die Fähre";
        assert_eq!(first_date(german).as_deref(), Some("2015-04-08"));
        let american = "Nov. 19, 2019 is when the ferry and the tide of this year were\n04/05/2017";
        let lines = split_lines(american);
        let dates: Vec<(usize, FoundDate)> = (0..lines.len())
            .flat_map(|i| find_dates(&lines[i].text).into_iter().map(move |d| (i, d)))
            .collect();
        assert_eq!(page_order(&lines, &dates), Some(PageOrder::MonthFirst));
        assert_eq!(first_date("04/05/2017 年月日"), None, "no words tell");
        assert_eq!(first_date("25/12/2016"), Some("2016-12-25".to_string()), "not in doubt");
    }
}
