//! Reasons, rendered on demand: the sentence for people of a [`CriterionResult`], a message of
//! the catalogues (`locales/<language>/reasons.ftl`, ids `reason-*`) chosen from its stable code
//! and written with its typed figures in the reader's language, only when asked for or when the
//! report is serialised. Nothing is built for it but Fluent's arguments: the figures are lent
//! ([`ArgRef`]) and written on the stack, the sentence straight into the formatter it is given
//! (into the JSON being serialised, or one `String` for [`CriterionResult::reason`]).

use std::fmt::{self, Write as _};
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

use super::report::{CriterionCode, CriterionResult, FigureName, Figures, ShortCode};
use crate::domain::code::Code;
use crate::domain::identifiers::{legal_family, LegalFamily};
use crate::domain::lang::{write_message, ArgRef, Lang, Text};
use crate::domain::rules::CriterionMode;

/// The reason of a result in a language, written where it is displayed.
#[derive(Debug, Clone, Copy)]
pub struct Reason<'a> {
    result: &'a CriterionResult,
    lang: Lang,
}

impl CriterionResult {
    /// The sentence for people in `lang`, with the figures used, e.g. "Operating revenue
    /// (€42,000.00) covers 42.00 % of operating costs (€100,000.00); the rules require at least
    /// 50.00 %." or "Les produits d'exploitation (42 000,00 €) couvrent 42,00 % des charges
    /// d'exploitation (100 000,00 €) ; les règles exigent au moins 50,00 %." Rendered from
    /// `code` and `figures` on each call; an advisory result says it is not counted.
    pub fn reason(&self, lang: Lang) -> String {
        let mut s = String::with_capacity(192);
        let _ = write!(s, "{}", self.reason_in(lang));
        s
    }

    /// The same sentence, to be written (or serialised) where it is needed, without a `String`.
    pub fn reason_in(&self, lang: Lang) -> Reason<'_> {
        Reason { result: self, lang }
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(f, self.lang, self.result)
    }
}

/// A JSON string, written through the serializer's own escaping (no intermediate `String` with
/// serde_json).
impl Serialize for Reason<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What stands for a figure the result lacks.
static NOT_PROVIDED: LazyLock<Text> = LazyLock::new(|| crate::text!("reason-not-provided"));
static UNKNOWN_DATE: LazyLock<Text> = LazyLock::new(|| crate::text!("reason-unknown-date"));
static UNREADABLE_CODE: LazyLock<Text> = LazyLock::new(|| crate::text!("reason-unreadable-code"));

/// A result's figures as arguments of its message, in the unit of each.
struct Read<'a> {
    figures: &'a Figures,
    /// The codes, copied out of the figures so that their text can be lent.
    legal_form: Option<ShortCode>,
    commune: Option<ShortCode>,
    head_office_commune: Option<ShortCode>,
}

impl<'a> Read<'a> {
    fn new(figures: &'a Figures) -> Self {
        Read {
            figures,
            legal_form: figures.code_of(FigureName::LegalFormCode),
            commune: figures.code_of(FigureName::CommuneCode),
            head_office_commune: figures.code_of(FigureName::HeadOfficeCommuneCode),
        }
    }

    fn money(&self, name: FigureName) -> ArgRef<'static> {
        match self.figures.int_of(name) {
            Some(cents) => ArgRef::Cents(cents),
            None => ArgRef::Text(&NOT_PROVIDED),
        }
    }

    fn bp(&self, name: FigureName) -> ArgRef<'static> {
        ArgRef::Bp(self.int(name))
    }

    fn fte(&self, name: FigureName) -> ArgRef<'static> {
        ArgRef::Fte(self.int(name))
    }

    fn count(&self, name: FigureName) -> ArgRef<'static> {
        ArgRef::Count(self.int(name))
    }

    fn date(&self, name: FigureName) -> ArgRef<'static> {
        match self.figures.date_of(name) {
            Some(day) => ArgRef::Date(day),
            None => ArgRef::Text(&UNKNOWN_DATE),
        }
    }

    /// The legal-form code, the premises' commune or the head office's.
    fn code(&self, name: FigureName) -> ArgRef<'_> {
        let code = match name {
            FigureName::LegalFormCode => &self.legal_form,
            FigureName::HeadOfficeCommuneCode => &self.head_office_commune,
            _ => &self.commune,
        };
        match code {
            Some(code) => ArgRef::Str(code.as_str()),
            None => ArgRef::Text(&UNREADABLE_CODE),
        }
    }

    fn has_int(&self, name: FigureName) -> bool {
        self.figures.int_of(name).is_some()
    }

    fn has_date(&self, name: FigureName) -> bool {
        self.figures.date_of(name).is_some()
    }

    fn int(&self, name: FigureName) -> i64 {
        self.figures.int_of(name).unwrap_or(0)
    }

    /// The legal family of the legal-form code, for a select of the message.
    fn family(&self) -> ArgRef<'static> {
        let family = self.legal_form.map_or(LegalFamily::Other, |c| legal_family(c.as_str()));
        ArgRef::Str(family.as_str())
    }
}

