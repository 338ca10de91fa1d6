//! The layout markup, read on a template's rendered text, one line at a time:
//!
//! | line                | block                                                        |
//! |---------------------|--------------------------------------------------------------|
//! | `# text`            | heading (bold, larger)                                       |
//! | `## text`           | subheading (bold)                                            |
//! | `- text`            | bullet                                                       |
//! | `>> text`           | right-aligned line (place and date, signature block)         |
//! | `---`               | page break                                                   |
//! | `\| a \| b \| c \|` | table row; consecutive rows make a table, the first its header |
//! | blank               | paragraph break (several count as one)                       |
//! | only empty values   | nothing (the line is left out)                               |
//! | `\text`             | `text` as a plain line, whatever it starts with              |
//! | anything else       | a plain line, wrapped to the page width                      |
//!
//! Leading and trailing spaces of a line are ignored. A line that starts like markup but is not
//! (`### x`, `> x`, `--`, `| a` without its closing bar, a table row of another width than
//! the rows above it) is refused, so that a typing slip shows when the template is loaded.
//!
//! What a template prints from its context (`{{ applicant.name }}`) is data, never markup: the
//! renderer wraps every printed value between [`DATA_START`] and [`DATA_END`], so that a name
//! beginning with `#` or holding a `|` is printed as written and cannot turn a line into a
//! heading or split a table cell. The marks are removed before the text is laid out.

use std::fmt;

/// Opens a printed value (a private-use character no text carries).
pub(crate) const DATA_START: char = '\u{E000}';
/// Closes a printed value.
pub(crate) const DATA_END: char = '\u{E001}';

/// A piece of a letter, as the layout places it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    Heading(String),
    Subheading(String),
    Line(String),
    Bullet(String),
    Right(String),
    ParagraphBreak,
    PageBreak,
    /// Rows of cells, the first row the header; every row has as many cells.
    Table(Vec<Vec<String>>),
}

/// A line of the rendered text that is not valid markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MarkupError {
    /// 1-based, in the rendered text.
    pub(crate) line: usize,
    /// The line as rendered, without the data marks.
    pub(crate) text: String,
    pub(crate) reason: &'static str,
}

impl fmt::Display for MarkupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (rendered line {}: `{}`)", self.reason, self.line, self.text)
    }
}

/// The text without the data marks.
pub(crate) fn plain(text: &str) -> String {
    text.chars().filter(|&c| c != DATA_START && c != DATA_END).collect()
}

/// Reads the rendered text of a template as blocks.
pub(crate) fn parse(rendered: &str) -> Result<Vec<Block>, MarkupError> {
    let mut blocks: Vec<Block> = Vec::new();
    for (index, raw) in rendered.lines().enumerate() {
        let line = raw.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r');
        let refuse = |reason| MarkupError { line: index + 1, text: plain(line), reason };
        let block = if line.is_empty() {
            if matches!(blocks.last(), None | Some(Block::ParagraphBreak | Block::PageBreak)) {
                continue;
            }
            Block::ParagraphBreak
        } else if plain(line).trim().is_empty() {
            // Only empty values printed (`{{ service.contact or "" }}`): the line is left out.
            continue;
        } else if let Some(escaped) = line.strip_prefix('\\') {
            Block::Line(plain(escaped))
        } else if line.starts_with(DATA_START) {
            Block::Line(plain(line))
        } else if line.starts_with('#') {
            if let Some(text) = line.strip_prefix("## ") {
                Block::Subheading(non_empty(text).ok_or_else(|| refuse("empty subheading"))?)
            } else if let Some(text) = line.strip_prefix("# ") {
                Block::Heading(non_empty(text).ok_or_else(|| refuse("empty heading"))?)
            } else {
                return Err(refuse(
                    "unknown markup: headings are `# ` and `## ` (write `\\#` for a plain line)",
                ));
            }
        } else if line.starts_with('|') {
            let cells = row(line).ok_or_else(|| refuse("a table row starts and ends with `|`"))?;
            if let Some(Block::Table(rows)) = blocks.last_mut() {
                if rows[0].len() != cells.len() {
                    return Err(refuse("a table row has as many cells as the table's first row"));
                }
                rows.push(cells);
                continue;
            }
            Block::Table(vec![cells])
        } else if line.starts_with('>') {
            let text = line.strip_prefix(">> ").ok_or_else(|| {
                refuse("unknown markup: a right-aligned line is `>> text` (write `\\>` for a plain line)")
            })?;
            Block::Right(non_empty(text).ok_or_else(|| refuse("empty right-aligned line"))?)
        } else if line == "---" {
            Block::PageBreak
        } else if line.starts_with("--") {
            return Err(refuse("unknown markup: a page break is `---` alone on its line"));
        } else if let Some(text) = line.strip_prefix("- ") {
            Block::Bullet(non_empty(text).ok_or_else(|| refuse("empty bullet"))?)
        } else if line == "-" {
            return Err(refuse("empty bullet"));
        } else {
            Block::Line(plain(line))
        };
        blocks.push(block);
    }
    while matches!(blocks.last(), Some(Block::ParagraphBreak)) {
        blocks.pop();
    }
    Ok(blocks)
}

fn non_empty(text: &str) -> Option<String> {
    let text = plain(text);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The cells of `| a | b |`, splitting on the bars that are not inside printed data.
fn row(line: &str) -> Option<Vec<String>> {
    if line.len() < 2 || !line.ends_with('|') {
        return None;
    }
    let inner = &line[1..line.len() - 1];
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut in_data = 0usize;
    for c in inner.chars() {
        match c {
            DATA_START => in_data += 1,
            DATA_END => in_data = in_data.saturating_sub(1),
            '|' if in_data == 0 => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    Some(cells.into_iter().map(|cell| cell.trim().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(value: &str) -> String {
        format!("{DATA_START}{value}{DATA_END}")
    }

    #[test]
    fn each_markup_gives_its_block() {
        let text = "# Titre\n## Sous-titre\n\n\nUne ligne\n- point\n>> Rouen, le 1er\n---\n| a | b |\n| 1 | 2 |\n\\# pas un titre\n";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                Block::Heading("Titre".into()),
                Block::Subheading("Sous-titre".into()),
                Block::ParagraphBreak,
                Block::Line("Une ligne".into()),
                Block::Bullet("point".into()),
                Block::Right("Rouen, le 1er".into()),
                Block::PageBreak,
                Block::Table(vec![vec!["a".into(), "b".into()], vec!["1".into(), "2".into()]]),
                Block::Line("# pas un titre".into()),
            ]
        );
    }

    #[test]
    fn printed_data_is_never_markup() {
        let text = format!("{}\n| {} | b |\n", data("# Les | Ateliers"), data("x | y"));
        assert_eq!(
            parse(&text).unwrap(),
            vec![
                Block::Line("# Les | Ateliers".into()),
                Block::Table(vec![vec!["x | y".into(), "b".into()]])
            ]
        );
    }

    #[test]
    fn a_line_of_empty_values_is_left_out() {
        let text = format!("a\n{}\n{} \nb", data(""), data(" "));
        assert_eq!(parse(&text).unwrap(), vec![Block::Line("a".into()), Block::Line("b".into())]);
    }

    #[test]
    fn unknown_markup_is_refused_with_its_line() {
        for (text, line) in
            [("ok\n### x", 2), ("> x", 1), ("a\n\n-- x", 3), ("| a | b", 1), ("| a |\n| b | c |", 2)]
        {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {error}");
        }
    }
}
