//! The two ways a letter fails: a template refused when it is loaded ([`TemplateError`], which
//! names the file, the line and why), and a letter that cannot be rendered ([`RenderError`]),
//! which a template checked at load only meets with data of another shape than its sample.

use std::fmt;
use std::path::PathBuf;

use super::markup::MarkupError;
use super::pdf::PdfError;

/// A template that cannot be used: Essor refuses to start with it rather than fail when a
/// letter is due.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The templates' folder, or a file in it, cannot be read.
    #[error("{}: cannot be read: {source}", path.display())]
    Unreadable {
        /// The folder or file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A `.md.j2` file whose name is no kind of letter (a typing slip would otherwise be
    /// silently ignored).
    #[error("{}: no kind of letter is named {name:?} (known: {known})", path.display())]
    UnknownKind {
        /// The file.
        path: PathBuf,
        /// Its name.
        name: String,
        /// The file names a template may have, separated by commas.
        known: String,
    },
    /// The template does not parse, or does not render with its sample context.
    #[error("{}{}: {reason}", file, line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Invalid {
        /// The file (or, for a shipped default, its path in the repository).
        file: String,
        /// 1-based line in the template's source, when it is known.
        line: Option<usize>,
        /// Why, in the engine's words, with the template line quoted when known.
        reason: String,
    },
}

impl TemplateError {
    /// The line of the template at fault, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            TemplateError::Invalid { line, .. } => *line,
            _ => None,
        }
    }
}

/// A letter that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The wording could not be rendered with this context (a missing value, a null printed
    /// without a fallback…).
    #[error("{template}, line {}: {reason}", line.map_or_else(|| "?".to_string(), |l| l.to_string()))]
    Wording {
        /// The template's file.
        template: String,
        /// 1-based line in the template, when known.
        line: Option<usize>,
        /// Why.
        reason: String,
    },
    /// The rendered text is not valid layout markup.
    #[error("{template}: {error}")]
    Markup {
        /// The template's file.
        template: String,
        /// The line refused and why.
        error: MarkupDetail,
    },
    /// The PDF could not be written.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// What is wrong with a line of the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupDetail(pub(crate) MarkupError);

impl MarkupDetail {
    /// 1-based line in the rendered text.
    pub fn rendered_line(&self) -> usize {
        self.0.line
    }

    /// The line as rendered.
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// Why it is refused.
    pub fn reason(&self) -> &str {
        self.0.reason
    }
}

impl fmt::Display for MarkupDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
