use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::common::{merge_patch_field, utc, FieldChangeView};
use crate::auth::Role;
use crate::db::organisation_history::OrganisationHistoryRow;
use crate::db::organisations::OrganisationRow;
use crate::domain::identifiers::{legal_family, siren_of, LegalFamily};
use crate::domain::organisation::{
    Accounts, AccountsKind, Address, DeclaredAid, EssStatutes, Esus, Organisation,
};
use crate::error::ApiResult;

/// Postal address of the organisation's registered establishment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "12 rue de la République",
        pattern = "{LINE_PATTERN}"
    )]
    pub line: String,
    #[schema(pattern = "^[0-9]{5}$", example = "76000")]
    pub postal_code: String,
    #[schema(min_length = 1, max_length = 100, example = "Rouen", pattern = "{LINE_PATTERN}")]
    pub city: String,
    /// INSEE commune code (not the postal code): 5 characters, Corsica 2A/2B.
    #[schema(
        pattern = "^((0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B)(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})|97[1-6](0[1-9]|[1-9][0-9]))$",
        example = "76540"
    )]
    pub commune_code: String,
}

/// The accounts the revenue criteria read: the last closed year's, or a new enterprise's
/// forecast (business plan).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountsDto {
    /// `closed` (the default): the last closed financial year; `forecast`: a business plan, for
    /// an enterprise without a closed year yet. Forecast figures make the market-activity and
    /// own-revenue criteria answer `needs_review`, never `pass`.
    #[serde(default)]
    pub kind: AccountsKind,
    /// The closed financial year (before this year), or the forecast's year (from last year to
    /// three years ahead).
    #[schema(minimum = 2000, example = 2025)]
    pub year: i32,
    /// Operating revenue from the activity (recettes d'exploitation: sales, fees, services),
    /// excluding operating subsidies, in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 30000000)]
    pub operating_revenue_cents: i64,
    /// Of which sales of goods and services, in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 21000000)]
    pub sales_revenue_cents: i64,
    /// Operating costs (charges d'exploitation), in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 32000000)]
    pub operating_costs_cents: i64,
}

/// A de minimis aid received (EU regulation 2023/2831).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclaredAidDto {
    #[schema(min_length = 1, max_length = 200, example = "Région Normandie", pattern = "{LINE_PATTERN}")]
    pub grantor: String,
    pub granted_on: NaiveDate,
    #[schema(minimum = 0, maximum = 100000000000i64, example = 1500000)]
    pub amount_cents: i64,
}

/// An organisation registering itself. Its SIRET must be the one its token names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// 14 digits with a valid Luhn checksum (La Poste's establishments excepted).
    #[schema(pattern = "^[0-9]{14}$", example = "73282932000074")]
    pub siret: String,
    /// Published in the CSV exports and open data: it does not start with `=`, `+`, `-` or `@`
    /// (after any spaces), which a spreadsheet runs as a formula (422 `formula_prefix`).
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Les Ateliers Solidaires",
        pattern = "{CELL_LINE_PATTERN}"
    )]
    pub name: String,
    /// INSEE catégorie juridique, 4 digits (e.g. 9220 association, 5710 SAS).
    #[schema(pattern = "^[1-9][0-9]{3}$", example = "9220")]
    pub legal_form: String,
    /// The ESUS approval (code du travail L3332-17-1), open to every ESS family: dated by its
    /// decision (`starts_on`, `ends_on`: 5 years at most, 2 for an enterprise under 3 years old),
    /// or held by right with its basis.
    #[serde(default)]
    pub esus: Option<Esus>,
    /// A commercial company's ESS statutes: `cooperative` (a SCOP or SCIC as SA, SAS or SARL) or
    /// `ess_company` (law 2014-856 art. 1 II). Commercial companies only.
    #[serde(default)]
    pub ess_statutes: Option<EssStatutes>,
    /// RNA number (associations only): W followed by 9 digits.
    #[schema(pattern = "^W[0-9]{9}$", example = "W763001234")]
    #[serde(default)]
    pub rna: Option<String>,
    pub address: AddressDto,
    /// The goods or services it sells on a market (criterion "market activity").
    #[schema(
        min_length = 1,
        max_length = 500,
        example = "Vente de meubles et d'objets réemployés",
        pattern = "{LINE_PATTERN}"
    )]
    #[serde(default)]
    pub market_activity: Option<String>,
    /// Salaried staff, in full-time equivalents.
    #[schema(minimum = 0, maximum = 100000, example = 4.5)]
    pub salaried_staff_fte: f64,
    #[serde(default)]
    pub accounts: Option<AccountsDto>,
    /// De minimis aid received over the last 3 years; `[]` declares none, absent or null
    /// means not declared yet.
    #[schema(max_items = 100)]
    #[serde(default)]
    pub de_minimis_aids: Option<Vec<DeclaredAidDto>>,
}

