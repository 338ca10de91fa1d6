//! Finance exports: every figure equals the sums of the underlying rows, computed here
//! independently in SQL; JSON and CSV agree; who may read; bad queries name their field. XLSX
//! against JSON: `exports_xlsx.rs`.

use std::collections::HashMap;

use essor::auth::Role;
use essor::domain::lifecycle::DossierStatus::{Draft, Submitted, UnderReview};
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::exports_xlsx::xlsx_dossier_ids;
use crate::helpers::{both_backends, spawn_app, Applicant, Backend, Client, TestApp, OTHER_TERRITORY};

both_backends!(
    export_figures_equal_the_sums_of_their_rows,
    exports_are_read_by_staff_and_check_their_query,
    the_grants_list_streams_every_page,
);

pub(crate) const STATUSES: [&str; 10] = [
    "draft",
    "submitted",
    "under_review",
    "changes_requested",
    "approved",
    "rejected",
    "dismissed",
    "withdrawn",
    "cancelled",
    "closed",
];

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Utc::now().date_naive())
}

const JUSTIFICATION: &str = "Conforme à la délibération du conseil métropolitain.";

pub(crate) async fn open_envelope(app: &TestApp, scheme: &str, year: i32, amount_cents: i64) {
    app.finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": amount_cents}))
        .await
        .ok(201);
}

pub(crate) async fn granted(
    app: &TestApp,
    scheme: &str,
    applicant: &Applicant,
    on: &str,
    cents: i64,
) -> Dossier {
    let d = DossierBuilder::new(app).scheme(scheme).applicant(applicant).in_status(UnderReview).await;
    let body = json!({"granted_cents": cents, "decided_on": on, "decision_reference": format!("DEL-{on}"),
                      "convention_signed_on": on, "justification": JUSTIFICATION});
    app.instructor().post_once(&d.path_to("approve"), &body, &key()).await.ok(200);
    crate::conventions::sign_convention(app, &d).await;
    d
}

/// Requests a payment of `cents` certified and paid on `on`.
pub(crate) async fn pay(app: &TestApp, d: &Dossier, kind: &str, cents: i64, on: &str) {
    let request = json!({"kind": kind, "amount_cents": cents, "certified_on": on});
    let made =
        app.instructor().post_once(&d.path_to("disbursements"), &request, &key()).await.ok(201).clone();
    let path = format!("/api/v1/disbursements/{}/pay", made["id"].as_str().unwrap());
    let body = json!({"paid_on": on, "payment_reference": format!("MDT-{on}")});
    app.finance().post_once(&path, &body, &key()).await.ok(200);
}

/// A CSV document as maps of header → value.
fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("record").iter().map(str::to_string)).collect())
        .collect()
}

fn year_range(first: i32, last: i32) -> String {
    format!("'{first}-01-01' AND '{}-12-31'", last)
}

/// The grants of a period, as the exports define them, in SQL.
fn grants_where(first: i32, last: i32) -> String {
    format!(
        "d.status IN ('approved', 'closed', 'cancelled') AND d.granted_cents > 0 AND d.decided_on BETWEEN {}",
        year_range(first, last)
    )
}

fn sum(app: &TestApp, expr: &str, from_where: &str) -> i64 {
    app.count(&format!("SELECT CAST(COALESCE(SUM({expr}), 0) AS BIGINT) AS n FROM {from_where}"))
}

