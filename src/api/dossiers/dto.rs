use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::{merge_patch_field, not_null, utc, FieldChangeView};
use crate::api::extract::rule_errors;
use crate::auth::{AuthUser, Role};
use crate::db::dossiers::DossierRow;
use crate::db::history::HistoryRow;
use crate::domain::checks;
use crate::domain::dossier::{DossierContent, ProjectKind};
use crate::domain::lifecycle::{transitions_from, DossierStatus, Transition};
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};

/// A new draft dossier, filed by an applicant for its organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDossier {
    /// The scheme applied to.
    pub scheme_id: uuid::Uuid,
    /// The call for projects of that scheme the dossier answers (`GET /calls?state=open`): it
    /// is then submitted while the call is open (409 `call_not_open`, `call_closed`); a call
    /// already closed takes no new dossier (409 `call_closed`).
    #[serde(default)]
    pub call_id: Option<uuid::Uuid>,
    /// The SCDL open data's `objet`: it does not start with `=`, `+`, `-` or `@` (after any
    /// spaces), which a spreadsheet runs as a formula (422 `formula_prefix`).
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Rénovation de l'atelier de réemploi",
        pattern = "{CELL_LINE_PATTERN}"
    )]
    pub title: String,
    pub project_kind: ProjectKind,
    /// DI-ESS: eligible investment (purchase, construction, works), in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 20000000)]
    #[serde(default)]
    pub eligible_expenses_cents: Option<i64>,
    /// DL-ESS: monthly rent, in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 150000)]
    #[serde(default)]
    pub monthly_rent_cents: Option<i64>,
    /// DL-ESS: months of rent.
    #[schema(minimum = 1, maximum = 120, example = 24)]
    #[serde(default)]
    pub rent_months: Option<i32>,
    /// The premises' address: required to submit when the scheme's territory criterion checks
    /// the premises (the default; not for a scheme that checks the head office or has the
    /// criterion off).
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "3 quai de Paris, 76000 Rouen",
        pattern = "{LINE_PATTERN}"
    )]
    #[serde(default)]
    pub premises_address: Option<String>,
    /// INSEE code of the premises' commune: required to submit as the address is.
    #[schema(
        pattern = "^((0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B)(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})|97[1-6](0[1-9]|[1-9][0-9]))$",
        example = "76540"
    )]
    #[serde(default)]
    pub premises_commune_code: Option<String>,
    /// Amount requested, in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 6000000)]
    #[serde(default)]
    pub requested_cents: Option<i64>,
    #[serde(default)]
    pub planned_start_on: Option<NaiveDate>,
    /// Jobs the project creates, in FTE.
    #[schema(minimum = 0, maximum = 100000, example = 2.0)]
    #[serde(default)]
    pub jobs_created_fte: Option<f64>,
    /// Jobs the project keeps, in FTE.
    #[schema(minimum = 0, maximum = 100000, example = 5.5)]
    #[serde(default)]
    pub jobs_kept_fte: Option<f64>,
    #[schema(max_length = 10000, pattern = "{TEXT_PATTERN}")]
    #[serde(default)]
    pub description: Option<String>,
    /// The project's total budget (all costs, all funders), in cents: required to submit under a
    /// scheme whose maximum grant is a share of it (`budget`); the amount requested may not
    /// exceed it there.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 4000000)]
    #[serde(default)]
    pub total_budget_cents: Option<i64>,
    /// The district of the premises, e.g. a QPV ("quartier prioritaire de la politique de la
    /// ville") code: 1 to 20 capital letters or digits. Optional; district bonuses look at it.
    #[schema(pattern = "^[A-Z0-9]{1,20}$", example = "QN07601M")]
    #[serde(default)]
    pub premises_district_code: Option<String>,
}

