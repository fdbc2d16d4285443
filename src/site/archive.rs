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