/// Changes to an organisation (JSON Merge Patch: absent = unchanged, null = cleared). The
/// SIRET never changes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    /// Published in the CSV exports and open data: it does not start with `=`, `+`, `-` or `@`
    /// (after any spaces), which a spreadsheet runs as a formula (422 `formula_prefix`).
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = "{CELL_LINE_PATTERN}")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub name: Option<Option<String>>,
    #[schema(nullable = false, pattern = "^[1-9][0-9]{3}$")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub legal_form: Option<Option<String>>,
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub esus: Option<Option<Esus>>,
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub ess_statutes: Option<Option<EssStatutes>>,
    #[schema(pattern = "^W[0-9]{9}$")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub rna: Option<Option<String>>,
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub address: Option<Option<AddressDto>>,
    #[schema(min_length = 1, max_length = 500, pattern = "{LINE_PATTERN}")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub market_activity: Option<Option<String>>,
    #[schema(nullable = false, minimum = 0, maximum = 100000)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub salaried_staff_fte: Option<Option<f64>>,
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub accounts: Option<Option<AccountsDto>>,
    #[schema(max_items = 100)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub de_minimis_aids: Option<Option<Vec<DeclaredAidDto>>>,
}

/// An applicant organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "73282932000074")]
    pub siret: String,
    /// The undertaking (first 9 digits of the SIRET); de minimis counts per SIREN.
    #[schema(example = "732829320")]
    pub siren: String,
    pub name: String,
    pub legal_form: String,
    /// The ESS family of the legal form.
    pub legal_family: LegalFamily,
    pub esus: Option<Esus>,
    pub ess_statutes: Option<EssStatutes>,
    pub rna: Option<String>,
    pub address: AddressDto,
    pub market_activity: Option<String>,
    pub salaried_staff_fte: f64,
    pub accounts: Option<AccountsDto>,
    /// Null when not declared yet.
    pub de_minimis_aids: Option<Vec<DeclaredAidDto>>,
    /// Created by an SCDL import (`POST /imports/scdl-subventions`) and not completed since: its
    /// legal form (`0000`), address and commune (`00000`) are placeholders until the applicant
    /// updates the whole organisation.
    pub imported: bool,
    /// Row version, as in the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One edit of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationHistoryEntryView {
    /// The organisation's version this edit made: 1 for its registration.
    #[schema(minimum = 1)]
    pub seq: i32,
    /// Who edited (token subject).
    pub actor: String,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
    /// Each field it changed, by field name (a registration: every declared field, from
    /// null); empty for an update that changed nothing.
    pub changes: Vec<FieldChangeView>,
}

impl From<OrganisationHistoryRow> for OrganisationHistoryEntryView {
    fn from(row: OrganisationHistoryRow) -> Self {
        OrganisationHistoryEntryView {
            seq: row.seq,
            actor: row.actor,
            actor_role: row.actor_role,
            at: utc(row.at),
            changes: row.changes.0.into_iter().map(Into::into).collect(),
        }
    }
}