/// Changes to a draft (JSON Merge Patch: absent = unchanged, null = cleared). Only the content
/// is editable: status, scheme, organisation, scores and amounts granted are not.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierPatch {
    /// The SCDL open data's `objet`: it does not start with `=`, `+`, `-` or `@` (after any
    /// spaces), which a spreadsheet runs as a formula (422 `formula_prefix`).
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = "{CELL_LINE_PATTERN}")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub title: Option<Option<String>>,
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub project_kind: Option<Option<ProjectKind>>,
    #[schema(minimum = 0, maximum = 100000000000i64)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub eligible_expenses_cents: Option<Option<i64>>,
    #[schema(minimum = 0, maximum = 100000000000i64)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub monthly_rent_cents: Option<Option<i64>>,
    #[schema(minimum = 1, maximum = 120)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub rent_months: Option<Option<i32>>,
    #[schema(min_length = 1, max_length = 300, pattern = "{LINE_PATTERN}")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub premises_address: Option<Option<String>>,
    #[schema(
        pattern = "^((0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B)(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})|97[1-6](0[1-9]|[1-9][0-9]))$"
    )]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub premises_commune_code: Option<Option<String>>,
    #[schema(minimum = 0, maximum = 100000000000i64)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub requested_cents: Option<Option<i64>>,
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub planned_start_on: Option<Option<NaiveDate>>,
    #[schema(minimum = 0, maximum = 100000)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub jobs_created_fte: Option<Option<f64>>,
    #[schema(minimum = 0, maximum = 100000)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub jobs_kept_fte: Option<Option<f64>>,
    #[schema(max_length = 10000, pattern = "{TEXT_PATTERN}")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub description: Option<Option<String>>,
    #[schema(minimum = 0, maximum = 100000000000i64)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub total_budget_cents: Option<Option<i64>>,
    #[schema(pattern = "^[A-Z0-9]{1,20}$")]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub premises_district_code: Option<Option<String>>,
}

/// A dossier as its reader may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub scheme_id: String,
    /// The call for projects it answers, if any.
    #[schema(format = Uuid)]
    pub call_id: Option<String>,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub status: DossierStatus,
    pub title: String,
    pub project_kind: ProjectKind,
    pub eligible_expenses_cents: Option<i64>,
    pub monthly_rent_cents: Option<i64>,
    pub rent_months: Option<i32>,
    pub premises_address: Option<String>,
    pub premises_commune_code: Option<String>,
    pub requested_cents: Option<i64>,
    pub planned_start_on: Option<NaiveDate>,
    pub jobs_created_fte: Option<f64>,
    pub jobs_kept_fte: Option<f64>,
    pub description: Option<String>,
    /// The project's total budget, in cents (`budget` schemes).
    pub total_budget_cents: Option<i64>,
    /// The premises' district (e.g. a QPV code).
    pub premises_district_code: Option<String>,
    /// Last submission.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Filing year: of creation, then of submission.
    pub year: i32,
    /// The instructor who took the dossier for review (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_instructor: Option<String>,
    /// The rules version the dossier is judged by (set at submission).
    #[schema(format = Uuid)]
    pub rules_version_id: Option<String>,
    /// Amount granted, once approved (after amendments; what was paid, once cancelled or closed).
    pub granted_cents: Option<i64>,
    /// The date of the deliberation that granted it: the grant's date for totals and de minimis.
    pub decided_on: Option<NaiveDate>,
    /// The deliberation's reference.
    pub decision_reference: Option<String>,
    pub convention_signed_on: Option<NaiveDate>,
    /// The envelope the grant is committed against.
    #[schema(format = Uuid)]
    pub envelope_id: Option<String>,
    /// Paid so far.
    #[schema(minimum = 0)]
    pub paid_cents: i64,
    /// Requested and not yet paid or refused.
    #[schema(minimum = 0)]
    pub pending_disbursement_cents: i64,
    /// A grant decided before Essor, imported from an SCDL "subventions" file
    /// (`POST /imports/scdl-subventions`): closed, counted in totals and de minimis, read-only.
    pub imported: bool,
    /// When its personal data was removed at the end of its retention period (`essor purge`):
    /// its documents, the free text people wrote (description, comments) and who did what are
    /// gone; amounts, dates, references and identifiers stay. Read-only since.
    pub purged_at: Option<DateTime<Utc>>,
    /// While a decision is due (submitted, under review): the day the administration's silence
    /// becomes an implicit rejection (CRPA L231-4), two months after the last receipt. Null
    /// otherwise, and while changes are requested (the delay runs again from the pieces'
    /// arrival, L114-5).
    pub implicit_decision_on: Option<NaiveDate>,
    /// The day the applicant received the notification of the latest decision, once recorded
    /// (`POST …/notifications/{notification_id}/reception`); null until then and again when a
    /// new decision is notified.
    pub notified_on: Option<NaiveDate>,
    /// The last day an appeal against the latest decision may be brought: two clear months
    /// after `notified_on`, to the next working day (CJA R421-1).
    pub appeal_until: Option<NaiveDate>,
    /// Row version, as in the ETag.
    pub version: i32,
    /// What the caller may do next.
    pub allowed_transitions: Vec<Transition>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a transition records in the history, whichever body it came in.