fn check_annual(app: &TestApp, y: i32, totals: &Value, schemes: &[&str]) {
    assert_eq!(totals["year"], y);
    let rows = totals["schemes"].as_array().unwrap();
    assert_eq!(rows.len(), schemes.len(), "{totals}");
    let (grants, paid) = (grants_where(y, y), year_range(y, y));
    for row in rows {
        let s = row["scheme_id"].as_str().unwrap();
        let envelope =
            |column: &str| sum(app, column, &format!("envelopes WHERE scheme_id = '{s}' AND year = {y}"));
        assert_eq!(row["envelope_cents"], envelope("amount_cents"), "{y} {row}");
        assert_eq!(row["reserved_cents"], envelope("reserved_cents"), "{y} {row}");
        assert_eq!(
            row["available_cents"],
            envelope("amount_cents") - envelope("reserved_cents") - envelope("committed_cents")
        );
        let committed =
            sum(app, "d.granted_cents", &format!("dossiers d WHERE d.scheme_id = '{s}' AND {grants}"));
        assert_eq!(row["committed_cents"], committed, "{y} {row}");
        // The year's grants are committed against the year's envelope: the ledger agrees.
        assert_eq!(committed, envelope("committed_cents"), "{y} {row}");
        assert_eq!(
            row["disbursed_cents"],
            sum(
                app,
                "p.amount_cents",
                &format!(
                    "disbursements p JOIN dossiers d ON d.id = p.dossier_id WHERE d.scheme_id = '{s}' \
                     AND p.status = 'paid' AND p.paid_on BETWEEN {paid}"
                )
            )
        );
        let of_grants = |what: &str| {
            app.count(&format!(
                "SELECT {what} AS n FROM dossiers d JOIN organisations o ON o.id = d.organisation_id \
                 WHERE d.scheme_id = '{s}' AND {grants}"
            ))
        };
        assert_eq!(row["beneficiaries"], of_grants("COUNT(DISTINCT o.siren)"), "{y} {row}");
        assert_eq!(row["grants"], of_grants("COUNT(*)"), "{y} {row}");
        for status in STATUSES {
            let n = app.count(&format!(
                "SELECT COUNT(*) AS n FROM dossiers WHERE scheme_id = '{s}' AND year = {y} AND status = '{status}'"
            ));
            assert_eq!(row["dossiers_by_status"][status], n, "{y} {status} {row}");
        }
        assert_eq!(
            row["pipeline_requested_cents"],
            sum(
                app,
                "requested_cents",
                &format!(
                    "dossiers WHERE scheme_id = '{s}' AND year = {y} AND status IN ('submitted', 'under_review')"
                )
            )
        );
    }
    // The total row is the sum of the schemes' rows; beneficiaries count each SIREN once.
    let total = &totals["total"];
    for figure in [
        "envelope_cents",
        "reserved_cents",
        "committed_cents",
        "disbursed_cents",
        "available_cents",
        "grants",
        "pipeline_requested_cents",
    ] {
        let summed: i64 = rows.iter().map(|r| r[figure].as_i64().unwrap()).sum();
        assert_eq!(total[figure], summed, "{y} total {figure}");
    }
    for status in STATUSES {
        let summed: i64 = rows.iter().map(|r| r["dossiers_by_status"][status].as_i64().unwrap()).sum();
        assert_eq!(total["dossiers_by_status"][status], summed);
    }
    assert_eq!(
        total["beneficiaries"],
        app.count(&format!(
            "SELECT COUNT(DISTINCT o.siren) AS n FROM dossiers d JOIN organisations o ON o.id = d.organisation_id \
             WHERE d.territory = 'rouen' AND {grants}"
        ))
    );
}

/// The CSV of a totals export says what its JSON says, row by row.
fn assert_csv_matches(csv: &str, json: &Value, figures: &[&str]) {
    let rows = csv_rows(csv);
    let schemes = json["schemes"].as_array().unwrap();
    assert_eq!(rows.len(), schemes.len() + 1, "{csv}");
    for (row, expected) in rows.iter().zip(schemes.iter().chain([&json["total"]])) {
        let is_total = std::ptr::eq(expected, &json["total"]);
        assert_eq!(row["row"], if is_total { "total" } else { "scheme" });
        if !is_total {
            assert_eq!(row["scheme_id"], expected["scheme_id"].as_str().unwrap());
            assert_eq!(row["scheme_code"], expected["scheme_code"].as_str().unwrap());
        }
        for figure in figures {
            assert_eq!(row[*figure], expected[*figure].to_string(), "{figure}: {csv}");
        }
        if let Some(by_status) = expected.get("dossiers_by_status") {
            for status in STATUSES {
                assert_eq!(row[&format!("dossiers_{status}")], by_status[status].to_string());
            }
        }
    }
}

