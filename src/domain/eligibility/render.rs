//! Reasons, rendered on demand: the sentence for people of a [`CriterionResult`], built from its
//! stable code and typed figures in the reader's language, only when asked for or when the report
//! is serialised. Rendering allocates nothing of its own: a [`Reason`] writes straight into the
//! formatter it is given (into the JSON being serialised, or one `String` for
//! [`CriterionResult::reason`]).

use std::fmt::{self, Write as _};

use serde::{Serialize, Serializer};

use super::report::{Criterion, CriterionCode, CriterionResult, FigureName, Figures};
use crate::domain::identifiers::{legal_family, LegalFamily};
use crate::domain::lang::{write_bp, write_cents, write_count, write_date, write_fte, Lang};
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
        let r = self.result;
        let mut w = Writer { out: f, figures: &r.figures, lang: self.lang };
        match self.lang {
            Lang::Fr => french(r.code, r.criterion, &mut w)?,
            _ => english(r.code, r.criterion, &mut w)?,
        }
        if r.mode == CriterionMode::Advisory {
            w.missing(
                " Critère indicatif : signalé, sans effet sur le résultat d'ensemble.",
                " Advisory criterion: reported, not counted in the overall result.",
            )?;
        }
        Ok(())
    }
}

/// A JSON string, written through the serializer's own escaping (no intermediate `String` with
/// serde_json).
impl Serialize for Reason<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Writes text and figures, the latter in the writer's language.
struct Writer<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    figures: &'a Figures,
    lang: Lang,
}

impl Writer<'_, '_> {
    fn s(&mut self, text: &str) -> fmt::Result {
        self.out.write_str(text)
    }

    fn missing(&mut self, fr: &str, en: &str) -> fmt::Result {
        self.out.write_str(match self.lang {
            Lang::Fr => fr,
            _ => en,
        })
    }

    fn cents(&mut self, cents: i64) -> fmt::Result {
        write_cents(self.out, cents, self.lang)
    }

    fn money(&mut self, name: FigureName) -> fmt::Result {
        match self.figures.int_of(name) {
            Some(v) => self.cents(v),
            None => self.missing("non renseigné", "not provided"),
        }
    }

    fn bp(&mut self, name: FigureName) -> fmt::Result {
        write_bp(self.out, self.figures.int_of(name).unwrap_or(0), self.lang)
    }

    fn fte(&mut self, name: FigureName) -> fmt::Result {
        write_fte(self.out, self.figures.int_of(name).unwrap_or(0), self.lang)
    }

    fn count(&mut self, name: FigureName) -> fmt::Result {
        write_count(self.out, self.figures.int_of(name).unwrap_or(0), self.lang)
    }

    fn date(&mut self, name: FigureName) -> fmt::Result {
        match self.figures.date_of(name) {
            Some(d) => write_date(self.out, d, self.lang),
            None => self.missing("date inconnue", "unknown date"),
        }
    }

    fn has_date(&self, name: FigureName) -> bool {
        self.figures.date_of(name).is_some()
    }

    fn has_code(&self, name: FigureName) -> bool {
        self.figures.code_of(name).is_some()
    }

    fn has_int(&self, name: FigureName) -> bool {
        self.figures.int_of(name).is_some()
    }

    fn int(&self, name: FigureName) -> i64 {
        self.figures.int_of(name).unwrap_or(0)
    }

    fn code(&mut self, name: FigureName) -> fmt::Result {
        match self.figures.code_of(name) {
            Some(c) => self.out.write_str(c.as_str()),
            None => self.missing("(illisible)", "(unreadable)"),
        }
    }

    fn family(&self) -> LegalFamily {
        self.figures
            .code_of(FigureName::LegalFormCode)
            .map_or(LegalFamily::Other, |c| legal_family(c.as_str()))
    }
}

