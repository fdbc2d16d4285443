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
}
