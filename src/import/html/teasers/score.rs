//! A scorer for development: runs [`find_teasers`] on hand-labelled pages
//! and computes precision and recall as the labels' README says (URLs
//! normalised, optional ones ignored, duplicates counted once, summed over
//! pages). Not part of `cargo test`; run it with
//!
//! ```sh
//! GALLEY_TEASER_CASES=/path/to/cases cargo test --profile fast --lib teasers::score -- --ignored --nocapture
//! ```
//!
//! `GALLEY_TEASER_PART=even|odd` scores every other page (sorted by name),
//! so that one half can be looked at while designing and the other kept for
//! checking; `GALLEY_TEASER_ONLY=<name>` scores one page and lists its URLs.

use super::find_teasers;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use url::Url;

/// Query parameters that only track the reader.
fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_")
        || matches!(
            lower.as_str(),
            "ref"
                | "ref_src"
                | "src"
                | "fbclid"
                | "gclid"
                | "cmpid"
                | "smid"
                | "partner"
                | "rss"
                | "ocid"
                | "mod"
                | "ito"
                | "int_source"
        )
}

/// (host + path, query) of a URL, as the labels are compared.
fn split_url(url: &str, base: Option<&Url>) -> Option<(String, String)> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let (host, path, query) = match base.map_or_else(|| Url::parse(url), |base| base.join(url)) {
        Ok(parsed) => {
            let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
            (host, parsed.path().to_string(), parsed.query().unwrap_or_default().to_string())
        }
        Err(_) => {
            let without_fragment = url.split('#').next().unwrap_or_default();
            let (path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
            (String::new(), path.to_string(), query.to_string())
        }
    };
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let path = percent_encoding::percent_decode_str(&path).decode_utf8_lossy().to_lowercase();
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_tracking(pair.split('=').next().unwrap_or_default()))
        .collect();
    pairs.sort_unstable();
    let trimmed = path.trim_end_matches('/');
    Some((format!("{host}{}", if trimmed.is_empty() { "/" } else { trimmed }), pairs.join("&")))
}

fn keys(urls: &[(String, String)], counts: &HashMap<String, usize>) -> HashSet<String> {
    urls.iter()
        .map(|(host_path, query)| {
            if counts.get(host_path).copied().unwrap_or(0) <= 1 {
                host_path.clone()
            } else {
                format!("{host_path}?{query}")
            }
        })
        .collect()
}

