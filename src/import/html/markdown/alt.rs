//! Which alt texts describe their image. An image's alt is written into
//! the Markdown only when it tells the reader something the article does
//! not already say: not a file name the CMS filled in (`IMG_3886.jpg`),
//! not the same words on many images ("An image"), and not a repeat of
//! what the article says already (the caption printed beside the image).

use crate::import::html::meta::clean;
use dom_query::{NodeRef, Selection};
use std::collections::{HashMap, HashSet};

/// What the alt texts of the images under `root` are judged against.
pub(super) struct AltContext {
    /// Alt texts that more than one image carries.
    repeated: HashSet<String>,
    /// The word triples of the article's text (alt texts are not text)
    /// and of its headline.
    said: HashSet<[String; 3]>,
    /// The headline's words.
    title: Vec<String>,
}

impl AltContext {
    pub(super) fn of(root: &NodeRef, title: &str) -> Self {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for image in Selection::from(*root).select("img[alt]").nodes() {
            let alt = clean(&image.attr("alt").unwrap_or_default());
            if !alt.is_empty() {
                *counts.entry(alt).or_default() += 1;
            }
        }
        let said = if counts.keys().any(|alt| words(alt).len() >= 3) {
            let mut said = triples(&words(&root.text()));
            said.extend(triples(&words(title)));
            said
        } else {
            HashSet::new()
        };
        let repeated = counts.into_iter().filter(|(_, n)| *n > 1).map(|(alt, _)| alt).collect();
        AltContext { repeated, said, title: words(title) }
    }

    /// The image's alt text if it describes the image, else "".
    pub(super) fn describing(&self, image: &NodeRef) -> String {
        let alt = clean(&image.attr("alt").unwrap_or_default());
        if alt.is_empty()
            || self.repeated.contains(&alt)
            || is_file_name(&alt)
            || self.said_already(&alt)
        {
            return String::new();
        }
        alt
    }

    /// Whether most of the alt's word triples are in the article's text
    /// (a caption printed beside the image, or in a gallery's list).
    fn said_already(&self, alt: &str) -> bool {
        let alt_words = words(alt);
        if alt_words == self.title {
            return true;
        }
        let alt_triples = triples(&alt_words);
        let found = alt_triples.iter().filter(|t| self.said.contains(*t)).count();
        !alt_triples.is_empty() && found * 2 >= alt_triples.len()
    }
}

const IMAGE_EXTENSIONS: [&str; 8] =
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp"];

/// A file's name (`IMG_3886.jpg`, `Mozilla dinosaur head logo.png`) or
/// one word of a slug (`0225-lupita-nyongo-getty-01`, `update_graphic_red_bar`).
fn is_file_name(alt: &str) -> bool {
    let lower = alt.to_lowercase();
    if IMAGE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    if alt.contains(char::is_whitespace) {
        return false;
    }
    alt.contains('_')
        || (alt.matches('-').count() >= 2 && alt.contains(|c: char| c.is_ascii_digit()))
}

fn triples(words: &[String]) -> HashSet<[String; 3]> {
    words.windows(3).map(|w| [w[0].clone(), w[1].clone(), w[2].clone()]).collect()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
