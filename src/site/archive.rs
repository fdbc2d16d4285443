//! The archive by year and month.

use super::article::Article;
use std::collections::BTreeMap;

/// A year with articles.
#[derive(Debug, Clone)]
pub struct YearArchive {
    /// The year.
    pub year: i16,
    /// Indices into `SiteGraph::articles`, newest first.
    pub articles: Vec<usize>,
    /// Months with articles, January first.
    pub months: Vec<MonthArchive>,
}

/// A month with articles.
#[derive(Debug, Clone)]
pub struct MonthArchive {
    /// The year.
    pub year: i16,
    /// 1–12.
    pub month: i8,
    /// Indices into `SiteGraph::articles`, newest first.
    pub articles: Vec<usize>,
}

/// English month names, for archive headings.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of month 1–12.
pub fn month_name(month: i8) -> &'static str {
    MONTH_NAMES.get((month as usize).wrapping_sub(1)).copied().unwrap_or("")
}

/// Years newest first, each with its months.
pub fn build_archive(articles: &[Article]) -> Vec<YearArchive> {
    let mut years: BTreeMap<i16, BTreeMap<i8, Vec<usize>>> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate().filter(|(_, a)| !a.page.standalone) {
        let date = article.page.front_matter.date;
        years.entry(date.year()).or_default().entry(date.month()).or_default().push(index);
    }
    years
        .into_iter()
        .rev()
        .map(|(year, months)| {
            let mut all: Vec<usize> = months.values().flatten().copied().collect();
            all.sort_unstable();
            YearArchive {
                year,
                articles: all,
                months: months
                    .into_iter()
                    .map(|(month, articles)| MonthArchive { year, month, articles })
                    .collect(),
            }
        })
        .collect()
}

/// The archive of [`build_archive`] carried over to new article indices after
/// articles left or came, without grouping every article again: `remap`
/// gives an old index's new one (`None` for an article that left), `fresh`
/// the new indices of the incoming articles (none of them standalone).
pub fn carry_archive(
    years: &mut Vec<YearArchive>,
    articles: &[Article],
    remap: &dyn Fn(usize) -> Option<usize>,
    fresh: &[usize],
) {
    let carry =
        |list: &mut Vec<usize>| list.retain_mut(|i| remap(*i).map(|new| *i = new).is_some());
    for year in years.iter_mut() {
        carry(&mut year.articles);
        year.months.iter_mut().for_each(|month| carry(&mut month.articles));
    }
    let insert = |list: &mut Vec<usize>, index: usize| {
        let at = list.partition_point(|&i| i < index);
        list.insert(at, index);
    };
    for &index in fresh {
        let date = articles[index].page.front_matter.date;
        let (year, month) = (date.year(), date.month());
        // Years newest first, months January first.
        let y = years.partition_point(|y| y.year > year);
        if years.get(y).is_none_or(|y| y.year != year) {
            years.insert(y, YearArchive { year, articles: Vec::new(), months: Vec::new() });
        }
        let months = &mut years[y].months;
        let m = months.partition_point(|m| m.month < month);
        if months.get(m).is_none_or(|m| m.month != month) {
            months.insert(m, MonthArchive { year, month, articles: Vec::new() });
        }
        insert(&mut months[m].articles, index);
        insert(&mut years[y].articles, index);
    }
    for year in years.iter_mut() {
        year.months.retain(|month| !month.articles.is_empty());
    }
    years.retain(|year| !year.articles.is_empty());
}
