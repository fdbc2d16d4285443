//! The compiled templates of a theme, ready to render pages from many threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ErrorKind, ReportError, Tera};

use super::functions::{fingerprinted_name, register};
use super::theme::Theme;
use crate::error::{Diagnostic, Error, Location};
use crate::urls::BaseUrl;

/// Templates compiled once, plus the assets they link to. `Send + Sync`: rayon
/// workers share one.
pub struct Renderer {
    tera: Tera,
    /// Template name → the file it came from, for error messages.
    template_paths: HashMap<String, (PathBuf, String)>,
    /// Published files: (site path without the leading `/`, bytes), sorted.
    assets: Vec<(String, Vec<u8>)>,
}

impl Renderer {
    /// Compiles every template (a syntax error names the template file, line and
    /// column) and registers `url(path=…)`, `asset(path=…)` and `date(format=…)`.
    /// `extra_assets` are generated files such as `syntax.css` that templates reach
    /// through `asset()` like the theme's own static files; they win over a theme
    /// file of the same name.
    pub fn new(
        theme: &Theme,
        base_url: &BaseUrl,
        extra_assets: Vec<(String, Vec<u8>)>,
    ) -> Result<Renderer, Error> {
        let mut sources: HashMap<String, Vec<u8>> = HashMap::new();
        for (name, bytes) in theme.static_files() {
            sources.insert(name.clone(), bytes.clone());
        }
        for (name, bytes) in extra_assets {
            sources.insert(name.trim_start_matches('/').to_string(), bytes);
        }
        let mut published_paths = HashMap::new();
        let mut assets = Vec::with_capacity(sources.len());
        for (name, bytes) in sources {
            let published = if name.ends_with(".css") || name.ends_with(".js") {
                fingerprinted_name(&name, &bytes)
            } else {
                name.clone()
            };
            published_paths.insert(name, format!("/{published}"));
            assets.push((published, bytes));
        }
        assets.sort();

        let template_paths: HashMap<String, (PathBuf, String)> = theme
            .templates()
            .map(|t| (t.name.clone(), (t.path.clone(), t.source.clone())))
            .collect();

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Functions and filters first: Tera checks every call when templates are added.
        register(&mut tera, base_url, Arc::new(published_paths));

        // Parse each template alone first so that every file's syntax errors are
        // reported at once, not only the first file's.
        let mut syntax_errors = Vec::new();
        for template in theme.templates() {
            let mut alone = Tera::default();
            if let Err(e) = alone.add_raw_template(&template.name, &template.source)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                syntax_errors.push(to_error(&e, &template_paths));
            }
        }
        if !syntax_errors.is_empty() {
            return Err(Error::many(syntax_errors));
        }

        let all = theme.templates().map(|t| (t.name.as_str(), t.source.as_str()));
        tera.add_raw_templates(all).map_err(|e| to_error(&e, &template_paths))?;
        Ok(Renderer { tera, template_paths, assets })
    }

    /// Files to publish: theme static files plus extra assets, CSS and scripts under a
    /// content-fingerprinted name (`style.css` → `style.3f2a9c1b.css`). Paths are
    /// relative to the output root, sorted.
    pub fn assets(&self) -> Vec<(String, Vec<u8>)> {
        self.assets.clone()
    }

    /// Whether the theme has a template of this name.
    pub fn has_template(&self, template: &str) -> bool {
        self.tera.contains_template(template)
    }

    /// Renders one template with a context. Errors name the template file and
    /// say what failed, with the line when Tera knows it.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Error> {
        let bytes = self.render_bytes(template, context, 0)?;
        String::from_utf8(bytes).map_err(|e| {
            Diagnostic::new(Path::new("templates").join(template), e.to_string()).into()
        })
    }

    /// [`render`](Self::render) into bytes, with room for `capacity` bytes
    /// reserved up front: a page is written to a file as it is, so there is
    /// no need to check the output is UTF-8 again (Tera writes `str`s only),
    /// and a buffer sized once is not copied as it grows.
    pub fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Error> {
        if !self.tera.contains_template(template) {
            return Err(Diagnostic::new(
                Path::new("templates").join(template),
                "the theme has no such template",
            )
            .into());
        }
        let mut output = Vec::with_capacity(capacity);
        self.tera.render_to(template, context, &mut output).map(|()| output).map_err(|e| {
            let mut error = to_error(&e, &self.template_paths);
            // The failing template may be a parent or an include of the page's
            // template; say which page template was being rendered.
            if let Error::Diagnostic(d) = &mut error
                && self.template_paths.get(template).is_some_and(|(path, _)| *path != d.path)
            {
                d.message = format!("{} (while rendering `{template}`)", d.message);
            }
            error
        })
    }
}

