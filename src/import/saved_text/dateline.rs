//! Date lines: `Jun 28, 2019 | Mehdi Khalaji`, `28 June 2019`, `2019-06-28 | X`.
//!
//! A date line is a date, alone or followed by `|` and a byline. Dates come in
//! the forms saved pages print: month-first (`Jun 28, 2019`, `June 28th,
//! 2019`), day-first (`28 June 2019`, `28/06/2019`, `28.06.2019`), ISO
//! (`2019-06-28`), each optionally after a weekday (`Friday, June 28, 2019`).
//! Slashed and dotted numeric dates are read day-first, as the archive's
//! publications print them. A line that has a date's shape but names no real
//! day (`Feb 30, 2019`) is reported, never silently replaced by another date.

use crate::content::PageDate;

/// A recognised date line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine<'a> {
    /// The date, or why the date-shaped text names no real day.
    pub date: Result<PageDate, String>,
    /// What followed `|`, trimmed; `None` when absent or empty.
    pub byline: Option<&'a str>,
}

/// Reads `line` as a date line; `None` when it is not one.
pub fn parse_date_line(line: &str) -> Option<DateLine<'_>> {
    let (date_part, byline) = match line.split_once('|') {
        Some((date_part, rest)) => (date_part, Some(rest.trim()).filter(|b| !b.is_empty())),
        None => (line, None),
    };
    let date = parse_date(date_part)?;
    Some(DateLine { date, byline })
}

/// Like [`parse_date_line`], also accepting the byline first
/// (`Ana Lima | Jun 28, 2019`), as some pages print under the headline.
pub fn parse_header_date_line(line: &str) -> Option<DateLine<'_>> {
    parse_date_line(line).or_else(|| {
        let (byline, date_part) = line.split_once('|')?;
        if date_part.contains('|') {
            return None;
        }
        let date = parse_date(date_part)?;
        Some(DateLine { date, byline: Some(byline.trim()).filter(|b| !b.is_empty()) })
    })
}

/// Month names, January first, as date lines spell them in full.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Reads a whole string as a date. `None`: not date-shaped; `Some(Err)`:
/// date-shaped but no such day.
pub fn parse_date(text: &str) -> Option<Result<PageDate, String>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    let mut tokens: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).collect();
    // A time of day after the date (`10:30 am`, `14:05 AEST`) is not kept:
    // the archive dates pages by day.
    if let Some(at) = tokens.iter().position(|t| is_time(t)) {
        if at >= 1 && tokens.len() - at <= 3 {
            tokens.truncate(at);
        }
    }
    if tokens.len() == 4 && weekday(tokens[0]) {
        tokens.remove(0);
    }
    let (year, month, day) = match tokens.as_slice() {
        [single] => numeric_date(single)?,
        [a, b, c] => {
            let year = year_token(c)?;
            if let (Some(month), Some(day)) = (month_token(a), day_token(b)) {
                (year, month, day)
            } else if let (Some(day), Some(month)) = (day_token(a), month_token(b)) {
                (year, month, day)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(make_date(year, month, day, text))
}

/// `10:30`, `9:05am`, `14:05:00`.
fn is_time(token: &str) -> bool {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let mut parts = digits.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else { return false };
    let numeric = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    numeric(h) && numeric(m) && parts.all(numeric)
}

fn make_date(year: i32, month: u32, day: u32, text: &str) -> Result<PageDate, String> {
    let fits = |v: u32, max: u32| (1..=max).contains(&v);
    let made = (fits(month, 12) && fits(day, 31))
        .then(|| PageDate::ymd(i16::try_from(year).ok()?, month as i8, day as i8))
        .flatten();
    made.ok_or_else(|| format!("`{text}` is not a real date"))
}

/// `2019-06-28` (ISO), `28/06/2019` and `28.06.2019` (day first).
fn numeric_date(token: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = token.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if token.contains('-') {
        // Only ISO order with dashes; `28-06-2019` is too rare to guess at.
        if a.len() != 4 || b.len() > 2 || c.len() > 2 || token.contains(['/', '.']) {
            return None;
        }
        return Some((a.parse().ok()?, b.parse().ok()?, c.parse().ok()?));
    }
    if token.contains('/') && token.contains('.') {
        return None;
    }
    if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        // `2019/06/28`: year first is unambiguous.
        return Some((a.parse().ok()?, b.parse().ok()?, c.parse().ok()?));
    }
    if c.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some((c.parse().ok()?, b.parse().ok()?, a.parse().ok()?))
}

fn year_token(token: &str) -> Option<i32> {
    (token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit())).then(|| token.parse().ok())?
}

