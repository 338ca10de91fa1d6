//! The annex of a session's deliberation: planned and decided, its totals against the
//! envelopes, and a 200-line table over several pages.

use super::*;

fn sample(index: usize) -> serde_json::Value {
    serde_json::from_str(LetterKind::Annex.samples()[index].1).unwrap()
}

fn annex_text(context: &serde_json::Value) -> String {
    let pdf = shipped().get("normandie", LetterKind::Annex).render(context, &meta()).unwrap();
    pdftotext(&pdf)
}

fn assert_contains(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn a_decided_session_lists_outcomes_and_votes_and_flags_an_envelope_overrun() {
    let text = flat(&annex_text(&sample(0)));
    assert_contains(
        &text,
        &[
            "Métropole Rouen Normandie",
            "Annexe à la délibération n° DEL-2027-001",
            "Séance : Bureau métropolitain du 15 janvier 2027",
            "Bureau, réunie le 15/01/2027",
            "Délibération n° DEL-2027-001 du 15/01/2027",
            "Les Ateliers Solidaires",
            "73282932000074",
            "Régie de quartier des Hauts de Rouen",
            // The header's cells wrap, and pdftotext reads them line by line.
            "Montant Décision Montant proposé voté",
            "Approuvé",
            "Rejeté",
            "Ajourné",
            "75 000,00 €",
            "Dynamique Immobilier ESS",
            "Dans la limite de l'enveloppe",
            "800 000,00 €",
            "Dépasse l'enveloppe",
            "le total proposé de 55 000,00 € dépasse l'enveloppe disponible de 40 000,00 €",
            "Total général proposé : 210 000,00 €",
            "Vu pour être annexé à la délibération n° DEL-2027-001 du 15/01/2027",
            "Le Président de la Métropole, par délégation",
            "Page 1 / 1",
        ],
    );
    assert!(!text.contains("Projet d'annexe") && !text.contains("Avis du"), "{text}");
}

#[test]
fn a_calls_session_ranks_its_lines_with_their_scores_in_place_of_the_scheme() {
    let text = flat(&annex_text(&sample(2)));
    assert_contains(
        &text,
        &[
            "Appel à projets : les dossiers sont classés selon la note pondérée",
            "Rang Note",
            "1 92,00 Les Ateliers Solidaires",
            "73282932000074",
            "2 71,50 Coopérative Le Panier Rouennais",
            "Régie de quartier des Hauts de Rouen",
            "Total général proposé : 210 000,00 €",
        ],
    );
    // One scheme: the table does not repeat it on every line.
    assert_eq!(text.matches("Dynamique Immobilier ESS").count(), 1, "{text}");
}

#[test]
fn a_planned_session_is_a_draft_with_the_recommendations_and_says_when_there_is_no_envelope() {
    let text = flat(&annex_text(&sample(1)));
    assert_contains(
        &text,
        &[
            "Projet d'annexe — séance du 12/02/2027",
            "ne vaut pas décision",
            "Subventions proposées (3 dossiers)",
            "Montant Avis du proposé service",
            "Favorable",
            "Défavorable",
            "Vélo Solidaire Rouen",
            "Aucune enveloppe ouverte",
            "Fonds d'amorçage ESS », exercice 2027 : aucune enveloppe n'est ouverte",
            "Total général proposé : 180 000,00 €",
        ],
    );
    for absent in ["Annexe à la délibération", "Décision", "voté", "Vu pour être annexé", "none"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}

#[test]
fn a_session_without_lines_says_so() {
    let mut context = sample(1);
    context["lines"] = serde_json::json!([]);
    context["schemes"] = serde_json::json!([]);
    context["total_proposed"] = "0,00\u{a0}€".into();
    let text = flat(&annex_text(&context));
    assert_contains(
        &text,
        &["Aucune subvention n'est inscrite à cette séance.", "Total général proposé : 0,00 €"],
    );
    assert!(!text.contains("Totaux par dispositif"), "{text}");
}

#[test]
fn two_hundred_lines_flow_over_several_pages_with_the_header_repeated() {
    let mut context = sample(0);
    let template = context["lines"][0].clone();
    let lines: Vec<serde_json::Value> = (1..=200)
        .map(|position| {
            let mut line = template.clone();
            line["position"] = position.into();
            line["beneficiary"] = match position {
                1 => "Les Ateliers Solidaires".into(),
                200 => "Régie de quartier des Hauts de Rouen".into(),
                _ => format!("Association numéro {position}").into(),
            };
            line["object"] =
                format!("Projet d'intérêt collectif n° {position}, travaux et équipement").into();
            line
        })
        .collect();
    context["lines"] = lines.into();

    let pdf = shipped().get("normandie", LetterKind::Annex).render(&context, &meta()).unwrap();
    let text = pdftotext(&pdf);
    let pages = text.matches("Page ").count();
    assert!(pages >= 5, "{pages} pages:\n{text}");
    assert!(text.contains(&format!("Page {pages} / {pages}")), "{text}");
    // The header row is drawn again at the top of every page the table continues on.
    let headers = text.matches("Bénéficiaire").count();
    assert!(headers >= pages - 1, "{headers} headers on {pages} pages:\n{text}");
    let text = flat(&text);
    assert_contains(
        &text,
        &[
            "Subventions proposées (200 dossiers)",
            "Les Ateliers Solidaires",
            "Association numéro 2 ",
            "Association numéro 199",
            "Régie de quartier des Hauts de Rouen",
            "Total général proposé : 210 000,00 €",
        ],
    );
    let first = text.find("Les Ateliers Solidaires").unwrap();
    assert!(first < text.find("Association numéro 100").unwrap());
    assert!(text.find("Association numéro 100").unwrap() < text.find("Régie de quartier").unwrap());
}
