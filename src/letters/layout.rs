//! Places blocks on A4 pages: 2 cm margins, a 10 pt body, lines wrapped at spaces with the
//! font's real advances, new pages as the text flows, and "Page n / N" in every footer.
//! The result is a list of pages of positioned marks, which `pdf.rs` writes.

use super::fonts::{font, Style};
use super::markup::Block;

/// A4 portrait, in points.
pub(crate) const PAGE_WIDTH: f32 = 595.276;
/// A4 portrait, in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm.
const MARGIN: f32 = 56.693;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = MARGIN;

const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 13.5;
const HEADING_SIZE: f32 = 15.0;
const HEADING_LEADING: f32 = 19.0;
const SUBHEADING_SIZE: f32 = 11.5;
const SUBHEADING_LEADING: f32 = 15.5;
const TABLE_SIZE: f32 = 9.5;
const TABLE_LEADING: f32 = 12.5;
const CELL_PADDING_X: f32 = 4.0;
const CELL_PADDING_Y: f32 = 3.0;
const FOOTER_SIZE: f32 = 8.5;
/// The footer's baseline: in the bottom margin.
const FOOTER_BASELINE: f32 = MARGIN / 2.0;
const PARAGRAPH_GAP: f32 = 6.0;
const BULLET_INDENT: f32 = 14.0;
const BULLET: &str = "\u{2022}";

/// What is drawn on a page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Mark {
    /// Text whose baseline starts at `(x, y)`.
    Text { style: Style, size: f32, x: f32, y: f32, text: String },
    /// A thin grey line (table rules).
    Rule { from: (f32, f32), to: (f32, f32) },
    /// A light grey rectangle (a table's header), `(x, y)` its lower left corner.
    Shade { x: f32, y: f32, width: f32, height: f32 },
}

/// One page of marks.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) marks: Vec<Mark>,
}

