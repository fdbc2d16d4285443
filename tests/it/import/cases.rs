//! The generated import cases in `tests/fixtures/import-cases/`: every saved
//! page imported into a fresh site, the article it wrote compared field by
//! field with its expected file, by the rules of the shared `score.py`.

use galley::import::{ImportOptions, import_paths, one_line};
use galley::yaml::Value;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-cases")
}

/// Every (input, expected) pair, sorted.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut cases = Vec::new();
    for seed in std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()) {
        if !seed.is_dir() {
            continue;
        }
        for input in std::fs::read_dir(seed.join("inputs")).unwrap().map(|e| e.unwrap().path()) {
            let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = seed.join("expected").join(format!("{stem}.yaml"));
            if expected.is_file() {
                cases.push((input, expected));
            }
        }
    }
    cases.sort();
    cases
}

/// Text as compared: NBSP as a space, runs of whitespace as one, trimmed.
fn norm(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A scalar as Python's `str()` would print it, normalised; `None` for null.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(norm(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        other => Some(norm(&format!("{other:?}"))),
    }
}

fn get<'a>(map: &'a Value, key: &str) -> Option<&'a Value> {
    map.as_mapping().and_then(|m| m.get(key))
}

fn list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_sequence)
        .map(|items| items.iter().filter_map(|v| scalar(Some(v))).collect())
        .unwrap_or_default()
}

/// A date as `YYYY-MM-DD` (the first ten characters of what was written).
fn date(value: Option<&Value>) -> Option<String> {
    scalar(value).map(|d| d.chars().take(10).collect())
}

/// Undoes Markdown backslash escapes of punctuation.
fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if "\\`*_{}[]()#+-.!<>|~\"'&".contains(next) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn words(text: &str, n: usize, last: bool) -> String {
    let all = norm(&unescape_markdown(text));
    let words: Vec<&str> = all.split(' ').collect();
    let taken =
        if last { &words[words.len().saturating_sub(n)..] } else { &words[..n.min(words.len())] };
    taken.join(" ")
}

/// Whether `suffix` is a trailing credit as `score.py` strips it:
/// `[(|[] image|photo|picture|credit|photo credit : … [)|]]`.
fn is_credit_suffix(suffix: &str) -> bool {
    let rest = suffix.trim_start();
    let rest = rest.strip_prefix(['(', '[']).unwrap_or(rest).trim_start();
    let lower = rest.to_lowercase();
    if lower.len() != rest.len() {
        return false;
    }
    let Some(label) =
        ["photo credit", "picture", "credit", "image", "photo"].into_iter().find(|label| {
            lower.starts_with(label) && lower[label.len()..].trim_start().starts_with(':')
        })
    else {
        return false;
    };
    let after = rest[label.len()..].trim_start();
    let after = after[1..].trim_end();
    let inner = after.strip_suffix([')', ']']).unwrap_or(after);
    !inner.contains([')', ']'])
}

/// A caption without its trailing credit.
fn strip_credit(text: &str) -> String {
    for (at, _) in text.char_indices() {
        if is_credit_suffix(&text[at..]) {
            return text[..at].trim().to_string();
        }
    }
    text.trim().to_string()
}

/// Markdown paragraphs: blocks between blank lines.
fn paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.trim().lines() {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            current.clear();
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

struct Checker {
    lenient: Vec<String>,
    problems: Vec<String>,
}

impl Checker {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, name: &str, want: T, got: T) {
        if want != got {
            self.problems.push(format!("{name}: want {want:?} got {got:?}"));
        }
    }

    fn check_text(&mut self, name: &str, want: Option<String>, got: Option<String>) {
        if want == got || (got.is_none() && self.lenient.iter().any(|k| k == name)) {
            return;
        }
        if name.ends_with("caption") {
            if let (Some(w), Some(g)) = (&want, &got) {
                if strip_credit(w) == strip_credit(g) {
                    return;
                }
            }
        }
        self.problems.push(format!("{name}: want {want:?} got {got:?}"));
    }
}