#[derive(Debug, Default)]
pub struct TransitionRequest {
    pub comment: Option<String>,
    pub internal_note: Option<String>,
}

/// The body of a transition endpoint, its fields' rules declared beside them.
pub trait TransitionBody: serde::de::DeserializeOwned + Default + validator::Validate + 'static {
    fn into_request(self) -> TransitionRequest;
}

/// An applicant's optional comment on its own move (submit, withdraw).
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ApplicantComment {
    /// Shown in the history.
    #[schema(max_length = 2000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 2000>))]
    #[serde(default)]
    pub comment: Option<String>,
}

/// An instructor's optional comment and private note (review).
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffComment {
    /// Shown to the applicant in the history.
    #[schema(max_length = 2000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 2000>))]
    #[serde(default)]
    pub comment: Option<String>,
    /// A private annotation, never shown to applicants.
    #[schema(max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub internal_note: Option<String>,
}

/// Why a decision goes against the applicant (request changes, reject, dismiss).
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Shown to the applicant in the history: required, not blank.
    #[schema(min_length = 1, max_length = 2000, pattern = "{TEXT_REQUIRED_PATTERN}")]
    #[validate(custom(function = checks::text::<1, 2000>))]
    pub comment: String,
    /// A private annotation, never shown to applicants.
    #[schema(max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub internal_note: Option<String>,
}

impl TransitionBody for ApplicantComment {
    fn into_request(self) -> TransitionRequest {
        TransitionRequest { comment: self.comment, internal_note: None }
    }
}

impl TransitionBody for StaffComment {
    fn into_request(self) -> TransitionRequest {
        TransitionRequest { comment: self.comment, internal_note: self.internal_note }
    }
}

impl TransitionBody for Reason {
    fn into_request(self) -> TransitionRequest {
        TransitionRequest { comment: Some(self.comment), internal_note: self.internal_note }
    }
}

/// One recorded step of a dossier's life.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryView {
    /// Position in the dossier's history, from 1.
    pub seq: i32,
    pub at: DateTime<Utc>,
    /// Who acted (token subject).
    pub actor: String,
    pub actor_role: Role,
    /// `null` for the creation.
    pub from_status: Option<DossierStatus>,
    pub to_status: DossierStatus,
    pub comment: Option<String>,
    /// Staff only; absent from applicants' views.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
}

/// The dossier's organisation as it was last submitted (the copy instruction evaluates)
/// against the organisation as it is today.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationChangesView {
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The last submission (the first, or the latest resubmission), when the copy was kept.
    pub submitted_at: DateTime<Utc>,
    /// The organisation's version then: the edits since are the entries of
    /// `GET /organisations/{id}/history` with a greater `seq`.
    #[schema(minimum = 1)]
    pub organisation_version: i32,
    /// Each field that differs, by field name; empty when nothing changed.
    pub changes: Vec<FieldChangeView>,
}

/// The transitions that have an endpoint `POST /dossiers/{id}/<transition>`. `close` has none:
/// paying the balance closes the dossier.
pub const ROUTED_TRANSITIONS: [Transition; 9] = [
    Transition::Submit,
    Transition::Review,
    Transition::RequestChanges,
    Transition::Withdraw,
    Transition::Reject,
    Transition::Dismiss,
    Transition::Approve,
    Transition::Amend,
    Transition::Cancel,
];

/// The transitions a client can call from `status`, whoever performs them.
pub fn callable_from(status: DossierStatus) -> Vec<Transition> {
    transitions_from(status).into_iter().filter(|t| ROUTED_TRANSITIONS.contains(t)).collect()
}

/// The transitions this caller may perform from the dossier's status.
pub fn allowed_for(user: &AuthUser, status: DossierStatus) -> Vec<Transition> {
    callable_from(status).into_iter().filter(|t| t.allowed_roles().contains(&user.role)).collect()
}

