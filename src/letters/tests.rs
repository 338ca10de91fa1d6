//! Letters rendered end to end and read back with poppler's `pdftotext`.

use chrono::{TimeZone, Utc};

use super::*;

fn meta() -> LetterMeta {
    LetterMeta {
        title: "AR-2026-000012".into(),
        issued_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).unwrap(),
    }
}

#[test]
fn scratch() {
    let templates = Templates::load(None).unwrap();
    let template = templates.get("normandie", LetterKind::Receipt);
    let pdf = template.render(&LetterKind::Receipt.sample(), &meta()).unwrap();
    std::fs::write("/tmp/receipt.pdf", &pdf).unwrap();
    let minimal: serde_json::Value = serde_json::from_str(LetterKind::Receipt.samples()[1].1).unwrap();
    std::fs::write("/tmp/receipt-min.pdf", template.render(&minimal, &meta()).unwrap()).unwrap();
    println!("{}", template.render_text(&minimal).unwrap());
}
