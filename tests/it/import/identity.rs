//! Which file an imported page lands in: articles are matched by their
//! source, never by headline; addresses follow file names; file names stay
//! sane; `source.file` never holds a path of the importing machine; teaser
//! problems are warnings; refusals name the saved page and its line.

use super::{galley, import, read_article, site};
use galley::pipeline::{BuildOptions, build};
use std::path::Path;
use tempfile::TempDir;

/// A page with headline `title`, dated `date`, whose body says `text`.
fn page(title: &str, date: &str, text: &str) -> String {
    format!(
        "The Harbour Review\n\n{title}\n\n{date} | Ana Lima\n\n{text}\n\n\
         A second paragraph of the article.\n\nTags: ports\n"
    )
}

fn builds(root: &Path) -> TempDir {
    let output = TempDir::new().unwrap();
    let options =
        BuildOptions { output: Some(output.path().join("public")), ..BuildOptions::default() };
    if let Err(e) = build(root, &options) {
        panic!("the site does not build: {e}");
    }
    output
}

#[test]
fn two_pages_with_one_headline_in_one_month_are_two_articles() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let first = inbox.path().join("first.txt");
    let second = inbox.path().join("second.txt");
    std::fs::write(&first, page("Letters", "Mar 2, 2023", "The first letter.")).unwrap();
    std::fs::write(&second, page("Letters", "Mar 2, 2023", "Another letter entirely.")).unwrap();

    // One at a time: the second is a new article, not a hand edit of the first.
    let (code, stdout, stderr) = import(dir.path(), &[&first]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("1 written, "), "{stdout}");
    let (code, stdout, stderr) = import(dir.path(), &[&second]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("1 written, "), "{stdout}");
    assert!(stdout.contains("0 kept (edited)"), "{stdout}");
    assert!(!stderr.contains("edited by hand"), "{stderr}");

    let month = dir.path().join("content/articles/2023/03");
    let (x, _) = read_article(&month.join("letters.md"));
    let (x2, body) = read_article(&month.join("letters-2.md"));
    assert_eq!(x.slug, None);
    assert_eq!(x2.slug, None, "the file name gives the address");
    assert!(body.contains("Another letter entirely."));

    // Again, both at once and in the other order: each finds its own file.
    let (code, stdout, _) = import(dir.path(), &[&second, &first]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("0 written, 0 stubs, 0 upgraded, 2 unchanged, 0 kept"), "{stdout}");
    assert!(!month.join("letters-3.md").exists());

    let output = builds(dir.path());
    let public = output.path().join("public/2023/03");
    assert!(public.join("letters/index.html").is_file());
    assert!(public.join("letters-2/index.html").is_file());
}

#[test]
fn both_in_one_run_are_two_articles_and_the_site_builds() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    for (name, text) in [("a.txt", "One page."), ("b.txt", "Another page."), ("c.txt", "A third.")]
    {
        std::fs::write(inbox.path().join(name), page("Letters", "Mar 9, 2023", text)).unwrap();
    }
    let (code, stdout, stderr) = import(dir.path(), &[inbox.path()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("3 written, "), "{stdout}");
    let month = dir.path().join("content/articles/2023/03");
    for name in ["letters.md", "letters-2.md", "letters-3.md"] {
        assert!(month.join(name).is_file(), "{name}");
    }
    builds(dir.path());
}

