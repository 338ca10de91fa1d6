//! The convention and its amendments, on their samples: the parties, the amount, the schedule,
//! the obligations, the duration, lapse and recovery; and the wording by model.

use super::*;

fn sample(suffix: &str) -> serde_json::Value {
    let name = format!("templates/samples/convention{suffix}.json");
    let (_, json) = LetterKind::Convention.samples().iter().find(|(file, _)| *file == name).unwrap();
    serde_json::from_str(json).unwrap()
}

fn text_of(context: &serde_json::Value) -> (String, usize) {
    let pdf = shipped().get("normandie", LetterKind::Convention).render(context, &meta()).unwrap();
    let text = pdftotext(&pdf);
    (flat(&text), text.matches('\u{c}').count())
}

fn assert_contains(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn a_works_convention_states_the_parties_amount_schedule_obligations_and_clauses() {
    let (text, pages) = text_of(&sample(""));
    assert_contains(
        &text,
        &[
            "Convention n° CONV-2027-000001",
            "Métropole Rouen Normandie (SIRET : 20004362500014), représentée par Le Président de la Métropole, par délégation",
            "Les Ateliers Solidaires (SIRET : 73282932000074), dont le siège est situé 12 rue de la République, 76000 Rouen",
            "Vu la loi n° 2000-321 du 12 avril 2000",
            "article L. 1511-3",
            "Vu la décision n° DEL-2027-001 du 15/01/2027 attribuant la subvention",
            "l'acquisition, la construction ou l'aménagement de locaux d'activité situés 5 rue des Emmurées, 76100 Rouen",
            "d'un montant maximal de 60 000,00 €",
            "dépense subventionnable de 200 000,00 € hors taxes",
            "Aucun versement n'intervient avant la signature de la présente convention par les deux parties",
            "Avance (au plus 30 %)",
            "18 000,00 €",
            "Acompte n° 1",
            "48 000,00 €",
            "Compte rendu financier (Cerfa n° 15059)",
            "au plus tard le 30/06/2028",
            "pour une durée de 36 mois",
            "dans un délai de 12 mois",
            "caduque pour sa part non versée",
            "titre de recette",
            "Tribunal administratif de Rouen",
            "Pour le bénéficiaire",
            "Pour la collectivité",
        ],
    );
    assert!(pages >= 2, "a convention runs over pages: {pages}");
}

#[test]
fn a_rent_convention_speaks_of_the_rent_and_falls_back_where_values_are_missing() {
    let (text, _) = text_of(&sample(".rent"));
    assert_contains(
        &text,
        &[
            "une partie du loyer de ses locaux d'activité",
            "loyer mensuel de 1 000,00 €, pour 24 mois",
            "Acompte n° 2",
            "représentée par l'autorité territoriale, par délégation",
            "tribunal administratif territorialement compétent",
        ],
    );
    for absent in ["Avance", "au plus tard le", "Description du projet", "SIRET : 2000"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
    let (general, _) = text_of(&sample(".general"));
    assert!(!general.contains("L. 1511-3"), "no business-premises aid:\n{general}");
    assert!(general.contains("Ce montant est un plafond"), "{general}");
}

#[test]
fn an_amendment_is_a_numbered_document_of_the_same_convention() {
    let (text, _) = text_of(&sample(".amendment"));
    assert_contains(
        &text,
        &[
            "Avenant n° 1 à la convention n° CONV-2027-000001",
            "Vu la décision n° AV-2027-014 du 05/03/2027 modifiant la subvention attribuée",
            "le montant de la subvention, de 60 000,00 €, est fixé à 50 000,00 €",
            "Motif de la modification : Le coût réel des travaux est inférieur au devis initial.",
            "15 000,00 €",
            "demeurent inchangées",
            "prend effet à la date de sa signature par la dernière des parties",
        ],
    );
    assert!(!text.contains("Article 7"), "an amendment carries only what it changes:\n{text}");
}
