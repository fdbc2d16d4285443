//! Dates inside a line of a whole page: `By JEFFREY GETTLEMAN JAN. 13, 2017`,
//! `Nov. 19, 2019 8:03 am ET`, `20 Nov, 2019 05:47`, `Updated 3:46 PM EST,
//! Wed March 11, 2015`, `2019年11月20日`, `19.11.2019`, `le 20 novembre 2019`,
//! `20. November 2019`, `20 de noviembre de 2019`, `2019-11-20T10:00`.
//!
//! [`super::dateline`] reads a line that *is* a date line; this module finds
//! the dates a longer line holds, in the month names of the languages saved
//! pages are written in, and says which of them follow an "updated" label.
//! A slashed or dotted numeric date that names a real day either way round
//! (`03/11/2017`) is found with both readings ([`Order::Either`]); the page
//! decides which it is ([`super::date_order`]).

use crate::content::PageDate;

/// A date found inside a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub date: PageDate,
    /// Byte range of the date's text in the line.
    pub start: usize,
    pub end: usize,
    /// Whether an "updated" label stands before it in the same part of the
    /// line (`Updated …`, `Mis à jour le …`).
    pub updated: bool,
    /// In which order its day and month are printed.
    pub order: Order,
}

/// In which order a date prints its day and month, as far as the date
/// itself tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Nothing to tell apart: year first (`2019-11-20`, `2019年11月20日`),
    /// or a numeric date read by the clock beside it (`9/11/13 10:00AM`).
    Untold,
    /// The month's name after the day: `20 Nov, 2019`, `le 20 novembre`.
    NamedDayFirst,
    /// The month's name before the day: `Nov. 19, 2019`.
    NamedMonthFirst,
    /// Numbers of which only day first names a real day: `25/12/2015`.
    DayFirst,
    /// Numbers of which only month first names a real day: `12.25.15`.
    MonthFirst,
    /// Numbers that name a real day either way (`03/11/2017`): `date` is
    /// the day-first reading, this the month-first one.
    Either { month_first: PageDate },
}

/// Years a page's own date can have; anything else is a number, not a year.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Month names by number (index + 1): English, French, German, Spanish,
/// Italian, Portuguese, Dutch and Czech (genitive, as dates print them).
const MONTH_NAMES: [&[&str]; 12] = [
    &["january", "janvier", "januar", "jänner", "enero", "gennaio", "janeiro", "januari", "ledna"],
    &[
        "february",
        "février",
        "fevrier",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
        "února",
    ],
    &["march", "mars", "märz", "marzo", "março", "maart", "března"],
    &["april", "avril", "abril", "aprile", "dubna"],
    &["may", "mai", "mayo", "maggio", "maio", "mei", "května"],
    &["june", "juin", "juni", "junio", "giugno", "junho", "června"],
    &["july", "juillet", "juli", "julio", "luglio", "julho", "července"],
    &["august", "août", "aout", "agosto", "augustus", "srpna"],
    &["september", "septembre", "septiembre", "setiembre", "settembre", "setembro", "září"],
    &["october", "octobre", "oktober", "octubre", "ottobre", "outubro", "října"],
    &["november", "novembre", "noviembre", "novembro", "listopadu"],
    &[
        "december",
        "décembre",
        "decembre",
        "dezember",
        "diciembre",
        "dicembre",
        "dezembro",
        "prosince",
    ],
];

/// Labels that mark the date after them as a revision, not publication.
const UPDATED_LABELS: [&str; 8] = [
    "updated",
    "update:",
    "mis à jour",
    "modifié",
    "aktualisiert",
    "actualizado",
    "last edited",
    "last modified",
];

