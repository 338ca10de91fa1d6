//! The acknowledgement of receipt of a submission (CRPA L112-3, R112-5): issued in the
//! submission's transaction, numbered per territory and year, its letter made from the
//! territory's template and kept with it.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::dossiers::DossierRow;
use crate::db::organisations::OrganisationRow;
use crate::db::receipts::{self, ReceiptRow};
use crate::db::types::Json;
use crate::db::{counters, generated, new_id, schemes, territories, DbConnection};
use crate::domain::ids::{GeneratedDocumentId, ReceiptId};
use crate::domain::lang::{cents_text, date_in};
use crate::domain::procedure::{self, ReceiptContent, Series};
use crate::domain::Lang;
use crate::error::{ApiError, ApiResult};
use crate::letters::{LetterKind, LetterMeta, Templates};

/// The template kind of receipts, as generated documents name it.
pub const KIND: &str = "receipt";

/// Issues the receipt of submission `seq` of `dossier` (just moved to `submitted`), received at
/// `at`: the next number of the territory's year, the silence date, what the letter states,
/// and the letter itself.
pub fn issue(
    conn: &mut DbConnection,
    templates: &Templates,
    dossier: &DossierRow,
    organisation: &OrganisationRow,
    seq: i32,
    at: NaiveDateTime,
) -> ApiResult<ReceiptRow> {
    let territory = territories::find(conn, &dossier.territory)?
        .ok_or_else(|| ApiError::internal("dossier without its territory", dossier.id.clone()))?;
    let scheme = schemes::find(conn, &dossier.territory, &dossier.scheme_id)?
        .ok_or_else(|| ApiError::internal("dossier without its scheme", dossier.id.clone()))?;
    let received_on = procedure::paris_date(at);
    let year = procedure::receipt_year(received_on);
    let number = counters::next_number(conn, &dossier.territory, Series::Receipt, year)?;
    let org = organisation.organisation();
    let content = ReceiptContent {
        territory_name: territory.name.clone(),
        service: territory.service.clone().into(),
        applicant: org.as_applicant(),
        dossier_title: dossier.content.title.clone(),
        scheme_name: scheme.name.clone(),
        requested_cents: dossier.content.requested_cents,
    };
    let row = ReceiptRow {
        id: ReceiptId::from(new_id()),
        dossier_id: dossier.id.clone(),
        seq,
        territory: dossier.territory.clone(),
        year,
        number,
        received_on,
        implicit_decision_on: procedure::implicit_decision_on(received_on),
        content: Json(content),
        document_id: GeneratedDocumentId::from(new_id()),
        issued_at: at,
    };
    let template = templates.get(territory.code.as_str(), LetterKind::Receipt);
    let context = letter_context(&row, territory.siret.as_ref().map(|s| s.as_str()));
    let meta = LetterMeta {
        title: procedure::receipt_label(row.year, row.number),
        issued_at: crate::api::common::utc(at),
    };
    let pdf = template.render(&context, &meta).map_err(|e| ApiError::internal_from("render a receipt", e))?;
    generated::keep_pdf(conn, &row.document_id, Some(&dossier.id), KIND, template.version(), &pdf, at)?;
    receipts::insert(conn, &row)?;
    Ok(row)
}

/// What the receipt's template is given: every value already written as a French letter writes
/// it (`80 000,00 €`, `07/12/2026`); what the territory did not set is null.
pub fn letter_context(row: &ReceiptRow, territory_siret: Option<&str>) -> serde_json::Value {
    let content = &row.content.0;
    let date = |d| date_in(d, Lang::Fr);
    json!({
        "territory": procedure::letterhead(&content.territory_name, territory_siret, &content.service),
        "receipt": {
            "number": procedure::receipt_label(row.year, row.number),
            "received_on": date(row.received_on),
            "issued_on": date(procedure::paris_date(row.issued_at)),
            "implicit_decision_on": date(row.implicit_decision_on),
            "resubmission": row.seq > 1,
            "round": row.seq,
        },
        "dossier": {
            "id": row.dossier_id.as_str(),
            "title": content.dossier_title,
            "scheme": content.scheme_name,
            "requested": content.requested_cents.map(|c| cents_text(c).0),
        },
        "applicant": {
            "name": content.applicant.name,
            "siret": content.applicant.siret,
            "address": content.applicant.address,
        },
    })
}
