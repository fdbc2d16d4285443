//! From a saved file's bytes to the page's text: a gzip layer taken off,
//! an MHTML archive split into its document and its parts, and the
//! document's encoding found the way a browser finds it (byte-order mark,
//! the transport's charset, `<meta charset>` or `http-equiv`, then UTF-8 when
//! the bytes are valid UTF-8, else windows-1252).

use crate::error::{Diagnostic, Location};
use base64::Engine as _;
use encoding_rs::Encoding;
use std::io::Read;
use std::path::Path;

/// The largest page (after decompression) read: larger saves are refused,
/// so memory stays bounded.
pub(super) const MAX_PAGE_BYTES: u64 = 256 * 1024 * 1024;

/// A saved page, decoded.
#[derive(Debug, Default)]
pub(super) struct Decoded {
    /// The document's text.
    pub html: String,
    /// The other parts of an MHTML archive (images and style sheets).
    pub parts: Vec<MhtmlPart>,
    /// The address the archive says the page was saved from.
    pub location: Option<String>,
    /// When the archive says the page was saved (its `Date:` header).
    pub saved_at: Option<String>,
}

/// One resource of an MHTML archive.
#[derive(Debug)]
pub(super) struct MhtmlPart {
    /// `Content-Location` (the resource's address), or `cid:` and its `Content-ID`.
    pub location: String,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
}

/// Decodes a saved page's bytes; refuses empty and binary files.
pub(super) fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    let refuse = |message: &str| Diagnostic::at(path, Location::line(1), message.to_string());
    let unzipped;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let mut reader = flate2::read::GzDecoder::new(bytes).take(MAX_PAGE_BYTES + 1);
        reader.read_to_end(&mut out).map_err(|e| {
            refuse(&format!("broken gzip data ({e}); expected a gzipped HTML page"))
        })?;
        unzipped = out;
        &unzipped[..]
    } else {
        bytes
    };
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(refuse("larger than 256 MB; expected a saved HTML page"));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse("empty page; expected a saved HTML article"));
    }
    let decoded = match mhtml_header_end(bytes) {
        Some(header_end) => read_mhtml(bytes, header_end).ok_or_else(|| {
            refuse("an MHTML archive without an HTML part; expected a saved page")
        })?,
        None => Decoded { html: decode_document(bytes, None), ..Decoded::default() },
    };
    // Binary data: a NUL, or control characters (other than white space)
    // making up more than one character in a hundred. A few stray ones are
    // common in real pages and harmless.
    let controls =
        decoded.html.chars().filter(|c| c.is_ascii_control() && !c.is_ascii_whitespace()).count();
    let nul = decoded.html.find('\0');
    if nul.is_some() || controls * 100 > decoded.html.len() {
        let at = nul
            .or_else(|| {
                decoded.html.find(|c: char| c.is_ascii_control() && !c.is_ascii_whitespace())
            })
            .unwrap_or(0);
        let line = decoded.html[..at].matches('\n').count() + 1;
        let byte = decoded.html[at..].chars().next().map_or(0, u32::from);
        return Err(Diagnostic::at(
            path,
            Location::line(line),
            format!("binary data (character U+{byte:04X}); expected a saved HTML page"),
        ));
    }
    Ok(decoded)
}

/// Decodes an HTML document's bytes; `transport` is the charset its
/// container declared (an MHTML part's `Content-Type`).
pub(super) fn decode_document(bytes: &[u8], transport: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let declared = transport
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        // A page cannot declare itself UTF-16 in ASCII; browsers read UTF-8.
        .map(|e| {
            if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                e
            }
        });
    // Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever
    // the page declares: a page re-saved as UTF-8 often keeps its old
    // `<meta charset>`, and legacy text is practically never valid UTF-8.
    let utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
    let encoding = match declared {
        _ if utf8 => encoding_rs::UTF_8,
        Some(encoding) => encoding,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset a `<meta charset>` or `<meta http-equiv content>` in the
/// page's first 4 KB declares (browsers look at the first 1 KB; pages with
/// long heads put it later and still expect it to count).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta").map(|i| i + from) {
        let end = find(&lower[at..], b">").map_or(lower.len(), |i| i + at);
        let tag = &lower[at..end];
        from = end;
        let Some(charset) = find(tag, b"charset") else { continue };
        let rest = &tag[charset + 7..];
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest = rest.trim_ascii_start();
        let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
        let len = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if let Some(encoding) = Encoding::for_label(&rest[..len]) {
            return Some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the top-level headers of an MHTML archive end (the offset of the
/// body), when the file is one.
fn mhtml_header_end(bytes: &[u8]) -> Option<usize> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 8192)];
    // Headers are `Name: value` lines; HTML starts with `<`.
    if head.first() == Some(&b'<') {
        return None;
    }
    let end =
        find(head, b"\r\n\r\n").map(|i| i + 4).or_else(|| find(head, b"\n\n").map(|i| i + 2))?;
    let headers = head[..end].to_ascii_lowercase();
    find(&headers, b"multipart/related").map(|_| start + end)
}

