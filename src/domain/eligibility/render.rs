//! Reasons, rendered on demand: the sentence for people of a [`CriterionResult`], built from its
//! stable code and typed figures, only when asked for or when the report is serialised.

use std::fmt::Write as _;

use super::report::{write_date, Criterion, CriterionCode, CriterionResult, FigureName};
use crate::domain::identifiers::{legal_family, LegalFamily};
use crate::domain::rules::CriterionMode;

/// `€1,234.56`, `-€0.05`.
pub(super) fn fmt_cents(out: &mut String, cents: i64) {
    let v = i128::from(cents);
    if v < 0 {
        out.push('-');
    }
    let abs = v.unsigned_abs();
    let (euros, rest) = (abs / 100, abs % 100);
    out.push('€');
    let digits = euros.to_string();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let _ = write!(out, ".{rest:02}");
}

/// `42.00 %` from basis points.
pub(super) fn fmt_bp(out: &mut String, bp: i64) {
    let v = i128::from(bp);
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02} %", abs / 100, abs % 100);
}

/// `3.50` from hundredths of FTE.
pub(super) fn fmt_fte(out: &mut String, hundredths: i64) {
    let v = i128::from(hundredths);
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", abs / 100, abs % 100);
}

impl CriterionResult {
    /// A sentence for the instructor with the figures used, in English, e.g. "Operating revenue
    /// (€42,000.00) covers 42.00 % of operating costs (€100,000.00); the rules require at least
    /// 50.00 %." Rendered from `code` and `figures` on each call; an advisory result says it is
    /// not counted.
    pub fn reason(&self) -> String {
        let mut s = self.situation();
        if self.mode == CriterionMode::Advisory {
            s.push_str(" Advisory criterion: reported, not counted in the overall result.");
        }
        s
    }

