//! Letters rendered end to end and read back with poppler's `pdftotext` (Debian's
//! poppler-utils, which CI installs): a test fails, not skips, when it is missing.
//! The engine and the receipt are tested here, the other kinds in their own files.

use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};

use super::*;

mod annex;
mod convention;
mod notification;

fn meta() -> LetterMeta {
    LetterMeta {
        title: "AR-2026-000012".into(),
        issued_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).unwrap(),
    }
}

fn minimal_sample() -> serde_json::Value {
    serde_json::from_str(LetterKind::Receipt.samples()[1].1).unwrap()
}

fn shipped() -> Templates {
    Templates::load(None).expect("the shipped templates pass their own check")
}

/// The text of a PDF as `pdftotext` reads it (UTF-8, reading order).
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The text with every run of white space (line ends included) as one space, so that an
/// assertion does not depend on where a line was wrapped.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn refused(source: &str) -> TemplateError {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "receipt.md.j2", source);
    Templates::load(Some(dir.path())).expect_err("the template is refused")
}

#[test]
fn the_receipt_says_what_the_law_requires_and_reads_back() {
    let pdf = shipped()
        .get("normandie", LetterKind::Receipt)
        .render(&LetterKind::Receipt.sample(), &meta())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let text = pdftotext(&pdf);
    // The PDF maps the narrow no-break space (U+202F, the amount's thousands) and the no-break
    // space (U+00A0, before the euro sign) to their own glyphs and back to themselves in its
    // ToUnicode map; pdftotext prints both as plain spaces.
    assert!(text.contains("80 000,00 €"), "{text}");
    let text = flat(&text);
    for expected in [
        "Accusé de réception n° AR-2026-000012",
        "Les Ateliers Solidaires",
        "73282932000074",
        "12 rue de la République, 76000 Rouen",
        "Métropole Rouen Normandie",
        "Direction de l'économie sociale et solidaire",
        "ess@metropole-rouen-normandie.fr, 02 35 52 68 10",
        "« Rénovation de l'atelier de réemploi »",
        "reçue le 07/12/2026",
        "notifiée le 07/02/2027",
        "caractère financier",
        "L. 231-4",
        "décision implicite de rejet",
        "L. 114-5",
        "recours gracieux",
        "recours contentieux devant le tribunal administratif",
        "Tribunal administratif de Rouen, 53 avenue Gustave Flaubert, 76000 Rouen",
        "Télérecours citoyens",
        "www.telerecours.fr",
        "articles L. 112-3 et R. 112-5",
        "Le Président de la Métropole, par délégation",
        "Page 1 / 1",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn unset_values_render_with_their_fallback_wording() {
    let pdf = shipped().get("normandie", LetterKind::Receipt).render(&minimal_sample(), &meta()).unwrap();
    let text = flat(&pdftotext(&pdf));
    for expected in [
        "tribunal administratif territorialement compétent",
        "Pour l'autorité territoriale, par délégation",
        "Service chargé de votre demande : Métropole Rouen Normandie",
        "(dépôt n° 2)",
        "ce délai court à compter de la réception des pièces et informations manquantes",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert!(!text.to_lowercase().contains("none"), "a null printed as `none`:\n{text}");
}

#[test]
fn a_one_page_letter_is_small_because_the_fonts_are_subset() {
    let pdf = shipped()
        .get("normandie", LetterKind::Receipt)
        .render(&LetterKind::Receipt.sample(), &meta())
        .unwrap();
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("+DejaVuSans") && text.contains("+DejaVuSans-Bold"),
        "both fonts, subset, embedded"
    );
    assert!(text.contains("/FontFile2") && text.contains("/ToUnicode"));
}

#[test]
fn rendering_is_deterministic() {
    let templates = shipped();
    let template = templates.get("normandie", LetterKind::Receipt);
    let sample = LetterKind::Receipt.sample();
    let first = template.render(&sample, &meta()).unwrap();
    assert_eq!(first, template.render(&sample, &meta()).unwrap());
    assert_eq!(first, shipped().get("normandie", LetterKind::Receipt).render(&sample, &meta()).unwrap());
    let later = LetterMeta { issued_at: Utc.with_ymd_and_hms(2026, 12, 8, 9, 30, 0).unwrap(), ..meta() };
    assert_ne!(first, template.render(&sample, &later).unwrap());
}

#[test]
fn the_version_names_the_kind_and_the_content() {
    let templates = shipped();
    let version = templates.get("normandie", LetterKind::Receipt).version();
    let hex = version.strip_prefix("receipt@").expect("receipt@…");
    assert_eq!(hex.len(), 12);
    assert!(hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(version, shipped().get("other", LetterKind::Receipt).version());
}

#[test]
fn an_unknown_variable_is_refused_at_load_with_its_line() {
    let error = refused("# Accusé de réception\n\nBonjour {{ applicant.name }},\n{{ unknown.var }}\n");
    assert_eq!(error.line(), Some(4), "{error}");
    let message = error.to_string();
    assert!(message.contains("receipt.md.j2, line 4"), "{message}");
    assert!(message.contains("undefined") && message.contains("unknown.var"), "{message}");
}

#[test]
fn a_misspelled_attribute_is_refused_too() {
    let error = refused("# Titre\n{{ applicant.nmae }}\n");
    assert_eq!(error.line(), Some(2), "{error}");
}

#[test]
fn a_syntax_error_is_refused_at_load() {
    let error = refused("# Titre\n{% if receipt.resubmission %}\nComplément\n");
    assert!(error.to_string().contains("syntax error"), "{error}");
    let error = refused("# Titre\n\n{{ applicant.name \n");
    assert_eq!(error.line(), Some(3), "{error}");
}

#[test]
fn an_unknown_markup_is_refused_at_load_with_its_template_line() {
    let error = refused("# Titre\n{{ applicant.name }}\n### {{ dossier.title }}\n");
    assert_eq!(error.line(), Some(3), "{error}");
    assert!(error.to_string().contains("headings are"), "{error}");
    let error = refused("# Titre\n\n| Poste | Montant |\n| Travaux |\n");
    assert_eq!(error.line(), Some(4), "{error}");
}

#[test]
fn a_null_printed_without_fallback_is_refused_at_load() {
    let error = refused("# Titre\n\n{{ territory.court }}\n");
    assert_eq!(error.line(), Some(3), "{error}");
    let message = error.to_string();
    assert!(message.contains("null") && message.contains("receipt.minimal.json"), "{message}");
}

#[test]
fn a_file_of_no_known_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "reciept.md.j2", "# Titre\n");
    let error = Templates::load(Some(dir.path())).unwrap_err();
    assert!(matches!(error, TemplateError::UnknownKind { .. }), "{error}");
    assert!(error.to_string().contains("reciept.md.j2"), "{error}");
}

#[test]
fn a_missing_folder_is_refused() {
    let error = Templates::load(Some(Path::new("/nonexistent/essor-templates"))).unwrap_err();
    assert!(matches!(error, TemplateError::Unreadable { .. }), "{error}");
}

#[test]
fn overrides_apply_to_every_territory_or_to_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "normandie/receipt.md.j2", "# Lettre normande\n{{ applicant.name }}\n");
    write(dir.path(), "normandie/logo.txt", "ignored");
    write(dir.path(), "README.txt", "ignored");
    let templates = Templates::load(Some(dir.path())).unwrap();
    let sample = LetterKind::Receipt.sample();
    let normandie = templates.get("normandie", LetterKind::Receipt);
    assert!(normandie.render_text(&sample).unwrap().starts_with("# Lettre normande"));
    assert!(normandie.file().ends_with("normandie/receipt.md.j2"));
    let bretagne = templates.get("bretagne", LetterKind::Receipt);
    assert_eq!(bretagne.version(), shipped().get("bretagne", LetterKind::Receipt).version());
    assert_ne!(normandie.version(), bretagne.version());
    assert_eq!(templates.territories().collect::<Vec<_>>(), vec!["normandie"]);

    write(dir.path(), "receipt.md.j2", "# Lettre commune\n{{ applicant.name }}\n");
    let templates = Templates::load(Some(dir.path())).unwrap();
    assert!(templates
        .get("bretagne", LetterKind::Receipt)
        .render_text(&sample)
        .unwrap()
        .starts_with("# Lettre commune"));
    assert!(templates
        .get("normandie", LetterKind::Receipt)
        .render_text(&sample)
        .unwrap()
        .starts_with("# Lettre normande"));
}