/// One word of a line and where it starts and ends.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Every date in `line`, in order. Linear in the line's length.
pub(crate) fn find_dates(line: &str) -> Vec<FoundDate> {
    let mut found = Vec::new();
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    let tokens = tokenize(line);
    let mut i = 0;
    while i < tokens.len() {
        if let Some((date, order, used)) = date_at(&tokens[i..]) {
            let (start, end) = (tokens[i].start, tokens[i + used - 1].end);
            found.push(FoundDate { date, start, end, updated: false, order });
            i += used;
        } else {
            i += 1;
        }
    }
    if found.is_empty()
        && let Some(first) = tokens.first().filter(|t| t.start == 0)
        && let Some((date, order)) = dotted_short_year(first.text)
    {
        found.push(FoundDate { date, start: 0, end: first.end, updated: false, order });
    }
    if line.contains('年') {
        found.extend(cjk_dates(line));
        found.sort_by_key(|d| d.start);
    }
    for date in &mut found {
        date.updated = follows_updated_label(&line[..date.start]);
    }
    found
}

/// Splits a line into words at spaces and at the punctuation that sits
/// between a date's parts (`,` `|` `•` `·` brackets, dashes used as bars).
fn tokenize(line: &str) -> Vec<Token<'_>> {
    let is_separator = |c: char| {
        c.is_whitespace()
            || matches!(c, ',' | '|' | '•' | '·' | '(' | ')' | '[' | ']' | '—' | '–' | '：')
    };
    let mut tokens = Vec::new();
    let mut start = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        // `Yahoo FinanceOctober 13, 2016`: a word glued to the month.
        if previous.is_lowercase() && c.is_uppercase() {
            if let Some(s) = start.replace(at) {
                tokens.push(Token { text: &line[s..at], start: s, end: at });
            }
        }
        previous = c;
        match (is_separator(c), start) {
            (true, Some(s)) => {
                tokens.push(Token { text: &line[s..at], start: s, end: at });
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(Token { text: &line[s..], start: s, end: line.len() });
    }
    tokens
}