    fn situation(&self) -> String {
        use CriterionCode::*;
        use FigureName::*;
        let f = &self.figures;
        let mut s = String::with_capacity(160);
        let money = |s: &mut String, name: FigureName| match f.int_of(name) {
            Some(v) => fmt_cents(s, v),
            None => s.push_str("not provided"),
        };
        let bp = |s: &mut String, name: FigureName| fmt_bp(s, f.int_of(name).unwrap_or(0));
        let fte = |s: &mut String, name: FigureName| fmt_fte(s, f.int_of(name).unwrap_or(0));
        let date = |s: &mut String, name: FigureName| match f.date_of(name) {
            Some(d) => {
                let _ = write_date(s, d);
            }
            None => s.push_str("unknown date"),
        };
        let code = |s: &mut String, name: FigureName| match f.code_of(name) {
            Some(c) => s.push_str(c.as_str()),
            None => s.push_str("(unreadable)"),
        };
        let family = |s: &mut String| {
            let fam = f.code_of(LegalFormCode).map_or(LegalFamily::Other, |c| legal_family(c.as_str()));
            s.push_str(match fam {
                LegalFamily::Association => "an association",
                LegalFamily::Cooperative => "a cooperative",
                LegalFamily::Mutual => "a mutual",
                LegalFamily::Foundation => "a foundation",
                LegalFamily::CommercialCompany => "a commercial company",
                LegalFamily::Other => "outside the ESS legal families",
            });
        };
        match self.code {
            EmploymentMet => {
                s.push_str("Salaried staff: ");
                fte(&mut s, SalariedStaffFte);
                s.push_str(" FTE; the rules require more than 0 and at least ");
                fte(&mut s, MinSalariedStaffFte);
                s.push_str(" FTE.");
            }
            EmploymentNoSalariedStaff => {
                s.push_str("The structure declares no salaried staff (");
                fte(&mut s, SalariedStaffFte);
                s.push_str(" FTE); the rules require salaried employment.");
            }
            EmploymentBelowMinimum => {
                s.push_str("Salaried staff: ");
                fte(&mut s, SalariedStaffFte);
                s.push_str(" FTE, below the minimum of ");
                fte(&mut s, MinSalariedStaffFte);
                s.push_str(" FTE required by the rules.");
            }
            EmploymentMissingData => {
                s.push_str("The salaried staff (in FTE) is not provided; an instructor must obtain it.")
            }
            EmploymentInvalidData => s.push_str(
                "The salaried staff figure is negative or not a number; an instructor must check it.",
            ),
            EmploymentNoMinimum => {
                s.push_str("Salaried staff: ");
                fte(&mut s, SalariedStaffFte);
                s.push_str(" FTE; the rules set no minimum, any declared staff passes.");
            }
            MarketActivityMet | MarketActivityBelowThreshold => {
                s.push_str("Sales (");
                money(&mut s, SalesRevenueCents);
                s.push_str(if self.code == MarketActivityMet { ") make " } else { ") make only " });
                bp(&mut s, SalesShareBp);
                s.push_str(" of operating revenue (");
                money(&mut s, OperatingRevenueCents);
                s.push_str("); the rules require at least ");
                bp(&mut s, MinSalesShareBp);
                s.push('.');
            }
            MarketActivityNotDeclared => s.push_str(
                "The structure does not declare selling goods or services on a market; the rules require a market activity.",
            ),
            // Without a threshold figure the rules set no minimum share: only the declaration counts.
            MarketActivityMissingData if f.int_of(MinSalesShareBp).is_none() => s.push_str(
                "The market activity declaration is not provided; an instructor must obtain it.",
            ),
            MarketActivityMissingData => s.push_str(
                "The market activity declaration, the sales revenue or the operating revenue are not provided; an instructor must obtain them.",
            ),
            MarketActivityNoMinimum => {
                s.push_str("The structure declares a market activity");
                if f.int_of(SalesShareBp).is_some() {
                    s.push_str(", with sales (");
                    money(&mut s, SalesRevenueCents);
                    s.push_str(") making ");
                    bp(&mut s, SalesShareBp);
                    s.push_str(" of operating revenue (");
                    money(&mut s, OperatingRevenueCents);
                    s.push(')');
                }
                s.push_str("; the rules set no minimum share of sales.");
            }
            MarketActivityInconsistentData => {
                s.push_str("Inconsistent figures: sales ");
                money(&mut s, SalesRevenueCents);
                s.push_str(", operating revenue ");
                money(&mut s, OperatingRevenueCents);
                s.push_str(
                    " (sales must be non-negative and within operating revenue, operating revenue positive); an instructor must check them.",
                );
            }
            OwnRevenueShareMet | OwnRevenueShareBelowThreshold => {
                s.push_str("Operating revenue (");
                money(&mut s, OperatingRevenueCents);
                s.push_str(if self.code == OwnRevenueShareMet { ") covers " } else { ") covers only " });
                bp(&mut s, OwnRevenueShareBp);
                s.push_str(" of operating costs (");
                money(&mut s, OperatingCostsCents);
                s.push_str("); the rules require at least ");
                bp(&mut s, MinOwnRevenueShareBp);
                s.push('.');
            }
            MarketActivityForecastAccounts | OwnRevenueShareForecastAccounts => {
                if self.code == MarketActivityForecastAccounts {
                    s.push_str("Forecast sales (");
                    money(&mut s, SalesRevenueCents);
                    s.push_str(") would make ");
                    bp(&mut s, SalesShareBp);
                    s.push_str(" of forecast operating revenue (");
                    money(&mut s, OperatingRevenueCents);
                    s.push_str("); the rules require at least ");
                    bp(&mut s, MinSalesShareBp);
                } else {
                    s.push_str("Forecast operating revenue (");
                    money(&mut s, OperatingRevenueCents);
                    s.push_str(") would cover ");
                    bp(&mut s, OwnRevenueShareBp);
                    s.push_str(" of forecast operating costs (");
                    money(&mut s, OperatingCostsCents);
                    s.push_str("); the rules require at least ");
                    bp(&mut s, MinOwnRevenueShareBp);
                }
                s.push_str(". These are a business plan's figures, not closed accounts: an instructor must assess them.");
            }
            OwnRevenueShareMissingData => s.push_str(
                "The operating revenue or the operating costs are not provided; an instructor must obtain them.",
            ),
            OwnRevenueShareNoMinimum => {
                if f.int_of(OwnRevenueShareBp).is_some() {
                    s.push_str("Operating revenue (");
                    money(&mut s, OperatingRevenueCents);
                    s.push_str(") covers ");
                    bp(&mut s, OwnRevenueShareBp);
                    s.push_str(" of operating costs (");
                    money(&mut s, OperatingCostsCents);
                    s.push_str("); the rules set no minimum.");
                } else {
                    s.push_str("The rules set no minimum own-revenue share: it passes without accounts figures.");
                }
            }
            OwnRevenueShareInconsistentData => {
                s.push_str("Inconsistent figures: operating revenue ");
                money(&mut s, OperatingRevenueCents);
                s.push_str(", operating costs ");
                money(&mut s, OperatingCostsCents);
                s.push_str(" (revenue must be non-negative, costs positive); an instructor must check them.");
            }
            EssStatusAcceptedFamily => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(" is ");
                family(&mut s);
                s.push_str(", a legal family accepted by the scheme.");
            }
            EssStatusEsusValid => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(" is a commercial company holding the ESUS approval dated ");
                date(&mut s, EsusApprovedOn);
                if f.date_of(EsusEndsOn).is_some() {
                    s.push_str(", valid until ");
                    date(&mut s, EsusEndsOn);
                } else {
                    s.push_str(", which expires on ");
                    date(&mut s, EsusExpiresOn);
                }
                s.push('.');
            }
            EssStatusEsusByRight => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(
                    " is a commercial company that declares holding the ESUS approval by right (code du travail L3332-17-1 II); an instructor must confirm the basis it declares.",
                );
            }
            EssStatusStatutesToCheck => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(
                    " is a commercial company that declares ESS statutes (a cooperative in company form, or law 2014-856 art. 1 II), which the scheme accepts; an instructor must check its statutes.",
                );
            }
            EssStatusFamilyNotAccepted => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(" is ");
                family(&mut s);
                s.push_str(", which the scheme does not accept.");
            }
            EssStatusEsusMissing => {
                s.push_str("Legal form ");
                code(&mut s, LegalFormCode);
                s.push_str(
                    " is a commercial company: the rules require the ESUS approval (law 2014-856, art. 11), and none is recorded.",
                );
            }
            EssStatusEsusNotYetValid => {
                s.push_str("The ESUS approval is dated ");
                date(&mut s, EsusApprovedOn);
                s.push_str(", after the evaluation date ");
                date(&mut s, EvaluatedOn);
                s.push('.');
            }
            EssStatusEsusExpired => {
                s.push_str("The ESUS approval dated ");
                date(&mut s, EsusApprovedOn);
                if f.date_of(EsusEndsOn).is_some() {
                    s.push_str(" was valid until ");
                    date(&mut s, EsusEndsOn);
                    s.push_str(", before the evaluation date ");
                } else {
                    s.push_str(" expired on ");
                    date(&mut s, EsusExpiresOn);
                    let _ = write!(
                        s,
                        " ({}-year validity), before the evaluation date ",
                        f.int_of(EsusValidityYears).unwrap_or(0)
                    );
                }
                date(&mut s, EvaluatedOn);
                s.push('.');
            }
            EssStatusInvalidLegalForm => {
                s.push_str("The legal form code ");
                code(&mut s, LegalFormCode);
                s.push_str(" is not a 4-digit INSEE code; an instructor must check it.");
            }
            EssStatusMissingData => s.push_str("The legal form (INSEE code) is not provided; an instructor must obtain it."),
            TerritoryInside | TerritoryOutside if f.code_of(HeadOfficeCommuneCode).is_some() => {
                s.push_str("The head office is in commune ");
                code(&mut s, HeadOfficeCommuneCode);
                s.push_str(if self.code == TerritoryInside { ", one of the " } else { ", which is not one of the " });
                let _ = write!(s, "{}", f.int_of(TerritoryCommunes).unwrap_or(0));
                s.push_str(" communes of the territory (a scheme without premises).");
            }
            TerritoryInside | TerritoryOutside => {
                s.push_str("The premises are in commune ");
                code(&mut s, CommuneCode);
                s.push_str(if self.code == TerritoryInside { ", one of the " } else { ", which is not one of the " });
                let _ = write!(s, "{}", f.int_of(TerritoryCommunes).unwrap_or(0));
                s.push_str(" communes of the territory.");
            }
            TerritoryInvalidCommuneCode if f.code_of(HeadOfficeCommuneCode).is_some() => {
                s.push_str("The commune code of the head office ");
                code(&mut s, HeadOfficeCommuneCode);
                s.push_str(" is not a valid INSEE code; an instructor must check it.");
            }
            TerritoryInvalidCommuneCode => {
                s.push_str("The commune code of the premises ");
                code(&mut s, CommuneCode);
                s.push_str(" is not a valid INSEE code; an instructor must check it.");
            }
            TerritoryMissingData => {
                s.push_str("The commune of the premises is not provided; an instructor must obtain it.")
            }
            TerritoryHeadOfficeMissingData => s.push_str(
                "The commune of the head office is not provided; an instructor must obtain it.",
            ),
            DeMinimisWithinCeiling | DeMinimisCeilingExceeded | DeMinimisNotDeclared => {
                s.push_str("De minimis aid granted after ");
                date(&mut s, WindowStartExclusive);
                s.push_str(": ");
                if f.int_of(DeclaredAidCents).is_some() {
                    s.push_str("declared ");
                    money(&mut s, DeclaredAidCents);
                    s.push_str(" + ");
                }
                s.push_str("Essor grants ");
                money(&mut s, EssorGrantsCents);
                s.push_str(" + this grant ");
                money(&mut s, ProposedGrantCents);
                s.push_str(" = ");
                money(&mut s, TotalCents);
                match self.code {
                    DeMinimisWithinCeiling => s.push_str(", within the ceiling of "),
                    DeMinimisCeilingExceeded => s.push_str(", above the ceiling of "),
                    _ => s.push_str("; ceiling "),
                }
                money(&mut s, CeilingCents);
                if self.code == DeMinimisCeilingExceeded {
                    s.push_str(" by ");
                    let excess = f.int_of(TotalCents).unwrap_or(0).saturating_sub(f.int_of(CeilingCents).unwrap_or(0));
                    fmt_cents(&mut s, excess);
                }
                if f.int_of(DeclaredAidCents).is_none() {
                    s.push_str(". The applicant has not declared the de minimis aid received from other bodies");
                }
                s.push('.');
            }
            DeMinimisInconsistentData => s.push_str(
                "An aid amount (declared or granted in Essor) is negative; an instructor must check the de minimis figures.",
            ),
            EmploymentOff | MarketActivityOff | OwnRevenueShareOff | EssStatusOff | TerritoryOff | DeMinimisOff => {
                s.push_str("Not evaluated: the rules of this scheme turn the ");
                s.push_str(match self.criterion {
                    Criterion::Employment => "employment",
                    Criterion::MarketActivity => "market activity",
                    Criterion::OwnRevenueShare => "own-revenue share",
                    Criterion::EssStatus => "ESS status",
                    Criterion::Territory => "territory",
                    Criterion::DeMinimis => "de minimis",
                });
                s.push_str(" criterion off.");
            }
        }
        s
    }
}
