//! What the engine returns: the criteria, outcomes and stable codes, the typed figures kept
//! inline, the per-criterion results and the report, with their JSON and OpenAPI forms.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::lang::{Lang, Localize, Localized};
use crate::domain::rules::{Bonus, CriterionMode, RulesParameters};

/// The six criteria, in evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Employment,
    MarketActivity,
    OwnRevenueShare,
    EssStatus,
    Territory,
    DeMinimis,
}

impl Criterion {
    /// All criteria, in the order of [`EligibilityReport::criteria`].
    pub const ALL: [Criterion; 6] = [
        Criterion::Employment,
        Criterion::MarketActivity,
        Criterion::OwnRevenueShare,
        Criterion::EssStatus,
        Criterion::Territory,
        Criterion::DeMinimis,
    ];
}

/// The outcome of one criterion, or of the whole check (which is never `not_evaluated`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    NeedsReview,
    Fail,
    /// The criterion is `off` in the rules: not evaluated.
    NotEvaluated,
}

impl Outcome {
    /// The overall outcome of criterion results, over the **required** ones only (advisory
    /// results are reported but not counted, off ones are not evaluated): `fail` if any fails,
    /// else `needs_review` if any needs review, else `pass` (and `pass` when none is required).
    pub fn combine<'a>(results: impl IntoIterator<Item = &'a CriterionResult>) -> Outcome {
        let mut overall = Outcome::Pass;
        for result in results {
            if result.mode != CriterionMode::Required {
                continue;
            }
            match result.outcome {
                Outcome::Fail => return Outcome::Fail,
                Outcome::NeedsReview => overall = Outcome::NeedsReview,
                Outcome::Pass | Outcome::NotEvaluated => {}
            }
        }
        overall
    }
}

/// Stable machine-readable codes of a criterion result, `<criterion>.<situation>`. Front ends
/// may translate them; the list only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum CriterionCode {
    #[serde(rename = "employment.met")]
    EmploymentMet,
    #[serde(rename = "employment.no_salaried_staff")]
    EmploymentNoSalariedStaff,
    #[serde(rename = "employment.below_minimum")]
    EmploymentBelowMinimum,
    #[serde(rename = "employment.missing_data")]
    EmploymentMissingData,
    #[serde(rename = "employment.invalid_data")]
    EmploymentInvalidData,
    #[serde(rename = "employment.no_minimum")]
    EmploymentNoMinimum,
    #[serde(rename = "employment.off")]
    EmploymentOff,
    #[serde(rename = "market_activity.met")]
    MarketActivityMet,
    #[serde(rename = "market_activity.not_declared")]
    MarketActivityNotDeclared,
    #[serde(rename = "market_activity.below_threshold")]
    MarketActivityBelowThreshold,
    #[serde(rename = "market_activity.missing_data")]
    MarketActivityMissingData,
    #[serde(rename = "market_activity.inconsistent_data")]
    MarketActivityInconsistentData,
    #[serde(rename = "market_activity.forecast_accounts")]
    MarketActivityForecastAccounts,
    #[serde(rename = "market_activity.no_minimum")]
    MarketActivityNoMinimum,
    #[serde(rename = "market_activity.off")]
    MarketActivityOff,
    #[serde(rename = "own_revenue_share.met")]
    OwnRevenueShareMet,
    #[serde(rename = "own_revenue_share.below_threshold")]
    OwnRevenueShareBelowThreshold,
    #[serde(rename = "own_revenue_share.missing_data")]
    OwnRevenueShareMissingData,
    #[serde(rename = "own_revenue_share.inconsistent_data")]
    OwnRevenueShareInconsistentData,
    #[serde(rename = "own_revenue_share.forecast_accounts")]
    OwnRevenueShareForecastAccounts,
    #[serde(rename = "own_revenue_share.no_minimum")]
    OwnRevenueShareNoMinimum,
    #[serde(rename = "own_revenue_share.off")]
    OwnRevenueShareOff,
    #[serde(rename = "ess_status.accepted_family")]
    EssStatusAcceptedFamily,
    #[serde(rename = "ess_status.esus_valid")]
    EssStatusEsusValid,
    #[serde(rename = "ess_status.family_not_accepted")]
    EssStatusFamilyNotAccepted,
    #[serde(rename = "ess_status.esus_missing")]
    EssStatusEsusMissing,
    #[serde(rename = "ess_status.esus_not_yet_valid")]
    EssStatusEsusNotYetValid,
    #[serde(rename = "ess_status.esus_expired")]
    EssStatusEsusExpired,
    #[serde(rename = "ess_status.invalid_legal_form")]
    EssStatusInvalidLegalForm,
    #[serde(rename = "ess_status.missing_data")]
    EssStatusMissingData,
    #[serde(rename = "ess_status.esus_by_right")]
    EssStatusEsusByRight,
    #[serde(rename = "ess_status.statutes_to_check")]
    EssStatusStatutesToCheck,
    #[serde(rename = "ess_status.off")]
    EssStatusOff,
    #[serde(rename = "territory.inside")]
    TerritoryInside,
    #[serde(rename = "territory.outside")]
    TerritoryOutside,
    #[serde(rename = "territory.invalid_commune_code")]
    TerritoryInvalidCommuneCode,
    #[serde(rename = "territory.missing_data")]
    TerritoryMissingData,
    #[serde(rename = "territory.head_office_missing_data")]
    TerritoryHeadOfficeMissingData,
    #[serde(rename = "territory.off")]
    TerritoryOff,
    #[serde(rename = "de_minimis.within_ceiling")]
    DeMinimisWithinCeiling,
    #[serde(rename = "de_minimis.ceiling_exceeded")]
    DeMinimisCeilingExceeded,
    #[serde(rename = "de_minimis.not_declared")]
    DeMinimisNotDeclared,
    #[serde(rename = "de_minimis.inconsistent_data")]
    DeMinimisInconsistentData,
    #[serde(rename = "de_minimis.off")]
    DeMinimisOff,
}

