//! Synthetic news-article sites in galley's format, for tests and benchmarks.
//!
//! [`write_site`] writes `site.yaml` and N articles under `content/articles/`
//! with galley's front matter (authors, publication, standfirst, image,
//! tags, related teasers naming other articles) and bodies of about 1,100 to
//! 1,400 words of English-like text: emphasis here and there, a blockquote
//! and a relative `.md` link to another article in about 30% of articles, a
//! fenced Rust or Python block in about 10%. The output is a pure function of
//! N and the seed, so a benchmark or a test sees the same site every time.
//! Every word comes from the lists below: no real text.

use jiff::civil::Date;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

mod words;

use words::{CONTENT, FUNCTION, PEOPLE_FIRST, PEOPLE_LAST, PUBLICATIONS, TAG_WORDS};

/// The seed the command line and the benchmarks use unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

/// What [`write_site`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Articles written.
    pub articles: usize,
    /// Words of body prose, code and quotes not counted.
    pub body_words: usize,
}

/// Writes a site of `articles` generated articles into `out` (created when
/// missing; files of an earlier run with the same names are overwritten).
pub fn write_site(out: &Path, articles: usize, seed: u64) -> io::Result<Summary> {
    let mut generator = Generator::new(seed);
    let metas: Vec<Meta> = generator.metadata(articles);
    let article_dir = out.join("content").join("articles");
    std::fs::create_dir_all(&article_dir)?;
    let mut body_words = 0;
    for index in 0..metas.len() {
        let (text, words) = generator.article(&metas, index);
        body_words += words;
        std::fs::write(article_dir.join(format!("{}.md", metas[index].slug)), text)?;
    }
    std::fs::write(
        out.join("site.yaml"),
        "title: \"Synthetic archive\"\nbase_url: \"https://example.org/\"\n",
    )?;
    Ok(Summary { articles, body_words })
}

impl Vocabulary {
    fn draw_words(&self, rng: &mut ChaCha8Rng, count: usize) -> Vec<String> {
        (0..count).map(|_| self.words[self.word_weights.sample(rng)].to_owned()).collect()
    }

    fn sentence(&self, rng: &mut ChaCha8Rng) -> String {
        let n = rng.random_range(9..=24);
        let mut words = self.draw_words(rng, n);
        if rng.random::<f64>() < 0.06 {
            let i = rng.random_range(1..n);
            words[i] = format!("*{}*", words[i]);
        } else if rng.random::<f64>() < 0.03 {
            let i = rng.random_range(1..n);
            words[i] = format!("**{}**", words[i]);
        }
        if rng.random::<f64>() < 0.15 {
            let number = rng.random_range(2..=2000).to_string();
            words.insert(rng.random_range(1..n), number);
        }
        if rng.random::<f64>() < 0.2 && n > 10 {
            words[n / 2].push(',');
        }
        words[0] = capitalize(&words[0]);
        let end = if rng.random::<f64>() < 0.8 { '.' } else { '?' };
        format!("{}{end}", words.join(" "))
    }
}

/// What one article's front matter says, drawn before any body so that links
/// and teasers can name any article of the corpus.
struct Meta {
    slug: String,
    title: String,
    date: Date,
    author: String,
    publication: &'static str,
    standfirst: String,
    tags: Vec<String>,
    caption: String,
    credited: bool,
}

struct Generator {
    rng: ChaCha8Rng,
    vocabulary: Vocabulary,
}

/// The words, names and sentences articles are made of.
struct Vocabulary {
    authors: Vec<String>,
    tags: Vec<String>,
    words: Vec<&'static str>,
    word_weights: WeightedIndex<f64>,
    /// Sentences drawn once and reused: the text is varied enough for
    /// Markdown and search, and generating 10,000 articles stays quick.
    sentences: Vec<String>,
    sentence_words: Vec<usize>,
}

const SENTENCES: usize = 6000;
const FIRST_DAY: Date = jiff::civil::date(2005, 1, 1);
const LAST_DAY: Date = jiff::civil::date(2026, 10, 31);

impl Generator {
    fn new(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // Names and tags are the same whatever the seed, so two corpora of
        // different seeds share their authors and tags, as two archives of
        // one publication would.
        let mut fixed = ChaCha8Rng::seed_from_u64(20240501);
        let mut names: Vec<String> = PEOPLE_FIRST
            .iter()
            .flat_map(|first| PEOPLE_LAST.iter().map(move |last| format!("{first} {last}")))
            .collect();
        names.shuffle(&mut fixed);
        names.truncate(200);
        names.sort();
        let mut tags: Vec<String> = TAG_WORDS.iter().map(|t| t.replace('-', " ")).collect();
        tags.sort();
        tags.truncate(150);

        let words: Vec<&'static str> = FUNCTION.iter().chain(CONTENT).copied().collect();
        // Zipf-like: function words first and heavier, a long tail after.
        let weights = (0..words.len()).map(|i| {
            let boost = if i < FUNCTION.len() { 2.5 } else { 1.0 };
            boost / ((i + 8) as f64).powf(0.9)
        });
        let word_weights = WeightedIndex::new(weights).expect("the word weights are positive");
        let mut vocabulary = Vocabulary {
            authors: names,
            tags,
            words,
            word_weights,
            sentences: Vec::new(),
            sentence_words: Vec::new(),
        };
        vocabulary.sentences = (0..SENTENCES).map(|_| vocabulary.sentence(&mut rng)).collect();
        vocabulary.sentence_words =
            vocabulary.sentences.iter().map(|s| s.split_whitespace().count()).collect();
        Generator { rng, vocabulary }
    }

