//! Metadata read from small pages written for these tests.

use super::read;
use dom_query::Document;

fn authors_of(head: &str) -> Vec<String> {
    let html = format!("<html><head>{head}</head><body><p>Text.</p></body></html>");
    read(&Document::from(html.as_str()), &html, None).authors
}

#[test]
fn one_author_tag_a_person_keeps_surname_first_names_whole() {
    let authors = authors_of(
        r#"<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">"#,
    );
    assert_eq!(authors, ["Kooman, F", "Jong, Michiel de"]);
}

#[test]
fn one_tag_of_several_names_is_split() {
    let authors =
        authors_of(r#"<meta name="author" content="By Ana Lima, Tom Ng and Ruth Okafor">"#);
    assert_eq!(authors, ["Ana Lima", "Tom Ng", "Ruth Okafor"]);
}
