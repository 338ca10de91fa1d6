//! The notification of a decision, one test per kind (grant, refusal, amendment,
//! cancellation) on its sample, and the wording when optional values are missing.

use super::*;

/// The sample whose file is `templates/samples/notification<suffix>.json`.
fn sample(suffix: &str) -> serde_json::Value {
    let name = format!("templates/samples/notification{suffix}.json");
    let (_, json) = LetterKind::Notification.samples().iter().find(|(file, _)| *file == name).unwrap();
    serde_json::from_str(json).unwrap()
}

fn notification_text(context: &serde_json::Value) -> String {
    let pdf = shipped().get("normandie", LetterKind::Notification).render(context, &meta()).unwrap();
    flat(&pdftotext(&pdf))
}

/// What every notification says, whatever its kind: who it is for, its number and dates, and
/// how to appeal.
fn assert_common(text: &str, context: &serde_json::Value) {
    let value = |pointer: &str| flat(context.pointer(pointer).unwrap().as_str().unwrap());
    for expected in [
        value("/applicant/name"),
        value("/applicant/address"),
        format!("Notification n° {}", value("/notification/number")),
        format!("Le {}", value("/notification/issued_on")),
        match context.pointer("/decision/reference").unwrap().as_str() {
            Some(reference) => {
                format!("Décision n° {} du {}", flat(reference), value("/decision/decided_on"))
            }
            None => format!("Décision du {}", value("/decision/decided_on")),
        },
        value("/dossier/title"),
        "recours gracieux auprès de l'autorité signataire (Métropole Rouen Normandie)".into(),
        "dans un délai de deux mois à compter de la réception de cette notification".into(),
        "recours contentieux devant le tribunal administratif".into(),
        "article R. 421-1 du code de justice administrative".into(),
        "Télérecours citoyens".into(),
        "www.telerecours.fr".into(),
    ] {
        assert!(text.contains(&expected), "{expected:?} missing from:\n{text}");
    }
    assert!(!text.to_lowercase().contains("none"), "a null printed as `none`:\n{text}");
}

fn assert_contains(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn a_grant_says_the_amount_the_deliberation_the_conditions_and_the_convention() {
    let context = sample("");
    let text = notification_text(&context);
    assert_common(&text, &context);
    assert_contains(
        &text,
        &[
            "Objet : attribution d'une subvention",
            "Par délibération n° DEL-2027-001 du 15/01/2027, le Bureau métropolitain a décidé de vous attribuer une subvention d'un montant de 75 000,00 €",
            "Ce montant diffère de celui que vous aviez sollicité (80 000,00 €)",
            "Conditions d'attribution",
            "les travaux commenceront avant le 31/12/2027",
            "Une convention",
            "vous sera adressée pour signature",
            "Les versements interviendront dans les conditions prévues par cette convention",
            "article 10 de la loi n° 2000-321 du 12 avril 2000",
            "Tribunal administratif de Rouen, 53 avenue Gustave Flaubert, 76000 Rouen",
            "Le Président de la Métropole, par délégation",
            "Page 1 / 1",
        ],
    );
}

#[test]
fn a_refusal_gives_its_reasons_of_fact_and_law_in_the_letter() {
    let context = sample(".refusal");
    let text = notification_text(&context);
    assert_common(&text, &context);
    let reasons = context["decision"]["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2);
    for reason in reasons {
        let reason = flat(reason.as_str().unwrap());
        assert!(text.contains(&format!("• {reason}")), "{reason:?} missing from:\n{text}");
    }
    assert_contains(
        &text,
        &[
            "Objet : refus de votre demande de subvention",
            // decision.body and decision.reference are null: the territory's service decided.
            "Par décision du 15/01/2027, Métropole Rouen Normandie a décidé de ne pas donner suite",
            "Motifs de la décision",
            "règlement du dispositif « Fonds d'amorçage ESS »",
            "refusée pour les motifs suivants",
            "Le critère « emploi » n'est pas rempli",
            "articles L. 211-2 et L. 211-5 du code des relations entre le public et l'administration",
            // territory.court and the signatory are null: their fallbacks.
            "tribunal administratif territorialement compétent",
            "Pour l'autorité territoriale, par délégation",
        ],
    );
    // territory.siret is null too: no SIRET line for the territory (the applicant's stays).
    for absent in ["montant sollicité", "convention", "Direction de l'économie", "SIRET : 2000"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}

#[test]
fn an_amendment_says_the_previous_and_the_new_amount() {
    let context = sample(".amendment");
    let text = notification_text(&context);
    assert_common(&text, &context);
    assert_contains(
        &text,
        &[
            "Objet : modification de la subvention attribuée",
            "Par délibération n° DEL-2027-014 du 05/03/2027, le Bureau métropolitain a décidé de modifier la subvention",
            "Son montant passe de 75 000,00 € à 60 000,00 €.",
            "le motif suivant",
            "ramené de 160 000,00 € à 128 000,00 €",
            "Un avenant à la convention",
            "10/03/2027",
        ],
    );
}

#[test]
fn a_cancellation_withdraws_the_grant_and_releases_what_is_unpaid() {
    let context = sample(".cancellation");
    let text = notification_text(&context);
    assert_common(&text, &context);
    assert_contains(
        &text,
        &[
            "Objet : retrait de la subvention attribuée",
            "Par décision n° ARR-2027-042 du 28/05/2027, Métropole Rouen Normandie a décidé de retirer la subvention de 75 000,00 €",
            "Ce retrait est motivé par le motif suivant",
            "délai d'un an fixé par la décision d'attribution",
            "aucun versement ne sera plus effectué",
            "la part qui ne vous a pas été versée est annulée",
            "tribunal administratif territorialement compétent",
            "Pour l'autorité territoriale, par délégation",
            "02/06/2027",
        ],
    );
}

#[test]
fn missing_optional_values_change_the_wording_not_the_letter() {
    let mut grant = sample("");
    grant["decision"]["conditions"] = serde_json::Value::Null;
    grant["decision"]["convention_required"] = false.into();
    grant["decision"]["granted"] = serde_json::Value::Null;
    grant["dossier"]["requested"] = serde_json::Value::Null;
    let text = notification_text(&grant);
    assert_common(&text, &grant);
    assert_contains(
        &text,
        &[
            "a décidé de vous attribuer une subvention pour la réalisation du projet",
            "Les versements interviendront dans les conditions prévues par le règlement du dispositif",
        ],
    );
    for absent in
        ["Conditions d'attribution", "d'un montant de", "diffère", "montant sollicité", "vous sera adressée"]
    {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }

    let mut refusal = sample(".refusal");
    refusal["decision"]["reasons"] = serde_json::json!([]);
    refusal["decision"]["reference"] = "DEL-2027-001".into();
    let text = notification_text(&refusal);
    assert_common(&text, &refusal);
    assert_contains(
        &text,
        &["Les motifs de droit et de fait de ce refus sont exposés dans la décision n° DEL-2027-001"],
    );

    let mut amendment = sample(".amendment");
    amendment["decision"]["previous_granted"] = serde_json::Value::Null;
    let text = notification_text(&amendment);
    assert_contains(&text, &["Son montant est désormais de 60 000,00 €."]);
}
