//! Who wrote an article and who owns it: bylines, author bios, rights lines.

/// Splits a byline into author names: `A and B`, `A & B`, `A, B and C`,
/// `By A`. A staff byline (`AIR Staff`, `Staff and agencies`) is one name,
/// kept whole, since splitting it would invent people.
pub fn split_authors(byline: &str) -> Vec<String> {
    let byline = byline.trim();
    let byline = strip_prefix_ignore_case(byline, "by ").unwrap_or(byline).trim();
    if byline.is_empty() {
        return Vec::new();
    }
    if is_collective(byline) {
        return vec![byline.to_string()];
    }
    let mut names: Vec<String> = Vec::new();
    for piece in byline.split([',', ';']) {
        for name in split_words(piece, &[" and ", " & "]) {
            let name = name.trim();
            let name = strip_prefix_ignore_case(name, "and ").unwrap_or(name).trim();
            if name.is_empty() {
                continue;
            }
            match names.last_mut() {
                // `John Smith, Jr.` is one person.
                Some(last) if is_name_suffix(name) => {
                    last.push_str(", ");
                    last.push_str(name);
                }
                _ => names.push(name.to_string()),
            }
        }
    }
    names
}

fn split_words<'a>(text: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![text];
    for sep in separators {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
}

pub(crate) fn is_collective(byline: &str) -> bool {
    let lower = byline.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(w, "staff" | "editorial" | "editors" | "agencies" | "correspondents" | "desk")
    })
}

fn is_name_suffix(name: &str) -> bool {
    matches!(name.trim_end_matches('.'), "Jr" | "Sr" | "II" | "III" | "IV" | "PhD" | "MD" | "QC")
}

/// `strip_prefix` that ignores ASCII case.
pub fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Splits a paragraph's trailing rights sentence off: the sentence starting
/// with `©`, or the one holding "reprinted by permission" / "all rights
/// reserved". Returns (text before, rights), or `None` when there is none.
pub fn split_rights(paragraph: &str) -> Option<(&str, &str)> {
    let start = match paragraph.find('©') {
        Some(at) => at,
        None => {
            let lower = paragraph.to_lowercase();
            // Lowercasing can change byte lengths outside ASCII; only use the
            // position when the lengths still agree.
            if lower.len() != paragraph.len() {
                return None;
            }
            let marker = [
                "reprinted by permission",
                "all rights reserved",
                "reprinted with permission",
                "republished with permission",
            ]
            .iter()
            .filter_map(|m| lower.find(m))
            .min()?;
            sentence_start(paragraph, marker)
        }
    };
    let before = paragraph[..start].trim_end();
    let rights = paragraph[start..].trim();
    Some((before, rights))
}

/// The byte index where the sentence holding `at` starts.
fn sentence_start(text: &str, at: usize) -> usize {
    let head = &text[..at];
    [". ", "? ", "! ", ".” ", ".\" "]
        .iter()
        .filter_map(|end| head.rfind(end).map(|i| i + end.len()))
        .max()
        .unwrap_or(0)
}

/// `Yours sincerely,` and other letter sign-offs.
pub fn is_valediction(line: &str) -> bool {
    let lower = line.trim().trim_end_matches([',', '.']).to_lowercase();
    matches!(
        lower.as_str(),
        "yours sincerely"
            | "sincerely"
            | "yours faithfully"
            | "faithfully"
            | "yours truly"
            | "regards"
            | "kind regards"
            | "best regards"
            | "with best wishes"
            | "respectfully"
            | "yours"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_author_lists() {
        assert_eq!(split_authors("Mehdi Khalaji"), ["Mehdi Khalaji"]);
        assert_eq!(split_authors("Ana Lima and Tom Ng"), ["Ana Lima", "Tom Ng"]);
        assert_eq!(split_authors("Ana Lima & Tom Ng"), ["Ana Lima", "Tom Ng"]);
        assert_eq!(split_authors("A Lima, B Ng & C Roe"), ["A Lima", "B Ng", "C Roe"]);
        assert_eq!(split_authors("A Lima, B Ng, and C Roe"), ["A Lima", "B Ng", "C Roe"]);
        assert_eq!(split_authors("By Ana Lima"), ["Ana Lima"]);
        assert_eq!(split_authors("John Smith, Jr. and Ana Lima"), ["John Smith, Jr.", "Ana Lima"]);
        assert!(split_authors("  ").is_empty());
    }

    #[test]
    fn staff_bylines_stay_whole() {
        assert_eq!(split_authors("AIR Staff"), ["AIR Staff"]);
        assert_eq!(split_authors("Staff and agencies"), ["Staff and agencies"]);
    }

    #[test]
    fn rights_sentence_is_split_off() {
        let p = "Mehdi Khalaji is a fellow. © Washington Institute, reprinted by permission, all rights reserved.";
        assert_eq!(
            split_rights(p),
            Some((
                "Mehdi Khalaji is a fellow.",
                "© Washington Institute, reprinted by permission, all rights reserved."
            ))
        );
        let p = "Ana Lima is a writer. This article is reprinted by permission of the author.";
        assert_eq!(
            split_rights(p),
            Some((
                "Ana Lima is a writer.",
                "This article is reprinted by permission of the author."
            ))
        );
        assert_eq!(split_rights("No rights here."), None);
    }

    #[test]
    fn valedictions() {
        assert!(is_valediction("Yours sincerely,"));
        assert!(is_valediction("Regards"));
        assert!(!is_valediction("Regards to all of you who read this"));
    }
}
