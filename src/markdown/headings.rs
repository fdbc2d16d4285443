//! Heading ids (unique in a page) and the table of contents built from them.

use crate::content::slugify;
use crate::render::context::TocEntry;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashSet;

/// The id a heading gets when its text has no letter or digit.
const FALLBACK_ID: &str = "section";

/// Gives every heading whose `Start` event sits at one of `starts` an id: its
/// explicit `{#id}`, or its slugified text made unique with `-1`, `-2`, …
/// Returns the headings as a table of contents, nested by level.
pub(crate) fn assign_ids(events: &mut [Event<'_>], starts: &[usize]) -> Vec<TocEntry> {
    // Explicit ids are reserved first, so a generated id never takes one that
    // a later heading asked for by name.
    let mut used: HashSet<String> = starts
        .iter()
        .filter_map(|&start| match &events[start] {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut flat = Vec::with_capacity(starts.len());
    for &start in starts {
        let title = heading_text(&events[start + 1..]);
        let Event::Start(Tag::Heading { level, id, .. }) = &mut events[start] else {
            continue;
        };
        let final_id = match id {
            Some(explicit) => explicit.to_string(),
            None => unique_id(&title, &mut used),
        };
        *id = Some(final_id.clone().into());
        flat.push(TocEntry { level: *level as u8, id: final_id, title, children: Vec::new() });
    }
    nest(flat)
}

/// The visible text of a heading whose content starts at `events[0]`.
fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    let trimmed = text.trim();
    if trimmed.len() == text.len() { text } else { trimmed.to_string() }
}

/// `slugify(title)`, or with `-1`, `-2`, … appended until no other heading
/// of the page uses it.
fn unique_id(title: &str, used: &mut HashSet<String>) -> String {
    let mut base = slugify(title);
    if base.is_empty() {
        base = FALLBACK_ID.to_string();
    }
    if used.insert(base.clone()) {
        return base;
    }
    let mut n = 1;
    loop {
        let candidate = format!("{base}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Nests headings in document order: each one becomes a child of the nearest
/// earlier heading of a smaller level (an `h3` after an `h1` is the `h1`'s
/// child even with no `h2` between them).
pub(crate) fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn attach(done: TocEntry, open: &mut [TocEntry], roots: &mut Vec<TocEntry>) {
        match open.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
    let mut roots = Vec::new();
    // The chain of headings still open, each deeper than the one before it.
    let mut open: Vec<TocEntry> = Vec::new();
    for entry in flat {
        while open.last().is_some_and(|top| top.level >= entry.level) {
            if let Some(done) = open.pop() {
                attach(done, &mut open, &mut roots);
            }
        }
        open.push(entry);
    }
    while let Some(done) = open.pop() {
        attach(done, &mut open, &mut roots);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, id: &str) -> TocEntry {
        TocEntry { level, id: id.into(), title: id.into(), children: Vec::new() }
    }

    /// `id(child, child…)` notation, so a nesting reads at a glance.
    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level() {
        let flat = vec![
            entry(2, "a"),
            entry(3, "a1"),
            entry(4, "a1x"),
            entry(3, "a2"),
            entry(2, "b"),
            entry(4, "b-deep"),
            entry(1, "c"),
        ];
        assert_eq!(shape(&nest(flat)), "a(a1(a1x) a2) b(b-deep) c");
    }

    #[test]
    fn a_page_starting_deep_keeps_later_shallower_headings_at_the_top() {
        let flat = vec![entry(3, "x"), entry(2, "y"), entry(3, "z")];
        assert_eq!(shape(&nest(flat)), "x y(z)");
    }

    #[test]
    fn duplicate_titles_get_numbered_ids() {
        let mut used = HashSet::new();
        let ids: Vec<String> =
            ["Notes", "Notes", "notes!", "", "…"].iter().map(|t| unique_id(t, &mut used)).collect();
        assert_eq!(ids, ["notes", "notes-1", "notes-2", "section", "section-1"]);
    }
}
