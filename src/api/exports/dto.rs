use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::tables::{Cell, Column, Kind};
pub use crate::api::tables::{ExportFormat, XlsxWorkbook};
use crate::db::exports::{EnvelopeFigures, GrantLine, GrantSums, SchemeRef};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::Code;

/// `GET /exports/annual-totals`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnnualTotalsQuery {
    /// The year: of the envelopes, of the decisions (`decided_on`), of the payments
    /// (`paid_on`) and of filing (the dossier's `year`).
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// Only this scheme of the caller's territory.
    pub scheme_id: Option<uuid::Uuid>,
    /// `json` (default), `csv` or `xlsx`; wins over `Accept`.
    #[param(value_type = Option<ExportFormat>, inline)]
    pub format: Option<String>,
}

/// `GET /exports/period-totals`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodTotalsQuery {
    /// First year of the period.
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub from: Option<i32>,
    /// Last year of the period (included), not before `from`.
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub to: Option<i32>,
    /// Only this scheme of the caller's territory.
    pub scheme_id: Option<uuid::Uuid>,
    /// `json` (default), `csv` or `xlsx`; wins over `Accept`.
    #[param(value_type = Option<ExportFormat>, inline)]
    pub format: Option<String>,
}

/// `GET /exports/grants`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GrantsQuery {
    /// The year of the decisions (`decided_on`).
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// `json` (default), `csv` or `xlsx`; wins over `Accept`.
    #[param(value_type = Option<ExportFormat>, inline)]
    pub format: Option<String>,
}

/// A scheme's year: its envelope, the grants decided, the payments made, the dossiers filed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeYearTotals {
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub scheme_code: String,
    #[serde(flatten)]
    pub figures: YearTotals,
}

/// The figures of a year, for a scheme or in total. Grants are dossiers approved, closed or
/// cancelled with a decision (`decided_on`) in the year and a current grant above zero.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct YearTotals {
    /// The year's envelope (0 without one).
    pub envelope_cents: i64,
    /// Earmarked in the year's envelope, now.
    pub reserved_cents: i64,
    /// The current grants (after amendments and releases) decided in the year.
    pub committed_cents: i64,
    /// Paid in the year (`paid_on`), whatever the year of the grant.
    pub disbursed_cents: i64,
    /// The year's envelope − its reserved − its committed.
    pub available_cents: i64,
    /// Distinct SIREN among the year's grants (in total, an undertaking counts once).
    pub beneficiaries: i64,
    /// Number of grants decided in the year.
    pub grants: i64,
    /// Dossiers filed in the year (their `year`), by status: every status, 0 included.
    pub dossiers_by_status: BTreeMap<String, i64>,
    /// What the year's dossiers submitted or under review request.
    pub pipeline_requested_cents: i64,
}

/// `GET /exports/annual-totals`: one row per scheme of the territory, and their total.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnualTotals {
    pub year: i32,
    pub schemes: Vec<SchemeYearTotals>,
    pub total: YearTotals,
}

/// What the repository gives for one scheme's year.
pub struct SchemeYear {
    pub scheme: SchemeRef,
    pub envelope: EnvelopeFigures,
    pub grants: GrantSums,
    pub disbursed_cents: i64,
    pub by_status: HashMap<DossierStatus, i64>,
    pub pipeline_cents: i64,
}

fn every_status(counts: &HashMap<DossierStatus, i64>) -> BTreeMap<String, i64> {
    DossierStatus::ALL.iter().map(|s| (s.as_str().to_string(), counts.get(s).copied().unwrap_or(0))).collect()
}

impl From<SchemeYear> for SchemeYearTotals {
    fn from(y: SchemeYear) -> Self {
        Self {
            scheme_id: y.scheme.id.into(),
            scheme_code: y.scheme.code,
            figures: YearTotals {
                envelope_cents: y.envelope.amount_cents,
                reserved_cents: y.envelope.reserved_cents,
                committed_cents: y.grants.granted_cents,
                disbursed_cents: y.disbursed_cents,
                available_cents: y.envelope.amount_cents
                    - y.envelope.reserved_cents
                    - y.envelope.committed_cents,
                beneficiaries: y.grants.beneficiaries,
                grants: y.grants.grants,
                dossiers_by_status: every_status(&y.by_status),
                pipeline_requested_cents: y.pipeline_cents,
            },
        }
    }
}

impl AnnualTotals {
    /// The schemes' rows and their sums; beneficiaries are counted once over all schemes.
    pub fn new(year: i32, schemes: Vec<SchemeYearTotals>, beneficiaries: i64) -> Self {
        let mut total = YearTotals { beneficiaries, ..YearTotals::default() };
        total.dossiers_by_status = every_status(&HashMap::new());
        for s in &schemes {
            let f = &s.figures;
            total.envelope_cents += f.envelope_cents;
            total.reserved_cents += f.reserved_cents;
            total.committed_cents += f.committed_cents;
            total.disbursed_cents += f.disbursed_cents;
            total.available_cents += f.available_cents;
            total.grants += f.grants;
            total.pipeline_requested_cents += f.pipeline_requested_cents;
            for (status, n) in &f.dossiers_by_status {
                *total.dossiers_by_status.entry(status.clone()).or_default() += n;
            }
        }
        Self { year, schemes, total }
    }

