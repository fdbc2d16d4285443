//! Compact JSON written straight into one string, safe inside a `<script>`
//! element: the text of the JSON-LD objects of `structured_data`.
//!
//! Every article page has about thirty strings of JSON-LD, and serde_json's
//! string writer (a table lookup and a branch per byte, then a second scan of
//! the text for `<`, `>` and `&`) cost a build more than the rest of the
//! preview. Here a string is copied in runs between the few bytes that need
//! an escape, and those three are escaped in the same pass. The text is the
//! one serde_json writes, with `<`, `>` and `&` as `\u003c`, `\u003e` and
//! `\u0026` (which parse back to the same text), so no string can end the
//! script element.

/// A JSON text being written: objects, arrays, keys and string values, in
/// the order they are to appear.
pub(super) struct JsonText {
    text: String,
    /// A value was just written, so the next key or element needs a comma.
    after_value: bool,
}

impl JsonText {
    /// An empty text with room for `capacity` bytes.
    pub(super) fn with_capacity(capacity: usize) -> JsonText {
        JsonText { text: String::with_capacity(capacity), after_value: false }
    }

    /// The text written.
    pub(super) fn finish(self) -> String {
        self.text
    }

    fn separate(&mut self) {
        if self.after_value {
            self.text.push(',');
        }
    }

    /// `{`, as a value (an array's element, or after a key).
    pub(super) fn begin_object(&mut self) {
        self.separate();
        self.text.push('{');
        self.after_value = false;
    }

    /// `}`.
    pub(super) fn end_object(&mut self) {
        self.text.push('}');
        self.after_value = true;
    }

    /// `[`, as a value.
    pub(super) fn begin_array(&mut self) {
        self.separate();
        self.text.push('[');
        self.after_value = false;
    }

    /// `]`.
    pub(super) fn end_array(&mut self) {
        self.text.push(']');
        self.after_value = true;
    }

    /// `"key":`, for the value written next. Keys are galley's own words,
    /// with nothing to escape.
    pub(super) fn key(&mut self, key: &'static str) {
        debug_assert!(!key.bytes().any(needs_escape), "{key}");
        self.separate();
        for part in ["\"", key, "\":"] {
            self.text.push_str(part);
        }
        self.after_value = false;
    }

    /// A string value.
    pub(super) fn string(&mut self, value: &str) {
        self.separate();
        push_string(&mut self.text, value);
        self.after_value = true;
    }

    /// `"key":"value"`.
    pub(super) fn field(&mut self, key: &'static str, value: &str) {
        self.key(key);
        self.string(value);
    }

    /// `"key":"value"` when there is a value; nothing when there is none.
    pub(super) fn optional_field(&mut self, key: &'static str, value: Option<&str>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }
}

/// What each byte is written as inside a string: itself (0), a short escape
/// (`n` for `\n`), or `\u00XX` (`u`).
const ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'<' as usize] = b'u';
    table[b'>' as usize] = b'u';
    table[b'&' as usize] = b'u';
    table
};

/// Whether `byte` needs an escape: written with `|` rather than `||`, so
/// that testing a run of bytes compiles to a few SIMD compares.
fn needs_escape(byte: u8) -> bool {
    (byte < 0x20)
        | (byte == b'"')
        | (byte == b'\\')
        | (byte == b'<')
        | (byte == b'>')
        | (byte == b'&')
}

/// Whether any of `run` needs an escape.
fn has_escape(run: &[u8]) -> bool {
    run.iter().fold(0u8, |any, &byte| any | u8::from(needs_escape(byte))) != 0
}

/// Bytes tested at once for an escape: most strings have none, and a run
/// without one is copied as it is.
const RUN: usize = 16;

/// `value` as a JSON string (quoted), script-safe.
fn push_string(text: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    text.reserve(value.len() + 2);
    text.push('"');
    let bytes = value.as_bytes();
    // `value[start..at]` is written as it is once an escape (or the end) is reached.
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        if let Some(run) = bytes.get(at..at + RUN) {
            if !has_escape(run) {
                at += RUN;
                continue;
            }
        } else if bytes.len() >= RUN && !has_escape(&bytes[bytes.len() - RUN..]) {
            // The last bytes, fewer than a run, are the end of a run with no escape.
            break;
        }
        for &byte in &bytes[at..(at + RUN).min(bytes.len())] {
            let escape = ESCAPES[usize::from(byte)];
            if escape != 0 {
                // Every byte that needs an escape is ASCII, so `at` is a character boundary.
                text.push_str(&value[start..at]);
                start = at + 1;
                text.push('\\');
                if escape == b'u' {
                    text.push_str("u00");
                    text.push(char::from(HEX[usize::from(byte >> 4)]));
                    text.push(char::from(HEX[usize::from(byte & 0xf)]));
                } else {
                    text.push(char::from(escape));
                }
            }
            at += 1;
        }
    }
    text.push_str(&value[start..]);
    text.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn string(value: &str) -> String {
        let mut text = String::new();
        push_string(&mut text, value);
        text
    }

    /// JSON text as serde_json writes it, with the three script escapes.
    fn script_safe(json: String) -> String {
        json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
    }

    /// What serde_json writes for the string `value`, script-safe.
    fn serde_json_script_safe(value: &str) -> String {
        script_safe(serde_json::to_string(value).unwrap())
    }

    #[test]
    fn a_title_cannot_close_the_script_element() {
        let title = "Quotes \" and </script><script>alert(1)</script> & more";
        let safe = string(title);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), title);
    }

    #[test]
    fn objects_and_arrays_are_compact_json_as_serde_json_writes_it() {
        let mut json = JsonText::with_capacity(0);
        json.begin_object();
        json.field("@type", "Person");
        json.key("list");
        json.begin_array();
        json.begin_object();
        json.optional_field("a", Some("<b>"));
        json.optional_field("none", None);
        json.end_object();
        json.string("x");
        json.begin_array();
        json.end_array();
        json.end_array();
        json.key("name");
        json.string("Ann \"L\" \u{1}é\\");
        json.end_object();
        // serde_json's maps print their keys sorted, as these are written.
        let value = serde_json::json!({
            "@type": "Person", "list": [{"a": "<b>"}, "x", []], "name": "Ann \"L\" \u{1}é\\"
        });
        assert_eq!(json.finish(), script_safe(value.to_string()));
    }

    proptest! {
        #[test]
        fn any_string_is_written_as_serde_json_writes_it_and_parses_back(value in any::<String>()) {
            let safe = string(&value);
            prop_assert_eq!(&safe, &serde_json_script_safe(&value));
            prop_assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), value);
        }

        #[test]
        fn control_characters_and_markup_alike(value in "[\\x00-\\x1f\"\\\\<>&a-zé€😀]{0,40}") {
            let safe = string(&value);
            prop_assert_eq!(&safe, &serde_json_script_safe(&value));
            prop_assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), value);
        }
    }
}
