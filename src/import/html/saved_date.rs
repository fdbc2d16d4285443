//! When a page was saved, for a page that shows no publication date: the
//! date the saving tool recorded (an MHTML archive's `Date:` header,
//! SingleFile's `saved date:` comment, a web archive's capture time in a
//! `/web/YYYYMMDDhhmmss/` address), else the saved file's modification
//! time, as the local date of that time.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::Path;

/// The day the page was saved. `mhtml_date` is the archive's `Date:`
/// header; `addresses` are the addresses the save and the page name
/// (the archive's location, the canonical link).
pub(super) fn saved_on(
    path: &Path,
    html: &str,
    mhtml_date: Option<&str>,
    addresses: &[&str],
) -> Option<Date> {
    mhtml_date
        .and_then(rfc2822_date)
        .or_else(|| single_file_date(html))
        .or_else(|| addresses.iter().find_map(|a| capture_date(a)))
        .or_else(|| capture_date(html))
        .or_else(|| crate::import::modified_on(path))
}

/// An RFC 2822 date (`Sun, 6 Dec 2026 12:00:00 -0000`), as the local date.
fn rfc2822_date(value: &str) -> Option<Date> {
    let zoned = jiff::fmt::rfc2822::parse(value.trim()).ok()?;
    Some(zoned.timestamp().to_zoned(TimeZone::system()).date())
}

/// SingleFile's comment at the top of its saves: `saved date: Sun Dec 06
/// 2026 21:13:01 GMT+0100 (…)`, the saver's own local date as printed.
fn single_file_date(html: &str) -> Option<Date> {
    let mut end = html.len().min(8192);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let at = head.find("saved date:")? + "saved date:".len();
    let words: Vec<&str> = head[at..].split_whitespace().take(4).collect();
    let [_weekday, month, day, year] = words.as_slice() else { return None };
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| month.to_ascii_lowercase().starts_with(m))?;
    Date::new(year.parse().ok()?, i8::try_from(month + 1).ok()?, day.parse().ok()?).ok()
}

/// A web archive's capture time in an address: `/web/20261206211301/…`
/// (UTC, as the archive writes it).
fn capture_date(text: &str) -> Option<Date> {
    let mut rest = text;
    while let Some(at) = rest.find("/web/") {
        let after = &rest[at + "/web/".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits >= 8 {
            let year = after[..4].parse().ok()?;
            let month = after[4..6].parse().ok()?;
            let day = after[6..8].parse().ok()?;
            if let Ok(date) = Date::new(year, month, day) {
                return Some(date);
            }
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saving_tool_s_record_wins_over_the_file_time() {
        let none = Path::new("/no/such/file.html");
        let date = |y, m, d| Date::new(y, m, d).ok();
        assert_eq!(
            saved_on(none, "", Some("Sun, 6 Dec 2026 12:00:00 +0000"), &[]),
            date(2026, 12, 6)
        );
        let single_file = "<!--\n Page saved with SingleFile \n url: https://example.org/a \n saved date: Fri Mar 03 2023 23:50:01 GMT+0100 (CET)\n-->\n<html>";
        assert_eq!(saved_on(none, single_file, None, &[]), date(2023, 3, 3));
        let wayback = ["https://web.archive.org/web/20190415083000/https://example.org/a"];
        assert_eq!(saved_on(none, "<html>", None, &wayback), date(2019, 4, 15));
        let toolbar = "<html><a href=\"/web/2019/\">x</a><a href=\"/web/20180102030405im_/x.png\">";
        assert_eq!(saved_on(none, toolbar, None, &[]), date(2018, 1, 2));
        assert_eq!(saved_on(none, "<html><p>No date here.</p>", None, &[]), None);
        assert_eq!(saved_on(none, "<html>", Some("not a date"), &[]), None);
    }
}