const YEAR_FIGURES: [&str; 8] = [
    "envelope_cents",
    "reserved_cents",
    "committed_cents",
    "disbursed_cents",
    "available_cents",
    "beneficiaries",
    "grants",
    "pipeline_requested_cents",
];

async fn export_figures_equal_the_sums_of_their_rows(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.open_scheme("EXP-A").await;
    let b = app.open_scheme("EXP-B").await;
    let empty = app.open_scheme("EXP-C").await;
    for (scheme, year, amount) in
        [(&a, 2024, 500_000_00), (&a, 2025, 400_000_00), (&b, 2024, 50_000_00), (&b, 2025, 60_000_00)]
    {
        open_envelope(&app, scheme, year, amount).await;
    }
    open_envelope(&app, &a, this_year(), 300_000_00).await;
    let (one, two, three) =
        (app.register_applicant().await, app.register_applicant().await, app.register_applicant().await);

    // 2024: a grant amended down, a grant cancelled after a payment, a grant paid in full in 2025.
    let d1 = granted(&app, &a, &one, "2024-03-15", 60_000_00).await;
    let amend = json!({"granted_cents": 50_000_00, "decided_on": "2024-06-01", "decision_reference": "AV-1",
                       "comment": "Avenant au coût réel des travaux réalisés"});
    app.instructor().post_once(&d1.path_to("amend"), &amend, &key()).await.ok(200);
    pay(&app, &d1, "advance", 20_000_00, "2025-02-10").await;
    let d2 = granted(&app, &a, &two, "2024-05-20", 40_000_00).await;
    pay(&app, &d2, "advance", 10_000_00, "2024-09-01").await;
    let cancel = json!({"comment": "Projet abandonné par la structure", "decided_on": "2024-10-01"});
    app.instructor().post_once(&d2.path_to("cancel"), &cancel, &key()).await.ok(200);
    let d3 = granted(&app, &b, &one, "2024-07-01", 30_000_00).await;
    pay(&app, &d3, "balance", 30_000_00, "2025-01-15").await;
    // 2025: two more grants, one to an undertaking already granted.
    granted(&app, &a, &three, "2025-02-01", 45_000_00).await;
    granted(&app, &b, &one, "2025-03-01", 20_000_00).await;
    // The pipeline and other statuses, filed this year.
    DossierBuilder::new(&app).scheme(&a).applicant(&two).in_status(UnderReview).await;
    DossierBuilder::new(&app).scheme(&a).applicant(&three).in_status(Submitted).await;
    DossierBuilder::new(&app).scheme(&b).applicant(&three).in_status(Draft).await;
    let reserved = DossierBuilder::new(&app).scheme(&a).applicant(&one).in_status(Submitted).await;
    app.finance()
        .post_once(
            &format!(
                "/api/v1/envelopes/{}/reservations",
                app.finance().get(&format!("/api/v1/envelopes?year={}&scheme_id={a}", this_year())).await.ok(200)[0]
                    ["id"]
                    .as_str()
                    .unwrap()
            ),
            &json!({"dossier_id": reserved.id, "amount_cents": 25_000_00, "comment": "Projet identifié au BP"}),
            &key(),
        )
        .await
        .ok(201);

    let finance = app.finance();
    for year in [2024, 2025, this_year()] {
        let path = format!("/api/v1/exports/annual-totals?year={year}");
        let json = finance.get(&path).await.ok(200).clone();
        check_annual(&app, year, &json, &[&a, &b, &empty]);
        let csv = finance.get(&format!("{path}&format=csv")).await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            csv.header("content-disposition"),
            Some(format!("attachment; filename=\"essor-annual-totals-{year}.csv\"").as_str())
        );
        assert!(csv.text.contains("\r\n"), "RFC 4180 line ends");
        assert_csv_matches(&csv.text, &json, &YEAR_FIGURES);
        let accepted =
            app.send(finance.request(reqwest::Method::GET, &path).header("Accept", "text/csv")).await;
        assert_eq!(accepted.text, csv.text, "Accept: text/csv is the same CSV");
    }
    // Known figures, as a sanity check of the SQL above.
    let y2024 = finance.get("/api/v1/exports/annual-totals?year=2024").await.ok(200).clone();
    let row = |v: &Value, s: &str| {
        v["schemes"].as_array().unwrap().iter().find(|r| r["scheme_id"] == s).unwrap().clone()
    };
    assert_eq!(
        row(&y2024, &a)["committed_cents"],
        60_000_00,
        "50 000 amended + 10 000 paid before cancelling"
    );
    assert_eq!(row(&y2024, &a)["disbursed_cents"], 10_000_00);
    assert_eq!(row(&y2024, &a)["available_cents"], 440_000_00);
    assert_eq!(row(&y2024, &b)["committed_cents"], 30_000_00);
    assert_eq!(y2024["total"]["beneficiaries"], 2, "one undertaking granted by both schemes counts once");
    assert_eq!(y2024["total"]["grants"], 3);
    let y2025 = finance.get("/api/v1/exports/annual-totals?year=2025").await.ok(200).clone();
    assert_eq!(y2025["total"]["disbursed_cents"], 50_000_00, "paid in 2025 for 2024's grants");
    let now =
        finance.get(&format!("/api/v1/exports/annual-totals?year={}", this_year())).await.ok(200).clone();
    assert_eq!(row(&now, &a)["pipeline_requested_cents"], 3 * 60_000_00);
    assert_eq!(row(&now, &a)["reserved_cents"], 25_000_00);
    assert_eq!(row(&now, &b)["dossiers_by_status"]["draft"], 1);
    // One scheme only.
    let only_b =
        finance.get(&format!("/api/v1/exports/annual-totals?year=2024&scheme_id={b}")).await.ok(200).clone();
    assert_eq!(only_b["schemes"], json!([row(&y2024, &b)]));
    assert_eq!(only_b["total"]["beneficiaries"], 1);
    assert_eq!(only_b["total"]["committed_cents"], 30_000_00);

    // Period totals: beneficiaries over the period, each SIREN once.
    let period = finance.get("/api/v1/exports/period-totals?from=2024&to=2025").await.ok(200).clone();
    assert_eq!((period["from"].as_i64(), period["to"].as_i64()), (Some(2024), Some(2025)));
    let (grants, paid) = (grants_where(2024, 2025), year_range(2024, 2025));
    for r in period["schemes"].as_array().unwrap() {
        let s = r["scheme_id"].as_str().unwrap();
        let of_grants = |what: &str| {
            app.count(&format!(
                "SELECT {what} AS n FROM dossiers d JOIN organisations o ON o.id = d.organisation_id \
                 WHERE d.scheme_id = '{s}' AND {grants}"
            ))
        };
        assert_eq!(r["beneficiaries"], of_grants("COUNT(DISTINCT o.siren)"));
        assert_eq!(r["grants"], of_grants("COUNT(*)"));
        assert_eq!(r["granted_cents"], of_grants("CAST(COALESCE(SUM(d.granted_cents), 0) AS BIGINT)"));
        assert_eq!(
            r["paid_cents"],
            sum(
                &app,
                "p.amount_cents",
                &format!(
                    "disbursements p JOIN dossiers d ON d.id = p.dossier_id WHERE d.scheme_id = '{s}' \
                     AND p.status = 'paid' AND p.paid_on BETWEEN {paid}"
                )
            )
        );
    }
    assert_eq!(row(&period, &a)["granted_cents"], 105_000_00);
    assert_eq!(row(&period, &a)["paid_cents"], 30_000_00);
    assert_eq!(row(&period, &b)["beneficiaries"], 1);
    assert_eq!(row(&period, &b)["grants"], 2);
    assert_eq!(period["total"]["beneficiaries"], 3);
    assert_eq!(period["total"]["grants"], 5);
    assert_eq!(period["total"]["granted_cents"], 155_000_00);
    assert_eq!(period["total"]["paid_cents"], 60_000_00);
    let csv = finance.get("/api/v1/exports/period-totals?from=2024&to=2025&format=csv").await;
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"essor-period-totals-2024-2025.csv\"")
    );
    assert_csv_matches(&csv.text, &period, &["beneficiaries", "grants", "granted_cents", "paid_cents"]);

    // The grants of 2024, one row each, as stored; the CSV lists the same.
    let list = finance.get("/api/v1/exports/grants?year=2024").await.ok(200).clone();
    assert_eq!(list["year"], 2024);
    let items = list["grants"].as_array().unwrap();
    assert_eq!(
        items.len() as i64,
        app.count(&format!("SELECT COUNT(*) AS n FROM dossiers d WHERE {}", grants_where(2024, 2024)))
    );
    assert_eq!(
        items.iter().map(|g| g["dossier_id"].as_str().unwrap()).collect::<Vec<_>>(),
        [&d1.id, &d2.id, &d3.id]
    );
    for g in items {
        let id = g["dossier_id"].as_str().unwrap();
        let stored =
            |column: &str| app.count(&format!("SELECT {column} AS n FROM dossiers WHERE id = '{id}'"));
        assert_eq!(g["granted_cents"], stored("granted_cents"));
        assert_eq!(g["paid_cents"], stored("paid_cents"));
        assert_eq!(g["remaining_cents"], stored("granted_cents - paid_cents"));
    }
    assert_eq!(items[0]["status"], "approved");
    assert_eq!(items[0]["granted_cents"], 50_000_00);
    assert_eq!(items[0]["paid_cents"], 20_000_00);
    assert_eq!(items[0]["remaining_cents"], 30_000_00);
    assert_eq!(items[0]["siret"], one.siret.as_str());
    assert_eq!(items[0]["scheme_code"], "EXP-A");
    assert_eq!(items[0]["decision_reference"], "DEL-2024-03-15");
    assert_eq!(items[0]["decided_on"], "2024-03-15");
    assert_eq!(items[0]["convention_signed_on"], "2024-03-15");
    assert_eq!(items[1]["status"], "cancelled");
    assert_eq!(items[2]["status"], "closed");
    let csv = app
        .send(
            finance
                .request(reqwest::Method::GET, "/api/v1/exports/grants?year=2024")
                .header("Accept", "text/csv"),
        )
        .await;
    assert_eq!(csv.header("content-disposition"), Some("attachment; filename=\"essor-grants-2024.csv\""));
    let rows = csv_rows(&csv.text);
    assert_eq!(rows.len(), items.len());
    for (row, g) in rows.iter().zip(items) {
        for (column, value) in g.as_object().unwrap() {
            let expected = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            assert_eq!(row[column], expected, "{column}");
        }
    }
    let none = finance.get("/api/v1/exports/grants?year=2023").await.ok(200).clone();
    assert_eq!(none, json!({"year": 2023, "grants": []}));
    let none = finance.get("/api/v1/exports/grants?year=2023&format=csv").await;
    assert_eq!(none.text.lines().count(), 1, "the header alone: {}", none.text);
}