impl DossierView {
    pub fn for_user(row: DossierRow, user: &AuthUser) -> Self {
        let c = row.content;
        DossierView {
            id: row.id.into(),
            scheme_id: row.scheme_id.into(),
            call_id: row.call_id.map(String::from),
            organisation_id: row.organisation_id.into(),
            status: row.status,
            title: c.title,
            project_kind: c.project_kind,
            eligible_expenses_cents: c.eligible_expenses_cents,
            monthly_rent_cents: c.monthly_rent_cents,
            rent_months: c.rent_months,
            premises_address: c.premises_address,
            premises_commune_code: c.premises_commune_code,
            requested_cents: c.requested_cents,
            planned_start_on: c.planned_start_on,
            jobs_created_fte: c.jobs_created_fte,
            jobs_kept_fte: c.jobs_kept_fte,
            description: c.description,
            total_budget_cents: c.total_budget_cents,
            premises_district_code: c.premises_district_code,
            submitted_at: row.submitted_at.map(utc),
            year: row.year,
            assigned_instructor: row.assigned_instructor.filter(|_| user.is_staff()),
            rules_version_id: row.rules_version_id.map(Into::into),
            granted_cents: row.granted_cents,
            decided_on: row.decided_on,
            decision_reference: row.decision_reference,
            convention_signed_on: row.convention_signed_on,
            envelope_id: row.envelope_id.map(String::from),
            paid_cents: row.paid_cents,
            pending_disbursement_cents: row.pending_disbursement_cents,
            imported: row.imported,
            purged_at: row.purged_at.map(utc),
            implicit_decision_on: row.implicit_decision_on,
            notified_on: row.notified_on,
            appeal_until: row.appeal_until,
            version: row.version,
            allowed_transitions: allowed_for(user, row.status),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

impl HistoryEntryView {
    pub fn for_user(row: HistoryRow, user: &AuthUser) -> Self {
        HistoryEntryView {
            seq: row.seq,
            at: utc(row.at),
            actor: row.actor,
            actor_role: row.actor_role,
            from_status: row.from_status,
            to_status: row.to_status,
            comment: row.comment,
            internal_note: row.internal_note.filter(|_| user.is_staff()),
        }
    }
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string())
}

impl NewDossier {
    pub fn content(&self) -> DossierContent {
        DossierContent {
            title: self.title.trim().to_string(),
            project_kind: self.project_kind,
            eligible_expenses_cents: self.eligible_expenses_cents,
            monthly_rent_cents: self.monthly_rent_cents,
            rent_months: self.rent_months,
            premises_address: trimmed(self.premises_address.clone()),
            premises_commune_code: self.premises_commune_code.clone(),
            requested_cents: self.requested_cents,
            planned_start_on: self.planned_start_on,
            jobs_created_fte: self.jobs_created_fte,
            jobs_kept_fte: self.jobs_kept_fte,
            description: trimmed(self.description.clone()),
            total_budget_cents: self.total_budget_cents,
            premises_district_code: self.premises_district_code.clone(),
        }
    }
}

impl DossierPatch {
    pub fn apply(self, mut c: DossierContent) -> ApiResult<DossierContent> {
        if let Some(title) = not_null("title", self.title)? {
            c.title = title.trim().to_string();
        }
        if let Some(kind) = not_null("project_kind", self.project_kind)? {
            c.project_kind = kind;
        }
        macro_rules! merge {
            ($($field:ident),+) => {$(
                if let Some(value) = self.$field {
                    c.$field = value;
                }
            )+};
        }
        merge!(
            eligible_expenses_cents,
            monthly_rent_cents,
            rent_months,
            premises_commune_code,
            requested_cents,
            planned_start_on,
            jobs_created_fte,
            jobs_kept_fte,
            total_budget_cents,
            premises_district_code
        );
        if let Some(address) = self.premises_address {
            c.premises_address = trimmed(address);
        }
        if let Some(description) = self.description {
            c.description = trimmed(description);
        }
        Ok(c)
    }
}

impl TransitionRequest {
    /// The body's rules (declared on its fields), then what depends on the transition and the
    /// caller: only staff write internal notes, and decisions against the applicant say why.
    pub fn checked<B: TransitionBody>(body: B, user: &AuthUser, transition: Transition) -> ApiResult<Self> {
        let mut errors = rule_errors(&body);
        let request = body.into_request();
        let needs_reason =
            matches!(transition, Transition::RequestChanges | Transition::Reject | Transition::Dismiss);
        if request.comment.is_none() && needs_reason {
            errors.insert(
                0,
                FieldError::new(
                    "comment",
                    FieldCode::Required,
                    crate::text!("field-transition-comment-required"),
                ),
            );
        }
        if request.internal_note.is_some() && !user.role.is_staff() {
            errors.retain(|e| e.field != "internal_note");
            errors.push(FieldError::new(
                "internal_note",
                FieldCode::NotAllowed,
                crate::text!("field-internal-note-staff-only"),
            ));
        }
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(ApiError::validation(errors))
        }
    }
}
