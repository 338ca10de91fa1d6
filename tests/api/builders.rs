//! Builders that set up domain state through the real HTTP endpoints.
//!
//! ```ignore
//! let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&a).in_status(UnderReview).await;
//! app.instructor().act(&d.id, "reject", Some(json!({"comment": "Hors périmètre"}))).await.ok(200);
//! ```

use essor::domain::lifecycle::DossierStatus;
use serde_json::{json, Value};

use crate::helpers::{dossier_body, Applicant, Client, TestApp};

type Adjust<'a> = Box<dyn FnOnce(&mut Value) + Send + 'a>;

/// A dossier created, and moved along its lifecycle, by its applicant and one instructor.
pub struct DossierBuilder<'a> {
    app: &'a TestApp,
    scheme_id: Option<String>,
    applicant: Option<Applicant>,
    instructor: Option<Client<'a>>,
    adjust: Option<Adjust<'a>>,
}

/// A dossier as the builder left it.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub id: String,
    pub version: i64,
    pub applicant: Applicant,
    pub scheme_id: String,
    /// The dossier as its applicant last saw it: the response to its creation or to its last
    /// transition, or a read after the staff steps.
    pub body: Value,
}

impl Dossier {
    /// `/api/v1/dossiers/{id}`.
    pub fn path(&self) -> String {
        format!("/api/v1/dossiers/{}", self.id)
    }

    /// `/api/v1/dossiers/{id}/{sub}`, e.g. `path_to("history")`.
    pub fn path_to(&self, sub: &str) -> String {
        format!("/api/v1/dossiers/{}/{sub}", self.id)
    }

    /// The entity tag of the version the builder left it at, for If-Match.
    pub fn etag(&self) -> String {
        format!("\"v{}\"", self.version)
    }
}

/// The entity tag of a dossier body, from its `version`.
pub fn etag(dossier: &Value) -> String {
    format!("\"v{}\"", dossier["version"])
}

impl<'a> DossierBuilder<'a> {
    /// By default: a fresh applicant, a fresh open DI-ESS scheme, the complete works body, and a
    /// fresh instructor for the staff steps.
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, scheme_id: None, applicant: None, instructor: None, adjust: None }
    }

    pub fn scheme(mut self, scheme_id: &str) -> Self {
        self.scheme_id = Some(scheme_id.to_string());
        self
    }

    pub fn applicant(mut self, applicant: &Applicant) -> Self {
        self.applicant = Some(applicant.clone());
        self
    }

    /// The instructor who takes the staff steps (by default a fresh one).
    pub fn instructor(mut self, instructor: &Client<'a>) -> Self {
        self.instructor = Some(instructor.clone());
        self
    }

    /// Changes the creation body (the complete one of [`dossier_body`]) before it is sent.
    pub fn with_body(mut self, adjust: impl FnOnce(&mut Value) + Send + 'a) -> Self {
        self.adjust = Some(Box::new(adjust));
        self
    }

    /// A draft (the same as `in_status(Draft)`).
    pub async fn draft(self) -> Dossier {
        self.in_status(DossierStatus::Draft).await
    }

    /// Creates the dossier and drives it into `status` through the transition endpoints,
    /// asserting each step. Staff steps carry the comment "motif".
    pub async fn in_status(self, status: DossierStatus) -> Dossier {
        use DossierStatus::*;
        let (applicant_steps, staff_steps): (&[&str], &[&str]) = match status {
            Draft => (&[], &[]),
            Submitted => (&["submit"], &[]),
            UnderReview => (&["submit"], &["review"]),
            ChangesRequested => (&["submit"], &["review", "request-changes"]),
            Rejected => (&["submit"], &["review", "reject"]),
            Dismissed => (&["submit"], &["review", "dismiss"]),
            Withdrawn => (&["withdraw"], &[]),
            Approved | Cancelled | Closed => panic!(
                "DossierBuilder cannot reach {status:?}: the API has no endpoint to approve a dossier yet"
            ),
        };
        let app = self.app;
        let scheme_id = match self.scheme_id {
            Some(id) => id,
            None => {
                let code = format!("T-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase();
                app.open_scheme(&code).await
            }
        };
        let applicant = match self.applicant {
            Some(a) => a,
            None => app.register_applicant().await,
        };
        let mut body = dossier_body(&scheme_id);
        if let Some(adjust) = self.adjust {
            adjust(&mut body);
        }
        let who = app.applicant(&applicant);
        let mut last = who.post("/api/v1/dossiers", &body).await.ok(201).clone();
        let id = last["id"].as_str().expect("id").to_string();
        for action in applicant_steps {
            last = who.act(&id, action, None).await.ok(200).clone();
        }
        if !staff_steps.is_empty() {
            let instructor = self.instructor.unwrap_or_else(|| app.instructor());
            for action in staff_steps {
                instructor.act(&id, action, Some(json!({"comment": "motif"}))).await.ok(200);
            }
            last = who.get(&format!("/api/v1/dossiers/{id}")).await.ok(200).clone();
        }
        assert_eq!(last["status"], status_name(status), "the builder reached {status:?}");
        let version = last["version"].as_i64().expect("version");
        Dossier { id, version, applicant, scheme_id, body: last }
    }
}

/// The wire name of a status (as the API writes it).
fn status_name(status: DossierStatus) -> &'static str {
    use DossierStatus::*;
    match status {
        Draft => "draft",
        Submitted => "submitted",
        UnderReview => "under_review",
        ChangesRequested => "changes_requested",
        Approved => "approved",
        Rejected => "rejected",
        Dismissed => "dismissed",
        Withdrawn => "withdrawn",
        Cancelled => "cancelled",
        Closed => "closed",
    }
}