#[test]
fn a_long_letter_flows_onto_the_next_pages_with_page_numbers() {
    let paragraph =
        "Le bénéficiaire s'engage à affecter la subvention au projet décrit ci-dessus et à en rendre compte.";
    let source = format!(
        "# Convention\n{{% for i in range(60) %}}\n## Article {{{{ i + 1 }}}}\n{paragraph} {{{{ applicant.name }}}}\n\n{{% endfor %}}\n>> Fin\n"
    );
    let template = Template::new(LetterKind::Receipt, "long.md.j2", source).unwrap();
    let text = pdftotext(&template.render(&LetterKind::Receipt.sample(), &meta()).unwrap());
    let pages = text.matches("Page ").count();
    assert!(pages >= 3, "{pages} pages:\n{text}");
    assert!(text.contains(&format!("Page 1 / {pages}")) && text.contains(&format!("Page 2 / {pages}")));
    assert!(text.contains("Article 60") && text.contains("Fin"));
}

#[test]
fn french_characters_and_tables_render_and_read_back() {
    let source = "# Cœur de l'œuvre\n\
        Les «\u{a0}guillemets\u{a0}», l'œuf, 1\u{202f}234\u{202f}567,89\u{a0}€, Ça, À, Ô, ù, ï, n° 5.\n\n\
        | Poste de dépense | Quantité | Montant |\n\
        | Travaux de rénovation de l'atelier | 1 | 60\u{202f}000,00\u{a0}€ |\n\
        | Équipement | 3 | 20\u{202f}000,00\u{a0}€ |\n\
        \n- une puce\n---\n>> {{ applicant.name }}\n";
    let template = Template::new(LetterKind::Receipt, "chars.md.j2", source).unwrap();
    let text = pdftotext(&template.render(&LetterKind::Receipt.sample(), &meta()).unwrap());
    for expected in [
        "Cœur de l'œuvre",
        "« guillemets »",
        "1 234 567,89 €",
        "Ça, À, Ô, ù, ï",
        "Poste de dépense",
        "60 000,00 €",
        "Équipement",
        "• une puce",
        "Page 2 / 2",
        "Les Ateliers Solidaires",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn printed_values_are_data_not_markup() {
    let mut sample = LetterKind::Receipt.sample();
    sample["applicant"]["name"] = "# Les | Ateliers\n---".into();
    let source =
        "# Titre\n{{ applicant.name }}\n| Nom | SIRET |\n| {{ applicant.name }} | {{ applicant.siret }} |\n";
    let template = Template::new(LetterKind::Receipt, "data.md.j2", source).unwrap();
    let text = template.render_text(&sample).unwrap();
    assert_eq!(text.lines().nth(1), Some("# Les | Ateliers ---"));
    let pdf = pdftotext(&template.render(&sample, &meta()).unwrap());
    assert!(pdf.contains("Page 1 / 1"), "no page break from the data:\n{pdf}");
}

#[test]
fn the_templates_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Templates>();
}