    fn title(&mut self) -> String {
        let rng = &mut self.rng;
        let n = rng.random_range(5..=10);
        let mut words: Vec<String> =
            CONTENT.choose_multiple(rng, n).map(|w| (*w).to_owned()).collect();
        for word in words.iter_mut().take(n - 1).skip(1) {
            if rng.random::<f64>() < 0.3 {
                *word = (*FUNCTION[..12].choose(rng).expect("not empty")).to_owned();
            }
        }
        words[0] = capitalize(&words[0]);
        for word in words.iter_mut().skip(1) {
            if word.len() > 3 && rng.random::<f64>() < 0.6 {
                *word = capitalize(word);
            }
        }
        let kind = rng.random::<f64>();
        if kind < 0.25 {
            // "Head: subhead"
            format!("{} {}: {}", words[0], words[1], words[2..].join(" "))
        } else if kind < 0.40 {
            let i = rng.random_range(1..n);
            words[i] = format!("“{}”", words[i]);
            words.join(" ")
        } else if kind < 0.50 {
            let first = PEOPLE_FIRST.choose(rng).expect("not empty");
            format!("{first}’s {}", words.join(" "))
        } else {
            words.join(" ")
        }
    }

    fn metadata(&mut self, count: usize) -> Vec<Meta> {
        let span = (LAST_DAY - FIRST_DAY).get_days();
        let mut seen = HashSet::new();
        let mut metas = Vec::with_capacity(count);
        for i in 0..count {
            let title = self.title();
            let base = slugify(&title);
            let mut slug = base.clone();
            if !seen.insert(slug.clone()) {
                slug = format!("{base}-{i}");
                seen.insert(slug.clone());
            }
            let rng = &mut self.rng;
            let date = FIRST_DAY
                .checked_add(jiff::Span::new().days(rng.random_range(0..=span)))
                .expect("the date stays inside the range");
            let author = self.vocabulary.authors.choose(rng).expect("not empty").clone();
            let publication = if rng.random::<f64>() < 0.6 {
                PUBLICATIONS[0]
            } else {
                PUBLICATIONS[1..].choose(rng).expect("not empty")
            };
            let tag_count = *[0, 1, 1, 2, 2, 2, 3, 3, 4].choose(rng).expect("not empty");
            let tags = self.vocabulary.tags.choose_multiple(rng, tag_count).cloned().collect();
            let standfirst = self.vocabulary.sentences[rng.random_range(0..SENTENCES)].clone();
            let caption_words = rng.random_range(6..=14);
            let caption = format!(
                "{}.",
                capitalize(&self.vocabulary.draw_words(rng, caption_words).join(" "))
            );
            let credited = self.rng.random::<f64>() < 0.5;
            metas.push(Meta {
                slug,
                title,
                date,
                author,
                publication,
                standfirst,
                tags,
                caption,
                credited,
            });
        }
        metas
    }

    fn paragraph(&mut self, target_words: usize) -> (String, usize) {
        let mut sentences = Vec::new();
        let mut words = 0;
        while words < target_words {
            let i = self.rng.random_range(0..SENTENCES);
            sentences.push(self.vocabulary.sentences[i].as_str());
            words += self.vocabulary.sentence_words[i];
        }
        (sentences.join(" "), words)
    }

    fn code_block(&mut self) -> String {
        let rust = self.rng.random::<bool>();
        let templates = if rust { words::RUST_SNIPPETS } else { words::PYTHON_SNIPPETS };
        let template = templates.choose(&mut self.rng).expect("not empty");
        let nouns: Vec<&str> =
            CONTENT.iter().copied().filter(|w| w.chars().all(char::is_alphabetic)).collect();
        let picked: Vec<&str> = nouns.choose_multiple(&mut self.rng, 2).copied().collect();
        let (noun, noun2) = (picked[0], picked[1]);
        let body = template
            .replace("{noun}", noun)
            .replace("{noun2}", noun2)
            .replace("{ident}", noun)
            .replace("{Type}", &format!("{}Record", capitalize(noun)))
            .replace("{n1}", &self.rng.random_range(1..=9).to_string())
            .replace("{n2}", &self.rng.random_range(10..=40).to_string())
            .replace("{n3}", &self.rng.random_range(2..=9).to_string());
        let language = if rust { "rust" } else { "python" };
        format!("```{language}\n{body}\n```")
    }

