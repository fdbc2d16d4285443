//! The converter on small documents written for these tests.

use super::convert;
use dom_query::Document;

fn markdown_of(html: &str) -> String {
    let document = Document::from(html);
    let mut keep = |_: &str, absolute: &str| absolute.to_string();
    convert(&document.select("body").nodes()[0], None, None, "", &mut keep).join("\n\n")
}

#[test]
fn an_alt_that_describes_the_image_is_kept() {
    let md = markdown_of(
        r#"<body><p>Text.</p><img src="https://e.example/a.jpg" alt="Boats moored in the harbour at dawn"></body>"#,
    );
    assert!(md.contains("![Boats moored in the harbour at dawn](https://e.example/a.jpg)"), "{md}");
}

#[test]
fn file_names_and_slugs_are_no_alt_text() {
    let md = markdown_of(
        r#"<body><img src="https://e.example/1.jpg" alt="IMG_3886.jpg">
        <img src="https://e.example/2.jpg" alt="0225-harbour-getty-01">
        <img src="https://e.example/3.jpg" alt="P1610088.JPG"></body>"#,
    );
    assert_eq!(
        md,
        "![](https://e.example/1.jpg) ![](https://e.example/2.jpg) ![](https://e.example/3.jpg)"
    );
}

#[test]
fn an_alt_shared_by_several_images_is_dropped() {
    let md = markdown_of(
        r#"<body><p><img src="https://e.example/1.jpg" alt="An image"></p>
        <p><img src="https://e.example/2.jpg" alt="An image"></p></body>"#,
    );
    assert_eq!(md, "![](https://e.example/1.jpg)\n\n![](https://e.example/2.jpg)");
}

#[test]
fn an_alt_that_repeats_the_caption_is_dropped() {
    let md = markdown_of(
        r#"<body><figure><img src="https://e.example/1.jpg" alt="The ferry leaving the harbour in a storm.">
        <figcaption>The ferry leaving the harbour in a storm, on Tuesday</figcaption></figure></body>"#,
    );
    assert_eq!(
        md,
        "![](https://e.example/1.jpg)\n\n*The ferry leaving the harbour in a storm, on Tuesday*"
    );
}

#[test]
fn mathml_reads_as_its_symbols_spaced() {
    let md = markdown_of(
        r#"<body><p>Solve <math><mi>a</mi><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mi>c</mi><mo>=</mo><mn>0</mn></math> for x.</p></body>"#,
    );
    assert_eq!(md, "Solve a x 2 + c = 0 for x.");
}

#[test]
fn a_link_into_the_page_itself_is_text() {
    let document = Document::from(
        r#"<body><p>A claim.<a href="https://e.example/a/b#note-1">[1]</a> See <a href="https://e.example/a/c#part">c</a>.</p></body>"#,
    );
    let page = url::Url::parse("https://e.example/a/b").unwrap();
    let mut keep = |_: &str, absolute: &str| absolute.to_string();
    let md =
        convert(&document.select("body").nodes()[0], None, Some(&page), "", &mut keep).join("\n\n");
    assert_eq!(md, "A claim.\\[1\\] See [c](https://e.example/a/c#part).");
}

#[test]
fn an_alt_that_a_gallery_caption_list_repeats_is_dropped() {
    let md = markdown_of(
        r#"<body><div><div><div><div><div><img src="https://e.example/1.jpg" alt="Nets drying on the quay at noon"></div></div></div></div></div>
        <p>Some prose between the pictures and their captions, as galleries have.</p>
        <ul><li>Nets drying on the quay at noon, before the boats go out</li></ul></body>"#,
    );
    assert!(md.starts_with("![](https://e.example/1.jpg)"), "{md}");
}

#[test]
fn an_alt_that_repeats_the_headline_is_dropped() {
    let document = Document::from(
        r#"<body><img src="https://e.example/1.jpg" alt="Harbour bridge reopens after repairs"><p>The bridge reopened on Thursday.</p></body>"#,
    );
    let mut keep = |_: &str, absolute: &str| absolute.to_string();
    let body = document.select("body").nodes()[0];
    let md = convert(&body, None, None, "Harbour bridge reopens after repairs", &mut keep);
    assert_eq!(md[0], "![](https://e.example/1.jpg)");
}

#[test]
fn an_alt_that_names_a_file_with_spaces_is_dropped() {
    let md = markdown_of(
        r#"<body><p><img src="https://e.example/1.png" alt="Mozilla dinosaur head logo.png"></p></body>"#,
    );
    assert_eq!(md, "![](https://e.example/1.png)");
}
