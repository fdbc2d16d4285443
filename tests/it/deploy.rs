//! The README's deploy recipe for GitHub Pages is the workflow committed
//! under `examples/deploy/`: the workflow parses, publishes what the build
//! writes, and builds with the command the README gives, which makes a
//! project page's site under its sub-path.

use crate::support::*;
use serde_yaml::Value;
use std::fs;

const GITHUB_PAGES_BASE: &str = "${{ steps.pages.outputs.base_url }}";

/// The steps of job `job`.
fn steps<'w>(workflow: &'w Value, job: &str) -> &'w Vec<Value> {
    workflow["jobs"][job]["steps"].as_sequence().unwrap_or_else(|| panic!("job {job} has steps"))
}

/// `command` split into words as a POSIX shell would split this simple line
/// (spaces outside double quotes separate words; the quotes go).
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in command.chars() {
        match c {
            '"' => (quoted, any) = (!quoted, true),
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => (word, any) = (word + &c.to_string(), true),
        }
    }
    if any {
        words.push(word);
    }
    words
}

#[test]
fn the_github_pages_workflow_builds_with_the_readmes_command_for_a_project_page() {
    let text = fs::read_to_string(repo_root().join("examples/deploy/github-pages.yml")).unwrap();
    let workflow: Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
    let build = steps(&workflow, "build");
    let step = |name: &str| build.iter().find(|s| s["name"] == name);
    let command = step("Build the site").and_then(|s| s["run"].as_str()).expect("a build step");
    let configure = step("Configure Pages").expect("a step that gives the base URL");
    assert_eq!(configure["id"], "pages");
    let upload = build
        .iter()
        .find(|s| {
            s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .expect("an upload step");
    assert_eq!(upload["with"]["path"], "public", "what galley build writes is uploaded");
    let deploy = steps(&workflow, "deploy");
    assert!(
        deploy
            .iter()
            .any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/deploy-pages@")))
    );

    // The README gives the very same command.
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(readme.contains(&format!("```sh\n{}\n```", command.trim())), "README: {command}");
    assert!(readme.contains("examples/deploy/github-pages.yml"));

    // Run as GitHub runs it for https://owner.github.io/repo/.
    let command = command.trim().replace(GITHUB_PAGES_BASE, "https://owner.github.io/repo");
    let words = words(&command);
    assert_eq!(words[..2], ["galley", "build"], "{command}");
    let site = example_site();
    galley(site.path()).args(&words[1..]).assert().success();
    let public = site.path().join("public");
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("<link rel=\"canonical\" href=\"https://owner.github.io/repo/\">"));
    assert!(home.contains("href=\"/repo/archive/\""), "links under the project's sub-path");
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://owner.github.io/repo/about/</loc>"), "{sitemap}");
}

#[test]
fn aliases_can_also_be_a_redirects_file_of_301s() {
    let article =
        "---\ntitle: Moved\ndate: 2021-03-04\naliases: [/2019/06/old/, /old.html]\n---\n\nBody.\n";
    let config = "title: T\nbase_url: https://example.org/sub/\nredirects_file: true\n";
    let site = site_with(&[("site.yaml", config), ("content/moved.md", article)]);
    galley(site.path()).arg("build").assert().success();
    let public = site.path().join("public");
    let redirects = fs::read_to_string(public.join("_redirects")).unwrap();
    assert_eq!(
        redirects,
        "/sub/2019/06/old /sub/2021/03/moved/ 301\n\
         /sub/2019/06/old/ /sub/2021/03/moved/ 301\n\
         /sub/old.html /sub/2021/03/moved/ 301\n"
    );
    // The redirect pages stay, for hosts that do not read the file.
    let page = fs::read_to_string(public.join("2019/06/old/index.html")).unwrap();
    assert!(page.contains("url=/sub/2021/03/moved/"), "{page}");
    galley(site.path()).arg("check").assert().success();

    // Off by default.
    fs::write(site.path().join("site.yaml"), "title: T\n").unwrap();
    galley(site.path()).arg("build").assert().success();
    assert!(!public.join("_redirects").exists());
}
