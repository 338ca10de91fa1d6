//! Writes laid-out pages as a PDF 1.7 file: each font used is embedded as a CID font holding
//! only the glyphs the letter draws (subset with `subsetter`), with a `ToUnicode` map so that
//! the text can be searched, copied and read back (`pdftotext`); streams are compressed.
//!
//! Subsetting and compressing a font costs about as much as the rest of a letter: the subsets
//! made are kept in a small cache keyed by their glyphs, which letters of one kind mostly share
//! (a deliberation writes a notification and a convention per grant).
//!
//! The same pages and metadata always give the same bytes: nothing depends on the clock, on a
//! random number or on a hash map's order. The file identifier and the subset tags are derived
//! from the content itself.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, Timelike};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::fonts::{font, Style};
use super::layout::{Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};
use super::LetterMeta;

const IDENTITY: SystemInfo =
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// Why a letter could not be written (a font the subsetter could not read: a broken build).
#[derive(Debug, thiserror::Error)]
#[error("the font {font} could not be subset: {reason}")]
pub struct PdfError {
    font: &'static str,
    reason: String,
}

/// How many distinct subsets the cache keeps (each some 30 KiB); it starts again when full.
const CACHED_SUBSETS: usize = 32;

/// A font's subset as embedded: its digest (the file identifier and the subset's tag come from
/// it), its length, and its stream compressed.
struct Subset {
    digest: [u8; 32],
    len: usize,
    compressed: Vec<u8>,
}

/// The glyphs one font draws in the document.
struct UsedFont {
    style: Style,
    /// Old glyph id → the character it stands for (the smallest, when several share a glyph).
    glyphs: BTreeMap<u16, char>,
    remapper: GlyphRemapper,
}

/// The document as PDF bytes.
pub(crate) fn write(pages: &[Page], meta: &LetterMeta) -> Result<Vec<u8>, PdfError> {
    let used = used_fonts(pages);
    let mut next = 1;
    let mut alloc = || {
        let id = Ref::new(next);
        next += 1;
        id
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let font_ids: Vec<(Style, Ref)> = used.iter().map(|u| (u.style, alloc())).collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    let mut fingerprint = Sha256::new();
    fingerprint.update(meta.title.as_bytes());
    fingerprint.update(meta.issued_at.to_rfc3339().as_bytes());

    pdf.catalog(catalog_id).pages(tree_id).lang(TextStr("fr"));
    pdf.pages(tree_id).kids(page_ids.iter().map(|(page, _)| *page)).count(pages.len() as i32);
    let date = pdf_date(meta);
    pdf.document_info(info_id)
        .title(TextStr(&meta.title))
        .producer(TextStr("Essor"))
        .creation_date(date)
        .modified_date(date);

    for (page, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let content = compress(&content(page, &used));
        fingerprint.update(&content);
        let mut writer = pdf.page(*page_id);
        writer.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree_id).contents(*content_id);
        let mut resources = writer.resources();
        let mut fonts = resources.fonts();
        for (style, id) in &font_ids {
            fonts.pair(resource_name(*style), *id);
        }
        fonts.finish();
        resources.finish();
        writer.finish();
        pdf.stream(*content_id, &content).filter(Filter::FlateDecode);
    }

    for (used, (_, type0_id)) in used.iter().zip(&font_ids) {
        let ids = [alloc(), alloc(), alloc(), alloc()];
        let digest = write_font(&mut pdf, used, *type0_id, ids)?;
        fingerprint.update(digest);
    }

    let digest = fingerprint.finalize();
    pdf.set_file_id((digest[..16].to_vec(), digest[..16].to_vec()));
    Ok(pdf.finish())
}

/// The fonts the pages draw with, and their glyphs.
fn used_fonts(pages: &[Page]) -> Vec<UsedFont> {
    let mut glyphs: BTreeMap<Style, BTreeMap<u16, char>> = BTreeMap::new();
    for mark in pages.iter().flat_map(|page| &page.marks) {
        if let Mark::Text { style, text, .. } = mark {
            let font = font(*style);
            let used = glyphs.entry(*style).or_default();
            for c in text.chars() {
                let (gid, _) = font.glyph(c);
                used.entry(gid).and_modify(|known| *known = (*known).min(c)).or_insert(c);
            }
        }
    }
    Style::ALL
        .iter()
        .filter_map(|style| {
            let glyphs = glyphs.remove(style)?;
            let gids: Vec<u16> = glyphs.keys().copied().collect();
            Some(UsedFont { style: *style, remapper: GlyphRemapper::new_from_glyphs_sorted(&gids), glyphs })
        })
        .collect()
}

