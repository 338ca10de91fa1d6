//! Notifications of decisions (CRPA L211-2, L211-5): one per grant, refusal, amendment and
//! cancellation, numbered per territory and year, its letter read back with `pdftotext`; the
//! reception recorded once opens the appeal period shown on the dossier.

use chrono::{Datelike, Utc};
use chrono_tz::Europe::Paris;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{both_backends, spawn_app, Backend, Client};
use crate::money::{approve, key, open_envelope, this_year, today, under_review, GRANT};
use crate::receipts::pdf_text;

both_backends!(
    every_decision_on_a_grant_is_notified_and_the_reception_opens_the_appeal_period,
    a_refusal_is_notified_with_its_reasons,
    notifications_are_their_applicants_and_staffs_only_and_never_rewritten,
);

async fn notifications(who: &Client<'_>, dossier_path: &str) -> Vec<Value> {
    who.get(&format!("{dossier_path}/notifications")).await.ok(200).as_array().expect("a list").clone()
}

/// A generated letter's status, ETag, text on one line and bytes, from its `letter.href`.
pub(crate) async fn letter(who: &Client<'_>, notification: &Value) -> (u16, Option<String>, String, Vec<u8>) {
    let href = notification["letter"]["href"].as_str().expect("href");
    let resp = who.request(reqwest::Method::GET, href).send().await.expect("sent");
    let status = resp.status().as_u16();
    let etag = resp.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.bytes().await.expect("bytes").to_vec();
    // One line: a sentence may wrap anywhere.
    let text = if status == 200 {
        pdf_text(&bytes).split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        String::new()
    };
    (status, etag, text, bytes)
}

fn fr(date: &str) -> String {
    let d: chrono::NaiveDate = date.parse().unwrap();
    d.format("%d/%m/%Y").to_string()
}

fn paris_year() -> i32 {
    Utc::now().with_timezone(&Paris).year()
}

async fn every_decision_on_a_grant_is_notified_and_the_reception_opens_the_appeal_period(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;
    let applicant = app.applicant(&d.applicant);
    assert!(notifications(&applicant, &d.path()).await.is_empty(), "nothing decided yet");

    approve(&instructor, &d, GRANT).await.ok(200);
    let list = notifications(&applicant, &d.path()).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let grant = &list[0];
    assert_eq!(grant["kind"], "grant");
    assert_eq!(grant["number"], format!("NOT-{}-000001", paris_year()));
    assert_eq!(grant["decision_reference"], "DEL-2026-114");
    assert_eq!(grant["granted_cents"], GRANT);
    assert_eq!(grant["convention_required"], true, "DI-ESS grants by convention");
    assert_eq!((grant["notified_on"].clone(), grant["appeal_until"].clone()), (Value::Null, Value::Null));
    let (status, etag, text, bytes) = letter(&applicant, grant).await;
    assert_eq!(status, 200);
    let sha = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!((etag, grant["letter"]["sha256"].as_str()), (Some(format!("\"{sha}\"")), Some(sha.as_str())));
    for expected in [
        format!("Notification n° NOT-{}-000001", paris_year()),
        format!("Par décision n° DEL-2026-114 du {}", fr(&today())),
        "d'un montant de 60 000,00 €".to_string(),
        "Une convention".to_string(),
        "tribunal administratif".to_string(),
        "Télérecours citoyens".to_string(),
    ] {
        assert!(text.contains(&expected), "the grant's letter says {expected:?}:\n{text}");
    }

    // The reception: staff only, not in the future, not before the letter, then once.
    let path = format!("{}/notifications/{}/reception", d.path(), grant["id"].as_str().unwrap());
    applicant.post(&path, &json!({"notified_on": today()})).await.problem(403);
    let tomorrow = (Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    assert_eq!(
        instructor.post(&path, &json!({"notified_on": tomorrow})).await.error_fields(),
        ["notified_on"]
    );
    let before = (Utc::now().with_timezone(&Paris).date_naive() - chrono::Days::new(1)).to_string();
    let early = instructor.post(&path, &json!({"notified_on": before})).await;
    assert_eq!(early.problem(422)["errors"][0]["code"], "before_issue");
    let version = instructor.get(&d.path()).await.ok(200)["version"].as_i64().unwrap();
    let notified_on = Utc::now().with_timezone(&Paris).date_naive();
    let recorded = instructor.post(&path, &json!({"notified_on": notified_on})).await.ok(200).clone();
    let appeal_until = essor::domain::notification::appeal_until(notified_on);
    assert!(appeal_until > notified_on + chrono::Months::new(2), "two clear months");
    assert_eq!(recorded["notified_on"], notified_on.to_string());
    assert_eq!(recorded["appeal_until"], appeal_until.to_string());
    let dossier = applicant.get(&d.path()).await.ok(200).clone();
    assert_eq!(
        (dossier["notified_on"].as_str(), dossier["appeal_until"].as_str(), dossier["version"].as_i64()),
        (Some(notified_on.to_string().as_str()), Some(appeal_until.to_string().as_str()), Some(version + 1))
    );
    let again = instructor.post(&path, &json!({"notified_on": notified_on})).await;
    assert_eq!(again.problem(409)["code"], "already_notified");
    let history = instructor.get(&d.path_to("history")).await.ok(200).clone();
    let lines: Vec<&str> = history.as_array().unwrap().iter().filter_map(|h| h["comment"].as_str()).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("Notification NOT-") && l.contains("de l'attribution émise")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("reçue le") && l.contains("recours possible jusqu'au")),
        "{lines:?}"
    );

    // An amendment and a cancellation are notified in turn; the dossier's reception was the grant's.
    let amend = json!({"granted_cents": 50_000_00, "decided_on": today(), "decision_reference": "AV-2026-7",
        "comment": "Le coût réel des travaux est inférieur au devis."});
    let amended = instructor.post_once(&d.path_to("amend"), &amend, &key()).await.ok(200).clone();
    assert_eq!((amended["notified_on"].clone(), amended["appeal_until"].clone()), (Value::Null, Value::Null));
    let cancel =
        json!({"comment": "Les travaux n'ont pas commencé dans le délai fixé.", "decided_on": today()});
    instructor.post_once(&d.path_to("cancel"), &cancel, &key()).await.ok(200);
    let list = notifications(&instructor, &d.path()).await;
    let kinds: Vec<&str> = list.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["grant", "amendment", "cancellation"]);
    let numbers: Vec<&str> = list.iter().map(|n| n["number"].as_str().unwrap()).collect();
    let year = paris_year();
    assert_eq!(
        numbers,
        [format!("NOT-{year}-000001"), format!("NOT-{year}-000002"), format!("NOT-{year}-000003")]
    );
    assert_eq!(
        (list[1]["previous_granted_cents"].as_i64(), list[1]["granted_cents"].as_i64()),
        (Some(GRANT), Some(50_000_00))
    );
    let (_, _, amendment_text, _) = letter(&instructor, &list[1]).await;
    for expected in [
        "Son montant passe de 60 000,00 € à 50 000,00 €",
        "Le coût réel des travaux est inférieur au devis",
        "Un avenant",
    ] {
        assert!(amendment_text.contains(expected), "the amendment says {expected:?}:\n{amendment_text}");
    }
    let (_, _, cancellation_text, _) = letter(&instructor, &list[2]).await;
    for expected in [
        format!("Par décision du {}", fr(&today())),
        "a décidé de retirer la subvention de 50 000,00 €".to_string(),
        "n'ont pas commencé dans le délai fixé".to_string(),
    ] {
        assert!(
            cancellation_text.contains(&expected),
            "the cancellation says {expected:?}:\n{cancellation_text}"
        );
    }
    assert_eq!(list[2]["notified_on"], Value::Null);
    assert_eq!(list[0]["notified_on"], notified_on.to_string(), "the grant's reception stays with it");
}

