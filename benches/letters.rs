//! Rendering time of the letters (`src/letters`), from the context to the PDF bytes.
//!
//! Run with `cargo bench --bench letters`. The target is at most 50 ms (median, one core) for
//! one convention; criterion runs single-threaded.
//!
//! - `receipt`: the shipped acknowledgement of receipt with its sample context (one page);
//! - `convention`: the shipped convention with its first sample (a works grant: eight
//!   articles, the payment schedule's table, the signatures' table);
//! - `notification_refusal`: the shipped notification with its refusal sample (one page, two
//!   reasons);
//! - `annex_200_lines`: the shipped annex of a decided session, its sample's first line
//!   repeated to 200 lines (a long table over many pages, its header repeated on each).
//!
//! Each iteration renders the wording, lays it out, subsets both fonts and writes the file.
//! The sizes of both PDFs are printed before measuring.

use chrono::{TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use essor::letters::{LetterKind, LetterMeta, Templates};
use serde_json::Value;

fn letters(c: &mut Criterion) {
    let meta = LetterMeta {
        title: "AR-2026-000012".to_string(),
        issued_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).unwrap(),
    };
    let sample = LetterKind::Receipt.sample();
    let templates = Templates::load(None).expect("the shipped templates");
    let receipt = templates.get("normandie", LetterKind::Receipt);
    let convention = templates.get("normandie", LetterKind::Convention);
    let works = sample_named(LetterKind::Convention, "templates/samples/convention.json");

    let notification = templates.get("normandie", LetterKind::Notification);
    let refusal = sample_named(LetterKind::Notification, "templates/samples/notification.refusal.json");
    let annex = templates.get("normandie", LetterKind::Annex);
    let session = annex_of(200);

    for (name, template, context) in [
        ("receipt", receipt, &sample),
        ("convention", convention, &works),
        ("notification_refusal", notification, &refusal),
        ("annex_200_lines", annex, &session),
    ] {
        let pdf = template.render(context, &meta).expect("renders");
        let pages = String::from_utf8_lossy(&pdf).matches("/MediaBox").count();
        println!("{name}: {} bytes, {pages} page(s)", pdf.len());
    }

    c.bench_function("receipt", |b| b.iter(|| receipt.render(black_box(&sample), black_box(&meta)).unwrap()));
    c.bench_function("convention", |b| {
        b.iter(|| convention.render(black_box(&works), black_box(&meta)).unwrap())
    });
    // The same convention with its font subsets made again, as for a letter whose glyphs no
    // letter before it drew.
    c.bench_function("convention_new_glyphs", |b| {
        b.iter(|| {
            essor::letters::forget_font_subsets();
            convention.render(black_box(&works), black_box(&meta)).unwrap()
        })
    });
    c.bench_function("notification_refusal", |b| {
        b.iter(|| notification.render(black_box(&refusal), black_box(&meta)).unwrap())
    });
    c.bench_function("annex_200_lines", |b| {
        b.iter(|| annex.render(black_box(&session), black_box(&meta)).unwrap())
    });
}

/// The sample context of `kind` read from the file `name`.
fn sample_named(kind: LetterKind, name: &str) -> Value {
    let (_, json) = kind.samples().iter().find(|(file, _)| *file == name).expect("a shipped sample");
    serde_json::from_str(json).expect("valid JSON")
}

/// The decided session's annex with `lines` lines, each a copy of the sample's first.
fn annex_of(lines: usize) -> Value {
    let mut context = LetterKind::Annex.sample();
    let first = context["lines"][0].clone();
    let lines: Vec<Value> = (1..=lines)
        .map(|position| {
            let mut line = first.clone();
            line["position"] = position.into();
            line
        })
        .collect();
    context["lines"] = lines.into();
    context
}

criterion_group!(benches, letters);
criterion_main!(benches);