    /// The file of article `index`, and its count of prose words.
    fn article(&mut self, metas: &[Meta], index: usize) -> (String, usize) {
        let count = metas.len();
        let paragraph_count = self.rng.random_range(12..=20);
        let target = self.rng.random_range(1100..=1400) as f64;
        // A paragraph's last sentence overshoots its target by about 8 words.
        let per_paragraph = target / paragraph_count as f64 - 8.0;
        let mut paragraphs = Vec::with_capacity(paragraph_count + 2);
        let mut words = 0;
        for _ in 0..paragraph_count {
            let scale = self.rng.random_range(0.75..1.25);
            let (text, n) = self.paragraph((per_paragraph * scale) as usize);
            paragraphs.push(text);
            words += n;
        }
        if self.rng.random::<f64>() < 0.30 && count > 1 {
            let mut other = self.rng.random_range(0..count - 1);
            if other >= index {
                other += 1;
            }
            let at = self.rng.random_range(0..paragraphs.len());
            let anchor_words = self.rng.random_range(2..=5);
            let anchor = self.vocabulary.draw_words(&mut self.rng, anchor_words).join(" ");
            let _ = write!(paragraphs[at], " See also [{anchor}]({}.md).", metas[other].slug);
            let quote = &self.vocabulary.sentences[self.rng.random_range(0..SENTENCES)];
            let by = self.vocabulary.authors.choose(&mut self.rng).expect("not empty");
            let quote = format!("> {quote}\n>\n> — {by}");
            let at = self.rng.random_range(1..paragraphs.len());
            paragraphs.insert(at, quote);
        }
        if self.rng.random::<f64>() < 0.10 {
            let block = self.code_block();
            let at = self.rng.random_range(2..paragraphs.len());
            paragraphs.insert(at, block);
        }

        let meta = &metas[index];
        let mut text = String::with_capacity(9000);
        text.push_str("---\n");
        let _ = writeln!(text, "title: {}", quoted(&meta.title));
        let _ = writeln!(text, "date: {}", meta.date);
        let _ = writeln!(text, "authors: [{}]", quoted(&meta.author));
        let _ = writeln!(text, "publication: {}", quoted(meta.publication));
        let _ = writeln!(text, "standfirst: {}", quoted(&meta.standfirst));
        let _ = if meta.credited {
            writeln!(
                text,
                "image: {{caption: {}, credit: \"Shutterstock\"}}",
                quoted(&meta.caption)
            )
        } else {
            writeln!(text, "image: {{caption: {}}}", quoted(&meta.caption))
        };
        let tags: Vec<String> = meta.tags.iter().map(|t| quoted(t)).collect();
        let _ = writeln!(text, "tags: [{}]", tags.join(", "));
        let related_count = *[0, 0, 3, 4, 6].choose(&mut self.rng).expect("not empty");
        if count > 1 {
            let related: Vec<usize> =
                rand::seq::index::sample(&mut self.rng, count, related_count.min(count))
                    .into_iter()
                    .filter(|&j| j != index)
                    .collect();
            if !related.is_empty() {
                text.push_str("related:\n");
                for j in related {
                    let other = &metas[j];
                    let _ = writeln!(
                        text,
                        "  - {{title: {}, date: {}, byline: {}}}",
                        quoted(&other.title),
                        other.date,
                        quoted(other.publication)
                    );
                }
            }
        }
        text.push_str("---\n\n");
        text.push_str(&paragraphs.join("\n\n"));
        text.push('\n');
        (text, words)
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// Lowercase ASCII words joined by `-`, apostrophes dropped, at most 60 bytes.
fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().filter(|c| !matches!(c, '’' | '\'')) {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug = slug[..slug.len().min(60)].trim_end_matches('-');
    if slug.is_empty() { "article".to_owned() } else { slug.to_owned() }
}

/// A YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_bytes_and_another_seed_does_not() {
        let read = |dir: &Path| {
            let mut files: Vec<(String, String)> = std::fs::read_dir(dir.join("content/articles"))
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    let name = e.file_name().into_string().unwrap();
                    (name, std::fs::read_to_string(e.path()).unwrap())
                })
                .collect();
            files.sort();
            files
        };
        let (a, b, c) = (tempdir(), tempdir(), tempdir());
        let summary = write_site(a.path(), 30, 5).unwrap();
        write_site(b.path(), 30, 5).unwrap();
        write_site(c.path(), 30, 6).unwrap();
        assert_eq!(summary.articles, 30);
        assert_eq!(read(a.path()).len(), 30);
        assert_eq!(read(a.path()), read(b.path()));
        assert_ne!(read(a.path()), read(c.path()));
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(slugify("Maya’s “Trade” Talks: a Plan"), "mayas-trade-talks-a-plan");
        assert_eq!(slugify("…"), "article");
        assert!(slugify(&"word ".repeat(40)).len() <= 60);
    }

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }
}
