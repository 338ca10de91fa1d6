//! Loading, checking and rendering the letters' templates (the rules are in `mod.rs`).
//!
//! The wording is rendered by minijinja, configured for letters:
//! - strict undefined values: `{{ dossier.titel }}` is an error, not an empty string;
//! - a null value printed is an error too (`{{ territory.court }}` when it is unset): a
//!   template says what to write instead, `{{ territory.court or "..." }}`;
//! - block tags take their line with them (`trim_blocks`, `lstrip_blocks`), so that
//!   `{% if %}` on its own line leaves no blank line;
//! - no escaping (this is not HTML), but every printed value is marked as data for the layout
//!   markup (see `markup.rs`), and its line breaks and control characters become spaces.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, OutputSpan, OutputSpanKind, UndefinedBehavior};
use sha2::{Digest, Sha256};

use super::error::{MarkupDetail, RenderError, TemplateError};
use super::markup::{self, DATA_END, DATA_START};
use super::{layout, pdf, LetterKind, LetterMeta};

/// How a template file's name ends.
pub(crate) const EXTENSION: &str = ".md.j2";

/// One template, parsed and checked.
pub struct Template {
    kind: LetterKind,
    /// Where it comes from: a file, or the shipped default's path in the repository.
    file: String,
    version: String,
    source: String,
    environment: Environment<'static>,
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("kind", &self.kind)
            .field("file", &self.file)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Template {
    /// Parses `source` and checks it against the kind's samples.
    pub fn new(
        kind: LetterKind,
        file: impl Into<String>,
        source: impl Into<String>,
    ) -> Result<Template, TemplateError> {
        let (file, source) = (file.into(), source.into());
        let mut environment = environment();
        if let Err(error) = environment.add_template_owned(kind.file_name(), source.clone()) {
            return Err(invalid(&file, error.line(), describe(&error, &source)));
        }
        let digest = Sha256::digest(source.as_bytes());
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        let version = format!("{}@{hex}", kind.as_str());
        let template = Template { kind, file, version, source, environment };
        template.check()?;
        Ok(template)
    }

    /// The kind of letter.
    pub fn kind(&self) -> LetterKind {
        self.kind
    }

    /// The file it was read from (for a shipped default, its path in the repository).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// A short, stable identifier of the template's content: `<kind>@<first 12 hex digits of
    /// the SHA-256 of its source>`. Record it with a letter to know which wording it had.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The letter as PDF.
    pub fn render(&self, context: &serde_json::Value, meta: &LetterMeta) -> Result<Vec<u8>, RenderError> {
        let marked = self.render_marked(context)?;
        self.typeset(&marked, meta)
    }

    /// The rendered wording with its layout markup, before it is laid out.
    pub fn render_text(&self, context: &serde_json::Value) -> Result<String, RenderError> {
        Ok(markup::plain(&self.render_marked(context)?))
    }

    /// The rendered text with the printed values marked as data.
    fn render_marked(&self, context: &serde_json::Value) -> Result<String, RenderError> {
        self.compiled().render(Value::from(Serde(context))).map_err(|error| self.wording_error(&error))
    }

    fn compiled(&self) -> minijinja::Template<'_, '_> {
        self.environment.get_template(&self.kind.file_name()).expect("added when made")
    }

    fn wording_error(&self, error: &minijinja::Error) -> RenderError {
        RenderError::Wording {
            template: self.file.clone(),
            line: error.line(),
            reason: describe(error, &self.source),
        }
    }

    /// Lays out the rendered text and writes it as PDF.
    fn typeset(&self, marked: &str, meta: &LetterMeta) -> Result<Vec<u8>, RenderError> {
        let blocks = markup::parse(marked).map_err(|error| RenderError::Markup {
            template: self.file.clone(),
            error: MarkupDetail(error),
        })?;
        let pages = layout::lay_out(&blocks);
        Ok(pdf::write(&pages, meta)?)
    }

    /// Renders the template to PDF with every sample of its kind. A line the markup refuses is
    /// traced back to the template line that wrote it.
    fn check(&self) -> Result<(), TemplateError> {
        let meta = LetterMeta {
            title: self.kind.as_str().to_string(),
            issued_at: Utc.timestamp_opt(0, 0).single().expect("the epoch"),
        };
        for (sample, json) in self.kind.samples() {
            let context: serde_json::Value =
                serde_json::from_str(json).expect("the shipped sample is valid JSON");
            let with_sample = |reason: String| format!("{reason} (with the sample context {sample})");
            let (marked, spans) = match self.compiled().render_with_spans(Value::from(Serde(&context))) {
                Ok(rendered) => rendered,
                Err(error) => {
                    return Err(invalid(
                        &self.file,
                        error.line(),
                        with_sample(describe(&error, &self.source)),
                    ))
                }
            };
            match self.typeset(&marked, &meta) {
                Ok(_) => {}
                Err(RenderError::Markup { error, .. }) => {
                    let line = source_line(&self.source, &marked, &spans, error.rendered_line());
                    return Err(invalid(&self.file, line, with_sample(error.to_string())));
                }
                Err(error) => return Err(invalid(&self.file, None, with_sample(error.to_string()))),
            }
        }
        Ok(())
    }
}

/// The templates of every kind: the shipped defaults, the folder's overrides, and each
/// territory's.
#[derive(Debug)]
pub struct Templates {
    defaults: BTreeMap<LetterKind, Template>,
    territories: BTreeMap<String, BTreeMap<LetterKind, Template>>,
}

impl Templates {
    /// The shipped templates, overridden by `<dir>/<kind>.md.j2` and, for one territory, by
    /// `<dir>/<territory code>/<kind>.md.j2`, each checked (see the module's documentation).
    /// Other files (a README, an image) are ignored, as are names starting with a dot; a
    /// `.md.j2` file of no known kind is refused.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut defaults = BTreeMap::new();
        for &kind in LetterKind::ALL {
            let (file, source) = kind.default_template();
            defaults.insert(kind, Template::new(kind, file, source)?);
        }
        let mut territories = BTreeMap::new();
        if let Some(dir) = dir {
            for path in sorted_entries(dir)? {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                if path.is_dir() {
                    let overrides = templates_in(&sorted_entries(&path)?)?;
                    if !overrides.is_empty() {
                        territories.insert(name, overrides);
                    }
                }
            }
            defaults.extend(templates_in(&sorted_entries(dir)?)?);
        }
        Ok(Templates { defaults, territories })
    }

