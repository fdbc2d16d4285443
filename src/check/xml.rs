//! The feed and the sitemaps: well-formed XML whose links all lead somewhere.

use super::links::{Resolver, Target};
use super::{CheckReport, Files, Problem, Written};
use quick_xml::events::Event;

/// The text of every element named `name` (local name) in an XML document,
/// or the parse error.
pub(super) fn xml_texts(
    text: &str,
    wanted: &[&str],
) -> std::result::Result<Vec<(String, String)>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut buffer = String::new();
    let bad = |e: &dyn std::fmt::Display, at: u64| format!("not well-formed XML at byte {at}: {e}");
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                stack.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                buffer.clear();
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if wanted.contains(&name.as_str()) {
                    for attr in e.attributes().flatten() {
                        if attr.key.as_ref() == b"href" {
                            let value = attr
                                .unescape_value()
                                .map_err(|e| bad(&e, reader.buffer_position()))?;
                            found.push((name.clone(), value.into_owned()));
                        }
                    }
                }
            }
            Ok(Event::Text(t)) => {
                buffer.push_str(&t.decode().map_err(|e| bad(&e, reader.buffer_position()))?)
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().map_err(|e| bad(&e, reader.buffer_position()))?;
                let entity = format!("&{name};");
                let value = quick_xml::escape::unescape(&entity)
                    .map_err(|e| bad(&e, reader.buffer_position()))?;
                buffer.push_str(&value);
            }
            Ok(Event::End(_)) => {
                if let Some(name) = stack.pop() {
                    if wanted.contains(&name.as_str()) {
                        found.push((name, buffer.trim().to_string()));
                    }
                }
                buffer.clear();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(bad(&e, reader.error_position())),
        }
    }
    if !stack.is_empty() {
        return Err(format!("not well-formed XML: `{}` is never closed", stack.join("/")));
    }
    Ok(found)
}

/// The text of the XML file `name`, when the output has it.
fn xml_text<'f>(files: &'f Files, name: &str) -> Option<&'f str> {
    match files.get(name) {
        Some(Written::Xml(text)) => Some(text),
        _ => None,
    }
}

/// The site's feed (which must be there) and every term's feed
/// (`tags/ports/atom.xml`): well-formed Atom whose links lead somewhere.
pub(super) fn check_feed(files: &Files, resolver: &Resolver<'_>, report: &mut CheckReport) {
    check_one_feed(files, "atom.xml", resolver, report);
    for file in files.keys().filter(|f| f.ends_with("/atom.xml")) {
        check_one_feed(files, file, resolver, report);
    }
}

fn check_one_feed(files: &Files, file: &str, resolver: &Resolver<'_>, report: &mut CheckReport) {
    let Some(text) = xml_text(files, file) else {
        report
            .problems
            .push(Problem { file: file.into(), message: "the site has no Atom feed".into() });
        return;
    };
    match xml_texts(text, &["link", "id", "title", "updated"]) {
        Err(e) => report.problems.push(Problem { file: file.into(), message: e }),
        Ok(found) => {
            if !text.contains("xmlns=\"http://www.w3.org/2005/Atom\"") {
                report.problems.push(Problem {
                    file: file.into(),
                    message: "not an Atom 1.0 feed (namespace missing)".into(),
                });
            }
            for (name, value) in found {
                if name == "link" && !value.ends_with(".xml") {
                    if let Target::Missing(why) = resolver.resolve(file, &value) {
                        report.problems.push(Problem {
                            file: file.into(),
                            message: format!("feed link `{value}`: {why}"),
                        });
                    }
                }
                if name == "updated" && crate::content::PageDate::parse(&value).is_err() {
                    report.problems.push(Problem {
                        file: file.into(),
                        message: format!("bad <updated> `{value}`"),
                    });
                }
            }
        }
    }
}

pub(super) fn check_sitemaps(files: &Files, resolver: &Resolver<'_>, report: &mut CheckReport) {
    let sitemaps: Vec<&String> = files
        .keys()
        .filter(|f| f.starts_with("sitemap") && f.ends_with(".xml") && !f.contains('/'))
        .collect();
    if sitemaps.is_empty() {
        report.problems.push(Problem {
            file: "sitemap.xml".into(),
            message: "the site has no sitemap".into(),
        });
    }
    for file in sitemaps {
        let text = xml_text(files, file).unwrap_or_default();
        match xml_texts(text, &["loc"]) {
            Err(e) => report.problems.push(Problem { file: file.clone(), message: e }),
            Ok(locs) => {
                if locs.len() > crate::site::outputs::SITEMAP_LIMIT {
                    report.problems.push(Problem {
                        file: file.clone(),
                        message: format!(
                            "{} URLs, more than the 50,000 a sitemap may hold",
                            locs.len()
                        ),
                    });
                }
                for (_, loc) in locs {
                    if resolver.base.has_origin() && !loc.starts_with("http") {
                        report.problems.push(Problem {
                            file: file.clone(),
                            message: format!("`{loc}` is not an absolute URL"),
                        });
                    }
                    if let Target::Missing(why) = resolver.resolve(file, &loc) {
                        report.problems.push(Problem {
                            file: file.clone(),
                            message: format!("`{loc}`: {why}"),
                        });
                    }
                }
            }
        }
    }
}