fn resource_name(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F1"),
        Style::Bold => Name(b"F2"),
    }
}

/// The page's drawing operations: grey shades first, then rules, then text on top.
fn content(page: &Page, used: &[UsedFont]) -> Vec<u8> {
    let mut content = Content::new();
    content.set_fill_gray(0.93);
    for mark in &page.marks {
        if let Mark::Shade { x, y, width, height } = mark {
            content.rect(*x, *y, *width, *height).fill_nonzero();
        }
    }
    content.set_stroke_gray(0.55).set_line_width(0.5);
    for mark in &page.marks {
        if let Mark::Rule { from, to } = mark {
            content.move_to(from.0, from.1).line_to(to.0, to.1).stroke();
        }
    }
    content.set_fill_gray(0.0);
    let mut encoded = Vec::new();
    for mark in &page.marks {
        if let Mark::Text { style, size, x, y, text } = mark {
            let remapper = &used.iter().find(|u| u.style == *style).expect("collected").remapper;
            let font = font(*style);
            encoded.clear();
            for c in text.chars() {
                let new = remapper.get(font.glyph(c).0).expect("collected");
                encoded.extend_from_slice(&new.to_be_bytes());
            }
            content.begin_text().set_font(resource_name(*style), *size).next_line(*x, *y);
            content.show(Str(&encoded)).end_text();
        }
    }
    content.finish().into_vec()
}

/// Writes the Type 0 font `type0_id` and its parts (CID font, descriptor, font file,
/// `ToUnicode` map) under `ids`; returns the subset's digest for the file identifier.
fn write_font(pdf: &mut Pdf, used: &UsedFont, type0_id: Ref, ids: [Ref; 4]) -> Result<[u8; 32], PdfError> {
    let [cid_id, descriptor_id, file_id, cmap_id] = ids;
    let font = font(used.style);
    let subset = subset(used)?;
    let digest = subset.digest;
    // The six capital letters a subset's name starts with, from its content.
    let tag: String = digest[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
    let base_font = format!("{tag}+{}", font.postscript_name);

    pdf.type0_font(type0_id)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let old_gids: Vec<u16> = used.remapper.remapped_gids().collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base_font.as_bytes()))
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, old_gids.iter().map(|&gid| font.advance_per_mille(gid)));
    cid.finish();

    let (ascent, descent, cap_height, bbox) = font.descriptor_metrics();
    pdf.font_descriptor(descriptor_id)
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(bbox[0], bbox[1], bbox[2], bbox[3]))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap_height)
        .stem_v(if used.style == Style::Bold { 120.0 } else { 80.0 })
        .font_file2(file_id);

    pdf.stream(file_id, &subset.compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len as i32);

    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (&old, &c) in &used.glyphs {
        if let Some(new) = used.remapper.get(old) {
            cmap.pair(new, c);
        }
    }
    let cmap = compress(&cmap.finish().into_vec());
    pdf.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);
    Ok(digest)
}

type SubsetCache = Mutex<HashMap<(Style, Vec<u16>), Arc<Subset>>>;

/// The font subsets made so far, by style and glyphs.
fn subset_cache() -> &'static SubsetCache {
    static CACHE: OnceLock<SubsetCache> = OnceLock::new();
    CACHE.get_or_init(SubsetCache::default)
}

/// Empties the cache of font subsets: the next letters subset their fonts again (what a letter
/// costs when its glyphs are new; `benches/letters.rs` measures both).
pub fn forget_font_subsets() {
    subset_cache().lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The font's subset for the glyphs `used` draws: from the cache, or made and kept.
fn subset(used: &UsedFont) -> Result<Arc<Subset>, PdfError> {
    let cache = subset_cache();
    let key = (used.style, used.remapper.remapped_gids().collect::<Vec<u16>>());
    if let Some(found) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(found.clone());
    }
    let font = font(used.style);
    let data = subsetter::subset(font.data, 0, &used.remapper)
        .map_err(|error| PdfError { font: font.postscript_name, reason: error.to_string() })?;
    let made = Arc::new(Subset {
        digest: Sha256::digest(&data).into(),
        len: data.len(),
        compressed: compress(&data),
    });
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHED_SUBSETS {
        cache.clear();
    }
    cache.insert(key, made.clone());
    Ok(made)
}

fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// The letter's date as the document's creation date, in UTC.
fn pdf_date(meta: &LetterMeta) -> Date {
    let at = meta.issued_at;
    Date::new(at.year().clamp(0, 9999) as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
}
