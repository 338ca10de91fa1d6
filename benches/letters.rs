//! Rendering time of the letters (`src/letters`), from the context to the PDF bytes.
//!
//! Run with `cargo bench --bench letters`. The target is at most 50 ms (median, one core) for
//! a convention-sized document of three pages; criterion runs single-threaded.
//!
//! - `receipt`: the shipped acknowledgement of receipt with its sample context (one page);
//! - `convention_3_pages`: `templates/samples/convention-bench.md.j2`, ten articles of four
//!   paragraphs and a financing table, with the same context (three pages).
//!
//! Each iteration renders the wording, lays it out, subsets both fonts and writes the file.
//! The sizes of both PDFs are printed before measuring.

use chrono::{TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use essor::letters::{LetterKind, LetterMeta, Template, Templates};

const CONVENTION: &str = include_str!("../templates/samples/convention-bench.md.j2");

fn letters(c: &mut Criterion) {
    let meta = LetterMeta {
        title: "AR-2026-000012".to_string(),
        issued_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).unwrap(),
    };
    let sample = LetterKind::Receipt.sample();
    let templates = Templates::load(None).expect("the shipped templates");
    let receipt = templates.get("normandie", LetterKind::Receipt);
    let convention =
        Template::new(LetterKind::Receipt, "templates/samples/convention-bench.md.j2", CONVENTION)
            .expect("the convention-sized sample");

    for (name, template) in [("receipt", receipt), ("convention_3_pages", &convention)] {
        let pdf = template.render(&sample, &meta).expect("renders");
        let pages = String::from_utf8_lossy(&pdf).matches("/MediaBox").count();
        println!("{name}: {} bytes, {pages} page(s)", pdf.len());
    }

    c.bench_function("receipt", |b| b.iter(|| receipt.render(black_box(&sample), black_box(&meta)).unwrap()));
    c.bench_function("convention_3_pages", |b| {
        b.iter(|| convention.render(black_box(&sample), black_box(&meta)).unwrap())
    });
}

criterion_group!(benches, letters);
criterion_main!(benches);