async fn a_refusal_is_notified_with_its_reasons(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let d = under_review(&app, &scheme).await;
    let reason = "La structure ne compte aucun salarié, alors que le règlement exige au moins un équivalent temps plein.";
    app.instructor().act(&d.id, "reject", Some(json!({"comment": reason}))).await.ok(200);
    let applicant = app.applicant(&d.applicant);
    let list = notifications(&applicant, &d.path()).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let refusal = &list[0];
    assert_eq!(
        (refusal["kind"].as_str(), refusal["decision_reference"].clone(), refusal["reasons"].clone()),
        (Some("refusal"), Value::Null, json!([reason]))
    );
    assert_eq!(refusal["decided_on"], Utc::now().with_timezone(&Paris).date_naive().to_string());
    let (status, _, text, _) = letter(&applicant, refusal).await;
    assert_eq!(status, 200);
    let flat = text;
    for expected in [
        "Objet : refus de votre demande de subvention",
        "Motifs de la décision",
        "refusée pour le motif suivant",
        reason,
        "articles L. 211-2 et L. 211-5",
    ] {
        assert!(flat.contains(expected), "the refusal says {expected:?}:\n{flat}");
    }
    // A dismissal decides nothing on the merits: no notification.
    let other = under_review(&app, &scheme).await;
    app.instructor()
        .act(&other.id, "dismiss", Some(json!({"comment": "Doublon du dossier précédent."})))
        .await
        .ok(200);
    assert!(notifications(&app.instructor(), &other.path()).await.is_empty());
}

async fn notifications_are_their_applicants_and_staffs_only_and_never_rewritten(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let d = under_review(&app, &scheme).await;
    app.instructor()
        .act(&d.id, "reject", Some(json!({"comment": "Hors du territoire de la Métropole."})))
        .await
        .ok(200);
    let list = notifications(&app.instructor(), &d.path()).await;
    let stranger = app.register_applicant().await;
    let stranger = app.applicant(&stranger);
    stranger.get(&format!("{}/notifications", d.path())).await.problem(404);
    assert_eq!(letter(&stranger, &list[0]).await.0, 404);
    let unknown = format!("{}/notifications/{}/pdf", d.path(), uuid::Uuid::new_v4());
    app.instructor().get(&unknown).await.problem(404);
    assert!(app.try_execute("UPDATE notifications SET number = 99").is_err(), "UPDATE refused");
    assert!(app.try_execute(&format!("DELETE FROM notifications WHERE dossier_id = '{}'", d.id)).is_err());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM notifications WHERE number = 1"), 1);
}
