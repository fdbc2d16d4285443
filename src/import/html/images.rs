//! Images the save brought with it: a `data:` URI (SingleFile), a part of
//! an MHTML archive, or a file in the `<page>_files/` folder a browser's
//! "Save Page As" writes beside the page. Each one the article uses is
//! copied beside the article, named by its content's digest, so it is
//! written once however many pages use it; any other image keeps its
//! absolute address. Nothing is fetched.

use super::decode::{Decoded, MhtmlPart};
use crate::import::{Asset, hex};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Images larger than this stay where they are.
const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

/// The images of one page copied so far, and where to look for more.
pub(super) struct Assets<'a> {
    parts: HashMap<&'a str, &'a MhtmlPart>,
    /// The folder the saved page lies in.
    page_dir: PathBuf,
    files: Vec<Asset>,
}

impl<'a> Assets<'a> {
    pub(super) fn new(decoded: &'a Decoded, page: &Path) -> Self {
        Assets {
            parts: decoded.parts.iter().map(|p| (p.location.as_str(), p)).collect(),
            page_dir: page.parent().map(Path::to_path_buf).unwrap_or_default(),
            files: Vec::new(),
        }
    }

    /// The address the article should use for an image written `raw` in
    /// the page and `absolute` once resolved: the name of a copy beside the
    /// article when the save holds the image, else `absolute`; empty for a
    /// `data:` URI that holds no image galley can copy.
    pub(super) fn local(&mut self, raw: &str, absolute: &str) -> String {
        let bytes = if let Some(data) = raw.strip_prefix("data:") {
            match data_uri(data) {
                Some(bytes) => bytes,
                None => return String::new(),
            }
        } else if let Some(part) = self.parts.get(raw).or_else(|| self.parts.get(absolute)) {
            part.bytes.clone()
        } else if let Some(bytes) = self.saved_file(raw) {
            bytes
        } else {
            return absolute.to_string();
        };
        let Some(extension) = image_extension(&bytes) else {
            return if raw.starts_with("data:") { String::new() } else { absolute.to_string() };
        };
        let name = format!("{}.{extension}", &hex(&Sha256::digest(&bytes))[..20]);
        if !self.files.iter().any(|f| f.name == name) {
            self.files.push(Asset { name: name.clone(), bytes });
        }
        name
    }

    /// A relative address that names a file saved beside the page (inside
    /// a folder of it, never above it).
    fn saved_file(&self, raw: &str) -> Option<Vec<u8>> {
        let raw = raw.split(['?', '#']).next()?;
        if raw.contains("://") || raw.starts_with('/') || raw.split('/').any(|s| s == "..") {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
        let path = self.page_dir.join(decoded.trim_start_matches("./"));
        let metadata = std::fs::metadata(&path).ok()?;
        (metadata.is_file() && metadata.len() <= MAX_IMAGE_BYTES)
            .then(|| std::fs::read(&path).ok())?
    }

    /// The copies to write beside the article.
    pub(super) fn into_files(self) -> Vec<Asset> {
        self.files
    }
}

/// The bytes of a `data:` URI (after `data:`), base64 or percent-encoded.
fn data_uri(data: &str) -> Option<Vec<u8>> {
    let (header, payload) = data.split_once(',')?;
    if payload.len() as u64 > MAX_IMAGE_BYTES * 4 / 3 {
        return None;
    }
    if header.ends_with(";base64") {
        let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(clean.trim_end_matches('=')).ok().or_else(
            || {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(clean.trim_end_matches('='))
                    .ok()
            },
        )
    } else {
        Some(percent_encoding::percent_decode_str(payload).collect())
    }
}

/// The extension of a raster image, from its first bytes; `None` for
/// anything else (SVG can carry scripts, so it is never copied).
fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else if bytes.len() > 12 && &bytes[4..12] == b"ftypavif" {
        Some("avif")
    } else {
        None
    }
}