fn english(code: CriterionCode, criterion: Criterion, w: &mut Writer<'_, '_>) -> fmt::Result {
    use CriterionCode::*;
    use FigureName::*;
    let family = |w: &mut Writer<'_, '_>| {
        let family = w.family();
        w.s(match family {
            LegalFamily::Association => "an association",
            LegalFamily::Cooperative => "a cooperative",
            LegalFamily::Mutual => "a mutual",
            LegalFamily::Foundation => "a foundation",
            LegalFamily::CommercialCompany => "a commercial company",
            LegalFamily::Other => "outside the ESS legal families",
        })
    };
    match code {
        EmploymentMet => {
            w.s("Salaried staff: ")?;
            w.fte(SalariedStaffFte)?;
            w.s("; the rules require more than 0 and at least ")?;
            w.fte(MinSalariedStaffFte)?;
            w.s(".")
        }
        EmploymentNoSalariedStaff => {
            w.s("The structure declares no salaried staff (")?;
            w.fte(SalariedStaffFte)?;
            w.s("); the rules require salaried employment.")
        }
        EmploymentBelowMinimum => {
            w.s("Salaried staff: ")?;
            w.fte(SalariedStaffFte)?;
            w.s(", below the minimum of ")?;
            w.fte(MinSalariedStaffFte)?;
            w.s(" required by the rules.")
        }
        EmploymentMissingData => {
            w.s("The salaried staff (in FTE) is not provided; an instructor must obtain it.")
        }
        EmploymentInvalidData => {
            w.s("The salaried staff figure is negative or not a number; an instructor must check it.")
        }
        EmploymentNoMinimum => {
            w.s("Salaried staff: ")?;
            w.fte(SalariedStaffFte)?;
            w.s("; the rules set no minimum, any declared staff passes.")
        }
        MarketActivityMet | MarketActivityBelowThreshold => {
            w.s("Sales (")?;
            w.money(SalesRevenueCents)?;
            w.s(if code == MarketActivityMet { ") make " } else { ") make only " })?;
            w.bp(SalesShareBp)?;
            w.s(" of operating revenue (")?;
            w.money(OperatingRevenueCents)?;
            w.s("); the rules require at least ")?;
            w.bp(MinSalesShareBp)?;
            w.s(".")
        }
        MarketActivityNotDeclared => w.s(
            "The structure does not declare selling goods or services on a market; the rules require a market activity.",
        ),
        // Without a threshold figure the rules set no minimum share: only the declaration counts.
        MarketActivityMissingData if !w.has_int(MinSalesShareBp) => {
            w.s("The market activity declaration is not provided; an instructor must obtain it.")
        }
        MarketActivityMissingData => w.s(
            "The market activity declaration, the sales revenue or the operating revenue are not provided; an instructor must obtain them.",
        ),
        MarketActivityNoMinimum => {
            w.s("The structure declares a market activity")?;
            if w.has_int(SalesShareBp) {
                w.s(", with sales (")?;
                w.money(SalesRevenueCents)?;
                w.s(") making ")?;
                w.bp(SalesShareBp)?;
                w.s(" of operating revenue (")?;
                w.money(OperatingRevenueCents)?;
                w.s(")")?;
            }
            w.s("; the rules set no minimum share of sales.")
        }
        MarketActivityInconsistentData => {
            w.s("Inconsistent figures: sales ")?;
            w.money(SalesRevenueCents)?;
            w.s(", operating revenue ")?;
            w.money(OperatingRevenueCents)?;
            w.s(" (sales must be non-negative and within operating revenue, operating revenue positive); an instructor must check them.")
        }
        OwnRevenueShareMet | OwnRevenueShareBelowThreshold => {
            w.s("Operating revenue (")?;
            w.money(OperatingRevenueCents)?;
            w.s(if code == OwnRevenueShareMet { ") covers " } else { ") covers only " })?;
            w.bp(OwnRevenueShareBp)?;
            w.s(" of operating costs (")?;
            w.money(OperatingCostsCents)?;
            w.s("); the rules require at least ")?;
            w.bp(MinOwnRevenueShareBp)?;
            w.s(".")
        }
        MarketActivityForecastAccounts | OwnRevenueShareForecastAccounts => {
            if code == MarketActivityForecastAccounts {
                w.s("Forecast sales (")?;
                w.money(SalesRevenueCents)?;
                w.s(") would make ")?;
                w.bp(SalesShareBp)?;
                w.s(" of forecast operating revenue (")?;
                w.money(OperatingRevenueCents)?;
                w.s("); the rules require at least ")?;
                w.bp(MinSalesShareBp)?;
            } else {
                w.s("Forecast operating revenue (")?;
                w.money(OperatingRevenueCents)?;
                w.s(") would cover ")?;
                w.bp(OwnRevenueShareBp)?;
                w.s(" of forecast operating costs (")?;
                w.money(OperatingCostsCents)?;
                w.s("); the rules require at least ")?;
                w.bp(MinOwnRevenueShareBp)?;
            }
            w.s(". These are a business plan's figures, not closed accounts: an instructor must assess them.")
        }
        OwnRevenueShareMissingData => w.s(
            "The operating revenue or the operating costs are not provided; an instructor must obtain them.",
        ),
        OwnRevenueShareNoMinimum => {
            if w.has_int(OwnRevenueShareBp) {
                w.s("Operating revenue (")?;
                w.money(OperatingRevenueCents)?;
                w.s(") covers ")?;
                w.bp(OwnRevenueShareBp)?;
                w.s(" of operating costs (")?;
                w.money(OperatingCostsCents)?;
                w.s("); the rules set no minimum.")
            } else {
                w.s("The rules set no minimum own-revenue share: it passes without accounts figures.")
            }
        }
        OwnRevenueShareInconsistentData => {
            w.s("Inconsistent figures: operating revenue ")?;
            w.money(OperatingRevenueCents)?;
            w.s(", operating costs ")?;
            w.money(OperatingCostsCents)?;
            w.s(" (revenue must be non-negative, costs positive); an instructor must check them.")
        }
        EssStatusAcceptedFamily => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is ")?;
            family(w)?;
            w.s(", a legal family accepted by the scheme.")
        }
        EssStatusEsusValid => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is a commercial company holding the ESUS approval dated ")?;
            w.date(EsusApprovedOn)?;
            if w.has_date(EsusEndsOn) {
                w.s(", valid until ")?;
                w.date(EsusEndsOn)?;
            } else {
                w.s(", which expires on ")?;
                w.date(EsusExpiresOn)?;
            }
            w.s(".")
        }
        EssStatusEsusByRight => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is a commercial company that declares holding the ESUS approval by right (code du travail L3332-17-1 II); an instructor must confirm the basis it declares.")
        }
        EssStatusStatutesToCheck => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is a commercial company that declares ESS statutes (a cooperative in company form, or law 2014-856 art. 1 II), which the scheme accepts; an instructor must check its statutes.")
        }
        EssStatusFamilyNotAccepted => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is ")?;
            family(w)?;
            w.s(", which the scheme does not accept.")
        }
        EssStatusEsusMissing => {
            w.s("Legal form ")?;
            w.code(LegalFormCode)?;
            w.s(" is a commercial company: the rules require the ESUS approval (law 2014-856, art. 11), and none is recorded.")
        }
        EssStatusEsusNotYetValid => {
            w.s("The ESUS approval is dated ")?;
            w.date(EsusApprovedOn)?;
            w.s(", after the evaluation date ")?;
            w.date(EvaluatedOn)?;
            w.s(".")
        }
        EssStatusEsusExpired => {
            w.s("The ESUS approval dated ")?;
            w.date(EsusApprovedOn)?;
            if w.has_date(EsusEndsOn) {
                w.s(" was valid until ")?;
                w.date(EsusEndsOn)?;
                w.s(", before the evaluation date ")?;
            } else {
                w.s(" expired on ")?;
                w.date(EsusExpiresOn)?;
                w.s(" (")?;
                w.count(EsusValidityYears)?;
                w.s("-year validity), before the evaluation date ")?;
            }
            w.date(EvaluatedOn)?;
            w.s(".")
        }
        EssStatusInvalidLegalForm => {
            w.s("The legal form code ")?;
            w.code(LegalFormCode)?;
            w.s(" is not a 4-digit INSEE code; an instructor must check it.")
        }
        EssStatusMissingData => w.s("The legal form (INSEE code) is not provided; an instructor must obtain it."),
        TerritoryInside | TerritoryOutside if w.has_code(HeadOfficeCommuneCode) => {
            w.s("The head office is in commune ")?;
            w.code(HeadOfficeCommuneCode)?;
            w.s(if code == TerritoryInside { ", one of the " } else { ", which is not one of the " })?;
            w.count(TerritoryCommunes)?;
            w.s(" communes of the territory (a scheme without premises).")
        }
        TerritoryInside | TerritoryOutside => {
            w.s("The premises are in commune ")?;
            w.code(CommuneCode)?;
            w.s(if code == TerritoryInside { ", one of the " } else { ", which is not one of the " })?;
            w.count(TerritoryCommunes)?;
            w.s(" communes of the territory.")
        }
        TerritoryInvalidCommuneCode if w.has_code(HeadOfficeCommuneCode) => {
            w.s("The commune code of the head office ")?;
            w.code(HeadOfficeCommuneCode)?;
            w.s(" is not a valid INSEE code; an instructor must check it.")
        }
        TerritoryInvalidCommuneCode => {
            w.s("The commune code of the premises ")?;
            w.code(CommuneCode)?;
            w.s(" is not a valid INSEE code; an instructor must check it.")
        }
        TerritoryMissingData => w.s("The commune of the premises is not provided; an instructor must obtain it."),
        TerritoryHeadOfficeMissingData => {
            w.s("The commune of the head office is not provided; an instructor must obtain it.")
        }
        DeMinimisWithinCeiling | DeMinimisCeilingExceeded | DeMinimisNotDeclared => {
            w.s("De minimis aid granted after ")?;
            w.date(WindowStartExclusive)?;
            w.s(": ")?;
            if w.has_int(DeclaredAidCents) {
                w.s("declared ")?;
                w.money(DeclaredAidCents)?;
                w.s(" + ")?;
            }
            w.s("Essor grants ")?;
            w.money(EssorGrantsCents)?;
            w.s(" + this grant ")?;
            w.money(ProposedGrantCents)?;
            w.s(" = ")?;
            w.money(TotalCents)?;
            w.s(match code {
                DeMinimisWithinCeiling => ", within the ceiling of ",
                DeMinimisCeilingExceeded => ", above the ceiling of ",
                _ => "; ceiling ",
            })?;
            w.money(CeilingCents)?;
            if code == DeMinimisCeilingExceeded {
                w.s(" by ")?;
                w.cents(w.int(TotalCents).saturating_sub(w.int(CeilingCents)))?;
            }
            if !w.has_int(DeclaredAidCents) {
                w.s(". The applicant has not declared the de minimis aid received from other bodies")?;
            }
            w.s(".")
        }
        DeMinimisInconsistentData => w.s(
            "An aid amount (declared or granted in Essor) is negative; an instructor must check the de minimis figures.",
        ),
        EmploymentOff | MarketActivityOff | OwnRevenueShareOff | EssStatusOff | TerritoryOff | DeMinimisOff => {
            w.s("Not evaluated: the rules of this scheme turn the ")?;
            w.s(match criterion {
                Criterion::Employment => "employment",
                Criterion::MarketActivity => "market activity",
                Criterion::OwnRevenueShare => "own-revenue share",
                Criterion::EssStatus => "ESS status",
                Criterion::Territory => "territory",
                Criterion::DeMinimis => "de minimis",
            })?;
            w.s(" criterion off.")
        }
    }
}