impl CriterionCode {
    /// The code as serialised, e.g. `own_revenue_share.below_threshold`.
    pub fn as_str(self) -> &'static str {
        use CriterionCode::*;
        match self {
            EmploymentMet => "employment.met",
            EmploymentNoSalariedStaff => "employment.no_salaried_staff",
            EmploymentBelowMinimum => "employment.below_minimum",
            EmploymentMissingData => "employment.missing_data",
            EmploymentInvalidData => "employment.invalid_data",
            EmploymentNoMinimum => "employment.no_minimum",
            EmploymentOff => "employment.off",
            MarketActivityMet => "market_activity.met",
            MarketActivityNotDeclared => "market_activity.not_declared",
            MarketActivityBelowThreshold => "market_activity.below_threshold",
            MarketActivityMissingData => "market_activity.missing_data",
            MarketActivityInconsistentData => "market_activity.inconsistent_data",
            MarketActivityForecastAccounts => "market_activity.forecast_accounts",
            MarketActivityNoMinimum => "market_activity.no_minimum",
            MarketActivityOff => "market_activity.off",
            OwnRevenueShareMet => "own_revenue_share.met",
            OwnRevenueShareBelowThreshold => "own_revenue_share.below_threshold",
            OwnRevenueShareMissingData => "own_revenue_share.missing_data",
            OwnRevenueShareInconsistentData => "own_revenue_share.inconsistent_data",
            OwnRevenueShareForecastAccounts => "own_revenue_share.forecast_accounts",
            OwnRevenueShareNoMinimum => "own_revenue_share.no_minimum",
            OwnRevenueShareOff => "own_revenue_share.off",
            EssStatusAcceptedFamily => "ess_status.accepted_family",
            EssStatusEsusValid => "ess_status.esus_valid",
            EssStatusFamilyNotAccepted => "ess_status.family_not_accepted",
            EssStatusEsusMissing => "ess_status.esus_missing",
            EssStatusEsusNotYetValid => "ess_status.esus_not_yet_valid",
            EssStatusEsusExpired => "ess_status.esus_expired",
            EssStatusInvalidLegalForm => "ess_status.invalid_legal_form",
            EssStatusMissingData => "ess_status.missing_data",
            EssStatusEsusByRight => "ess_status.esus_by_right",
            EssStatusStatutesToCheck => "ess_status.statutes_to_check",
            EssStatusOff => "ess_status.off",
            TerritoryInside => "territory.inside",
            TerritoryOutside => "territory.outside",
            TerritoryInvalidCommuneCode => "territory.invalid_commune_code",
            TerritoryMissingData => "territory.missing_data",
            TerritoryHeadOfficeMissingData => "territory.head_office_missing_data",
            TerritoryOff => "territory.off",
            DeMinimisWithinCeiling => "de_minimis.within_ceiling",
            DeMinimisCeilingExceeded => "de_minimis.ceiling_exceeded",
            DeMinimisNotDeclared => "de_minimis.not_declared",
            DeMinimisInconsistentData => "de_minimis.inconsistent_data",
            DeMinimisOff => "de_minimis.off",
        }
    }

    /// The code of a criterion the rules turn off: `<criterion>.off`.
    pub fn off(criterion: Criterion) -> CriterionCode {
        use CriterionCode::*;
        match criterion {
            Criterion::Employment => EmploymentOff,
            Criterion::MarketActivity => MarketActivityOff,
            Criterion::OwnRevenueShare => OwnRevenueShareOff,
            Criterion::EssStatus => EssStatusOff,
            Criterion::Territory => TerritoryOff,
            Criterion::DeMinimis => DeMinimisOff,
        }
    }
}