/// Headers of a MIME entity, unfolded, names lowercased.
fn headers(text: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(text);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    out
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// A parameter of a header value (`boundary`, `charset`), unquoted.
fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().trim_matches('"').to_string())
    })
}

fn read_mhtml(bytes: &[u8], header_end: usize) -> Option<Decoded> {
    let top = headers(&bytes[..header_end]);
    let boundary = parameter(header(&top, "content-type")?, "boundary")?;
    let delimiter = format!("--{boundary}");
    let body = &bytes[header_end..];
    let mut decoded = Decoded {
        location: header(&top, "snapshot-content-location").map(str::to_string),
        saved_at: header(&top, "date").map(str::to_string),
        ..Decoded::default()
    };
    let mut document = None;
    let mut rest = body;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let part_end = find(rest, delimiter.as_bytes()).unwrap_or(rest.len());
        let part = &rest[..part_end];
        let Some(split) = find(part, b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .or_else(|| find(part, b"\n\n").map(|i| (i, i + 2)))
        else {
            continue;
        };
        let part_headers = headers(&part[..split.0]);
        let raw = &part[split.1..];
        let content = match header(&part_headers, "content-transfer-encoding")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("base64") => {
                let clean: Vec<u8> =
                    raw.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
                base64::engine::general_purpose::STANDARD.decode(clean).ok()?
            }
            Some("quoted-printable") => quoted_printable(raw),
            _ => raw.to_vec(),
        };
        let content_type_header = header(&part_headers, "content-type").unwrap_or("");
        let content_type =
            content_type_header.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if document.is_none() && content_type == "text/html" {
            let charset = parameter(content_type_header, "charset");
            document = Some(decode_document(&content, charset.as_deref()));
            if decoded.location.is_none() {
                decoded.location = header(&part_headers, "content-location").map(str::to_string);
            }
            continue;
        }
        let location =
            header(&part_headers, "content-location").map(str::to_string).or_else(|| {
                header(&part_headers, "content-id")
                    .map(|id| format!("cid:{}", id.trim_matches(['<', '>'])))
            });
        if let Some(location) = location {
            decoded.parts.push(MhtmlPart { location, bytes: content });
        }
    }
    decoded.html = document?;
    Some(decoded)
}

/// Decodes quoted-printable text: `=XX` escapes and `=` soft line breaks.
fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'=' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        match (raw.get(i + 1), raw.get(i + 2)) {
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(b'\n'), _) => i += 2,
            (Some(&a), Some(&b)) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
                let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                out.push(hex(a) << 4 | hex(b));
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_charset_decodes_the_page() {
        let page = b"<html><head><meta charset=\"shift_jis\"><title>\x93\xfa\x96\x7b</title>";
        assert!(decode_document(page, None).contains("<title>日本</title>"));
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=euc-kr'><p>\xc7\xd1\xb1\xb9</p>";
        assert!(decode_document(page, None).contains("<p>한국</p>"));
        // A wrong declaration on a page whose bytes are UTF-8.
        let page = "<meta charset=gb2312><p>2016年10月14日</p>".as_bytes();
        assert!(decode_document(page, None).contains("<p>2016年10月14日</p>"));
        // Undeclared and not UTF-8: windows-1252, as browsers read it.
        assert!(decode_document(b"<p>caf\xe9 \x93q\x94</p>", None).contains("café “q”"));
        // A byte-order mark wins over the declaration.
        assert_eq!(
            decode_document(b"\xef\xbb\xbf<meta charset=gbk>\xc3\xa9", None),
            "<meta charset=gbk>é"
        );
    }

    #[test]
    fn quoted_printable_decodes_escapes_and_soft_breaks() {
        assert_eq!(quoted_printable(b"caf=C3=A9 =3D lo=\r\nng"), "café = long".as_bytes());
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        let path = Path::new("p.html");
        assert!(decode(path, b"  \n").unwrap_err().message.starts_with("empty page"));
        let err = decode(path, b"<p>a</p>\n\x00\x01\x02").unwrap_err();
        assert_eq!(err.location.map(|l| l.line), Some(2));
        assert!(err.message.starts_with("binary data"), "{}", err.message);
    }
}
