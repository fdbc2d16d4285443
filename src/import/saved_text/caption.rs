//! Image captions and their credits.
//!
//! Saved pages print credits in many forms: `caption (Image: Shutterstock)`,
//! `(Credit: …)`, `(AP Photo/Vahid Salemi)`, `caption. Picture: Getty`, or a
//! line that is only a credit (`Image: Shutterstock`). A line is a caption
//! only when such a credit is found; otherwise it is left for other readings.

/// Words that introduce a credit.
const LABELS: &[&str] = &[
    "image credit",
    "photo credit",
    "picture credit",
    "image",
    "images",
    "credit",
    "credits",
    "photo",
    "photos",
    "picture",
    "pic",
    "source",
];

/// Wire agencies credited by name inside parentheses, without a label.
const AGENCY_MARKERS: &[&str] = &[" photo/", " photos/", " images/", " image/", "reuters/", "afp/"];

/// A caption split from its credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptionCredit {
    /// The caption text, `None` when the line was only a credit.
    pub caption: Option<String>,
    /// The credit, without its label.
    pub credit: String,
}

/// Finds a credit in `line`; `None` when the line carries none.
pub fn split_credit(line: &str) -> Option<CaptionCredit> {
    let line = line.trim();
    if let Some(credit) = labelled(line) {
        return Some(CaptionCredit { caption: None, credit: credit.to_string() });
    }
    if let Some(inner) = line.strip_suffix(')') {
        if let Some(open) = inner.rfind('(') {
            let group = &inner[open + 1..];
            let credit = labelled(group).or_else(|| agency(group));
            if let Some(credit) = credit {
                return Some(CaptionCredit {
                    caption: non_empty(&line[..open]),
                    credit: credit.to_string(),
                });
            }
        }
    }
    trailing_label(line)
}

/// `Image: Shutterstock` → `Shutterstock`.
fn labelled(text: &str) -> Option<&str> {
    let (label, rest) = text.split_once(':')?;
    let label = label.trim().to_ascii_lowercase();
    let credit = rest.trim();
    (LABELS.contains(&label.as_str())
        && !credit.is_empty()
        && credit.len() <= 120
        && !credit.contains(". "))
    .then_some(credit)
}

/// `AP Photo/Vahid Salemi` is a credit as a whole.
fn agency(group: &str) -> Option<&str> {
    let lower = format!(" {}", group.to_ascii_lowercase());
    let group = group.trim();
    (group.len() <= 120 && AGENCY_MARKERS.iter().any(|m| lower.contains(m))).then_some(group)
}

/// `A crowd in Haifa. Picture: Getty Images` (no parentheses).
fn trailing_label(line: &str) -> Option<CaptionCredit> {
    let lower = line.to_ascii_lowercase();
    for label in ["picture:", "image:", "photo:", "credit:"] {
        let Some(at) = lower.rfind(&format!(" {label}")) else { continue };
        let credit = line[at + 1 + label.len()..].trim();
        if credit.is_empty() || credit.len() > 80 || credit.contains(". ") {
            continue;
        }
        return Some(CaptionCredit { caption: non_empty(&line[..at]), credit: credit.to_string() });
    }
    None
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<(Option<String>, String)> {
        split_credit(line).map(|c| (c.caption, c.credit))
    }

    #[test]
    fn parenthesised_labels() {
        assert_eq!(
            split("Liberal universities have been overrun (Image: Shutterstock)"),
            Some((Some("Liberal universities have been overrun".into()), "Shutterstock".into()))
        );
        assert_eq!(
            split("Abbas in Ramallah (Image: X/ Twitter)").unwrap().1,
            "X/ Twitter".to_string()
        );
        assert_eq!(split("A rally (Credit: Jo Bloggs)").unwrap().1, "Jo Bloggs");
        assert_eq!(split("A rally (Photo credit: IDF)").unwrap().1, "IDF");
    }

    #[test]
    fn agency_credits_without_label() {
        assert_eq!(
            split("Protesters in Teheran (AP Photo/Vahid Salemi)"),
            Some((Some("Protesters in Teheran".into()), "AP Photo/Vahid Salemi".into()))
        );
        assert_eq!(split("Smoke over Gaza (Reuters/Jo Doe)").unwrap().1, "Reuters/Jo Doe");
    }

    #[test]
    fn credit_only_lines() {
        assert_eq!(split("Image: Shutterstock"), Some((None, "Shutterstock".into())));
        assert_eq!(split("(Image: Shutterstock)"), Some((None, "Shutterstock".into())));
        assert_eq!(split("Picture: Getty Images"), Some((None, "Getty Images".into())));
    }

    #[test]
    fn trailing_unbracketed_credit() {
        assert_eq!(
            split("The harbour at dawn. Picture: Ana Lima"),
            Some((Some("The harbour at dawn.".into()), "Ana Lima".into()))
        );
    }

    #[test]
    fn ordinary_lines_have_no_credit() {
        assert_eq!(split("Essay: Anti-Zionism unleashed"), None);
        assert_eq!(split("The Last Word: Alone again, naturally?"), None);
        assert_eq!(split("He said (in 2019) that talks were poison (twice)"), None);
        assert_eq!(split("Source: a long sentence. It goes on and on for a while"), None);
    }
}
