//! What a teaser's card shows besides its headline: a date, an image and
//! the image's caption.

use super::flat::{Flat, Tag};
use super::links::resolve;
use dom_query::Document;
use jiff::civil::Date;
use url::Url;

/// How many nodes of a card are read at most (a card is small; a huge
/// one is not worth reading to the end).
const CARD_NODES: usize = 400;

/// The date, image and caption found in the card at `card`.
#[derive(Debug, Default)]
pub(super) struct CardDetails {
    pub date: Option<Date>,
    pub caption: Option<String>,
    pub image: Option<String>,
}

/// Reads the card whose subtree starts at `card`.
pub(super) fn read_card(
    flat: &Flat,
    document: &Document,
    card: usize,
    base: Option<&Url>,
) -> CardDetails {
    let mut details = CardDetails::default();
    let end = (flat.nodes[card].end as usize).min(card + CARD_NODES);
    let mut index = card;
    let mut inside_link_until = 0;
    while index < end {
        let node = &flat.nodes[index];
        match node.tag {
            Tag::Time if details.date.is_none() => {
                details.date = flat
                    .attr(document, index, "datetime")
                    .and_then(|value| parse_date(&value))
                    .or_else(|| parse_date(&flat.text_of(index)));
            }
            Tag::Caption if details.caption.is_none() => {
                let caption = flat.text_of(index);
                if !caption.is_empty() {
                    details.caption = Some(caption);
                }
            }
            Tag::Image if details.image.is_none() => {
                details.image = image_source(flat, document, index, base);
            }
            // A headline's words are never its date.
            Tag::Text
                if details.date.is_none()
                    && index >= inside_link_until
                    && node.text.1 - node.text.0 <= 80 =>
            {
                details.date = parse_date(&flat.text[node.text.0 as usize..node.text.1 as usize]);
            }
            Tag::Anchor => inside_link_until = inside_link_until.max(node.end as usize),
            _ => {}
        }
        index += 1;
    }
    details
}

/// An image's address: the lazy-loading attributes first, as the `src` of
/// a lazy image is a placeholder.
fn image_source(
    flat: &Flat,
    document: &Document,
    index: usize,
    base: Option<&Url>,
) -> Option<String> {
    let candidates = ["data-src", "data-lazy-src", "data-original", "srcset", "data-srcset", "src"];
    candidates.iter().find_map(|name| {
        let value = flat.attr(document, index, name)?;
        let first = value.split(',').next()?.split_whitespace().next()?.to_string();
        if first.starts_with("data:") {
            return None;
        }
        resolve(&first, base).map(|target| target.url)
    })
}

const MONTHS: &[&str] =
    &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A date in a card's text or `datetime`: `2019-01-03`, `2019/01/03`,
/// `03.01.2019`, `Jan 3, 2019`, `3 January 2019`. The first one found.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == 'T')
        .filter(|word| !word.is_empty())
        .collect();
    for (position, word) in words.iter().enumerate() {
        let numbers: Vec<&str> =
            word.split(['-', '/', '.']).filter(|part| !part.is_empty()).collect();
        if numbers.len() >= 3
            && numbers[..3].iter().all(|part| part.chars().all(|c| c.is_ascii_digit()))
        {
            let [a, b, c] = [numbers[0], numbers[1], numbers[2]];
            let date = if a.len() == 4 {
                civil(a, b, &c[..c.len().min(2)])
            } else if c.len() == 4 {
                civil(c, b, a)
            } else {
                None
            };
            if date.is_some() {
                return date;
            }
        }
        if let Some(month) = month_of(word) {
            let day_before = position.checked_sub(1).and_then(|before| day_of(words[before]));
            let day_after = words.get(position + 1).and_then(|after| day_of(after));
            let year = words[position + 1..].iter().take(2).find_map(|next| year_of(next));
            if let (Some(day), Some(year)) = (day_after.or(day_before), year) {
                if let Ok(date) = Date::new(year, month, day) {
                    return Some(date);
                }
            }
        }
    }
    None
}

fn civil(year: &str, month: &str, day: &str) -> Option<Date> {
    let year = year_of(year)?;
    Date::new(year, month.parse().ok()?, day.parse().ok()?).ok()
}

fn year_of(word: &str) -> Option<i16> {
    let year: i16 = word.trim_end_matches(['.', ',']).parse().ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

fn day_of(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let day: i8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn month_of(word: &str) -> Option<i8> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 || !lower.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let position = MONTHS.iter().position(|month| lower.starts_with(month))?;
    // "March" and "Mar" but not "Market": the word is a month's name or its abbreviation.
    let full = crate::import::saved_text::dateline::MONTHS[position];
    (full.starts_with(&lower) || lower == "sept").then_some(position as i8 + 1)
}