fn french(code: CriterionCode, criterion: Criterion, w: &mut Writer<'_, '_>) -> fmt::Result {
    use CriterionCode::*;
    use FigureName::*;
    // What the legal form says of the structure, as a predicate: "La forme juridique 9220 …".
    let family = |w: &mut Writer<'_, '_>| {
        let family = w.family();
        w.s(match family {
            LegalFamily::Association => " est celle d'une association",
            LegalFamily::Cooperative => " est celle d'une coopérative",
            LegalFamily::Mutual => " est celle d'une mutuelle",
            LegalFamily::Foundation => " est celle d'une fondation",
            LegalFamily::CommercialCompany => " est celle d'une société commerciale",
            LegalFamily::Other => " ne relève d'aucune famille juridique de l'ESS",
        })
    };
    match code {
        EmploymentMet => {
            w.s("Effectif salarié : ")?;
            w.fte(SalariedStaffFte)?;
            w.s(" ; les règles exigent un effectif non nul d'au moins ")?;
            w.fte(MinSalariedStaffFte)?;
            w.s(".")
        }
        EmploymentNoSalariedStaff => {
            w.s("La structure ne déclare aucun salarié (")?;
            w.fte(SalariedStaffFte)?;
            w.s(") ; les règles exigent un emploi salarié.")
        }
        EmploymentBelowMinimum => {
            w.s("Effectif salarié : ")?;
            w.fte(SalariedStaffFte)?;
            w.s(", en dessous du minimum de ")?;
            w.fte(MinSalariedStaffFte)?;
            w.s(" exigé par les règles.")
        }
        EmploymentMissingData => {
            w.s("L'effectif salarié (en ETP) n'est pas renseigné ; un instructeur doit l'obtenir.")
        }
        EmploymentInvalidData => w.s(
            "L'effectif salarié déclaré est négatif ou n'est pas un nombre ; un instructeur doit le vérifier.",
        ),
        EmploymentNoMinimum => {
            w.s("Effectif salarié : ")?;
            w.fte(SalariedStaffFte)?;
            w.s(" ; les règles ne fixent pas de minimum, tout effectif déclaré convient.")
        }
        MarketActivityMet | MarketActivityBelowThreshold => {
            w.s("Le chiffre d'affaires (")?;
            w.money(SalesRevenueCents)?;
            w.s(if code == MarketActivityMet { ") représente " } else { ") ne représente que " })?;
            w.bp(SalesShareBp)?;
            w.s(" des produits d'exploitation (")?;
            w.money(OperatingRevenueCents)?;
            w.s(") ; les règles exigent au moins ")?;
            w.bp(MinSalesShareBp)?;
            w.s(".")
        }
        MarketActivityNotDeclared => w.s(
            "La structure ne déclare pas vendre de biens ou de services sur un marché ; les règles exigent une activité marchande.",
        ),
        MarketActivityMissingData if !w.has_int(MinSalesShareBp) => {
            w.s("La déclaration d'activité marchande n'est pas renseignée ; un instructeur doit l'obtenir.")
        }
        MarketActivityMissingData => w.s(
            "La déclaration d'activité marchande, le chiffre d'affaires ou les produits d'exploitation ne sont pas renseignés ; un instructeur doit les obtenir.",
        ),
        MarketActivityNoMinimum => {
            w.s("La structure déclare une activité marchande")?;
            if w.has_int(SalesShareBp) {
                w.s(", son chiffre d'affaires (")?;
                w.money(SalesRevenueCents)?;
                w.s(") représentant ")?;
                w.bp(SalesShareBp)?;
                w.s(" des produits d'exploitation (")?;
                w.money(OperatingRevenueCents)?;
                w.s(")")?;
            }
            w.s(" ; les règles ne fixent pas de part minimale du chiffre d'affaires.")
        }
        MarketActivityInconsistentData => {
            w.s("Chiffres incohérents : chiffre d'affaires ")?;
            w.money(SalesRevenueCents)?;
            w.s(", produits d'exploitation ")?;
            w.money(OperatingRevenueCents)?;
            w.s(" (le chiffre d'affaires doit être positif ou nul et ne pas dépasser les produits d'exploitation, qui doivent être strictement positifs) ; un instructeur doit les vérifier.")
        }
        OwnRevenueShareMet | OwnRevenueShareBelowThreshold => {
            w.s("Les produits d'exploitation (")?;
            w.money(OperatingRevenueCents)?;
            w.s(if code == OwnRevenueShareMet { ") couvrent " } else { ") ne couvrent que " })?;
            w.bp(OwnRevenueShareBp)?;
            w.s(" des charges d'exploitation (")?;
            w.money(OperatingCostsCents)?;
            w.s(") ; les règles exigent au moins ")?;
            w.bp(MinOwnRevenueShareBp)?;
            w.s(".")
        }
        MarketActivityForecastAccounts | OwnRevenueShareForecastAccounts => {
            if code == MarketActivityForecastAccounts {
                w.s("Le chiffre d'affaires prévisionnel (")?;
                w.money(SalesRevenueCents)?;
                w.s(") représenterait ")?;
                w.bp(SalesShareBp)?;
                w.s(" des produits d'exploitation prévisionnels (")?;
                w.money(OperatingRevenueCents)?;
                w.s(") ; les règles exigent au moins ")?;
                w.bp(MinSalesShareBp)?;
            } else {
                w.s("Les produits d'exploitation prévisionnels (")?;
                w.money(OperatingRevenueCents)?;
                w.s(") couvriraient ")?;
                w.bp(OwnRevenueShareBp)?;
                w.s(" des charges d'exploitation prévisionnelles (")?;
                w.money(OperatingCostsCents)?;
                w.s(") ; les règles exigent au moins ")?;
                w.bp(MinOwnRevenueShareBp)?;
            }
            w.s(". Ce sont les chiffres d'un plan d'affaires, non des comptes clos : un instructeur doit les apprécier.")
        }
        OwnRevenueShareMissingData => w.s(
            "Les produits ou les charges d'exploitation ne sont pas renseignés ; un instructeur doit les obtenir.",
        ),
        OwnRevenueShareNoMinimum => {
            if w.has_int(OwnRevenueShareBp) {
                w.s("Les produits d'exploitation (")?;
                w.money(OperatingRevenueCents)?;
                w.s(") couvrent ")?;
                w.bp(OwnRevenueShareBp)?;
                w.s(" des charges d'exploitation (")?;
                w.money(OperatingCostsCents)?;
                w.s(") ; les règles ne fixent pas de minimum.")
            } else {
                w.s("Les règles ne fixent pas de part minimale de ressources propres : le critère est rempli sans chiffres comptables.")
            }
        }
        OwnRevenueShareInconsistentData => {
            w.s("Chiffres incohérents : produits d'exploitation ")?;
            w.money(OperatingRevenueCents)?;
            w.s(", charges d'exploitation ")?;
            w.money(OperatingCostsCents)?;
            w.s(" (les produits doivent être positifs ou nuls, les charges strictement positives) ; un instructeur doit les vérifier.")
        }
        EssStatusAcceptedFamily => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            family(w)?;
            w.s(", ce que le dispositif accepte.")
        }
        EssStatusEsusValid => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            w.s(" est celle d'une société commerciale titulaire de l'agrément ESUS du ")?;
            w.date(EsusApprovedOn)?;
            if w.has_date(EsusEndsOn) {
                w.s(", valable jusqu'au ")?;
                w.date(EsusEndsOn)?;
            } else {
                w.s(", qui expire le ")?;
                w.date(EsusExpiresOn)?;
            }
            w.s(".")
        }
        EssStatusEsusByRight => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            w.s(" est celle d'une société commerciale qui déclare détenir l'agrément ESUS de plein droit (code du travail, art. L3332-17-1 II) ; un instructeur doit confirmer le fondement qu'elle déclare.")
        }
        EssStatusStatutesToCheck => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            w.s(" est celle d'une société commerciale qui déclare des statuts de l'ESS (coopérative sous forme de société, ou loi 2014-856, art. 1er II), ce que le dispositif accepte ; un instructeur doit vérifier ses statuts.")
        }
        EssStatusFamilyNotAccepted => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            family(w)?;
            w.s(", ce que le dispositif n'accepte pas.")
        }
        EssStatusEsusMissing => {
            w.s("La forme juridique ")?;
            w.code(LegalFormCode)?;
            w.s(" est celle d'une société commerciale : les règles exigent l'agrément ESUS (loi 2014-856, art. 11), et aucun n'est enregistré.")
        }
        EssStatusEsusNotYetValid => {
            w.s("L'agrément ESUS est daté du ")?;
            w.date(EsusApprovedOn)?;
            w.s(", après la date d'évaluation (")?;
            w.date(EvaluatedOn)?;
            w.s(").")
        }
        EssStatusEsusExpired => {
            w.s("L'agrément ESUS du ")?;
            w.date(EsusApprovedOn)?;
            if w.has_date(EsusEndsOn) {
                w.s(" était valable jusqu'au ")?;
                w.date(EsusEndsOn)?;
            } else {
                w.s(" a expiré le ")?;
                w.date(EsusExpiresOn)?;
                w.s(" (validité de ")?;
                w.count(EsusValidityYears)?;
                w.s(" ans)")?;
            }
            w.s(", avant la date d'évaluation (")?;
            w.date(EvaluatedOn)?;
            w.s(").")
        }
        EssStatusInvalidLegalForm => {
            w.s("Le code de forme juridique ")?;
            w.code(LegalFormCode)?;
            w.s(" n'est pas un code INSEE à 4 chiffres ; un instructeur doit le vérifier.")
        }
        EssStatusMissingData => {
            w.s("La forme juridique (code INSEE) n'est pas renseignée ; un instructeur doit l'obtenir.")
        }
        TerritoryInside | TerritoryOutside if w.has_code(HeadOfficeCommuneCode) => {
            w.s("Le siège est situé dans la commune ")?;
            w.code(HeadOfficeCommuneCode)?;
            w.s(if code == TerritoryInside { ", l'une des " } else { ", qui n'est pas l'une des " })?;
            w.count(TerritoryCommunes)?;
            w.s(" communes du territoire (dispositif sans locaux).")
        }
        TerritoryInside | TerritoryOutside => {
            w.s("Les locaux sont situés dans la commune ")?;
            w.code(CommuneCode)?;
            w.s(if code == TerritoryInside { ", l'une des " } else { ", qui n'est pas l'une des " })?;
            w.count(TerritoryCommunes)?;
            w.s(" communes du territoire.")
        }
        TerritoryInvalidCommuneCode if w.has_code(HeadOfficeCommuneCode) => {
            w.s("Le code commune du siège, ")?;
            w.code(HeadOfficeCommuneCode)?;
            w.s(", n'est pas un code INSEE valide ; un instructeur doit le vérifier.")
        }
        TerritoryInvalidCommuneCode => {
            w.s("Le code commune des locaux, ")?;
            w.code(CommuneCode)?;
            w.s(", n'est pas un code INSEE valide ; un instructeur doit le vérifier.")
        }
        TerritoryMissingData => {
            w.s("La commune des locaux n'est pas renseignée ; un instructeur doit l'obtenir.")
        }
        TerritoryHeadOfficeMissingData => {
            w.s("La commune du siège n'est pas renseignée ; un instructeur doit l'obtenir.")
        }
        DeMinimisWithinCeiling | DeMinimisCeilingExceeded | DeMinimisNotDeclared => {
            w.s("Aides de minimis accordées après le ")?;
            w.date(WindowStartExclusive)?;
            w.s(" : ")?;
            if w.has_int(DeclaredAidCents) {
                w.s("aides déclarées ")?;
                w.money(DeclaredAidCents)?;
                w.s(" + ")?;
            }
            w.s("subventions Essor ")?;
            w.money(EssorGrantsCents)?;
            w.s(" + cette subvention ")?;
            w.money(ProposedGrantCents)?;
            w.s(" = ")?;
            w.money(TotalCents)?;
            w.s(match code {
                DeMinimisWithinCeiling => ", dans la limite du plafond de ",
                DeMinimisCeilingExceeded => ", au-delà du plafond de ",
                _ => " ; plafond : ",
            })?;
            w.money(CeilingCents)?;
            if code == DeMinimisCeilingExceeded {
                w.s(", qu'il dépasse de ")?;
                w.cents(w.int(TotalCents).saturating_sub(w.int(CeilingCents)))?;
            }
            if !w.has_int(DeclaredAidCents) {
                w.s(". Le demandeur n'a pas déclaré les aides de minimis reçues d'autres organismes")?;
            }
            w.s(".")
        }
        DeMinimisInconsistentData => w.s(
            "Un montant d'aide (déclarée ou accordée dans Essor) est négatif ; un instructeur doit vérifier les chiffres de minimis.",
        ),
        EmploymentOff | MarketActivityOff | OwnRevenueShareOff | EssStatusOff | TerritoryOff | DeMinimisOff => {
            w.s("Non évalué : les règles de ce dispositif désactivent le critère ")?;
            w.s(match criterion {
                Criterion::Employment => "de l'emploi salarié",
                Criterion::MarketActivity => "de l'activité marchande",
                Criterion::OwnRevenueShare => "de la part de ressources propres",
                Criterion::EssStatus => "du statut ESS",
                Criterion::Territory => "du territoire",
                Criterion::DeMinimis => "des aides de minimis",
            })?;
            w.s(".")
        }
    }
}
