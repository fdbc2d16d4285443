//! Template values built once and shared between pages.
//!
//! `tera::Context::insert` serialises its argument into Tera's own value tree
//! on every call, and the tree is dropped again after the page is rendered.
//! For data that many pages show unchanged (`site`, an article's summary on
//! every listing it appears in, the archive's year and month navigation),
//! converting once and inserting clones is far cheaper: Tera's maps and
//! arrays are reference-counted, so a clone copies a pointer, not the tree.
//! The rendered bytes are the same either way.

use serde::Serialize;
use tera::Value;
use tera::value::Key;

/// `value` as a Tera value, to insert (cloned) into many contexts with
/// [`tera::Context::insert_value`].
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Value {
    Value::from_serializable(value)
}

/// Tera values as one template list (a `for` loop over them sees each value).
pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::from(items.into_iter().collect::<Vec<Value>>())
}

/// A struct's value with one field set to `field`: for a context that is
/// mostly per page but holds a large shared part (serialise the struct with
/// that field empty, then put the shared value in). A value that is not a
/// map (not a struct) is returned unchanged.
pub fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    if value.as_map().is_none() {
        return value;
    }
    match value.into_map() {
        Some(mut map) => {
            map.insert(Key::Str(key), field);
            Value::from(map)
        }
        None => Value::none(),
    }
}

/// Serialises text as a Tera safe string: a template prints it as it is,
/// with no `| safe` filter, which copies its input (an article's whole
/// body, on every article page). For `#[serde(serialize_with)]` on fields
/// galley has made safe (the author's rendered Markdown, the link-preview
/// tags, the JSON-LD); other serialisers see plain text.
pub fn safe_str<S: serde::Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    Value::safe_string(text).serialize(serializer)
}

/// [`safe_str`] for rendered Markdown.
pub fn safe_html<S: serde::Serializer>(
    html: &super::context::BodyHtml<'_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    safe_str(&html.html, serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::context::{MonthLink, YearLink};

    /// A struct with a large part many pages share, as `archive` has its years.
    #[derive(Serialize)]
    struct ArchiveLike {
        title: &'static str,
        year: Option<i16>,
        month: Option<i8>,
        years: Vec<YearLink>,
    }

    fn years() -> Vec<YearLink> {
        vec![YearLink {
            year: 2019,
            url: "/archive/2019/".into(),
            count: 2,
            months: vec![MonthLink {
                year: 2019,
                month: 6,
                name: "June".into(),
                url: "/archive/2019/06/".into(),
                count: 2,
            }],
        }]
    }

    fn archive(years: Vec<YearLink>) -> ArchiveLike {
        ArchiveLike { title: "2019", year: Some(2019), month: None, years }
    }

    #[test]
    fn a_shared_field_renders_like_the_serialised_struct() {
        let template = "{{ archive.title }}:{% for y in archive.years %}{{ y.year }}={{ y.count }}\
                        {% for m in y.months %}[{{ m.name }} {{ m.url }}]{% endfor %}{% endfor %}\
                        {{ archive.month is defined }}{{ archive.year }}";
        let render = |value: Value| {
            let mut context = tera::Context::new();
            context.insert_value("archive", value);
            tera::Tera::one_off(template, &context, true).unwrap()
        };
        let whole = render(to_value(&archive(years())));
        let shared_years = to_value(&years());
        let assembled = render(with_field(to_value(&archive(Vec::new())), "years", shared_years));
        assert_eq!(assembled, whole);
        assert!(whole.contains("[June /archive/2019/06/]"), "{whole}");
    }

    #[test]
    fn a_list_of_values_renders_like_a_serialised_vec() {
        let template =
            "{% for y in items %}{{ y.year }} {{ y.url }};{% endfor %}{{ items | length }}";
        let render = |value: Value| {
            let mut context = tera::Context::new();
            context.insert_value("items", value);
            tera::Tera::one_off(template, &context, true).unwrap()
        };
        let items = years();
        let whole = render(to_value(&items));
        let listed = render(list(items.iter().map(to_value)));
        assert_eq!(listed, whole);
        assert_eq!(whole, "2019 /archive/2019/;1");
    }

    #[test]
    fn a_value_that_is_not_a_struct_is_left_alone() {
        let value = with_field(Value::from(3), "x", Value::from(1));
        assert_eq!(value, Value::from(3));
    }

    #[test]
    fn safe_fields_print_as_they_are_and_the_others_escaped() {
        #[derive(Serialize)]
        struct Page {
            #[serde(serialize_with = "safe_str")]
            body: &'static str,
            title: &'static str,
        }
        let page = Page { body: "<p>a &amp; b</p>", title: "<x>" };
        let mut context = tera::Context::new();
        context.insert_value("page", to_value(&page));
        let out = tera::Tera::one_off("{{ page.body }}|{{ page.title }}", &context, true).unwrap();
        assert_eq!(out, "<p>a &amp; b</p>|&lt;x&gt;");
        // Elsewhere the field is its text.
        let json = serde_json::to_string(&page).unwrap();
        assert_eq!(json, r#"{"body":"<p>a &amp; b</p>","title":"<x>"}"#);
    }
}