async fn exports_are_read_by_staff_and_check_their_query(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("EXP-A").await;
    let applicant = app.register_applicant().await;
    let paths = [
        "/api/v1/exports/annual-totals?year=2024".to_string(),
        "/api/v1/exports/period-totals?from=2023&to=2024".to_string(),
        "/api/v1/exports/grants?year=2024".to_string(),
    ];
    let staff: [(&str, Client<'_>); 3] =
        [("finance", app.finance()), ("admin", app.admin()), ("instructor", app.instructor())];
    for path in &paths {
        for (who, client) in &staff {
            assert_eq!(client.get(path).await.status, 200, "{who} {path}");
        }
        app.applicant(&applicant).get(path).await.problem(403);
        // Authorisation comes before the query is read.
        app.applicant(&applicant).get(&format!("{path}&format=xlsx")).await.problem(403);
        app.anonymous().get(path).await.problem(401);
    }

    // Another territory's scheme does not exist for the caller.
    let rennes = app
        .client_for(Role::Admin, OTHER_TERRITORY, None)
        .post("/api/v1/schemes", &json!({"code": "DI-ESS", "name": "Dynamique Immobilier ESS"}))
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let finance = app.finance();
    finance.get(&format!("/api/v1/exports/annual-totals?year=2024&scheme_id={rennes}")).await.problem(404);
    finance
        .get(&format!("/api/v1/exports/period-totals?from=2024&to=2024&scheme_id={rennes}"))
        .await
        .problem(404);
    let own = finance.get(&format!("/api/v1/exports/annual-totals?year=2024&scheme_id={scheme}")).await;
    assert_eq!(own.ok(200)["schemes"].as_array().unwrap().len(), 1);

    // Bad queries: 400 naming the field.
    // A period that ends before it starts is well-formed but breaks a rule: 422 naming `to`.
    let backwards = finance.get("/api/v1/exports/period-totals?from=2025&to=2024").await;
    backwards.problem(422);
    assert_eq!(backwards.error_fields(), ["to"], "{}", backwards.text);
    assert_eq!(backwards.body["errors"][0]["code"], "before_from", "{}", backwards.text);
    // The README says what the server answers (issue 20: it said 400).
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains("a period with `from` after `to` is a 422 `before_from` naming `to`"));
    assert!(!readme.contains("`from` after `to` or an unknown `format` is a 400"));
    let cases: [(&str, &[&str]); 7] = [
        ("/api/v1/exports/annual-totals?year=1999", &["year"]),
        ("/api/v1/exports/annual-totals?year=2101", &["year"]),
        ("/api/v1/exports/annual-totals", &["year"]),
        ("/api/v1/exports/period-totals?from=1900&to=2024", &["from"]),
        ("/api/v1/exports/period-totals?to=2024", &["from"]),
        ("/api/v1/exports/grants?year=3000", &["year"]),
        ("/api/v1/exports/grants?year=2024&format=ods", &["format"]),
    ];
    for (path, fields) in cases {
        let res = finance.get(path).await;
        res.problem(400);
        assert_eq!(res.error_fields(), fields, "{path}: {}", res.text);
    }
    let res = finance.get("/api/v1/exports/grants?yeer=2024").await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "(query)", "unknown parameters are refused");
}