    /// The CSV columns: `row` (`scheme` or `total`), then every figure; one `dossiers_<status>`
    /// column per status.
    pub fn csv_header() -> Vec<String> {
        let mut header: Vec<String> = [
            "row",
            "year",
            "scheme_id",
            "scheme_code",
            "envelope_cents",
            "reserved_cents",
            "committed_cents",
            "disbursed_cents",
            "available_cents",
            "beneficiaries",
            "grants",
        ]
        .map(String::from)
        .to_vec();
        header.extend(DossierStatus::ALL.iter().map(|s| format!("dossiers_{}", s.as_str())));
        header.push("pipeline_requested_cents".into());
        header
    }

    /// The XLSX columns: the CSV's, amounts in euros named without `_cents`.
    pub fn xlsx_columns() -> Vec<Column> {
        let mut columns = vec![
            Column::new("row", Kind::Text, 8.0),
            Column::new("year", Kind::Integer, 6.0),
            Column::new("scheme_id", Kind::Text, 38.0),
            Column::new("scheme_code", Kind::Text, 14.0),
        ];
        for name in ["envelope", "reserved", "committed", "disbursed", "available"] {
            columns.push(Column::new(name, Kind::Euros, 16.0));
        }
        columns.push(Column::new("beneficiaries", Kind::Integer, 13.0));
        columns.push(Column::new("grants", Kind::Integer, 8.0));
        columns.extend(DossierStatus::ALL.iter().map(|s| {
            Column::new(format!("dossiers_{}", s.as_str()), Kind::Integer, 10.0 + s.as_str().len() as f64)
        }));
        columns.push(Column::new("pipeline_requested", Kind::Euros, 19.0));
        columns
    }

    /// The rows, CSV's and XLSX's: one per scheme, then the total (`row` says which), in the
    /// order of [`AnnualTotals::csv_header`] and [`AnnualTotals::xlsx_columns`].
    pub fn rows<'a>(&'a self) -> Vec<Vec<Cell<'a>>> {
        let row = |kind: &'static str, id: Option<&'a str>, code: Option<&'a str>, f: &'a YearTotals| {
            let text = |v: Option<&'a str>| v.map_or(Cell::None, Cell::Text);
            let mut r = vec![Cell::Text(kind), Cell::Integer(self.year.into()), text(id), text(code)];
            r.extend(
                [f.envelope_cents, f.reserved_cents, f.committed_cents, f.disbursed_cents, f.available_cents]
                    .map(Cell::Cents),
            );
            r.push(Cell::Integer(f.beneficiaries));
            r.push(Cell::Integer(f.grants));
            r.extend(
                DossierStatus::ALL
                    .iter()
                    .map(|s| Cell::Integer(f.dossiers_by_status.get(s.as_str()).copied().unwrap_or(0))),
            );
            r.push(Cell::Cents(f.pipeline_requested_cents));
            r
        };
        let mut rows: Vec<Vec<Cell<'_>>> = self
            .schemes
            .iter()
            .map(|s| row("scheme", Some(&s.scheme_id), Some(&s.scheme_code), &s.figures))
            .collect();
        rows.push(row("total", None, None, &self.total));
        rows
    }
}

/// A scheme's grants and payments over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemePeriodTotals {
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub scheme_code: String,
    #[serde(flatten)]
    pub figures: PeriodFigures,
}

/// Grants decided in the period (as in the annual totals) and payments made in it.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct PeriodFigures {
    /// Distinct SIREN among the period's grants, each counted once over the period.
    pub beneficiaries: i64,
    pub grants: i64,
    /// The current grants (after amendments and releases) decided in the period.
    pub granted_cents: i64,
    /// Paid in the period (`paid_on`), whatever the year of the grant.
    pub paid_cents: i64,
}

/// `GET /exports/period-totals`: one row per scheme of the territory, and their total.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodTotals {
    pub from: i32,
    pub to: i32,
    pub schemes: Vec<SchemePeriodTotals>,
    pub total: PeriodFigures,
}

impl PeriodTotals {
    /// The schemes' rows and their sums; beneficiaries are counted once over all schemes.
    pub fn new(from: i32, to: i32, schemes: Vec<SchemePeriodTotals>, beneficiaries: i64) -> Self {
        let mut total = PeriodFigures { beneficiaries, ..PeriodFigures::default() };
        for s in &schemes {
            total.grants += s.figures.grants;
            total.granted_cents += s.figures.granted_cents;
            total.paid_cents += s.figures.paid_cents;
        }
        Self { from, to, schemes, total }
    }

    pub fn csv_header() -> Vec<String> {
        [
            "row",
            "from",
            "to",
            "scheme_id",
            "scheme_code",
            "beneficiaries",
            "grants",
            "granted_cents",
            "paid_cents",
        ]
        .map(String::from)
        .to_vec()
    }