impl fmt::Display for CriterionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Unit of a [`Figure`]'s value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Integer euro cents.
    Cents,
    /// Basis points, 10000 = 100 %.
    Bp,
    /// Hundredths of a full-time equivalent (`350` = 3.50 FTE).
    FteHundredths,
    /// A plain count (communes, years).
    Count,
    /// An ISO 8601 date (`YYYY-MM-DD`), as a JSON string.
    Date,
    /// An identifier (INSEE legal-form or commune code), as a JSON string.
    Code,
}

/// Names of the figures a criterion result may carry; each name has a fixed unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum FigureName {
    /// Observed salaried staff (`fte_hundredths`).
    SalariedStaffFte,
    /// Rule: minimum salaried staff (`fte_hundredths`).
    MinSalariedStaffFte,
    /// Observed sales revenue (`cents`).
    SalesRevenueCents,
    /// Observed operating revenue (`cents`).
    OperatingRevenueCents,
    /// Observed operating costs (`cents`).
    OperatingCostsCents,
    /// Sales revenue / operating revenue, rounded down (`bp`).
    SalesShareBp,
    /// Rule: minimum share of operating revenue from sales (`bp`).
    MinSalesShareBp,
    /// Operating revenue / operating costs, rounded down (`bp`).
    OwnRevenueShareBp,
    /// Rule: minimum own-revenue share (`bp`).
    MinOwnRevenueShareBp,
    /// INSEE legal-form code (`code`).
    LegalFormCode,
    /// Date of the ESUS approval (`date`).
    EsusApprovedOn,
    /// First day the ESUS approval is no longer valid (`date`): reports recorded before approvals
    /// carried their end date.
    EsusExpiresOn,
    /// Rule: ESUS validity in years (`count`).
    EsusValidityYears,
    /// Evaluation date (`date`).
    EvaluatedOn,
    /// Last day the ESUS approval is valid, as its decision says (`date`).
    EsusEndsOn,
    /// INSEE commune code of the premises (`code`).
    CommuneCode,
    /// INSEE commune code of the organisation's head office, for a territory criterion that
    /// checks it (`code`).
    HeadOfficeCommuneCode,
    /// Number of communes of the territory (`count`).
    TerritoryCommunes,
    /// De minimis aid declared by the applicant in the window (`cents`).
    DeclaredAidCents,
    /// Grants already made in Essor to the same SIREN in the window (`cents`).
    EssorGrantsCents,
    /// The grant proposed for this dossier (`cents`).
    ProposedGrantCents,
    /// Declared + Essor + proposed (`cents`).
    TotalCents,
    /// Rule: de minimis ceiling (`cents`).
    CeilingCents,
    /// The window is the days after this date, up to the evaluation date (`date`).
    WindowStartExclusive,
}

