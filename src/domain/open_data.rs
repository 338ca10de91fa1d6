//! Open data: a grant as a row of the SCDL "subventions" 2.1.1 file (the French standard that
//! décret 2017-779 requires for subsidies), field by field in the schema's order and formats.

use chrono::NaiveDate;

use super::scdl::PublishedTerms;
/// The columns of the SCDL "subventions" 2.1.1 schema, in its order (the import reads the same).
pub use super::scdl::FIELDS as SCDL_COLUMNS;

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
            one_line(&self.attributor_name),
            self.attributor_siret.clone(),
            convention.to_string(),
            self.decision_reference.as_deref().map(one_line).unwrap_or_default(),
            one_line(&self.beneficiary_name),
            self.beneficiary_siret.clone(),
            self.beneficiary_rna.clone().unwrap_or_default(),
            one_line(&self.purpose).chars().take(256).collect(),
            euros_with_point(self.granted_cents),
            terms.nature,
            terms.payment_conditions,
            terms.payment_period,
            terms.rae_id.unwrap_or_default(),
            if terms.eu_notified { "oui" } else { "non" }.into(),
            terms.subsidy_share,
            one_line(&self.scheme_name),
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
}