/// The differences between what was expected and the written article.
fn compare(expected: &Value, front_matter: &Value, body: &str) -> Vec<String> {
    let mut lenient = list(get(expected, "lenient"));
    let caption = scalar(get(expected, "image_caption"));
    if caption.is_some() && caption == scalar(get(expected, "standfirst")) {
        // Caption and standfirst at once: recording it as the standfirst alone is right too.
        lenient.push("image_caption".to_string());
    }
    let mut c = Checker { lenient, problems: Vec::new() };
    for key in ["title", "publication", "standfirst", "author_bio", "rights"] {
        c.check_text(key, scalar(get(expected, key)), scalar(get(front_matter, key)));
    }
    c.check_text("date", date(get(expected, "date")), date(get(front_matter, "date")));
    c.check("authors", list(get(expected, "authors")), list(get(front_matter, "authors")));
    let image = get(front_matter, "image");
    let from_image = |key: &str| image.and_then(|i| scalar(get(i, key)));
    c.check_text("image_caption", scalar(get(expected, "image_caption")), from_image("caption"));
    c.check_text("image_credit", scalar(get(expected, "image_credit")), from_image("credit"));
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    c.check("tags", sorted(list(get(expected, "tags"))), sorted(list(get(front_matter, "tags"))));

    let paras = paragraphs(body);
    if let Some(count) = get(expected, "body_paragraphs").and_then(Value::as_u64) {
        c.check("body_paragraphs", count as usize, paras.len());
    }
    let whole = paras.join(" ");
    for (key, last) in [("body_first_words", false), ("body_last_words", true)] {
        if let Some(want) = scalar(get(expected, key)).filter(|w| !w.is_empty()) {
            if !paras.is_empty() {
                let n = want.split(' ').count();
                c.check(key, want, words(&whole, n, last));
            }
        }
    }

    let none = Vec::new();
    let want = get(expected, "teasers").and_then(Value::as_sequence).unwrap_or(&none);
    let got = get(front_matter, "related").and_then(Value::as_sequence).unwrap_or(&none);
    c.check("teasers.count", want.len(), got.len());
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        c.check_text(
            &format!("teaser[{i}].title"),
            scalar(get(w, "title")),
            scalar(get(g, "title")),
        );
        c.check_text(&format!("teaser[{i}].date"), date(get(w, "date")), date(get(g, "date")));
        c.check_text(
            &format!("teaser[{i}].byline"),
            scalar(get(w, "byline")),
            scalar(get(g, "byline")),
        );
        if get(w, "caption").is_none() {
            continue;
        }
        let (want_c, got_c) = (scalar(get(w, "caption")), scalar(get(g, "caption")));
        let credit = scalar(get(g, "credit"));
        // A credit split off into the teaser's own field is the same text, kept apart.
        if let (Some(wc), Some(cr)) = (&want_c, &credit) {
            match &got_c {
                Some(gc) if wc.starts_with(gc.as_str()) && wc[gc.len()..].contains(cr.as_str()) => {
                    continue;
                }
                None if wc.contains(cr.as_str()) && wc.len() - cr.len() < 12 => continue,
                _ => {}
            }
        }
        c.check_text(&format!("teaser[{i}].caption"), want_c, got_c);
    }
    c.problems
}

/// Imports one case into a fresh site; `Err` says why the case fails.
fn run_case(input: &Path, expected_file: &Path) -> Result<(), String> {
    let expected_text = std::fs::read_to_string(expected_file).unwrap();
    let expected: Value = galley::yaml::parse(&expected_text, expected_file, 1).unwrap();
    let site = tempfile::TempDir::new().unwrap();
    std::fs::write(site.path().join("site.yaml"), "title: Import cases\n").unwrap();
    let report = import_paths(site.path(), &[input.to_path_buf()], &ImportOptions::default())
        .map_err(|e| format!("import failed as a whole: {e}"))?;
    let file_name = input.file_name().unwrap().to_string_lossy().into_owned();
    let refusal = report.failed.iter().map(one_line).collect::<Vec<_>>().join(" | ");
    let wants_error = get(&expected, "error").and_then(Value::as_bool).unwrap_or(false);
    let alternative = get(&expected, "accept_alternative");
    if wants_error && alternative.is_none() {
        return if !report.failed.is_empty() && refusal.contains(&file_name) {
            Ok(())
        } else {
            Err(format!("expected a refusal naming the file, got: {:?} {refusal}", report.written))
        };
    }
    if !report.failed.is_empty() {
        return if alternative.is_some() { Ok(()) } else { Err(format!("refused: {refusal}")) };
    }
    let expected = alternative.unwrap_or(&expected);
    let mut articles = Vec::new();
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let rest = text.strip_prefix("---\n").ok_or("no front matter")?;
        let end = rest.find("\n---\n").ok_or("front matter not closed")? + 1;
        let front_matter: Value = galley::yaml::parse(&rest[..end], entry.path(), 2)
            .map_err(|e| format!("front matter does not load: {e}"))?;
        if get(&front_matter, "stub").and_then(Value::as_bool) != Some(true) {
            articles.push((front_matter, rest[end + 4..].to_string()));
        }
    }
    let [(front_matter, body)] = articles.as_slice() else {
        return Err(format!("expected 1 article file, found {}", articles.len()));
    };
    let problems = compare(expected, front_matter, body);
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

#[test]
fn every_generated_case_imports_as_expected() {
    let cases = cases();
    assert!(cases.len() >= 300, "{} cases in {}", cases.len(), cases_dir().display());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(input, expected)| {
            run_case(input, expected).err().map(|why| {
                let name = input.strip_prefix(cases_dir()).unwrap_or(input);
                format!("{}: {why}", name.display())
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_comparison_rules_match_score_py() {
    assert_eq!(strip_credit("Hives on the heath (Image: Larkspur Images)"), "Hives on the heath");
    assert_eq!(strip_credit("Boats. Picture: Pinecrest Photo"), "Boats.");
    // score.py's pattern allows one closing bracket: this credit stays.
    assert_eq!(
        strip_credit("Loom (photo credit: Halden Stock [file])"),
        "Loom (photo credit: Halden Stock [file])"
    );
    assert_eq!(strip_credit("No credit (in 2019) here"), "No credit (in 2019) here");
    assert_eq!(words("\\# one two\u{a0} three", 2, false), "# one");
    assert_eq!(words("a b c d", 2, true), "c d");
    assert_eq!(paragraphs("\none\ntwo\n\n \nthree\n"), ["one\ntwo", "three"]);
    assert_eq!(norm(" a\u{a0}\u{a0}b \t c "), "a b c");
}