    /// The XLSX columns: the CSV's, amounts in euros named without `_cents`.
    pub fn xlsx_columns() -> Vec<Column> {
        vec![
            Column::new("row", Kind::Text, 8.0),
            Column::new("from", Kind::Integer, 6.0),
            Column::new("to", Kind::Integer, 6.0),
            Column::new("scheme_id", Kind::Text, 38.0),
            Column::new("scheme_code", Kind::Text, 14.0),
            Column::new("beneficiaries", Kind::Integer, 13.0),
            Column::new("grants", Kind::Integer, 8.0),
            Column::new("granted", Kind::Euros, 16.0),
            Column::new("paid", Kind::Euros, 16.0),
        ]
    }

    /// The rows, CSV's and XLSX's: one per scheme, then the total (`row` says which), in the
    /// order of [`PeriodTotals::csv_header`] and [`PeriodTotals::xlsx_columns`].
    pub fn rows<'a>(&'a self) -> Vec<Vec<Cell<'a>>> {
        let row = |kind: &'static str, id: Option<&'a str>, code: Option<&'a str>, f: &PeriodFigures| {
            let text = |v: Option<&'a str>| v.map_or(Cell::None, Cell::Text);
            vec![
                Cell::Text(kind),
                Cell::Integer(self.from.into()),
                Cell::Integer(self.to.into()),
                text(id),
                text(code),
                Cell::Integer(f.beneficiaries),
                Cell::Integer(f.grants),
                Cell::Cents(f.granted_cents),
                Cell::Cents(f.paid_cents),
            ]
        };
        let mut rows: Vec<Vec<Cell<'_>>> = self
            .schemes
            .iter()
            .map(|s| row("scheme", Some(&s.scheme_id), Some(&s.scheme_code), &s.figures))
            .collect();
        rows.push(row("total", None, None, &self.total));
        rows
    }
}

/// One grant decided in the year. The CSV has the same columns, in this order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantView {
    #[schema(format = Uuid)]
    pub dossier_id: String,
    pub beneficiary_name: String,
    #[schema(pattern = "^[0-9]{14}$")]
    pub siret: String,
    pub scheme_code: String,
    pub decision_reference: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub convention_signed_on: Option<NaiveDate>,
    /// The current grant, after amendments and releases.
    pub granted_cents: i64,
    /// Paid so far.
    pub paid_cents: i64,
    /// granted − paid.
    pub remaining_cents: i64,
    pub status: DossierStatus,
}

impl From<GrantLine> for GrantView {
    fn from(g: GrantLine) -> Self {
        let granted = g.granted_cents.unwrap_or(0);
        Self {
            dossier_id: g.dossier_id.into(),
            beneficiary_name: g.beneficiary_name,
            siret: g.siret.into(),
            scheme_code: g.scheme_code,
            decision_reference: g.decision_reference,
            decided_on: g.decided_on,
            convention_signed_on: g.convention_signed_on,
            granted_cents: granted,
            paid_cents: g.paid_cents,
            remaining_cents: granted - g.paid_cents,
            status: g.status,
        }
    }
}

impl GrantView {
    /// The XLSX columns: the CSV's, amounts in euros named without `_cents`, dates as dates.
    pub fn xlsx_columns() -> Vec<Column> {
        vec![
            Column::new("dossier_id", Kind::Text, 38.0),
            Column::new("beneficiary_name", Kind::Text, 40.0),
            Column::new("siret", Kind::Text, 16.0),
            Column::new("scheme_code", Kind::Text, 14.0),
            Column::new("decision_reference", Kind::Text, 20.0),
            Column::new("decided_on", Kind::Date, 12.0),
            Column::new("convention_signed_on", Kind::Date, 12.0),
            Column::new("granted", Kind::Euros, 16.0),
            Column::new("paid", Kind::Euros, 16.0),
            Column::new("remaining", Kind::Euros, 16.0),
            Column::new("status", Kind::Text, 18.0),
        ]
    }

    /// The grant's row, CSV's and XLSX's, in the order of the CSV header and of
    /// [`GrantView::xlsx_columns`].
    pub fn cells(&self) -> [Cell<'_>; 11] {
        [
            Cell::Text(&self.dossier_id),
            Cell::Text(&self.beneficiary_name),
            Cell::Text(&self.siret),
            Cell::Text(&self.scheme_code),
            self.decision_reference.as_deref().map_or(Cell::None, Cell::Text),
            Cell::Date(self.decided_on),
            Cell::Date(self.convention_signed_on),
            Cell::Cents(self.granted_cents),
            Cell::Cents(self.paid_cents),
            Cell::Cents(self.remaining_cents),
            Cell::Text(self.status.as_str()),
        ]
    }
}

/// `GET /exports/grants` as JSON (streamed).
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantList {
    pub year: i32,
    /// By decision date, then dossier id.
    pub grants: Vec<GrantView>,
}