impl FigureName {
    /// The unit of the figure's value.
    pub fn unit(self) -> Unit {
        use FigureName::*;
        match self {
            SalariedStaffFte | MinSalariedStaffFte => Unit::FteHundredths,
            SalesRevenueCents
            | OperatingRevenueCents
            | OperatingCostsCents
            | DeclaredAidCents
            | EssorGrantsCents
            | ProposedGrantCents
            | TotalCents
            | CeilingCents => Unit::Cents,
            SalesShareBp | MinSalesShareBp | OwnRevenueShareBp | MinOwnRevenueShareBp => Unit::Bp,
            LegalFormCode | CommuneCode | HeadOfficeCommuneCode => Unit::Code,
            EsusApprovedOn | EsusExpiresOn | EsusEndsOn | EvaluatedOn | WindowStartExclusive => Unit::Date,
            EsusValidityYears | TerritoryCommunes => Unit::Count,
        }
    }
}

/// A short ASCII identifier (legal-form or commune code) stored inline: at most 8 printable
/// ASCII bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortCode([u8; 8]);

impl ShortCode {
    /// `None` when `s` is empty, longer than 8 bytes or not printable ASCII.
    pub fn new(s: &str) -> Option<ShortCode> {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > 8 || !b.iter().all(|c| c.is_ascii_graphic()) {
            return None;
        }
        let mut bytes = [0u8; 8];
        bytes[..b.len()].copy_from_slice(b);
        Some(ShortCode(bytes))
    }

    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(8);
        // Only printable ASCII is ever stored.
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }
}

impl fmt::Debug for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The value of a figure: a JSON integer (cents, bp, FTE hundredths, count) or a JSON string
/// (a date or a code), according to its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureValue {
    Integer(i64),
    Date(NaiveDate),
    Code(ShortCode),
}

/// `YYYY-MM-DD` without going through chrono's format-string parser.
fn write_date(out: &mut impl fmt::Write, d: NaiveDate) -> fmt::Result {
    write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

struct IsoDate(NaiveDate);

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

impl Serialize for FigureValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FigureValue::Integer(v) => s.serialize_i64(*v),
            FigureValue::Date(d) => s.collect_str(&IsoDate(*d)),
            FigureValue::Code(c) => s.serialize_str(c.as_str()),
        }
    }
}

impl PartialSchema for FigureValue {
    // anyOf, not oneOf: a date string is also a string, and oneOf would forbid matching both.
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .description(Some("cents, bp, fte_hundredths or count")),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                    .description(Some("date")),
            )
            .item(ObjectBuilder::new().schema_type(Type::String).description(Some("code")))
            .description(Some("An integer, or a string for the `date` and `code` units."))
            .into()
    }
}

impl ToSchema for FigureValue {}

/// One figure the engine used: an observed value or a threshold. 16 bytes: the name (which
/// fixes the unit) and the value packed in an `i64` (days from the common era for a date, the
/// bytes of a code).
///
/// JSON: `{"name": "own_revenue_share_bp", "unit": "bp", "value": 4200}`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub name: FigureName,
    raw: i64,
}

impl Figure {
    fn new(name: FigureName, value: FigureValue) -> Figure {
        let raw = match value {
            FigureValue::Integer(v) => v,
            FigureValue::Date(d) => i64::from(d.num_days_from_ce()),
            FigureValue::Code(c) => i64::from_le_bytes(c.0),
        };
        Figure { name, raw }
    }

    /// The unit of the value.
    pub fn unit(&self) -> Unit {
        self.name.unit()
    }

    /// The value, typed by the unit.
    pub fn value(&self) -> FigureValue {
        match self.name.unit() {
            Unit::Date => i32::try_from(self.raw)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .map_or(FigureValue::Integer(self.raw), FigureValue::Date),
            Unit::Code => FigureValue::Code(ShortCode(self.raw.to_le_bytes())),
            _ => FigureValue::Integer(self.raw),
        }
    }
}

impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Figure").field("name", &self.name).field("value", &self.value()).finish()
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Figure", 3)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("unit", &self.unit())?;
        st.serialize_field("value", &self.value())?;
        st.end()
    }
}