/// A Tera error as galley's error: the template's file path, line and column,
/// and the message (with its cause, e.g. what a function said).
fn to_error(error: &tera::Error, templates: &HashMap<String, (PathBuf, String)>) -> Error {
    let path_of = |name: &str| {
        templates.get(name).map_or_else(|| PathBuf::from(name), |(path, _)| path.clone())
    };
    let with_source = |d: Diagnostic, name: &str| match templates.get(name) {
        Some((_, source)) => d.with_source(source),
        None => d,
    };
    let mut message = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            return with_source(
                report_to_diagnostic(report, path_of(report.filename()), error),
                report.filename(),
            )
            .into();
        }
        ErrorKind::MissingParent { current, parent } => {
            return Diagnostic::new(
                path_of(current),
                format!("`{{% extends \"{parent}\" %}}`: the theme has no template `{parent}`"),
            )
            .into();
        }
        ErrorKind::CircularExtend { tpl, inheritance_chain } => {
            return Diagnostic::new(
                path_of(tpl),
                format!("circular extends: {}", inheritance_chain.join(" → ")),
            )
            .into();
        }
        ErrorKind::CircularInclude { tpl, include_chain } => {
            return Diagnostic::new(
                path_of(tpl),
                format!("circular include: {}", include_chain.join(" → ")),
            )
            .into();
        }
        _ => error.to_string(),
    };
    // Validation failures (unknown filter, function, include…) arrive as one message
    // holding a report per problem: `error: …\n --> name:line:col\n…`.
    let reports = parse_reports(&message);
    if !reports.is_empty() {
        let errors = reports
            .into_iter()
            .map(|(name, location, text)| {
                with_source(Diagnostic::at(path_of(&name), location, text), &name).into()
            })
            .collect();
        return Error::many(errors);
    }
    append_causes(&mut message, error);
    Diagnostic::new("templates", message).into()
}

fn report_to_diagnostic(report: &ReportError, path: PathBuf, error: &tera::Error) -> Diagnostic {
    let span = report.span();
    let location = Location { line: span.start_line.max(1), column: span.start_col + 1 };
    let mut message = report.message().to_string();
    append_causes(&mut message, error);
    Diagnostic::at(path, location, message)
}

/// Adds the chain of `source()` errors, where Tera keeps what a function or
/// filter reported.
fn append_causes(message: &mut String, error: &tera::Error) {
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
}

/// Splits Tera's multi-report text into (template name, location, message).
fn parse_reports(text: &str) -> Vec<(String, Location, String)> {
    let mut found = Vec::new();
    for block in text.split("error: ").skip(1) {
        let mut lines = block.lines();
        let Some(message) = lines.next() else { continue };
        let Some(locus) = lines.next().and_then(|l| l.trim_start().strip_prefix("--> ")) else {
            continue;
        };
        let mut parts = locus.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line), Ok(column)) = (line.parse(), column.parse()) else { continue };
        found.push((name.to_string(), Location { line, column }, message.trim().to_string()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tera_validation_reports() {
        let text = "error: Unknown filter `nope`\n --> base.html:3:11\n  |\n3 | {{ x | nope }}\n  |        ^^^^\n\n\
                    error: Unknown function `f`\n --> partials/a.html:12:4\n  |";
        let reports = parse_reports(text);
        assert_eq!(
            reports,
            [
                (
                    "base.html".to_string(),
                    Location { line: 3, column: 11 },
                    "Unknown filter `nope`".to_string()
                ),
                (
                    "partials/a.html".to_string(),
                    Location { line: 12, column: 4 },
                    "Unknown function `f`".to_string()
                ),
            ]
        );
    }

    #[test]
    fn renderer_is_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Renderer>();
    }
}