#[test]
fn a_changed_source_page_updates_nothing_but_its_own_article() {
    let dir = site();
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    let saved = sources.join("letters.txt");
    let other = sources.join("other.txt");
    std::fs::write(&saved, page("Letters", "Mar 2, 2023", "The first letter.")).unwrap();
    std::fs::write(&other, page("Letters", "Mar 2, 2023", "Another letter.")).unwrap();
    assert_eq!(import(dir.path(), &[&saved, &other]).0, 0);
    let month = dir.path().join("content/articles/2023/03");
    let (fm, _) = read_article(&month.join("letters.md"));
    let source = fm.source.unwrap();
    // Inside the site: relative to its root, with `/`.
    assert_eq!(source.file, "sources/letters.txt");
    let other_article = std::fs::read(month.join("letters-2.md")).unwrap();

    // The same source file, saved again with other bytes: still its article.
    std::fs::write(&saved, page("Letters", "Mar 2, 2023", "The first letter, corrected.")).unwrap();
    let (code, stdout, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("1 written, 0 stubs, 0 upgraded, 0 unchanged, 0 kept"), "{stdout}");
    assert!(!stderr.contains("edited by hand"), "{stderr}");
    let (_, body) = read_article(&month.join("letters.md"));
    assert!(body.contains("The first letter, corrected."), "{body}");
    assert!(!month.join("letters-3.md").exists(), "{stdout}");
    assert_eq!(std::fs::read(month.join("letters-2.md")).unwrap(), other_article);

    // Edited by hand since: left alone, and said so.
    let edited =
        std::fs::read_to_string(month.join("letters.md")).unwrap().replace("corrected", "mended");
    std::fs::write(month.join("letters.md"), &edited).unwrap();
    std::fs::write(&saved, page("Letters", "Mar 2, 2023", "The first letter, again.")).unwrap();
    let (code, stdout, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written") && stdout.contains("1 kept (edited)"), "{stdout}");
    assert!(stderr.contains("letters.md: edited by hand, left alone"), "{stderr}");
    assert_eq!(std::fs::read_to_string(month.join("letters.md")).unwrap(), edited);

    // Written by a galley that kept no digest: not called hand-edited.
    let unrecorded: String = edited
        .lines()
        .filter(|l| !l.starts_with("  written: "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(month.join("letters.md"), &unrecorded).unwrap();
    let (code, stdout, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 kept (edited)"), "{stdout}");
    assert!(stdout.trim_end().ends_with("1 left alone (no import record)"), "{stdout}");
    assert!(!stderr.contains("edited by hand"), "{stderr}");
    assert!(stderr.contains("has no record of what galley wrote"), "{stderr}");
}

#[test]
fn source_file_outside_the_site_is_the_file_name_alone() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let saved = inbox.path().join("saved page.txt");
    std::fs::write(&saved, page("Tides", "Mar 2, 2023", "Text.")).unwrap();
    assert_eq!(import(dir.path(), &[&saved]).0, 0);
    let (fm, _) = read_article(&dir.path().join("content/articles/2023/03/tides.md"));
    assert_eq!(fm.source.unwrap().file, "saved page.txt");
}

#[test]
fn a_paragraph_for_a_headline_gets_a_short_file_name_and_builds() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let saved = inbox.path().join("mis-split.txt");
    let headline = "The harbour board met again on Tuesday and the minutes ran long, \
                    because every member wanted to speak about the cranes, the ferry, the \
                    toll on the bridge and the smell of the fish market in summer, and \
                    nobody was willing to leave before the vote was taken at midnight";
    assert!(headline.len() > 255);
    std::fs::write(&saved, page(headline, "Mar 2, 2023", "Text.")).unwrap();
    let (code, _, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    let month = dir.path().join("content/articles/2023/03");
    let names: Vec<String> = std::fs::read_dir(&month)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["the-harbour-board-met-again-on-tuesday-and-the-minutes-ran-long-because-every.md"]
    );
    let (fm, _) = read_article(&month.join(&names[0]));
    assert_eq!(fm.title, headline);
    builds(dir.path());
}

#[test]
fn a_teaser_with_an_impossible_date_is_a_warning_not_a_refusal() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let saved = inbox.path().join("teaser.txt");
    let text = format!(
        "{}\nA crane at dusk (Image: Jo Bloggs)\n\nThe crane question\n\nApr 31, 2016 | The Harbour Review\n",
        page("Tides", "Mar 2, 2023", "Text.")
    );
    std::fs::write(&saved, text).unwrap();
    let (code, stdout, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim(),
        format!(
            "warning: {}:17: `Apr 31, 2016` is not a real date in a teaser; the teaser keeps no date",
            saved.display()
        )
    );
    assert!(stdout.trim().ends_with("0 failed, 1 warnings"), "{stdout}");
    let (fm, _) = read_article(&dir.path().join("content/articles/2023/03/tides.md"));
    assert_eq!(fm.related.len(), 1);
    assert_eq!(fm.related[0].title, "The crane question");
    assert_eq!(fm.related[0].date, None);
    assert_eq!(fm.related[0].byline.as_deref(), Some("The Harbour Review"));
}

#[test]
fn implausible_years_are_refused_naming_the_page_and_line() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let old = inbox.path().join("old.txt");
    let future = inbox.path().join("future.txt");
    std::fs::write(&old, page("Tides", "Mar 2, 0999", "Text.")).unwrap();
    std::fs::write(&future, page("Tides", "Mar 2, 2999", "Text.")).unwrap();
    let (code, _, stderr) = import(dir.path(), &[&old, &future]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "error: {}:5: year 2999 is implausible; expected the article's date (years 1000 to 2100)",
                future.display()
            ),
            format!(
                "error: {}:5: year 999 is implausible; expected the article's date (years 1000 to 2100)",
                old.display()
            ),
        ]
    );
}

#[test]
fn a_month_without_a_day_is_refused_at_its_line() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let saved = inbox.path().join("month.txt");
    std::fs::write(&saved, page("Tides", "June 2016", "Text.")).unwrap();
    let (code, _, stderr) = import(dir.path(), &[&saved]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim(),
        format!(
            "error: {}:5: `June 2016` gives a month but no day; expected a date line like `Jun 28, 2019 | Author`",
            saved.display()
        )
    );
}

#[test]
fn hand_written_file_with_the_same_headline_is_left_alone() {
    let dir = site();
    let month = dir.path().join("content/articles/2023/03");
    std::fs::create_dir_all(&month).unwrap();
    let mine = "---\ntitle: Letters\ndate: 2023-03-02\n---\n\nMy own page.\n";
    std::fs::write(month.join("letters.md"), mine).unwrap();
    let inbox = TempDir::new().unwrap();
    let saved = inbox.path().join("letters.txt");
    std::fs::write(&saved, page("Letters", "Mar 2, 2023", "Text.")).unwrap();
    let (code, stdout, stderr) = galley(dir.path())
        .arg("import")
        .arg(&saved)
        .output()
        .map(|o| {
            (
                o.status.code(),
                String::from_utf8(o.stdout).unwrap(),
                String::from_utf8(o.stderr).unwrap(),
            )
        })
        .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("1 written, "), "{stdout}");
    assert_eq!(std::fs::read_to_string(month.join("letters.md")).unwrap(), mine);
    assert!(month.join("letters-2.md").is_file());
}