/// A date starting at the first token, its order, and how many tokens it
/// takes.
fn date_at(tokens: &[Token<'_>]) -> Option<(PageDate, Order, usize)> {
    let word = |i: usize| tokens.get(i).map(|t| t.text);
    let first = word(0)?;
    if let Some((date, order)) = numeric(first) {
        return Some((date, order, 1));
    }
    if let Some(date) = dotted_month_name(first) {
        return Some((date, Order::NamedDayFirst, 1));
    }
    let meridiem = word(2).unwrap_or_default();
    if let Some(date) = word(1).and_then(|time| short_year(first, time, meridiem)) {
        return Some((date, Order::Untold, 1));
    }
    // `20 de noviembre de 2019`: Spanish and Portuguese join with `de`.
    let skip_de = |i: usize| usize::from(word(i).is_some_and(|w| w.eq_ignore_ascii_case("de")));
    if let Some(day) = day_number(first) {
        let m = 1 + skip_de(1);
        let month = word(m).and_then(month_number)?;
        let y = m + 1 + skip_de(m + 1);
        let year = word(y).and_then(year_number)?;
        return make(year, month, day).map(|d| (d, Order::NamedDayFirst, y + 1));
    }
    let month = month_number(first)?;
    let day = word(1).and_then(day_number)?;
    let year = word(2).and_then(year_number)?;
    make(year, month, day).map(|d| (d, Order::NamedMonthFirst, 3))
}

/// The date two numbers and a year name, and its [`Order`]: `None` when
/// neither order names a real day.
fn either_order(year: i32, first: u32, second: u32) -> Option<(PageDate, Order)> {
    match (make(year, second, first), make(year, first, second)) {
        (Some(day_first), Some(month_first)) if first != second => {
            Some((day_first, Order::Either { month_first }))
        }
        (Some(date), Some(_)) => Some((date, Order::Untold)),
        (Some(day_first), None) => Some((day_first, Order::DayFirst)),
        (None, Some(month_first)) => Some((month_first, Order::MonthFirst)),
        (None, None) => None,
    }
}

fn make(year: i32, month: u32, day: u32) -> Option<PageDate> {
    if !YEARS.contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    PageDate::ymd(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?)
}

/// `2019-11-20`, `2019-11-20T10:00:00Z`, `19.11.2019`, `04.05.2015`,
/// `20/11/2019`, `11/20/2019`, `2019/11/20`.
fn numeric(token: &str) -> Option<(PageDate, Order)> {
    // `"2017-11-03 03:01"`: a date quoted in the page's metadata.
    let token = token.trim_start_matches('"').trim_end_matches(['.', ':', ';', '"']);
    let token = match token.split_once('T') {
        Some((date, time)) if time.starts_with(|c: char| c.is_ascii_digit()) => date,
        _ => token,
    };
    if token.len() < 8 || token.len() > 10 {
        return None;
    }
    let separator = token.bytes().find(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let mut parts = token.split(char::from(separator));
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|x| x.is_ascii_digit());
    if parts.next().is_some() || !digits(a) || !digits(b) || !digits(c) {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        let date = make(i32::try_from(n(a)?).ok()?, n(b)?, n(c)?)?;
        return Some((date, Order::Untold));
    }
    if separator == b'-' || c.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    either_order(i32::try_from(n(c)?).ok()?, n(a)?, n(b)?)
}

/// `21.dez.2018`, `3.Nov.2019`: day, month's name and year joined by dots.
fn dotted_month_name(token: &str) -> Option<PageDate> {
    let mut parts = token.trim_end_matches([',', ';', ':']).splitn(3, '.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    make(year_number(year)?, month_number(month)?, day_number(day)?)
}

/// `9/11/13 10:00AM`: a slashed date with a two-digit year, read only with
/// a clock time after it (alone, `1/2/13` is as likely a fraction or a
/// count). A time with AM or PM is the American form, month first; a
/// 24-hour time, day first.
fn short_year(token: &str, time: &str, after: &str) -> Option<PageDate> {
    let clock = time.split_once(':').is_some_and(|(hours, minutes)| {
        (1..=2).contains(&hours.len())
            && hours.bytes().all(|b| b.is_ascii_digit())
            && minutes.len() >= 2
            && minutes.bytes().take(2).all(|b| b.is_ascii_digit())
    });
    if !clock {
        return None;
    }
    let mut parts = token.split('/');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str, most: usize| {
        (1..=most).contains(&p.len()) && p.bytes().all(|x| x.is_ascii_digit())
    };
    if parts.next().is_some() || !short(a, 2) || !short(b, 2) || c.len() != 2 || !short(c, 2) {
        return None;
    }
    let (a, b, year) = (a.parse().ok()?, b.parse().ok()?, 2000 + c.parse::<i32>().ok()?);
    let is_meridiem = |w: &str| {
        let w = w.to_ascii_lowercase().replace('.', "");
        w.ends_with("am") || w.ends_with("pm")
    };
    let twelve_hour = is_meridiem(time) || (after.len() <= 4 && is_meridiem(after));
    let (month, day) = if twelve_hour { (a, b) } else { (b, a) };
    make(year, month, day)
}

/// `10.15.15`, `10.15.15 in Gadgetry`: month, day and two-digit year
/// joined by dots, read only where it opens the line (inside one, `1.12.15`
/// is as likely a version). `03.11.17` could be either order, and is no
/// date until the page says which.
fn dotted_short_year(token: &str) -> Option<(PageDate, Order)> {
    let mut parts = token.trim_end_matches([',', ':']).split('.');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let two = |p: &str| p.len() == 2 && p.bytes().all(|x| x.is_ascii_digit());
    if parts.next().is_some() || !two(a) || !two(b) || !two(c) {
        return None;
    }
    either_order(2000 + c.parse::<i32>().ok()?, a.parse().ok()?, b.parse().ok()?)
}

/// `20`, `20.` (German), `20th`, `1st`, `1er` (French).
fn day_number(token: &str) -> Option<u32> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let suffix = &token[digits.len()..];
    let suffix_ok = matches!(suffix, "" | "." | "st" | "nd" | "rd" | "th" | "er");
    let all_digits = (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    (suffix_ok && all_digits).then(|| digits.parse().ok())?
}

/// `2019`, `2019.` (a sentence's end), `2019:`.
fn year_number(token: &str) -> Option<i32> {
    let digits = token.trim_end_matches(['.', ':', ';']);
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())?
}

/// A month's name or its abbreviation (`Nov.`, `Sept`, `févr.`, `MARCH`),
/// in any of [`MONTH_NAMES`]' languages.
fn month_number(token: &str) -> Option<u32> {
    let word = token.trim_end_matches('.');
    let count = word.chars().count();
    if !(3..=10).contains(&count) || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let word = word.to_lowercase();
    let mut found = None;
    for (index, names) in MONTH_NAMES.iter().enumerate() {
        let matches = names.iter().any(|name| {
            *name == word || (count <= 5 && name.starts_with(word.as_str()) && count >= 3)
        });
        if matches {
            // An abbreviation two months share names neither.
            if found.is_some_and(|f| f != index) {
                return None;
            }
            found = Some(index);
        }
    }
    found.map(|i| u32::try_from(i + 1).unwrap_or(0))
}

/// `2019年11月20日` (Chinese and Japanese), also with spaces between parts.
fn cjk_dates(line: &str) -> Vec<FoundDate> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices('年') {
        let before = &line[..at];
        let year_text = before.trim_end();
        let year_start = year_text
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()
            .map_or(year_text.len(), |(i, _)| i);
        let year = &year_text[year_start..];
        let rest = &line[at + '年'.len_utf8()..];
        let Some((month, rest)) = number_before(rest, '月') else { continue };
        let Some((day, rest)) = number_before(rest, '日') else { continue };
        let Ok(year) = year.parse::<i32>() else { continue };
        if year_text.len() - year_start != 4 {
            continue;
        }
        if let Some(date) = make(year, month, day) {
            let end = line.len() - rest.len();
            let order = Order::Untold;
            found.push(FoundDate { date, start: year_start, end, updated: false, order });
        }
    }
    found
}