// The OpenAPI description of `Figure`, which serialises by hand.
/// One figure the engine used: an observed value or a threshold. The name fixes the unit.
#[allow(dead_code)]
#[derive(ToSchema)]
struct FigureSchema {
    #[schema(example = "own_revenue_share_bp")]
    name: FigureName,
    #[schema(example = "bp")]
    unit: Unit,
    #[schema(example = 4200)]
    value: FigureValue,
}

impl PartialSchema for Figure {
    fn schema() -> RefOr<Schema> {
        FigureSchema::schema()
    }
}

impl ToSchema for Figure {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Figure")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        FigureSchema::schemas(schemas)
    }
}

pub(super) const MAX_FIGURES: usize = 6;
const NO_FIGURE: Figure = Figure { name: FigureName::TotalCents, raw: 0 };

/// Up to six figures stored inline; serialises as a JSON array. Derefs to `[Figure]`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    len: u8,
    items: [Figure; MAX_FIGURES],
}

impl Figures {
    pub(super) const EMPTY: Figures = Figures { len: 0, items: [NO_FIGURE; MAX_FIGURES] };

    #[inline]
    fn push(&mut self, name: FigureName, value: FigureValue) {
        // Each criterion pushes at most MAX_FIGURES figures (checked by tests).
        if let Some(slot) = self.items.get_mut(usize::from(self.len)) {
            *slot = Figure::new(name, value);
            self.len += 1;
        }
    }
    #[inline]
    pub(super) fn int(&mut self, name: FigureName, value: i64) {
        self.push(name, FigureValue::Integer(value));
    }
    #[inline]
    pub(super) fn date(&mut self, name: FigureName, value: NaiveDate) {
        self.push(name, FigureValue::Date(value));
    }
    /// Codes that do not fit a [`ShortCode`] are left out.
    #[inline]
    pub(super) fn code(&mut self, name: FigureName, value: &str) {
        if let Some(code) = ShortCode::new(value) {
            self.push(name, FigureValue::Code(code));
        }
    }

    /// The figures as a slice.
    pub fn as_slice(&self) -> &[Figure] {
        &self.items[..usize::from(self.len)]
    }

    /// The value of the figure named `name`, if present.
    pub fn get(&self, name: FigureName) -> Option<FigureValue> {
        self.as_slice().iter().find(|f| f.name == name).map(Figure::value)
    }
    pub(super) fn int_of(&self, name: FigureName) -> Option<i64> {
        match self.get(name) {
            Some(FigureValue::Integer(v)) => Some(v),
            _ => None,
        }
    }
    pub(super) fn date_of(&self, name: FigureName) -> Option<NaiveDate> {
        match self.get(name) {
            Some(FigureValue::Date(d)) => Some(d),
            _ => None,
        }
    }
    pub(super) fn code_of(&self, name: FigureName) -> Option<ShortCode> {
        match self.get(name) {
            Some(FigureValue::Code(c)) => Some(c),
            _ => None,
        }
    }
}

impl std::ops::Deref for Figures {
    type Target = [Figure];
    fn deref(&self) -> &[Figure] {
        self.as_slice()
    }
}

impl fmt::Debug for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Figures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.as_slice().len()))?;
        for figure in self.as_slice() {
            seq.serialize_element(figure)?;
        }
        seq.end()
    }
}

/// The result of one criterion.
///
/// JSON (through [`Localized`]): `{"criterion", "mode", "outcome", "code", "reason",
/// "figures"}`; `reason` is rendered from `code` and `figures` at serialisation time, in the
/// reader's language (see [`CriterionResult::reason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriterionResult {
    pub criterion: Criterion,
    /// How the rules count it: `required` results make the overall outcome, `advisory` ones are
    /// only reported, `off` ones are `not_evaluated`.
    pub mode: CriterionMode,
    pub outcome: Outcome,
    pub code: CriterionCode,
    /// The figures used: observed values and thresholds.
    pub figures: Figures,
}

