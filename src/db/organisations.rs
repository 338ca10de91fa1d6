//! Applicant organisations, and how the domain's `Organisation` is laid out in a row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult, Missing};
use crate::db::schema::organisations;
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::access::Caller;
use crate::domain::ids::{OrganisationId, Siret, TerritoryCode};
use crate::domain::organisation::{
    Accounts, AccountsKind, Address, DeclaredAid, EssStatutes, Esus, EsusBasis, Organisation,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: OrganisationId,
    pub territory: TerritoryCode,
    pub siret: Siret,
    pub name: String,
    pub legal_form: String,
    pub esus_starts_on: Option<chrono::NaiveDate>,
    pub esus_ends_on: Option<chrono::NaiveDate>,
    pub esus_basis: Option<EsusBasis>,
    pub ess_statutes: Option<EssStatutes>,
    pub rna: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    /// What it sells on a market (declared by the applicant).
    pub market_activity: Option<String>,
    pub salaried_staff_fte: f64,
    pub accounts_kind: AccountsKind,
    pub accounts_year: Option<i32>,
    pub operating_revenue_cents: Option<i64>,
    pub sales_revenue_cents: Option<i64>,
    pub operating_costs_cents: Option<i64>,
    /// Declared de minimis aids; NULL when never declared.
    pub de_minimis_aids: Option<Json<Vec<DeclaredAid>>>,
    /// Created by an SCDL import: its address and legal form are placeholders.
    pub imported: bool,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrganisationRow {
    /// A new row (version 1) holding `org`, registered by `created_by` in `territory`, under
    /// `siret` (`org.siret`, parsed where the request was read).
    pub fn new(
        id: OrganisationId,
        territory: TerritoryCode,
        siret: Siret,
        org: &Organisation,
        created_by: String,
        at: NaiveDateTime,
    ) -> Self {
        let mut row = OrganisationRow {
            id,
            territory,
            siret,
            name: String::new(),
            legal_form: String::new(),
            esus_starts_on: None,
            esus_ends_on: None,
            esus_basis: None,
            ess_statutes: None,
            rna: None,
            address_line: String::new(),
            postal_code: String::new(),
            city: String::new(),
            commune_code: String::new(),
            market_activity: None,
            salaried_staff_fte: 0.0,
            accounts_kind: AccountsKind::Closed,
            accounts_year: None,
            operating_revenue_cents: None,
            sales_revenue_cents: None,
            operating_costs_cents: None,
            de_minimis_aids: None,
            imported: false,
            version: 1,
            created_by,
            created_at: at,
            updated_at: at,
        };
        row.store(org);
        row
    }

    /// The domain organisation this row holds.
    pub fn organisation(&self) -> Organisation {
        let accounts = match (
            self.accounts_year,
            self.operating_revenue_cents,
            self.sales_revenue_cents,
            self.operating_costs_cents,
        ) {
            (
                Some(year),
                Some(operating_revenue_cents),
                Some(sales_revenue_cents),
                Some(operating_costs_cents),
            ) => Some(Accounts {
                kind: self.accounts_kind,
                year,
                operating_revenue_cents,
                sales_revenue_cents,
                operating_costs_cents,
            }),
            _ => None,
        };
        let esus = match (self.esus_starts_on, self.esus_ends_on, self.esus_basis) {
            (Some(starts_on), Some(ends_on), _) => Some(Esus::Approval { starts_on, ends_on }),
            (_, _, Some(basis)) => Some(Esus::ByRight { basis }),
            _ => None,
        };
        Organisation {
            siret: self.siret.to_string(),
            name: self.name.clone(),
            legal_form: self.legal_form.clone(),
            esus,
            ess_statutes: self.ess_statutes,
            rna: self.rna.clone(),
            address: Address {
                line: self.address_line.clone(),
                postal_code: self.postal_code.clone(),
                city: self.city.clone(),
                commune_code: self.commune_code.clone(),
            },
            market_activity: self.market_activity.clone(),
            salaried_staff_fte: self.salaried_staff_fte,
            accounts,
            de_minimis_aids: self.de_minimis_aids.as_ref().map(|aids| aids.0.clone()),
        }
    }

    /// Writes the organisation's fields into the row (identity, version and timestamps untouched).
    pub fn store(&mut self, org: &Organisation) {
        // Real details replace an import's placeholders.
        self.imported = false;
        self.name = org.name.clone();
        self.legal_form = org.legal_form.clone();
        (self.esus_starts_on, self.esus_ends_on, self.esus_basis) = match org.esus {
            Some(Esus::Approval { starts_on, ends_on }) => (Some(starts_on), Some(ends_on), None),
            Some(Esus::ByRight { basis }) => (None, None, Some(basis)),
            None => (None, None, None),
        };
        self.ess_statutes = org.ess_statutes;
        self.rna = org.rna.clone();
        self.address_line = org.address.line.clone();
        self.postal_code = org.address.postal_code.clone();
        self.city = org.address.city.clone();
        self.commune_code = org.address.commune_code.clone();
        self.market_activity = org.market_activity.clone();
        self.salaried_staff_fte = org.salaried_staff_fte;
        self.accounts_kind = org.accounts.map_or(AccountsKind::Closed, |a| a.kind);
        self.accounts_year = org.accounts.map(|a| a.year);
        self.operating_revenue_cents = org.accounts.map(|a| a.operating_revenue_cents);
        self.sales_revenue_cents = org.accounts.map(|a| a.sales_revenue_cents);
        self.operating_costs_cents = org.accounts.map(|a| a.operating_costs_cents);
        self.de_minimis_aids = org.de_minimis_aids.clone().map(Json);
    }
}

pub fn find(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    id: &OrganisationId,
) -> DbResult<Option<OrganisationRow>> {
    Ok(organisations::table
        .filter(organisations::id.eq(id))
        .filter(organisations::territory.eq(territory))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_siret(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    siret: &Siret,
) -> DbResult<Option<OrganisationRow>> {
    Ok(organisations::table
        .filter(organisations::siret.eq(siret))
        .filter(organisations::territory.eq(territory))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The organisation if the caller may see it (staff of its territory, or the applicant acting
/// for it); anything else does not exist for the caller: `NotFound`.
pub fn visible(conn: &mut DbConnection, caller: &Caller, id: &OrganisationId) -> DbResult<OrganisationRow> {
    find(conn, &caller.territory, id)?
        .filter(|row| caller.may_see_organisation(&row.siret))
        .ok_or_else(|| DbError::NotFound(Missing::Organisation))
}

/// A page of the organisations the caller may see, by name, and the total over all pages.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    siret: Option<&Siret>,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<OrganisationRow>, i64)> {
    let scoped = || {
        let mut q =
            organisations::table.filter(organisations::territory.eq(caller.territory.clone())).into_boxed();
        if !caller.is_staff() {
            q = q.filter(organisations::siret.eq(caller.organisation_siret.clone().unwrap_or_default()));
        }
        if let Some(siret) = siret {
            q = q.filter(organisations::siret.eq(siret.clone()));
        }
        q
    };
    let total: i64 = scoped().count().get_result(conn)?;
    let rows = scoped()
        .order((organisations::name.asc(), organisations::id.asc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(OrganisationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert(conn: &mut DbConnection, row: &OrganisationRow) -> DbResult<()> {
    diesel::insert_into(organisations::table).values(row).execute(conn)?;
    Ok(())
}

/// Replaces the row if it is still at `read_version` (`DbError::Stale` otherwise: someone edited it since).
pub fn replace(conn: &mut DbConnection, row: &OrganisationRow, read_version: i32) -> DbResult<()> {
    let touched = diesel::update(
        organisations::table
            .filter(organisations::id.eq(&row.id))
            .filter(organisations::version.eq(read_version)),
    )
    .set(row)
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::Stale);
    }
    Ok(())
}