/// `28`, `28th`, `1st`, `02`.
fn day_token(token: &str) -> Option<u32> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[digits.len()..];
    let suffix_ok = suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix);
    (suffix_ok && (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())?
}

/// `Jun`, `June`, `Jun.`, `Sept`, any case; the month number 1–12.
fn month_token(token: &str) -> Option<u32> {
    let word = token.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    if word == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == word || (word.len() == 3 && m.starts_with(&word))).map(|i| {
        // Twelve months: the index always fits.
        i as u32 + 1
    })
}

fn weekday(token: &str) -> bool {
    let word = token.trim_end_matches(['.', ',']).to_ascii_lowercase();
    word.len() >= 3 && WEEKDAYS.iter().any(|d| d.starts_with(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(line: &str) -> String {
        match parse_date_line(line) {
            Some(DateLine { date: Ok(d), .. }) => d.to_string(),
            Some(DateLine { date: Err(e), .. }) => format!("error: {e}"),
            None => "none".to_string(),
        }
    }

    #[test]
    fn month_first_forms() {
        assert_eq!(date("Jun 28, 2019 | Mehdi Khalaji"), "2019-06-28");
        assert_eq!(date("June 28, 2019"), "2019-06-28");
        assert_eq!(date("Sept. 3, 2021 | X"), "2021-09-03");
        assert_eq!(date("June 28th, 2019"), "2019-06-28");
        assert_eq!(date("Friday, June 28, 2019"), "2019-06-28");
        assert_eq!(date("jun  28 ,2019|X"), "2019-06-28");
    }

    #[test]
    fn day_first_and_numeric_forms() {
        assert_eq!(date("28 June 2019 | A"), "2019-06-28");
        assert_eq!(date("3 Sep 2021"), "2021-09-03");
        assert_eq!(date("Fri 28 Jun 2019"), "2019-06-28");
        assert_eq!(date("1st March 2020"), "2020-03-01");
        assert_eq!(date("2019-06-28 | A"), "2019-06-28");
        assert_eq!(date("28/06/2019"), "2019-06-28");
        assert_eq!(date("05.11.2020 | A"), "2020-11-05");
        assert_eq!(date("2019/06/28"), "2019-06-28");
    }

    #[test]
    fn a_time_after_the_date_is_dropped() {
        assert_eq!(date("Jun 28, 2019 10:30 am | A"), "2019-06-28");
        assert_eq!(date("28 June 2019 14:05 AEST"), "2019-06-28");
        assert_eq!(date("10:30 Jun 28, 2019"), "none");
    }

    #[test]
    fn impossible_dates_are_errors_not_guesses() {
        assert_eq!(date("Feb 30, 2019 | A"), "error: `Feb 30, 2019` is not a real date");
        assert!(date("31/13/2019").starts_with("error"));
        assert!(date("Jun 0, 2019").starts_with("error"));
        assert!(date("2019-02-29").starts_with("error"));
        assert_eq!(date("2020-02-29"), "2020-02-29");
    }

    #[test]
    fn prose_is_not_a_date_line() {
        assert_eq!(date("June 28, 2019 was a hot day in Teheran."), "none");
        assert_eq!(date("In June 2019 | nothing"), "none");
        assert_eq!(date("1973. The war began"), "none");
        assert_eq!(date("May the best one win"), "none");
        assert_eq!(date(""), "none");
        assert_eq!(date("Mayor 12, 2019"), "none");
    }

    #[test]
    fn header_date_line_may_put_the_byline_first() {
        let line = parse_header_date_line("Ana Lima | 28 June 2019").unwrap();
        assert_eq!(
            (line.date.unwrap().to_string(), line.byline),
            ("2019-06-28".into(), Some("Ana Lima"))
        );
        assert!(parse_header_date_line("Ana Lima | soon").is_none());
        assert!(parse_date_line("Ana Lima | 28 June 2019").is_none());
    }

    #[test]
    fn byline_is_trimmed_and_optional() {
        let line = parse_date_line("Jun 28, 2019 |  Mehdi Khalaji ").unwrap();
        assert_eq!(line.byline, Some("Mehdi Khalaji"));
        assert_eq!(parse_date_line("Jun 28, 2019 | ").unwrap().byline, None);
        assert_eq!(parse_date_line("Jun 28, 2019").unwrap().byline, None);
    }
}
