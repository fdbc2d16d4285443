//! Which alt texts describe their image. An image's alt is written into
//! the Markdown only when it tells the reader something the article does
//! not already say: not a file name the CMS filled in (`IMG_3886.jpg`),
//! not the same words on many images ("An image"), and not a repeat of
//! the caption printed beside the image.

use crate::import::html::meta::clean;
use dom_query::{NodeRef, Selection};
use std::collections::{HashMap, HashSet};

/// The alt texts that more than one image under `root` carries.
pub(super) fn repeated(root: &NodeRef) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for image in Selection::from(*root).select("img[alt]").nodes() {
        let alt = clean(&image.attr("alt").unwrap_or_default());
        if !alt.is_empty() {
            *counts.entry(alt).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| *n > 1).map(|(alt, _)| alt).collect()
}

/// The image's alt text if it describes the image, else "".
pub(super) fn describing(image: &NodeRef, repeated: &HashSet<String>) -> String {
    let alt = clean(&image.attr("alt").unwrap_or_default());
    if alt.is_empty() || repeated.contains(&alt) || is_file_name(&alt) || said_nearby(image, &alt) {
        return String::new();
    }
    alt
}

const IMAGE_EXTENSIONS: [&str; 8] =
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp"];

/// One word that names a file or a slug: `IMG_3886.jpg`,
/// `0225-lupita-nyongo-getty-01`, `update_graphic_red_bar`.
fn is_file_name(alt: &str) -> bool {
    if alt.contains(char::is_whitespace) {
        return false;
    }
    let lower = alt.to_lowercase();
    IMAGE_EXTENSIONS.iter().any(|e| lower.ends_with(e))
        || alt.contains('_')
        || (alt.matches('-').count() >= 2 && alt.contains(|c: char| c.is_ascii_digit()))
}

/// How far up from the image a caption is looked for: the figure, or the
/// gallery item around it.
const CAPTION_LEVELS: usize = 4;

/// Whether most of the alt's word triples are in the text around the
/// image (its figure's caption, or the caption list of a gallery).
fn said_nearby(image: &NodeRef, alt: &str) -> bool {
    let alt_words = words(alt);
    if alt_words.len() < 3 {
        return false;
    }
    let Some(around) = image.ancestors_it(Some(CAPTION_LEVELS)).last() else {
        return false;
    };
    let text_words = words(&around.text());
    let nearby: HashSet<&[String]> = text_words.windows(3).collect();
    let triples: Vec<&[String]> = alt_words.windows(3).collect();
    let found = triples.iter().filter(|t| nearby.contains(*t)).count();
    found * 2 >= triples.len()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