// The OpenAPI description of `CriterionResult`, which serialises by hand to render `reason`.
/// The result of one eligibility criterion: outcome, stable code, a sentence for people and the
/// figures used.
#[allow(dead_code)]
#[derive(ToSchema)]
struct CriterionResultSchema {
    criterion: Criterion,
    /// How the rules count this criterion: `required` (in the overall outcome), `advisory`
    /// (reported, not counted, never blocks a decision) or `off` (`not_evaluated`). Snapshots
    /// recorded before criteria had modes lack it: read them as `required`.
    #[schema(required = false)]
    mode: CriterionMode,
    outcome: Outcome,
    code: CriterionCode,
    /// A sentence for the instructor with the figures, in the language negotiated with
    /// `Accept-Language` (French by default; English with `en`), e.g. "Les produits
    /// d'exploitation (42 000,00 €) couvrent 42,00 % des charges d'exploitation (100 000,00 €) ;
    /// les règles exigent au moins 50,00 %." or "Operating revenue (€42,000.00) covers 42.00 %
    /// of operating costs (€100,000.00); the rules require at least 50.00 %."
    #[schema(
        example = "Les produits d'exploitation (42\u{202F}000,00\u{A0}€) couvrent 42,00\u{A0}% des charges d'exploitation (100\u{202F}000,00\u{A0}€) ; les règles exigent au moins 50,00\u{A0}%."
    )]
    reason: String,
    /// The figures used: observed values and thresholds (at most 6).
    #[schema(max_items = 6)]
    figures: Vec<Figure>,
}

impl PartialSchema for CriterionResult {
    fn schema() -> RefOr<Schema> {
        CriterionResultSchema::schema()
    }
}

impl ToSchema for CriterionResult {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("CriterionResult")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        CriterionResultSchema::schemas(schemas)
    }
}

impl Localize for CriterionResult {
    fn serialize_in<S: Serializer>(&self, lang: Lang, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CriterionResult", 6)?;
        st.serialize_field("criterion", &self.criterion)?;
        st.serialize_field("mode", &self.mode)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("reason", &self.reason_in(lang))?;
        st.serialize_field("figures", &self.figures)?;
        st.end()
    }
}

/// Why the maximum grant could not be computed (it is then 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaxGrantIssue {
    /// The expenses (investment), the rent and months (rent) or the total budget (budget) are
    /// not provided.
    MissingData,
    /// A negative expense, rent or budget.
    InvalidData,
    /// A project kind the scheme does not pay: not purchase, construction or works under an
    /// investment scheme, not rent under a rent scheme.
    ProjectKindMismatch,
}

/// The bonuses a dossier meets: bit `i` set for item `i` of the rules' `bonuses.items` (at most
/// 20, so they fit). A plain integer, so that evaluating allocates nothing; the rules version
/// names them ([`EligibilityReport::applied_bonuses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BonusSet(u32);

impl BonusSet {
    pub const EMPTY: BonusSet = BonusSet(0);

    /// The set with item `index` added (indices from 32 on are left out).
    #[inline]
    pub fn with(self, index: usize) -> BonusSet {
        match u32::try_from(index).ok().and_then(|i| 1u32.checked_shl(i)) {
            Some(bit) => BonusSet(self.0 | bit),
            None => self,
        }
    }