    /// The template a territory uses for a kind of letter (its own, else the folder's, else the
    /// shipped one).
    pub fn get(&self, territory: &str, kind: LetterKind) -> &Template {
        self.territories
            .get(territory)
            .and_then(|own| own.get(&kind))
            .unwrap_or_else(|| self.defaults.get(&kind).expect("every kind has a default"))
    }

    /// The territories that have templates of their own, by code.
    pub fn territories(&self) -> impl Iterator<Item = &str> {
        self.territories.keys().map(String::as_str)
    }
}

/// The files and folders in `dir`, sorted by name, hidden ones left out.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    let unreadable = |source| TemplateError::Unreadable { path: dir.to_path_buf(), source };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if !path.file_name().and_then(|n| n.to_str()).unwrap_or(".").starts_with('.') {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// The templates among `paths` (files named `<kind>.md.j2`), read and checked.
fn templates_in(paths: &[PathBuf]) -> Result<BTreeMap<LetterKind, Template>, TemplateError> {
    let mut found = BTreeMap::new();
    for path in paths.iter().filter(|path| path.is_file()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !name.ends_with(EXTENSION) {
            continue;
        }
        let kind = LetterKind::from_file_name(name).ok_or_else(|| TemplateError::UnknownKind {
            path: path.clone(),
            name: name.to_string(),
            known: LetterKind::ALL.iter().map(|kind| kind.file_name()).collect::<Vec<_>>().join(", "),
        })?;
        let source = std::fs::read_to_string(path)
            .map_err(|source| TemplateError::Unreadable { path: path.clone(), source })?;
        found.insert(kind, Template::new(kind, path.display().to_string(), source)?);
    }
    Ok(found)
}

/// The environment a template renders in (see the module's documentation).
fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters"),
    );
    environment.set_debug(false);
    environment.set_auto_escape_callback(|_| AutoEscape::None);
    environment.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "a null value is printed: give what to write instead, as in {{ value or \"...\" }}",
            ));
        }
        let text = value.to_string();
        out.write_char(DATA_START)?;
        for c in text.chars() {
            match c {
                DATA_START | DATA_END => {}
                c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.write_char(' ')?,
                c => out.write_char(c)?,
            }
        }
        out.write_char(DATA_END)?;
        Ok(())
    });
    environment
}

/// The error's kind, detail and the template line it points at.
fn describe(error: &minijinja::Error, source: &str) -> String {
    let mut reason = error.kind().to_string();
    if let Some(detail) = error.detail() {
        let _ = write!(reason, ": {detail}");
    }
    if let Some(text) = error.line().and_then(|line| source.lines().nth(line - 1)) {
        let text = text.trim();
        if !text.is_empty() {
            let shown: String = text.chars().take(120).collect();
            let _ = write!(reason, " in `{shown}`");
        }
    }
    reason
}

fn invalid(file: &str, line: Option<usize>, reason: String) -> TemplateError {
    TemplateError::Invalid { file: file.to_string(), line, reason }
}

/// The template line that wrote the first visible character of a rendered line (1-based).
fn source_line(source: &str, rendered: &str, spans: &[OutputSpan], rendered_line: usize) -> Option<usize> {
    let start: usize = rendered.split_inclusive('\n').take(rendered_line - 1).map(str::len).sum();
    let line = rendered[start..].split('\n').next().unwrap_or_default();
    let offset = start + line.find(|c: char| !c.is_whitespace()).unwrap_or(0);
    let span = spans.iter().find(|span| span.output_range().contains(&offset))?;
    match span.kind() {
        // Verbatim text: the offset maps one to one into the source.
        OutputSpanKind::Raw => {
            let position = span.source_range().start + (offset - span.output_range().start);
            Some(1 + source.get(..position)?.matches('\n').count())
        }
        _ => Some(span.line()),
    }
}
