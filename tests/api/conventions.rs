//! Conventions (law 2000-321 art. 10; CGCT L1511-3): drafted on the approval where the rules
//! require one, an amendment (avenant) of it on each amendment of the grant; signed once by each
//! party; no payment before every document is signed; the PDF read back with `pdftotext`.

use chrono::Utc;
use chrono_tz::Europe::Paris;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::builders::Dossier;
use crate::documents::{pdf, upload};
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp};
use crate::money::{approve, key, open_envelope, this_year, today, under_review, GRANT};
use crate::notifications::letter;

both_backends!(
    an_approval_drafts_the_convention_and_payments_wait_for_both_signatures,
    an_amendment_is_a_new_numbered_document_signed_the_same_way,
    a_grant_below_the_threshold_of_a_scheme_under_the_law_needs_no_convention,
    conventions_are_their_applicants_and_staffs_only_and_never_rewritten,
);

/// Today in Paris, as documents are dated.
fn paris_today() -> String {
    Utc::now().with_timezone(&Paris).date_naive().to_string()
}

/// Signs every document of the dossier's convention for both parties (staff recording the
/// beneficiary's paper copy too), if it has one: what a payment needs first.
pub(crate) async fn sign_convention(app: &TestApp, dossier: &Dossier) {
    let instructor = app.instructor();
    let read = instructor.get(&dossier.path_to("convention")).await;
    if read.status == 404 {
        return;
    }
    let convention = read.ok(200).clone();
    for document in convention["documents"].as_array().unwrap() {
        let signed: Vec<&str> =
            document["signatures"].as_array().unwrap().iter().map(|s| s["party"].as_str().unwrap()).collect();
        for party in ["beneficiary", "territory"] {
            if !signed.contains(&party) {
                let body = json!({"party": party, "signed_on": paris_today(), "seq": document["seq"]});
                instructor.post(&dossier.path_to("convention/sign"), &body).await.ok(200);
            }
        }
    }
}

async fn convention(who: &Client<'_>, dossier: &Dossier) -> Value {
    who.get(&dossier.path_to("convention")).await.ok(200).clone()
}

fn disbursement() -> Value {
    json!({"kind": "advance", "amount_cents": 10_000_00, "certified_on": today()})
}