    pub fn contains(self, index: usize) -> bool {
        u32::try_from(index).ok().and_then(|i| 1u32.checked_shl(i)).is_some_and(|bit| self.0 & bit != 0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The eligibility report of a dossier.
// Serialised through `Localized`, its reasons in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
pub struct EligibilityReport {
    /// Always six results, in the order employment, market_activity, own_revenue_share,
    /// ess_status, territory, de_minimis; an `off` criterion is there too, `not_evaluated`.
    #[schema(value_type = Vec<CriterionResult>, min_items = 6, max_items = 6)]
    pub criteria: [CriterionResult; 6],
    /// Over the required criteria only: `fail` if one fails, else `needs_review` if one needs
    /// review, else `pass` (advisory results are not counted; `pass` when none is required).
    pub overall: Outcome,
    /// Highest grant the rules allow for this project, in cents: rate (bonuses included) ×
    /// base, floor division, capped, or the flat amount; never negative; 0 when it cannot be
    /// computed (see `max_grant_issue`).
    #[schema(minimum = 0, example = 1500000)]
    pub max_grant_cents: i64,
    /// Set when the maximum grant could not be computed.
    pub max_grant_issue: Option<MaxGrantIssue>,
    /// The rate applied, in basis points: the rules' rate plus `bonus_bp`; null for a flat
    /// maximum grant (and in snapshots recorded before bonuses existed).
    #[schema(minimum = 0, maximum = 10000, example = 3500)]
    pub max_grant_rate_bp: Option<u32>,
    /// Points the bonuses met add to the rate, in basis points, after their cap and the 100 %
    /// limit (0 without bonus). Snapshots recorded before bonuses existed lack it: read 0.
    #[schema(required = false, minimum = 0, maximum = 10000, example = 500)]
    pub bonus_bp: u32,
    /// The bonuses met (the codes are in the rules version: see `applied_bonuses`).
    #[serde(skip)]
    pub applied_bonuses: BonusSet,
}

impl Localize for EligibilityReport {
    fn serialize_in<S: Serializer>(&self, lang: Lang, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("EligibilityReport", 6)?;
        st.serialize_field("criteria", &Localized::new(&self.criteria[..], lang))?;
        st.serialize_field("overall", &self.overall)?;
        st.serialize_field("max_grant_cents", &self.max_grant_cents)?;
        st.serialize_field("max_grant_issue", &self.max_grant_issue)?;
        st.serialize_field("max_grant_rate_bp", &self.max_grant_rate_bp)?;
        st.serialize_field("bonus_bp", &self.bonus_bp)?;
        st.end()
    }
}

impl EligibilityReport {
    /// The result of one criterion.
    pub fn criterion(&self, criterion: Criterion) -> &CriterionResult {
        // criteria[i].criterion == Criterion::ALL[i] by construction.
        &self.criteria[criterion as usize]
    }

    /// The bonuses of `rules` (the version this report was evaluated by) that the dossier
    /// meets, in the rules' order.
    pub fn applied_bonuses<'r>(&self, rules: &'r RulesParameters) -> impl Iterator<Item = &'r Bonus> + 'r {
        let set = self.applied_bonuses;
        rules.bonuses.items.iter().enumerate().filter(move |(i, _)| set.contains(*i)).map(|(_, b)| b)
    }
}

// A criterion result read back from a recorded report (an eligibility snapshot): its criterion,
// mode (`required` for snapshots recorded before criteria had modes), outcome, code and figures; the recorded `reason` and the figures' `unit` are ignored, the
// reason being rendered again in the reader's language.
impl<'de> Deserialize<'de> for CriterionResult {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;

        #[derive(Deserialize)]
        struct Recorded {
            criterion: Criterion,
            #[serde(default)]
            mode: CriterionMode,
            outcome: Outcome,
            code: CriterionCode,
            figures: Vec<RecordedFigure>,
        }
        #[derive(Deserialize)]
        struct RecordedFigure {
            name: FigureName,
            value: RecordedValue,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum RecordedValue {
            Integer(i64),
            Text(String),
        }

        let recorded = Recorded::deserialize(d)?;
        if recorded.figures.len() > MAX_FIGURES {
            return Err(D::Error::custom(format!("more than {MAX_FIGURES} figures")));
        }
        let mut figures = Figures::EMPTY;
        for figure in recorded.figures {
            match (figure.name.unit(), figure.value) {
                (Unit::Date, RecordedValue::Text(text)) => {
                    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(D::Error::custom)?;
                    figures.date(figure.name, date);
                }
                (Unit::Code, RecordedValue::Text(text)) => figures.code(figure.name, &text),
                (Unit::Date | Unit::Code, RecordedValue::Integer(_)) => {
                    return Err(D::Error::custom(format!("{:?} is not a string", figure.name)))
                }
                (_, RecordedValue::Integer(value)) => figures.int(figure.name, value),
                (_, RecordedValue::Text(_)) => {
                    return Err(D::Error::custom(format!("{:?} is not an integer", figure.name)))
                }
            }
        }
        Ok(CriterionResult {
            criterion: recorded.criterion,
            mode: recorded.mode,
            outcome: recorded.outcome,
            code: recorded.code,
            figures,
        })
    }
}
