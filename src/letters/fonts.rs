//! The two embedded typefaces (DejaVu Sans and DejaVu Sans Bold, `assets/fonts/`, free licence in
//! `assets/fonts/LICENSE-DejaVu.txt`): which glyph a character is drawn with, and how wide it is.
//! Widths come from the font's own advances, so that lines are wrapped where they really end.
//! No kerning and no ligatures: a letter is a sequence of glyphs, one per character.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Characters below this are looked up once, when the font is first used.
const CACHED: usize = 0x250;

/// The weight a piece of text is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Style {
    Regular,
    Bold,
}

impl Style {
    /// Both styles, in the order their fonts are written into a document.
    pub(crate) const ALL: [Style; 2] = [Style::Regular, Style::Bold];
}

/// One embedded font, parsed once.
pub(crate) struct Font {
    /// The whole font file, subset when a document is written.
    pub(crate) data: &'static [u8],
    /// Its PostScript name (the PDF's `BaseFont`, after the subset tag).
    pub(crate) postscript_name: &'static str,
    face: Face<'static>,
    units_per_em: f32,
    /// `(glyph, advance in font units)` of the characters below [`CACHED`].
    cached: Vec<(u16, u16)>,
}

/// The font of a style (parsed on first use, then shared).
pub(crate) fn font(style: Style) -> &'static Font {
    static FONTS: OnceLock<[Font; 2]> = OnceLock::new();
    let fonts =
        FONTS.get_or_init(|| [Font::parse(REGULAR, "DejaVuSans"), Font::parse(BOLD, "DejaVuSans-Bold")]);
    match style {
        Style::Regular => &fonts[0],
        Style::Bold => &fonts[1],
    }
}

impl Font {
    fn parse(data: &'static [u8], postscript_name: &'static str) -> Font {
        // The files are part of the binary: a parse failure is a broken build, not a runtime case.
        let face = Face::parse(data, 0).expect("the embedded DejaVu font parses");
        let units_per_em = f32::from(face.units_per_em());
        let mut font = Font { data, postscript_name, face, units_per_em, cached: Vec::new() };
        font.cached =
            (0..CACHED as u32).map(|code| char::from_u32(code).map_or((0, 0), |c| font.lookup(c))).collect();
        font
    }

    /// The glyph drawing `c` and its advance in font units, with the fallbacks of [`Self::lookup`].
    pub(crate) fn glyph(&self, c: char) -> (u16, u16) {
        match self.cached.get(c as usize) {
            Some(&found) => found,
            None => self.lookup(c),
        }
    }

    /// A character the font lacks is drawn as a near equivalent when there is one (a narrow
    /// no-break space as a no-break space, a tab as a space), else as the font's `.notdef`
    /// box, which shows that something is missing rather than hiding it.
    fn lookup(&self, c: char) -> (u16, u16) {
        let substitutes: &[char] = match c {
            '\u{202F}' | '\u{2009}' | '\u{2007}' => &['\u{00A0}', ' '],
            '\u{00A0}' => &[' '],
            '\t' => &[' '],
            '\u{2019}' => &['\''],
            _ => &[],
        };
        let gid = std::iter::once(&c)
            .chain(substitutes)
            .find_map(|&candidate| self.face.glyph_index(candidate))
            .unwrap_or(GlyphId(0));
        let advance = self.face.glyph_hor_advance(gid).unwrap_or(0);
        (gid.0, advance)
    }

    /// Font units to points at `size`.
    pub(crate) fn scale(&self, units: f32, size: f32) -> f32 {
        units * size / self.units_per_em
    }

    /// The width of `text` set at `size`, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).1)).sum();
        self.scale(units as f32, size)
    }

    /// A glyph's advance in thousandths of the em, as PDF widths are written.
    pub(crate) fn advance_per_mille(&self, gid: u16) -> f32 {
        let units = self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
        (f32::from(units) * 1000.0 / self.units_per_em).round()
    }

    /// The metrics a PDF font descriptor carries, in thousandths of the em:
    /// `(ascent, descent, cap height, bounding box)`.
    pub(crate) fn descriptor_metrics(&self) -> (f32, f32, f32, [f32; 4]) {
        let per_mille = |units: i16| (f32::from(units) * 1000.0 / self.units_per_em).round();
        let bbox = self.face.global_bounding_box();
        (
            per_mille(self.face.ascender()),
            per_mille(self.face.descender()),
            per_mille(self.face.capital_height().unwrap_or(self.face.ascender())),
            [per_mille(bbox.x_min), per_mille(bbox.y_min), per_mille(bbox.x_max), per_mille(bbox.y_max)],
        )
    }

    /// The font's ascender as a fraction of the em (where a baseline sits under a line's top).
    pub(crate) fn ascent(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fonts_draw_every_character_french_needs() {
        let french = "€œŒæÆ«»àâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ°’–—…•\u{a0}\u{202f}";
        for style in Style::ALL {
            for c in french.chars() {
                assert_ne!(font(style).glyph(c).0, 0, "{style:?} lacks {c:?} (U+{:04X})", c as u32);
            }
        }
    }

    #[test]
    fn no_break_spaces_are_as_wide_as_the_font_says() {
        let regular = font(Style::Regular);
        assert!(regular.width("\u{202f}", 10.0) > 0.0);
        assert!(regular.width("\u{202f}", 10.0) <= regular.width("\u{a0}", 10.0));
        assert!(
            (regular.width("ab", 10.0) - regular.width("a", 10.0) - regular.width("b", 10.0)).abs() < 1e-4
        );
    }
}
