//! What a rules version configures (issue 11, items 4 and 5): each criterion required,
//! advisory or off; "any" instead of a threshold; schemes without premises (the head office's
//! commune); budget and flat maximum grants; bonuses; and a dossier judged by the version of
//! its first submission whatever versions come after.

use serde_json::{json, Value};

use crate::builders::Dossier;
use crate::helpers::{rules_parameters, Applicant, Client, TestApp};

mod bonuses;
mod grants;
mod modes;
mod versions;

/// DI-ESS template parameters (communes 76540, 76451, 76681) changed by `adjust`.
pub(super) fn params(adjust: impl FnOnce(&mut Value)) -> Value {
    let mut p = rules_parameters("DI-ESS");
    adjust(&mut p);
    p
}

/// A scheme with one rules version in force since 2020.
pub(super) async fn scheme_with(app: &TestApp, code: &str, parameters: Value) -> String {
    let id = app.create_scheme(code).await;
    app.add_rules(&id, "2020-01-01", parameters).await.ok(201);
    id
}

/// The result of `criterion` in an eligibility view.
pub(super) fn criterion<'v>(view: &'v Value, name: &str) -> &'v Value {
    view["report"]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == name)
        .unwrap_or_else(|| panic!("{name} in {view}"))
}

/// (mode, outcome, code) of a criterion.
pub(super) fn judged(view: &Value, name: &str) -> (String, String, String) {
    let c = criterion(view, name);
    let s = |key: &str| c[key].as_str().unwrap().to_string();
    (s("mode"), s("outcome"), s("code"))
}

pub(super) fn figure(result: &Value, name: &str) -> Option<Value> {
    result["figures"].as_array().unwrap().iter().find(|f| f["name"] == name).map(|f| f["value"].clone())
}

/// The eligibility an instructor gets of a dossier now.
pub(super) async fn eligibility(app: &TestApp, dossier: &Dossier) -> Value {
    app.instructor().get(&dossier.path_to("eligibility")).await.ok(200).clone()
}

/// No salaried staff, and operating revenue covering 31.25 % of costs: employment and the
/// own-revenue share fail the templates.
pub(super) async fn weak_applicant(app: &TestApp) -> Applicant {
    app.register_applicant_with(|o| {
        o["salaried_staff_fte"] = json!(0);
        o["accounts"]["operating_revenue_cents"] = json!(100_000_00);
        o["accounts"]["sales_revenue_cents"] = json!(80_000_00);
    })
    .await
}

pub(super) fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

pub(super) fn this_year() -> i64 {
    chrono::Datelike::year(&chrono::Utc::now().date_naive()).into()
}

pub(super) async fn open_envelope(app: &TestApp, scheme: &str) {
    app.finance()
        .post(
            "/api/v1/envelopes",
            &json!({"scheme_id": scheme, "year": this_year(), "amount_cents": 1_000_000_00}),
        )
        .await
        .ok(201);
}

pub(super) async fn approve(instructor: &Client<'_>, dossier: &Dossier, body: Value) -> crate::helpers::Resp {
    instructor.post_once(&dossier.path_to("approve"), &body, &uuid::Uuid::new_v4().to_string()).await
}

pub(super) fn approval(granted_cents: i64) -> Value {
    json!({"granted_cents": granted_cents, "decided_on": today(), "decision_reference": "DEL-2027-01"})
}

/// (applied bonuses, bonus points, rate, maximum grant) of an eligibility view.
pub(super) fn bonuses_of(view: &Value) -> (Vec<String>, i64, i64, i64) {
    let codes =
        view["applied_bonuses"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let r = &view["report"];
    (
        codes,
        r["bonus_bp"].as_i64().unwrap(),
        r["max_grant_rate_bp"].as_i64().unwrap(),
        r["max_grant_cents"].as_i64().unwrap(),
    )
}