/// `11月…` → (11, the text after `月`).
fn number_before(text: &str, unit: char) -> Option<(u32, &str)> {
    let text = text.trim_start();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text[digits..].trim_start().strip_prefix(unit)?;
    ((1..=2).contains(&digits)).then(|| Some((text[..digits].parse().ok()?, rest)))?
}

/// Whether the part of the line before a date (back to the last bar or
/// bullet) carries an "updated" label.
fn follows_updated_label(before: &str) -> bool {
    let part = before.rsplit(['|', '•', '·', ';']).next().unwrap_or(before);
    let part = part.to_lowercase();
    UPDATED_LABELS.iter().any(|label| part.contains(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(line: &str) -> Vec<String> {
        find_dates(line)
            .iter()
            .map(|d| {
                let label = if d.updated { " (updated)" } else { "" };
                let either = match d.order {
                    Order::Either { month_first } => format!(" or {month_first}"),
                    _ => String::new(),
                };
                format!("{}{either}{label} `{}`", d.date, &line[d.start..d.end])
            })
            .collect()
    }

    #[test]
    fn the_forms_pages_print() {
        assert_eq!(dates("Nov. 19, 2019 8:03 am ET"), ["2019-11-19 `Nov. 19, 2019`"]);
        assert_eq!(dates("20 Nov, 2019 05:47"), ["2019-11-20 `20 Nov, 2019`"]);
        assert_eq!(
            dates("Updated 3:46 PM EST, Wed March 11, 2015"),
            ["2015-03-11 (updated) `March 11, 2015`"]
        );
        assert_eq!(dates("2019年11月20日 10:00"), ["2019-11-20 `2019年11月20日`"]);
        assert_eq!(dates("Publié le 19.11.2019"), ["2019-11-19 `19.11.2019`"]);
        assert_eq!(find_dates("19.11.2019")[0].order, Order::DayFirst);
        assert_eq!(find_dates("11/20/2019")[0].order, Order::MonthFirst);
        assert_eq!(find_dates("Nov. 19, 2019")[0].order, Order::NamedMonthFirst);
        assert_eq!(find_dates("le 20 novembre 2019")[0].order, Order::NamedDayFirst);
        assert_eq!(find_dates("2019-11-20")[0].order, Order::Untold);
        assert_eq!(find_dates("11/11/2019")[0].order, Order::Untold, "the same either way");
        assert_eq!(dates("le 20 novembre 2019"), ["2019-11-20 `20 novembre 2019`"]);
        assert_eq!(dates("20. November 2019"), ["2019-11-20 `20. November 2019`"]);
        assert_eq!(dates("20 de noviembre de 2019"), ["2019-11-20 `20 de noviembre de 2019`"]);
        assert_eq!(dates("2019-11-20T10:00:00Z"), ["2019-11-20 `2019-11-20T10:00:00Z`"]);
        assert_eq!(dates("By JEFFREY GETTLEMAN JAN. 13, 2017"), ["2017-01-13 `JAN. 13, 2017`"]);
        assert_eq!(dates("11/20/2019"), ["2019-11-20 `11/20/2019`"]);
        assert_eq!(dates("Yahoo FinanceOctober 13, 2016"), ["2016-10-13 `October 13, 2016`"]);
        assert_eq!(dates("发稿时间：2017-03-10 08:42:00"), ["2017-03-10 `2017-03-10`"]);
        assert_eq!(dates("21.dez.2018 às 12h55"), ["2018-12-21 `21.dez.2018`"]);
        assert_eq!(dates("9/11/13 10:00AM"), ["2013-09-11 `9/11/13`"]);
        assert_eq!(dates("9/11/13 10:00 am"), ["2013-09-11 `9/11/13`"]);
        assert_eq!(dates("9/11/13 10:00"), ["2013-11-09 `9/11/13`"]);
        assert_eq!(dates("10.15.15"), ["2015-10-15 `10.15.15`"]);
        assert_eq!(dates("11.23.17 in Gadgetry"), ["2017-11-23 `11.23.17`"]);
        assert_eq!(dates("23.11.17"), ["2017-11-23 `23.11.17`"]);
    }

    #[test]
    fn a_date_either_order_reads_is_found_with_both() {
        assert_eq!(dates("03/11/2017"), ["2017-11-03 or 2017-03-11 `03/11/2017`"]);
        assert_eq!(dates("11.03.17 in Gadgetry"), ["2017-03-11 or 2017-11-03 `11.03.17`"]);
        assert!(dates("in Gadgetry 11.03.17").is_empty(), "inside a line, a version");
    }

    #[test]
    fn a_revision_date_is_marked() {
        let line = "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | Par M. U.";
        assert_eq!(
            dates(line),
            ["2015-05-04 or 2015-04-05 `04.05.2015`", "2015-05-05 (updated) `05.05.2015`"]
        );
    }

    #[test]
    fn numbers_that_are_not_dates() {
        assert!(dates("75 with 51 posters participating").is_empty());
        assert!(dates("1 of 10 articles read").is_empty());
        assert!(dates("Feb 30, 2019").is_empty());
        assert!(dates("May 2019").is_empty());
        assert!(dates("version 1.2.3 of 12.33.2019").is_empty());
        assert!(dates("年月日 2019年13月1日").is_empty());
        assert!(dates("scored 1/2/13 of the votes").is_empty());
        assert!(dates("9/11/13 10:00 of 12").len() == 1);
        assert!(dates("21.foo.2018 and 3.dez.18").is_empty());
        assert!(dates("version 10.15.15").is_empty());
        assert!(dates("1.12.15 released").is_empty());
    }
}
