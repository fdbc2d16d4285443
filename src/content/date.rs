//! Dates of pages: a calendar date with an optional time of day.

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The date (and optionally time) a page was published. Written in front matter
/// as `2019-06-28`, `2019-06-28T09:30:00` or `2019-06-28 09:30`; an offset
/// (`Z`, `+02:00`) is accepted and ignored, since an archive dates pages by
/// the day printed on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageDate(pub DateTime);

impl PageDate {
    /// A date at midnight.
    pub fn from_date(date: Date) -> Self {
        PageDate(date.to_datetime(Time::midnight()))
    }

    /// Builds a date from year, month and day; `None` when no such day exists.
    pub fn ymd(year: i16, month: i8, day: i8) -> Option<Self> {
        Date::new(year, month, day).ok().map(Self::from_date)
    }

    /// The calendar date.
    pub fn date(&self) -> Date {
        self.0.date()
    }

    /// Year, e.g. 2019.
    pub fn year(&self) -> i16 {
        self.0.year()
    }

    /// Month, 1–12.
    pub fn month(&self) -> i8 {
        self.0.month()
    }

    /// Day of month, 1–31.
    pub fn day(&self) -> i8 {
        self.0.day()
    }

    /// Whether a time of day was given.
    pub fn has_time(&self) -> bool {
        self.0.time() != Time::midnight()
    }

    /// The date as a strftime `format` (site.yaml's `date_format`, checked
    /// when the configuration loads) lays it out; `YYYY-MM-DD` should the
    /// format fail anyway.
    pub fn display(&self, format: &str) -> String {
        jiff::fmt::strtime::format(format, self.0).unwrap_or_else(|_| self.to_string())
    }

    /// RFC 3339 in UTC, as Atom and sitemaps want: `2019-06-28T00:00:00Z`.
    pub fn rfc3339(&self) -> String {
        let mut text = String::with_capacity(20);
        // Writing into a String cannot fail.
        let _ = self.write_date_time(&mut text, true);
        text.push('Z');
        text
    }

    /// `2019-06-28`, then `T09:30:00` when `with_time`. Written by hand: this
    /// runs several times for every page of a build, and jiff's `strftime`
    /// interprets its format string each time. Years outside 0–9999 (which
    /// need a sign or more digits) go through `strftime`.
    fn write_date_time(&self, out: &mut impl fmt::Write, with_time: bool) -> fmt::Result {
        let d = self.0;
        if !(0..=9999).contains(&d.year()) {
            let format = if with_time { "%Y-%m-%dT%H:%M:%S" } else { "%Y-%m-%d" };
            return write!(out, "{}", d.strftime(format));
        }
        // Digits put in place rather than through `write!`'s padding, which
        // cost a thousand instructions a date.
        let mut text = *b"0000-00-00T00:00:00";
        let fields = [
            (0..4, d.year()),
            (5..7, i16::from(d.month())),
            (8..10, i16::from(d.day())),
            (11..13, i16::from(d.hour())),
            (14..16, i16::from(d.minute())),
            (17..19, i16::from(d.second())),
        ];
        for (range, value) in fields {
            let mut value = value.unsigned_abs();
            for digit in text[range].iter_mut().rev() {
                *digit = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        let text = if with_time { &text[..] } else { &text[..10] };
        out.write_str(std::str::from_utf8(text).map_err(|_| fmt::Error)?)
    }

    /// Parses the forms listed on the type. Returns a message saying what was
    /// expected on failure.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let expected =
            || format!("expected a date like 2019-06-28 or 2019-06-28T09:30:00, found `{text}`");
        if text.len() < 10 || !text.is_char_boundary(10) {
            return Err(expected());
        }
        let (day_part, rest) = text.split_at(10);
        let date: Date = day_part.parse().map_err(|_| expected())?;
        let rest = rest.trim_start_matches(['T', 't', ' ']);
        if rest.is_empty() {
            return Ok(Self::from_date(date));
        }
        // Drop a trailing offset: `Z`, `+HH:MM`, `-HH:MM`.
        let time_part =
            rest.trim_end_matches(['Z', 'z']).split(['+', '-']).next().unwrap_or_default().trim();
        let time: Time = time_part.parse().map_err(|_| expected())?;
        Ok(PageDate(date.to_datetime(time)))
    }
}

impl fmt::Display for PageDate {
    /// `2019-06-28`, or `2019-06-28T09:30:00` when a time was given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_date_time(f, self.has_time())
    }
}

impl Serialize for PageDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PageDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Parsing inside the visitor (not after `String::deserialize` returns)
        // lets the YAML deserializer stamp a bad date with the scalar's own
        // line and column instead of the enclosing mapping's.
        struct DateVisitor;
        impl serde::de::Visitor<'_> for DateVisitor {
            type Value = PageDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date like 2019-06-28")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PageDate, E> {
                PageDate::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_accepted_forms() {
        assert_eq!(PageDate::parse("2019-06-28").unwrap().to_string(), "2019-06-28");
        assert_eq!(
            PageDate::parse("2019-06-28T09:30:00Z").unwrap().to_string(),
            "2019-06-28T09:30:00"
        );
        assert_eq!(PageDate::parse("2019-06-28 09:30").unwrap().to_string(), "2019-06-28T09:30:00");
        assert_eq!(
            PageDate::parse("2019-06-28T09:30:00+02:00").unwrap().rfc3339(),
            "2019-06-28T09:30:00Z"
        );
    }

    #[test]
    fn formats_like_strftime_for_every_year() {
        for text in ["0001-01-01", "0999-12-31T23:59:58", "2019-06-28T00:00:01", "9999-12-31"] {
            let date = PageDate::parse(text).unwrap();
            let expected = if date.has_time() {
                date.0.strftime("%Y-%m-%dT%H:%M:%S").to_string()
            } else {
                date.0.strftime("%Y-%m-%d").to_string()
            };
            assert_eq!(date.to_string(), expected);
            assert_eq!(date.rfc3339(), format!("{}Z", date.0.strftime("%Y-%m-%dT%H:%M:%S")));
        }
        let ancient = PageDate(jiff::civil::date(-44, 3, 15).to_datetime(Time::midnight()));
        assert_eq!(ancient.to_string(), ancient.0.strftime("%Y-%m-%d").to_string());
    }

    proptest::proptest! {
        /// Every date and time of years 0–9999 is written as strftime writes it.
        #[test]
        fn any_date_is_written_as_strftime_writes_it(
            (year, month, day) in (0i16..=9999, 1i8..=12, 1i8..=28),
            (hour, minute, second) in (0i8..24, 0i8..60, 0i8..60),
        ) {
            let time = jiff::civil::time(hour, minute, second, 0);
            let date = PageDate(jiff::civil::date(year, month, day).to_datetime(time));
            let expected = date.0.strftime("%Y-%m-%dT%H:%M:%S").to_string();
            proptest::prop_assert_eq!(date.rfc3339(), format!("{expected}Z"));
            let mut day_only = String::new();
            date.write_date_time(&mut day_only, false).unwrap();
            proptest::prop_assert_eq!(day_only, date.0.strftime("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(PageDate::parse("2019-02-30").is_err());
        assert!(PageDate::parse("28/06/2019").is_err());
        assert!(PageDate::parse("").is_err());
        assert!(PageDate::parse("2019-06-2é").is_err());
    }
}