/// Lays out `blocks` on as many pages as they need (at least one), footers included.
pub(crate) fn lay_out(blocks: &[Block]) -> Vec<Page> {
    let mut flow = Flow { pages: vec![Page::default()], y: TOP };
    for (index, block) in blocks.iter().enumerate() {
        match block {
            Block::Heading(text) => flow.heading(text, HEADING_SIZE, HEADING_LEADING, 10.0, 5.0),
            Block::Subheading(text) => flow.heading(text, SUBHEADING_SIZE, SUBHEADING_LEADING, 6.0, 2.0),
            Block::Line(text) => flow.paragraph(text, Style::Regular, Align::Left, 0.0),
            Block::Right(text) => flow.paragraph(text, Style::Regular, Align::Right, 0.0),
            Block::Bullet(text) => {
                flow.ensure(BODY_LEADING);
                let baseline = baseline(flow.y, BODY_SIZE, BODY_LEADING);
                flow.text(Style::Regular, BODY_SIZE, MARGIN + 4.0, baseline, BULLET);
                flow.paragraph(text, Style::Regular, Align::Left, BULLET_INDENT);
            }
            Block::ParagraphBreak => flow.gap(PARAGRAPH_GAP),
            Block::PageBreak => {
                if index + 1 < blocks.len() {
                    flow.new_page();
                }
            }
            Block::Table(rows) => flow.table(rows),
        }
    }
    let total = flow.pages.len();
    for (index, page) in flow.pages.iter_mut().enumerate() {
        let footer = format!("Page {} / {}", index + 1, total);
        let x = (PAGE_WIDTH - font(Style::Regular).width(&footer, FOOTER_SIZE)) / 2.0;
        page.marks.push(Mark::Text {
            style: Style::Regular,
            size: FOOTER_SIZE,
            x,
            y: FOOTER_BASELINE,
            text: footer,
        });
    }
    flow.pages
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

/// Where the baseline of a line sits whose box starts at `top`.
fn baseline(top: f32, size: f32, leading: f32) -> f32 {
    let ascent = font(Style::Regular).ascent() * size;
    // DejaVu's ascender and descender span about 1.16 em: centre that in the leading.
    top - (leading - 1.164 * size) / 2.0 - ascent
}

/// The text wrapped to `width`: breaks at spaces only (a no-break space keeps `800 000,00 €`
/// on one line), a word wider than the line is cut where it overflows.
pub(crate) fn wrap(text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
    let font = font(style);
    let space = font.width(" ", size);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_width = font.width(word, size);
        if !line.is_empty() && line_width + space + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_width <= width {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // A word longer than the line: as many characters per line as fit.
        line_width = 0.0;
        for c in word.chars() {
            let c_width = font.width(c.encode_utf8(&mut [0; 4]), size);
            if !line.is_empty() && line_width + c_width > width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += c_width;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The page being filled and how far down it is.
struct Flow {
    pages: Vec<Page>,
    /// The top of the next line, in points from the bottom of the page.
    y: f32,
}

impl Flow {
    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: f32) {
        if self.y < TOP {
            self.y = (self.y - height).max(BOTTOM);
        }
    }

    fn marks(&mut self) -> &mut Vec<Mark> {
        &mut self.pages.last_mut().expect("at least one page").marks
    }

    fn text(&mut self, style: Style, size: f32, x: f32, y: f32, text: &str) {
        if !text.is_empty() {
            self.marks().push(Mark::Text { style, size, x, y, text: text.to_string() });
        }
    }

    fn paragraph(&mut self, text: &str, style: Style, align: Align, indent: f32) {
        let width = TEXT_WIDTH - indent;
        for line in wrap(text, style, BODY_SIZE, width) {
            self.ensure(BODY_LEADING);
            let x = match align {
                Align::Left => MARGIN + indent,
                Align::Right => MARGIN + TEXT_WIDTH - font(style).width(&line, BODY_SIZE),
            };
            let y = baseline(self.y, BODY_SIZE, BODY_LEADING);
            self.text(style, BODY_SIZE, x, y, &line);
            self.y -= BODY_LEADING;
        }
    }

    /// A heading keeps with what follows: it starts a new page unless two body lines fit
    /// under it.
    fn heading(&mut self, text: &str, size: f32, leading: f32, before: f32, after: f32) {
        let lines = wrap(text, Style::Bold, size, TEXT_WIDTH);
        self.gap(before);
        self.ensure(lines.len() as f32 * leading + after + 2.0 * BODY_LEADING);
        for line in lines {
            let y = baseline(self.y, size, leading);
            self.text(Style::Bold, size, MARGIN, y, &line);
            self.y -= leading;
        }
        self.y -= after;
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        let widths = column_widths(rows);
        let numeric = numeric_columns(rows);
        let header = &rows[0];
        let header_height = self.row_height(header, &widths, Style::Bold);
        self.ensure(header_height + self.row_height(rows.get(1).unwrap_or(header), &widths, Style::Regular));
        self.row(header, &widths, &numeric, Style::Bold);
        for cells in &rows[1..] {
            let height = self.row_height(cells, &widths, Style::Regular);
            if self.y - height < BOTTOM {
                self.new_page();
                self.row(header, &widths, &numeric, Style::Bold);
            }
            self.row(cells, &widths, &numeric, Style::Regular);
        }
        self.gap(PARAGRAPH_GAP);
    }

    fn row_height(&self, cells: &[String], widths: &[f32], style: Style) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| wrap(cell, style, TABLE_SIZE, width - 2.0 * CELL_PADDING_X).len())
            .max()
            .unwrap_or(1);
        lines as f32 * TABLE_LEADING + 2.0 * CELL_PADDING_Y
    }

    fn row(&mut self, cells: &[String], widths: &[f32], numeric: &[bool], style: Style) {
        let height = self.row_height(cells, widths, style);
        let (top, bottom) = (self.y, self.y - height);
        if style == Style::Bold {
            self.marks().push(Mark::Shade { x: MARGIN, y: bottom, width: TEXT_WIDTH, height });
        }
        let mut x = MARGIN;
        for ((cell, &width), &numeric) in cells.iter().zip(widths).zip(numeric) {
            let right = starts_with_digit(cell) || (style == Style::Bold && numeric);
            let mut line_top = top - CELL_PADDING_Y;
            for line in wrap(cell, style, TABLE_SIZE, width - 2.0 * CELL_PADDING_X) {
                let line_x = if right {
                    x + width - CELL_PADDING_X - font(style).width(&line, TABLE_SIZE)
                } else {
                    x + CELL_PADDING_X
                };
                let y = baseline(line_top, TABLE_SIZE, TABLE_LEADING);
                self.text(style, TABLE_SIZE, line_x, y, &line);
                line_top -= TABLE_LEADING;
            }
            self.marks().push(Mark::Rule { from: (x, top), to: (x, bottom) });
            x += width;
        }
        let marks = self.marks();
        marks.push(Mark::Rule { from: (x, top), to: (x, bottom) });
        marks.push(Mark::Rule { from: (MARGIN, top), to: (x, top) });
        marks.push(Mark::Rule { from: (MARGIN, bottom), to: (x, bottom) });
        self.y = bottom;
    }
}

fn starts_with_digit(cell: &str) -> bool {
    cell.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A column is numeric when every filled cell under its header starts with a digit: its header
/// is then right-aligned too, over its numbers.
fn numeric_columns(rows: &[Vec<String>]) -> Vec<bool> {
    (0..rows[0].len())
        .map(|column| {
            let mut filled =
                rows[1..].iter().map(|row| &row[column]).filter(|cell| !cell.is_empty()).peekable();
            filled.peek().is_some() && filled.all(|cell| starts_with_digit(cell))
        })
        .collect()
}

/// Columns share the text width in proportion to what they hold: each first gets what its
/// widest cell needs, up to an equal share but never less than its longest word (so that words
/// are not cut while the row can hold them all); the width left goes to the columns that need
/// more, in proportion to what they lack (their cells then wrap at spaces), or, when every
/// column fits, to all in proportion to their needs.
fn column_widths(rows: &[Vec<String>]) -> Vec<f32> {
    let columns = rows[0].len();
    let style = |index: usize| if index == 0 { Style::Bold } else { Style::Regular };
    let cell_width = |text: f32| text + 2.0 * CELL_PADDING_X + 1.0;
    let widest = |measure: &dyn Fn(&str, Style) -> f32, column: usize| {
        rows.iter()
            .enumerate()
            .map(|(index, row)| cell_width(measure(&row[column], style(index))))
            .fold(2.0 * CELL_PADDING_X + 12.0, f32::max)
    };
    let whole = |cell: &str, style: Style| font(style).width(cell, TABLE_SIZE);
    let longest_word = |cell: &str, style: Style| {
        cell.split(' ').map(|word| font(style).width(word, TABLE_SIZE)).fold(0.0, f32::max)
    };
    let needs: Vec<f32> = (0..columns).map(|column| widest(&whole, column)).collect();
    let total: f32 = needs.iter().sum();
    if total <= TEXT_WIDTH {
        return needs.iter().map(|need| need * TEXT_WIDTH / total).collect();
    }
    let share = TEXT_WIDTH / columns as f32;
    let mut widths: Vec<f32> = (0..columns)
        .map(|column| needs[column].min(share).max(widest(&longest_word, column).min(needs[column])))
        .collect();
    if widths.iter().sum::<f32>() > TEXT_WIDTH {
        // The longest words do not fit side by side: some will be cut.
        widths = needs.iter().map(|need| need.min(share)).collect();
    }
    let left = TEXT_WIDTH - widths.iter().sum::<f32>();
    let lacking: f32 = needs.iter().zip(&widths).map(|(need, width)| need - width).sum();
    for (width, need) in widths.iter_mut().zip(&needs) {
        *width += left * (need - *width) / lacking;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_within_the_width_and_breaks_at_spaces_only() {
        let text = "Le montant de 800\u{202F}000,00\u{00A0}\u{20AC} est r\u{e9}serv\u{e9} ".repeat(20);
        let lines = wrap(&text, Style::Regular, BODY_SIZE, 200.0);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(font(Style::Regular).width(line, BODY_SIZE) <= 200.0, "{line}");
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        assert!(lines.iter().all(|line| !line.starts_with("000")), "no break inside an amount");
    }

    #[test]
    fn columns_fill_the_width() {
        let rows = vec![
            vec!["Poste".to_string(), "Montant".to_string()],
            vec!["Travaux ".repeat(40), "80 000,00".to_string()],
        ];
        let widths = column_widths(&rows);
        assert!((widths.iter().sum::<f32>() - TEXT_WIDTH).abs() < 0.01);
        assert!(widths[1] >= font(Style::Regular).width("80 000,00", TABLE_SIZE));
        assert_eq!(numeric_columns(&rows), vec![false, true]);
    }

    #[test]
    fn a_column_is_not_narrower_than_its_longest_word_when_the_words_fit() {
        let object = "Atelier d'autor\u{e9}paration de v\u{e9}los".to_string();
        let mut header = vec!["N\u{b0}".to_string(), "Objet".to_string()];
        let mut line = vec!["1".to_string(), object.clone()];
        for column in 0..6 {
            header.push(format!("Colonne {column}"));
            line.push("Texte ".repeat(30));
        }
        let widths = column_widths(&[header, line]);
        assert!((widths.iter().sum::<f32>() - TEXT_WIDTH).abs() < 0.01);
        let lines = wrap(&object, Style::Regular, TABLE_SIZE, widths[1] - 2.0 * CELL_PADDING_X);
        let words: Vec<&str> = object.split(' ').collect();
        assert!(
            lines.iter().flat_map(|line| line.split(' ')).all(|word| words.contains(&word)),
            "a word is cut: {lines:?}"
        );
    }
}