impl NewOrganisation {
    pub fn into_domain(self) -> Organisation {
        Organisation {
            siret: self.siret,
            name: self.name.trim().to_string(),
            legal_form: self.legal_form,
            esus: self.esus,
            ess_statutes: self.ess_statutes,
            rna: self.rna,
            address: self.address.into(),
            market_activity: self.market_activity.map(|a| a.trim().to_string()),
            salaried_staff_fte: self.salaried_staff_fte,
            accounts: self.accounts.map(Into::into),
            de_minimis_aids: self.de_minimis_aids.map(|aids| aids.into_iter().map(Into::into).collect()),
        }
    }
}

impl OrganisationPatch {
    /// The organisation with this patch applied.
    pub fn apply(self, mut org: Organisation) -> ApiResult<Organisation> {
        use crate::api::common::not_null;
        if let Some(name) = not_null("name", self.name)? {
            org.name = name.trim().to_string();
        }
        if let Some(form) = not_null("legal_form", self.legal_form)? {
            org.legal_form = form;
        }
        if let Some(esus) = self.esus {
            org.esus = esus;
        }
        if let Some(statutes) = self.ess_statutes {
            org.ess_statutes = statutes;
        }
        if let Some(rna) = self.rna {
            org.rna = rna;
        }
        if let Some(address) = not_null("address", self.address)? {
            org.address = address.into();
        }
        if let Some(activity) = self.market_activity {
            org.market_activity = activity.map(|a| a.trim().to_string());
        }
        if let Some(fte) = not_null("salaried_staff_fte", self.salaried_staff_fte)? {
            org.salaried_staff_fte = fte;
        }
        if let Some(accounts) = self.accounts {
            org.accounts = accounts.map(Into::into);
        }
        if let Some(aids) = self.de_minimis_aids {
            org.de_minimis_aids = aids.map(|aids| aids.into_iter().map(Into::into).collect());
        }
        Ok(org)
    }
}

impl From<AddressDto> for Address {
    fn from(a: AddressDto) -> Self {
        Address {
            line: a.line.trim().to_string(),
            postal_code: a.postal_code,
            city: a.city.trim().to_string(),
            commune_code: a.commune_code,
        }
    }
}

impl From<AccountsDto> for Accounts {
    fn from(a: AccountsDto) -> Self {
        Accounts {
            kind: a.kind,
            year: a.year,
            operating_revenue_cents: a.operating_revenue_cents,
            sales_revenue_cents: a.sales_revenue_cents,
            operating_costs_cents: a.operating_costs_cents,
        }
    }
}

impl From<DeclaredAidDto> for DeclaredAid {
    fn from(a: DeclaredAidDto) -> Self {
        DeclaredAid {
            grantor: a.grantor.trim().to_string(),
            granted_on: a.granted_on,
            amount_cents: a.amount_cents,
        }
    }
}

impl From<&DeclaredAid> for DeclaredAidDto {
    fn from(a: &DeclaredAid) -> Self {
        DeclaredAidDto { grantor: a.grantor.clone(), granted_on: a.granted_on, amount_cents: a.amount_cents }
    }
}

impl From<OrganisationRow> for OrganisationView {
    fn from(row: OrganisationRow) -> Self {
        let org = row.organisation();
        OrganisationView {
            siren: siren_of(&row.siret).to_string(),
            legal_family: legal_family(&row.legal_form),
            id: row.id.into(),
            siret: row.siret.into(),
            name: org.name,
            legal_form: org.legal_form,
            esus: org.esus,
            ess_statutes: org.ess_statutes,
            rna: org.rna,
            address: AddressDto {
                line: org.address.line,
                postal_code: org.address.postal_code,
                city: org.address.city,
                commune_code: org.address.commune_code,
            },
            market_activity: org.market_activity,
            salaried_staff_fte: org.salaried_staff_fte,
            accounts: org.accounts.map(|a| AccountsDto {
                kind: a.kind,
                year: a.year,
                operating_revenue_cents: a.operating_revenue_cents,
                sales_revenue_cents: a.sales_revenue_cents,
                operating_costs_cents: a.operating_costs_cents,
            }),
            de_minimis_aids: org.de_minimis_aids.as_ref().map(|aids| aids.iter().map(Into::into).collect()),
            imported: row.imported,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}
