//! Property tests of the line classifier on mutated saved pages: it never
//! panics, and a mutation a reader would not notice (an extra blank line,
//! trailing spaces, CRLF line ends, NBSPs for spaces) changes nothing.

use galley::import::{ImportedArticle, Registry, SavedTextImporter};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

/// The generated cases' pages that import, as text.
static PAGES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let registry = Registry::with_builtin(&Default::default());
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        // A page dated by its file's time is dated by no file once copied.
        let dated = |a: ImportedArticle| a.front_matter.source.is_none_or(|s| !s.undated);
        if registry.parse_bytes(entry.path(), &bytes).is_ok_and(dated) {
            pages.push(String::from_utf8(bytes).unwrap());
        }
    }
    assert!(pages.len() > 250, "{} importable pages", pages.len());
    pages
});

fn parse(text: &str) -> Result<ImportedArticle, String> {
    let registry = Registry::with_builtin(&Default::default());
    registry.parse_bytes(Path::new("page.txt"), text.as_bytes()).map_err(|e| e.message)
}

/// A mutation a reader of the page would not notice.
#[derive(Debug, Clone)]
enum Harmless {
    /// One more blank line where there is one already.
    ExtraBlankLine(usize),
    /// Spaces and tabs after the text of a line.
    TrailingSpaces(usize),
    /// Windows line ends throughout.
    Crlf,
    /// A no-break space for the `k`th space of a line.
    Nbsp(usize, usize),
    /// A no-break space at the end of a line.
    TrailingNbsp(usize),
}

fn harmless() -> impl Strategy<Value = Harmless> {
    prop_oneof![
        any::<usize>().prop_map(Harmless::ExtraBlankLine),
        any::<usize>().prop_map(Harmless::TrailingSpaces),
        Just(Harmless::Crlf),
        (any::<usize>(), any::<usize>()).prop_map(|(l, k)| Harmless::Nbsp(l, k)),
        any::<usize>().prop_map(Harmless::TrailingNbsp),
    ]
}

fn apply(page: &str, mutation: &Harmless) -> String {
    let crlf = page.contains("\r\n");
    let mut lines: Vec<String> = page.split('\n').map(str::to_string).collect();
    let n = lines.len();
    // A line's text without a CR, so additions go before the line end.
    let edit = |line: &mut String, f: &dyn Fn(&mut String)| {
        let had_cr = line.ends_with('\r');
        if had_cr {
            line.pop();
        }
        f(line);
        if had_cr {
            line.push('\r');
        }
    };
    match mutation {
        Harmless::ExtraBlankLine(at) => {
            let blanks: Vec<usize> =
                (0..n).filter(|&i| lines[i].trim_matches(['\r', ' ']).is_empty()).collect();
            if let Some(&i) = blanks.get(at % blanks.len().max(1)) {
                lines.insert(i, if crlf { "\r".to_string() } else { String::new() });
            }
        }
        Harmless::TrailingSpaces(at) => edit(&mut lines[at % n], &|l| l.push_str("  \t ")),
        Harmless::Crlf => {
            return page.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        Harmless::Nbsp(at, k) => edit(&mut lines[at % n], &|l| {
            let spaces: Vec<usize> = l.match_indices(' ').map(|(i, _)| i).collect();
            if let Some(&i) = spaces.get(k % spaces.len().max(1)) {
                l.replace_range(i..=i, "\u{a0}");
            }
        }),
        Harmless::TrailingNbsp(at) => edit(&mut lines[at % n], &|l| l.push_str("\u{a0} ")),
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn harmless_mutations_import_the_same(
        index in any::<usize>(),
        mutations in prop::collection::vec(harmless(), 1..4),
    ) {
        let page = &PAGES[index % PAGES.len()];
        let before = parse(page).expect("the unmutated page imports");
        let mut mutated = page.clone();
        for m in &mutations {
            mutated = apply(&mutated, m);
        }
        let after = parse(&mutated);
        prop_assert!(after.is_ok(), "{:?}: {:?}", mutations, after.err());
        let after = after.unwrap();
        prop_assert_eq!(&before.front_matter, &after.front_matter, "{:?}", mutations);
        prop_assert_eq!(&before.body, &after.body, "{:?}", mutations);
        prop_assert_eq!(before.warnings.len(), after.warnings.len());
    }

    #[test]
    fn the_classifier_never_panics(
        index in any::<usize>(),
        edits in prop::collection::vec((any::<usize>(), any::<usize>(), "\\PC{0,40}"), 0..6),
    ) {
        let mut page = PAGES[index % PAGES.len()].clone();
        for (at, remove, insert) in edits {
            let mut at = at % (page.len() + 1);
            while !page.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + remove % 200).min(page.len());
            while !page.is_char_boundary(end) {
                end -= 1;
            }
            page.replace_range(at..end, &insert);
        }
        let importer = SavedTextImporter::default();
        let classified = importer.classify(Path::new("page.txt"), &page);
        let parsed = parse(&page);
        // Classifying and parsing agree on whether the page is refused
        // (markup is refused before the saved-text parser sees it).
        if !galley::import::saved_text::looks_like_markup(&page) {
            prop_assert_eq!(classified.is_ok(), parsed.is_ok());
        }
        if let Err(message) = parsed {
            prop_assert!(!message.is_empty());
        }
    }
}