/// More grants than one page of the stream (500): every one is written once, in order (JSON,
/// CSV and XLSX).
async fn the_grants_list_streams_every_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("EXP-A").await;
    open_envelope(&app, &scheme, 2025, 500_000_00).await;
    let applicant = app.register_applicant().await;
    let d = granted(&app, &scheme, &applicant, "2025-02-01", 45_000_00).await;
    // 1 100 copies of the grant, on three decision dates (the keyset crosses equal dates).
    let columns = "territory, scheme_id, organisation_id, status, title, project_kind, \
                   eligible_expenses_cents, premises_address, premises_commune_code, requested_cents, \
                   year, rules_version_id, granted_cents, version, created_by, created_at, updated_at, \
                   decision_reference, envelope_id, paid_cents, pending_disbursement_cents";
    let copied = app
        .try_execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100) \
             INSERT INTO dossiers (id, decided_on, {columns}) \
             SELECT id || '-' || CAST(n.i AS TEXT), \
                    CASE WHEN n.i % 3 = 0 THEN decided_on WHEN n.i % 3 = 1 THEN '2025-03-01' \
                    ELSE '2025-04-01' END, {columns} \
             FROM dossiers, n WHERE id = '{}'",
            d.id
        ))
        .expect("copies inserted");
    assert_eq!(copied, 1100);
    let total = 1101;
    let finance = app.finance();
    let list = finance.get("/api/v1/exports/grants?year=2025").await.ok(200).clone();
    let items = list["grants"].as_array().unwrap();
    assert_eq!(items.len(), total);
    let keys: Vec<(String, String)> = items
        .iter()
        .map(|g| {
            (g["decided_on"].as_str().unwrap().to_string(), g["dossier_id"].as_str().unwrap().to_string())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "by decision date then id, each once");
    let csv = finance.get("/api/v1/exports/grants?year=2025&format=csv").await;
    let rows = csv_rows(&csv.text);
    assert_eq!(rows.len(), total);
    let ids: Vec<&str> = rows.iter().map(|r| r["dossier_id"].as_str()).collect();
    assert_eq!(ids, keys.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>());
    // The workbook is written page by page too: every grant once, in the same order.
    let ids = xlsx_dossier_ids(&finance, "/api/v1/exports/grants?year=2025", "essor-grants-2025.xlsx").await;
    assert_eq!(ids, keys.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>());
}