/// Writes the message of a result, chosen by its code (and for some codes by the figures it
/// has), with its figures; then, for an advisory criterion, that it is not counted.
fn write_reason(out: &mut fmt::Formatter<'_>, lang: Lang, result: &CriterionResult) -> fmt::Result {
    use CriterionCode::*;
    use FigureName::*;
    /// `text!`'s twin for the reasons: writes the message `id` with its `name = value`
    /// arguments, lent ([`ArgRef`]) from the stack rather than kept in a [`Text`]. The catalogue
    /// tests read it as they read `text!`: each message exists, in every language, with exactly
    /// these arguments.
    macro_rules! reason_text {
        ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
            write_message(out, lang, $id, &[$((stringify!($name), $value)),*])
        };
    }
    let f = &Read::new(&result.figures);
    match result.code {
        EmploymentMet => reason_text!(
            "reason-employment-met",
            staff = f.fte(SalariedStaffFte),
            min_staff = f.fte(MinSalariedStaffFte),
        ),
        EmploymentNoSalariedStaff => {
            reason_text!("reason-employment-no-salaried-staff", staff = f.fte(SalariedStaffFte))
        }
        EmploymentBelowMinimum => reason_text!(
            "reason-employment-below-minimum",
            staff = f.fte(SalariedStaffFte),
            min_staff = f.fte(MinSalariedStaffFte),
        ),
        EmploymentMissingData => reason_text!("reason-employment-missing-data"),
        EmploymentInvalidData => reason_text!("reason-employment-invalid-data"),
        EmploymentNoMinimum => reason_text!("reason-employment-no-minimum", staff = f.fte(SalariedStaffFte)),
        MarketActivityMet => reason_text!(
            "reason-market-activity-met",
            sales = f.money(SalesRevenueCents),
            share = f.bp(SalesShareBp),
            revenue = f.money(OperatingRevenueCents),
            min_share = f.bp(MinSalesShareBp),
        ),
        MarketActivityBelowThreshold => reason_text!(
            "reason-market-activity-below-threshold",
            sales = f.money(SalesRevenueCents),
            share = f.bp(SalesShareBp),
            revenue = f.money(OperatingRevenueCents),
            min_share = f.bp(MinSalesShareBp),
        ),
        MarketActivityNotDeclared => reason_text!("reason-market-activity-not-declared"),
        // Without a threshold figure the rules set no minimum share: only the declaration counts.
        MarketActivityMissingData if !f.has_int(MinSalesShareBp) => {
            reason_text!("reason-market-activity-missing-declaration")
        }
        MarketActivityMissingData => reason_text!("reason-market-activity-missing-data"),
        MarketActivityNoMinimum if f.has_int(SalesShareBp) => reason_text!(
            "reason-market-activity-no-minimum",
            sales = f.money(SalesRevenueCents),
            share = f.bp(SalesShareBp),
            revenue = f.money(OperatingRevenueCents),
        ),
        MarketActivityNoMinimum => reason_text!("reason-market-activity-no-minimum-no-figures"),
        MarketActivityInconsistentData => reason_text!(
            "reason-market-activity-inconsistent-data",
            sales = f.money(SalesRevenueCents),
            revenue = f.money(OperatingRevenueCents),
        ),
        MarketActivityForecastAccounts => reason_text!(
            "reason-market-activity-forecast-accounts",
            sales = f.money(SalesRevenueCents),
            share = f.bp(SalesShareBp),
            revenue = f.money(OperatingRevenueCents),
            min_share = f.bp(MinSalesShareBp),
        ),
        OwnRevenueShareMet => reason_text!(
            "reason-own-revenue-share-met",
            revenue = f.money(OperatingRevenueCents),
            share = f.bp(OwnRevenueShareBp),
            costs = f.money(OperatingCostsCents),
            min_share = f.bp(MinOwnRevenueShareBp),
        ),
        OwnRevenueShareBelowThreshold => reason_text!(
            "reason-own-revenue-share-below-threshold",
            revenue = f.money(OperatingRevenueCents),
            share = f.bp(OwnRevenueShareBp),
            costs = f.money(OperatingCostsCents),
            min_share = f.bp(MinOwnRevenueShareBp),
        ),
        OwnRevenueShareForecastAccounts => reason_text!(
            "reason-own-revenue-share-forecast-accounts",
            revenue = f.money(OperatingRevenueCents),
            share = f.bp(OwnRevenueShareBp),
            costs = f.money(OperatingCostsCents),
            min_share = f.bp(MinOwnRevenueShareBp),
        ),
        OwnRevenueShareMissingData => reason_text!("reason-own-revenue-share-missing-data"),
        OwnRevenueShareNoMinimum if f.has_int(OwnRevenueShareBp) => reason_text!(
            "reason-own-revenue-share-no-minimum",
            revenue = f.money(OperatingRevenueCents),
            share = f.bp(OwnRevenueShareBp),
            costs = f.money(OperatingCostsCents),
        ),
        OwnRevenueShareNoMinimum => reason_text!("reason-own-revenue-share-no-minimum-no-figures"),
        OwnRevenueShareInconsistentData => reason_text!(
            "reason-own-revenue-share-inconsistent-data",
            revenue = f.money(OperatingRevenueCents),
            costs = f.money(OperatingCostsCents),
        ),
        EssStatusAcceptedFamily => reason_text!(
            "reason-ess-status-accepted-family",
            legal_form = f.code(LegalFormCode),
            family = f.family(),
        ),
        EssStatusFamilyNotAccepted => reason_text!(
            "reason-ess-status-family-not-accepted",
            legal_form = f.code(LegalFormCode),
            family = f.family(),
        ),
        EssStatusEsusValid if f.has_date(EsusEndsOn) => reason_text!(
            "reason-ess-status-esus-valid-until",
            legal_form = f.code(LegalFormCode),
            approved_on = f.date(EsusApprovedOn),
            ends_on = f.date(EsusEndsOn),
        ),
        EssStatusEsusValid => reason_text!(
            "reason-ess-status-esus-valid-expires",
            legal_form = f.code(LegalFormCode),
            approved_on = f.date(EsusApprovedOn),
            expires_on = f.date(EsusExpiresOn),
        ),
        EssStatusEsusByRight => {
            reason_text!("reason-ess-status-esus-by-right", legal_form = f.code(LegalFormCode))
        }
        EssStatusStatutesToCheck => {
            reason_text!("reason-ess-status-statutes-to-check", legal_form = f.code(LegalFormCode))
        }
        EssStatusEsusMissing => {
            reason_text!("reason-ess-status-esus-missing", legal_form = f.code(LegalFormCode))
        }
        EssStatusEsusNotYetValid => reason_text!(
            "reason-ess-status-esus-not-yet-valid",
            approved_on = f.date(EsusApprovedOn),
            evaluated_on = f.date(EvaluatedOn),
        ),
        EssStatusEsusExpired if f.has_date(EsusEndsOn) => reason_text!(
            "reason-ess-status-esus-expired-until",
            approved_on = f.date(EsusApprovedOn),
            ends_on = f.date(EsusEndsOn),
            evaluated_on = f.date(EvaluatedOn),
        ),
        EssStatusEsusExpired => reason_text!(
            "reason-ess-status-esus-expired",
            approved_on = f.date(EsusApprovedOn),
            expires_on = f.date(EsusExpiresOn),
            validity_years = f.count(EsusValidityYears),
            evaluated_on = f.date(EvaluatedOn),
        ),
        EssStatusInvalidLegalForm => {
            reason_text!("reason-ess-status-invalid-legal-form", legal_form = f.code(LegalFormCode))
        }
        EssStatusMissingData => reason_text!("reason-ess-status-missing-data"),
        // A territory criterion that checks the head office carries its commune.
        TerritoryInside if f.head_office_commune.is_some() => reason_text!(
            "reason-territory-head-office-inside",
            commune = f.code(HeadOfficeCommuneCode),
            communes = f.count(TerritoryCommunes),
        ),
        TerritoryOutside if f.head_office_commune.is_some() => reason_text!(
            "reason-territory-head-office-outside",
            commune = f.code(HeadOfficeCommuneCode),
            communes = f.count(TerritoryCommunes),
        ),
        TerritoryInside => reason_text!(
            "reason-territory-inside",
            commune = f.code(CommuneCode),
            communes = f.count(TerritoryCommunes),
        ),
        TerritoryOutside => reason_text!(
            "reason-territory-outside",
            commune = f.code(CommuneCode),
            communes = f.count(TerritoryCommunes),
        ),
        TerritoryInvalidCommuneCode if f.head_office_commune.is_some() => reason_text!(
            "reason-territory-head-office-invalid-commune-code",
            commune = f.code(HeadOfficeCommuneCode),
        ),
        TerritoryInvalidCommuneCode => {
            reason_text!("reason-territory-invalid-commune-code", commune = f.code(CommuneCode))
        }
        TerritoryMissingData => reason_text!("reason-territory-missing-data"),
        TerritoryHeadOfficeMissingData => reason_text!("reason-territory-head-office-missing-data"),
        // With the aid the applicant declared, or without a declaration (which the reason says).
        DeMinimisWithinCeiling if f.has_int(DeclaredAidCents) => reason_text!(
            "reason-de-minimis-within-ceiling",
            window_start = f.date(WindowStartExclusive),
            declared = f.money(DeclaredAidCents),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
        ),
        DeMinimisWithinCeiling => reason_text!(
            "reason-de-minimis-within-ceiling-no-declaration",
            window_start = f.date(WindowStartExclusive),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
        ),
        DeMinimisCeilingExceeded if f.has_int(DeclaredAidCents) => reason_text!(
            "reason-de-minimis-ceiling-exceeded",
            window_start = f.date(WindowStartExclusive),
            declared = f.money(DeclaredAidCents),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
            excess = ArgRef::Cents(f.int(TotalCents).saturating_sub(f.int(CeilingCents))),
        ),
        DeMinimisCeilingExceeded => reason_text!(
            "reason-de-minimis-ceiling-exceeded-no-declaration",
            window_start = f.date(WindowStartExclusive),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
            excess = ArgRef::Cents(f.int(TotalCents).saturating_sub(f.int(CeilingCents))),
        ),
        DeMinimisNotDeclared if f.has_int(DeclaredAidCents) => reason_text!(
            "reason-de-minimis-not-declared-with-aid",
            window_start = f.date(WindowStartExclusive),
            declared = f.money(DeclaredAidCents),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
        ),
        DeMinimisNotDeclared => reason_text!(
            "reason-de-minimis-not-declared",
            window_start = f.date(WindowStartExclusive),
            essor_grants = f.money(EssorGrantsCents),
            proposed = f.money(ProposedGrantCents),
            total = f.money(TotalCents),
            ceiling = f.money(CeilingCents),
        ),
        DeMinimisInconsistentData => reason_text!("reason-de-minimis-inconsistent-data"),
        EmploymentOff | MarketActivityOff | OwnRevenueShareOff | EssStatusOff | TerritoryOff
        | DeMinimisOff => {
            reason_text!("reason-off", criterion = ArgRef::Str(result.criterion.as_str()))
        }
    }?;
    if result.mode == CriterionMode::Advisory {
        out.write_char(' ')?;
        reason_text!("reason-advisory")?;
    }
    Ok(())
}