async fn an_approval_drafts_the_convention_and_payments_wait_for_both_signatures(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;
    let applicant = app.applicant(&d.applicant);
    applicant.get(&d.path_to("convention")).await.problem(404);
    approve(&instructor, &d, GRANT).await.ok(200);

    let read = convention(&applicant, &d).await;
    let year = Utc::now().with_timezone(&Paris).format("%Y").to_string();
    assert_eq!(read["number"], format!("CONV-{year}-000001"));
    assert_eq!((read["signed"].as_bool(), read["effective_on"].clone()), (Some(false), Value::Null));
    let document = &read["documents"][0];
    assert_eq!((document["seq"].as_i64(), document["model"].as_str()), (Some(0), Some("investment")));
    assert_eq!(document["granted_cents"], GRANT);
    let caps: Vec<(&str, i64)> = document["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["step"].as_str().unwrap(), l["cumulated_max_cents"].as_i64().unwrap()))
        .collect();
    assert_eq!(caps, [("advance", 18_000_00), ("instalment", 48_000_00), ("balance", GRANT)]);
    let (status, etag, text, bytes) = letter(&applicant, document).await;
    assert_eq!(status, 200);
    let sha = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!(
        (etag, document["letter"]["sha256"].as_str()),
        (Some(format!("\"{sha}\"")), Some(sha.as_str()))
    );
    for expected in [
        format!("Convention n° CONV-{year}-000001"),
        d.applicant.siret.clone(),
        "d'un montant maximal de 60 000,00 €".into(),
        "Avance (au plus 30 %)".into(),
        "18 000,00 €".into(),
        "Compte rendu financier (Cerfa n° 15059)".into(),
        "caduque".into(),
        "titre de recette".into(),
    ] {
        assert!(text.contains(&expected), "the convention says {expected:?}:\n{text}");
    }
    // The grant's notification says a convention follows.
    let notified = instructor.get(&d.path_to("notifications")).await.ok(200).clone();
    assert_eq!(notified[0]["convention_required"], true);

    // No payment before both signatures.
    let early = instructor.post_once(&d.path_to("disbursements"), &disbursement(), &key()).await;
    assert_eq!(early.problem(409)["code"], "convention_unsigned");
    // The beneficiary signs through the client app, naming its uploaded signed copy.
    let copy =
        upload(&applicant, &app, &d.id, "convention_signee", "convention-signee.pdf", &pdf(2000, 7)).await;
    let copy_id = copy.ok(201)["id"].as_str().unwrap().to_string();
    let other = upload(&applicant, &app, &d.id, "statuts", "statuts.pdf", &pdf(2000, 8)).await;
    assert_eq!(
        other.problem(422)["errors"][0]["field"],
        "type",
        "an approved grant takes its signed convention only"
    );
    let path = d.path_to("convention/sign");
    let sign_path = path.as_str();
    let as_territory =
        applicant.post(sign_path, &json!({"party": "territory", "signed_on": paris_today()})).await;
    as_territory.problem(403);
    let before = (Utc::now().with_timezone(&Paris).date_naive() - chrono::Days::new(1)).to_string();
    let early = applicant.post(sign_path, &json!({"signed_on": before})).await;
    assert_eq!(early.problem(422)["errors"][0]["code"], "before_issue");
    let unknown_copy = applicant
        .post(
            sign_path,
            &json!({"signed_on": paris_today(), "signed_copy_document_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(unknown_copy.error_fields(), ["signed_copy_document_id"]);
    let signed = applicant
        .post(sign_path, &json!({"signed_on": paris_today(), "signed_copy_document_id": copy_id}))
        .await
        .ok(200)
        .clone();
    let signatures = &signed["documents"][0]["signatures"];
    assert_eq!(
        (signatures[0]["party"].as_str(), signatures[0]["signed_copy_document_id"].as_str()),
        (Some("beneficiary"), Some(copy_id.as_str()))
    );
    assert_eq!(
        applicant.post(sign_path, &json!({"signed_on": paris_today()})).await.problem(409)["code"],
        "already_signed"
    );
    let still = instructor.post_once(&d.path_to("disbursements"), &disbursement(), &key()).await;
    assert_eq!(still.problem(409)["code"], "convention_unsigned");
    app.finance()
        .post(&d.path_to("convention/sign"), &json!({"signed_on": paris_today()}))
        .await
        .problem(403);
    let version = instructor.get(&d.path()).await.ok(200)["version"].as_i64().unwrap();
    let both = instructor
        .post(&d.path_to("convention/sign"), &json!({"signed_on": paris_today()}))
        .await
        .ok(200)
        .clone();
    assert_eq!(
        (both["signed"].as_bool(), both["effective_on"].as_str()),
        (Some(true), Some(paris_today().as_str()))
    );
    let dossier = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(
        (dossier["convention_signed_on"].as_str(), dossier["version"].as_i64()),
        (Some(paris_today().as_str()), Some(version + 1))
    );
    instructor.post_once(&d.path_to("disbursements"), &disbursement(), &key()).await.ok(201);
    let history = instructor.get(&d.path_to("history")).await.ok(200).clone();
    let lines: Vec<&str> = history.as_array().unwrap().iter().filter_map(|h| h["comment"].as_str()).collect();
    for expected in ["Convention CONV-", "signé par le bénéficiaire le", "signé par la collectivité le"]
    {
        assert!(lines.iter().any(|l| l.contains(expected)), "{expected:?} in {lines:?}");
    }
}

async fn an_amendment_is_a_new_numbered_document_signed_the_same_way(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;
    approve(&instructor, &d, GRANT).await.ok(200);
    sign_convention(&app, &d).await;
    let amend = json!({"granted_cents": 50_000_00, "decided_on": today(), "decision_reference": "AV-2026-3",
        "comment": "Le coût réel des travaux est inférieur au devis."});
    instructor.post_once(&d.path_to("amend"), &amend, &key()).await.ok(200);
    let read = convention(&instructor, &d).await;
    let documents = read["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2);
    let avenant = &documents[1];
    assert_eq!(avenant["number"], format!("{}-A1", read["number"].as_str().unwrap()));
    assert_eq!(
        (
            avenant["previous_granted_cents"].as_i64(),
            avenant["granted_cents"].as_i64(),
            avenant["fully_signed"].as_bool()
        ),
        (Some(GRANT), Some(50_000_00), Some(false))
    );
    assert_eq!(read["signed"], false);
    let (_, _, text, _) = letter(&instructor, avenant).await;
    for expected in [
        format!("Avenant n° 1 à la convention n° {}", read["number"].as_str().unwrap()),
        "de 60 000,00 €, est fixé à 50 000,00 €".into(),
        "Le coût réel des travaux est inférieur au devis.".into(),
    ] {
        assert!(text.contains(&expected), "the amendment says {expected:?}:\n{text}");
    }
    let blocked = instructor.post_once(&d.path_to("disbursements"), &disbursement(), &key()).await;
    assert_eq!(blocked.problem(409)["code"], "convention_unsigned");
    sign_convention(&app, &d).await;
    assert_eq!(convention(&instructor, &d).await["signed"], true);
    instructor.post_once(&d.path_to("disbursements"), &disbursement(), &key()).await.ok(201);
}

async fn a_grant_below_the_threshold_of_a_scheme_under_the_law_needs_no_convention(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    // A version that follows the law only: a convention above 23 000 €.
    let mut parameters = crate::helpers::template_parameters("DI-ESS");
    parameters["convention"] = json!({"required": "above_threshold", "threshold_cents": 2_300_000});
    parameters["documents"] = json!([]);
    app.add_rules(&scheme, "2021-01-01", parameters).await.ok(201);
    open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let instructor = app.instructor();
    let small = under_review(&app, &scheme).await;
    approve(&instructor, &small, 2_300_000).await.ok(200);
    instructor.get(&small.path_to("convention")).await.problem(404);
    instructor.post_once(&small.path_to("disbursements"), &disbursement(), &key()).await.ok(201);
    let large = under_review(&app, &scheme).await;
    approve(&instructor, &large, 2_300_001).await.ok(200);
    assert_eq!(convention(&instructor, &large).await["documents"][0]["granted_cents"], 2_300_001);
    // Raised above the threshold by an amendment, a grant gets its convention then.
    let amend = json!({"granted_cents": 3_000_000, "decided_on": today(), "decision_reference": "AV-2026-9",
        "comment": "Travaux supplémentaires de mise aux normes."});
    instructor.post_once(&small.path_to("amend"), &amend, &key()).await.ok(200);
    let drafted = convention(&instructor, &small).await;
    assert_eq!(
        (drafted["documents"][0]["seq"].as_i64(), drafted["documents"][0]["granted_cents"].as_i64()),
        (Some(0), Some(3_000_000))
    );
}

async fn conventions_are_their_applicants_and_staffs_only_and_never_rewritten(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let d = under_review(&app, &scheme).await;
    approve(&app.instructor(), &d, GRANT).await.ok(200);
    let read = convention(&app.instructor(), &d).await;
    let stranger = app.register_applicant().await;
    let stranger = app.applicant(&stranger);
    stranger.get(&d.path_to("convention")).await.problem(404);
    assert_eq!(letter(&stranger, &read["documents"][0]).await.0, 404);
    stranger.post(&d.path_to("convention/sign"), &json!({"signed_on": paris_today()})).await.problem(404);
    app.instructor().get(&d.path_to("convention/documents/1/pdf")).await.problem(404);
    sign_convention(&app, &d).await;
    assert!(app.try_execute("UPDATE convention_signatures SET signed_on = '2000-01-01'").is_err());
    assert!(app.try_execute("DELETE FROM convention_signatures").is_err());
    assert!(app.try_execute("UPDATE convention_documents SET granted_cents = 1").is_err());
    assert!(app.try_execute("DELETE FROM conventions").is_err());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM convention_signatures"), 2);
}