#[test]
#[ignore = "needs labelled pages: GALLEY_TEASER_CASES=<dir>"]
fn teaser_score() {
    let Ok(cases) = std::env::var("GALLEY_TEASER_CASES") else {
        eprintln!(
            "set GALLEY_TEASER_CASES to a folder of <name>/source.html + expected-teasers.json"
        );
        return;
    };
    let part = std::env::var("GALLEY_TEASER_PART").unwrap_or_default();
    let only = std::env::var("GALLEY_TEASER_ONLY").ok();
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .expect("cases folder")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("expected-teasers.json").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let (mut hit, mut got, mut want) = (0, 0, 0);
    let mut rows = Vec::new();
    let mut elapsed = std::time::Duration::ZERO;
    let mut flattening = std::time::Duration::ZERO;
    let mut parsing = std::time::Duration::ZERO;
    for (number, name) in names.iter().enumerate() {
        let chosen = match part.as_str() {
            "even" => number % 2 == 0,
            "odd" => number % 2 == 1,
            _ => true,
        };
        if !chosen || only.as_ref().is_some_and(|only| only != name) {
            continue;
        }
        let folder = Path::new(&cases).join(name);
        let labels: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join("expected-teasers.json")).expect("labels"),
        )
        .expect("json");
        let html =
            String::from_utf8_lossy(&std::fs::read(folder.join("source.html")).expect("page"))
                .into_owned();
        let page_url = labels["page_url"].as_str().and_then(|url| Url::parse(url).ok());
        // Each step timed at its fastest of a few runs: the machine is shared.
        let fastest = |step: &mut dyn FnMut()| {
            (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    step();
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        parsing +=
            fastest(&mut || drop(std::hint::black_box(dom_query::Document::from(html.as_str()))));
        let document = dom_query::Document::from(html.as_str());
        elapsed +=
            fastest(&mut || drop(std::hint::black_box(find_teasers(&document, page_url.as_ref()))));
        flattening +=
            fastest(&mut || drop(std::hint::black_box(super::flat::Flat::new(&document))));
        let found = find_teasers(&document, page_url.as_ref());
        let list = |field: &str| -> Vec<(String, String)> {
            labels[field]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item.as_str().or_else(|| item["url"].as_str()))
                .filter_map(|url| split_url(url, page_url.as_ref()))
                .collect()
        };
        let (wanted, optional) = (list("teasers"), list("optional"));
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (host_path, _) in wanted.iter().chain(&optional) {
            *counts.entry(host_path.clone()).or_default() += 1;
        }
        let want_keys = keys(&wanted, &counts);
        let optional_keys: HashSet<String> =
            keys(&optional, &counts).difference(&want_keys).cloned().collect();
        let extracted: Vec<(String, String)> = found
            .teasers
            .iter()
            .filter_map(|teaser| split_url(&teaser.url, page_url.as_ref()))
            .collect();
        let got_keys: HashSet<String> =
            keys(&extracted, &counts).difference(&optional_keys).cloned().collect();
        let page_hits = got_keys.intersection(&want_keys).count();
        hit += page_hits;
        got += got_keys.len();
        want += want_keys.len();
        let extra: Vec<&String> = got_keys.difference(&want_keys).collect();
        let missed: Vec<&String> = want_keys.difference(&got_keys).collect();
        rows.push((
            extra.len() * 3 + missed.len(),
            format!("{name}: {page_hits} right, {} extra, {} missed", extra.len(), missed.len()),
        ));
        if only.is_some() || std::env::var("GALLEY_TEASER_VERBOSE").is_ok() {
            for teaser in &found.teasers {
                println!(
                    "  got  {} | {} | {:?} {:?} {:?}",
                    teaser.url, teaser.title, teaser.date, teaser.caption, teaser.image
                );
            }
            for key in &extra {
                println!("  EXTRA {key}");
            }
            for key in &missed {
                println!("  MISSED {key}");
                if only.is_some() {
                    print_context(&document, key, page_url.as_ref());
                }
            }
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    for (_, row) in rows.iter().take(25) {
        println!("{row}");
    }
    let precision = if got == 0 { 1.0 } else { hit as f64 / got as f64 };
    let recall = if want == 0 { 1.0 } else { hit as f64 / want as f64 };
    println!(
        "teasers P {precision:.3} R {recall:.3} ({hit}/{got} found, {want} labelled, {} pages, {:.3} ms a page, {:.3} of it flattening; parsing {:.3} ms)",
        rows.len(),
        elapsed.as_secs_f64() * 1000.0 / rows.len().max(1) as f64,
        flattening.as_secs_f64() * 1000.0 / rows.len().max(1) as f64,
        parsing.as_secs_f64() * 1000.0 / rows.len().max(1) as f64
    );
}

/// Where the first link to `key` sits: its text and its ancestors' tags,
/// classes and ids, to see why the search left it out.
fn print_context(document: &dom_query::Document, key: &str, page_url: Option<&Url>) {
    for link in document.select("a[href]").nodes() {
        let href = link.attr("href").unwrap_or_default();
        let Some((host_path, _)) = split_url(&href, page_url) else { continue };
        if key.split('?').next() != Some(host_path.as_str()) {
            continue;
        }
        let text = link.text().split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        println!("    text {text:?}");
        for ancestor in link.ancestors(Some(14)) {
            println!(
                "    < {} class={:?} id={:?}",
                ancestor.node_name().unwrap_or_default(),
                &*ancestor.attr("class").unwrap_or_default(),
                &*ancestor.attr("id").unwrap_or_default()
            );
        }
        return;
    }
}
