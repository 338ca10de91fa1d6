use serde_json::{json, Value};

use crate::builders::{etag, DossierBuilder};
use crate::helpers::{both_backends, dossier_body, spawn_app, Backend, OTHER_TERRITORY};
use essor::auth::Role;
use essor::domain::lifecycle::DossierStatus::{self, *};

both_backends!(
    a_draft_is_editable_until_submitted,
    review_assigns_an_instructor_hidden_from_the_applicant,
    changes_requested_loop_keeps_the_first_submission,
    reject_and_dismiss_are_final,
    history_records_every_step_and_hides_internal_notes,
    history_cannot_be_rewritten_even_by_sql,
    applicants_withdraw_before_instruction_ends,
    every_forbidden_transition_is_409_naming_the_allowed_ones,
    role_endpoint_matrix,
    applicants_cannot_reach_each_others_dossiers,
    concurrent_patches_with_one_etag_one_wins,
    dossier_validation_per_field,
    submission_lists_everything_missing,
    lists_filter_and_paginate,
    concurrent_transitions_across_two_instances_move_once,
    another_instructor_takes_the_dossier_over_on_the_record,
);

/// Any instructor of the territory may decide; the dossier passes to the one who acts, and the
/// staff-only note of the history records it.
async fn another_instructor_takes_the_dossier_over_on_the_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob) = (app.instructor(), app.instructor());
    let d = DossierBuilder::new(&app).instructor(&alice).in_status(UnderReview).await;
    let alice_sub = alice.get(&d.path()).await.ok(200)["assigned_instructor"].as_str().unwrap().to_string();
    let rejected = bob.act(&d.id, "reject", Some(json!({"comment": "Hors périmètre du dispositif"}))).await;
    let bob_sub = rejected.ok(200)["assigned_instructor"].as_str().unwrap().to_string();
    assert_ne!(bob_sub, alice_sub, "the dossier passed to the instructor who decided");
    let staff_history = alice.get(&d.path_to("history")).await.ok(200).clone();
    // The decision's step (the refusal's notification follows it).
    let last =
        staff_history.as_array().unwrap().iter().find(|h| h["to_status"] == "rejected").unwrap().clone();
    assert_eq!(last["actor"], bob_sub.as_str());
    let note = last["internal_note"].as_str().expect("the take-over is on the record");
    assert!(note.contains(&alice_sub) && note.contains(&bob_sub), "{note}");
    let applicant_history = app.applicant(&d.applicant).get(&d.path_to("history")).await.ok(200).clone();
    assert!(applicant_history.as_array().unwrap().iter().all(|h| h.get("internal_note").is_none()));
    // The instructor who took it acting again records nothing special.
    let d2 = DossierBuilder::new(&app).instructor(&alice).in_status(UnderReview).await;
    alice.act(&d2.id, "dismiss", Some(json!({"comment": "Doublon"}))).await.ok(200);
    let history = alice.get(&d2.path_to("history")).await.ok(200).clone();
    assert!(history.as_array().unwrap().last().unwrap()["internal_note"].is_null());
}

async fn a_draft_is_editable_until_submitted(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let applicant = app.applicant(&d.applicant);
    assert_eq!(d.body["status"], "draft");
    assert_eq!(d.body["allowed_transitions"], json!(["submit", "withdraw"]));
    assert!(d.body["rules_version_id"].is_null());

    let edited = applicant.patch(&d.path(), &json!({"requested_cents": 5_000_000}), Some(&d.etag())).await;
    assert_eq!(edited.ok(200)["requested_cents"], 5_000_000);

    // A JSON null body is an empty comment, as documented.
    let submitted = applicant.act(&d.id, "submit", Some(Value::Null)).await.ok(200).clone();
    assert_eq!(submitted["status"], "submitted");
    assert!(submitted["rules_version_id"].is_string());
    assert!(submitted["submitted_at"].as_str().unwrap().ends_with('Z'));
    // Submitted: no longer editable.
    applicant.patch(&d.path(), &json!({"title": "x"}), Some(&etag(&submitted))).await.problem(409);
}

async fn review_assigns_an_instructor_hidden_from_the_applicant(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let reviewed = app
        .instructor()
        .act(&d.id, "review", Some(json!({"internal_note": "Vérifier le bail"})))
        .await
        .ok(200)
        .clone();
    assert_eq!(reviewed["status"], "under_review");
    assert!(reviewed["assigned_instructor"].is_string());
    let applicant_view = app.applicant(&d.applicant).get(&d.path()).await;
    assert!(applicant_view.ok(200).get("assigned_instructor").is_none());
}

async fn changes_requested_loop_keeps_the_first_submission(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let (applicant, instructor) = (app.applicant(&d.applicant), app.instructor());
    let rules_version = d.body["rules_version_id"].as_str().unwrap().to_string();
    let first_submitted_at = d.body["submitted_at"].clone();

    instructor.act(&d.id, "review", None).await.ok(200);
    let asked = instructor
        .act(
            &d.id,
            "request-changes",
            Some(json!({"comment": "Joindre le devis", "internal_note": "Devis manquant"})),
        )
        .await
        .ok(200)
        .clone();
    assert_eq!(asked["status"], "changes_requested");

    // The applicant answers and resubmits; the rules version stays the first one.
    applicant.patch(&d.path(), &json!({"description": "Devis joint."}), Some(&etag(&asked))).await.ok(200);
    let again =
        applicant.act(&d.id, "submit", Some(json!({"comment": "Devis ajouté"}))).await.ok(200).clone();
    assert_eq!(again["status"], "submitted");
    assert_eq!(again["rules_version_id"], rules_version.as_str());
    assert_eq!(again["submitted_at"], first_submitted_at);
}

async fn reject_and_dismiss_are_final(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    for (action, status) in [("reject", "rejected"), ("dismiss", "dismissed")] {
        let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(UnderReview).await;
        let instructor = app.instructor();
        let decided =
            instructor.act(&d.id, action, Some(json!({"comment": "Hors périmètre"}))).await.ok(200).clone();
        assert_eq!(decided["status"], status);
        assert_eq!(decided["allowed_transitions"], json!([]));
        // The decision and its comment are recorded, for the applicant to read.
        let history = app.applicant(&applicant).get(&d.path_to("history")).await;
        let entries = history.ok(200).as_array().unwrap().clone();
        let last = entries.iter().find(|h| h["from_status"] == "under_review").unwrap().clone();
        assert_eq!(last["to_status"], status);
        // A refusal is notified (its own line after the decision); a dismissal is not.
        let notified = entries
            .iter()
            .filter(|h| h["comment"].as_str().is_some_and(|c| c.starts_with("Notification NOT-")));
        assert_eq!(notified.count(), usize::from(action == "reject"));
        assert_eq!(last["comment"], "Hors périmètre");
        assert_eq!(last["actor_role"], "instructor");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = '{status}'",
                d.id
            )),
            1
        );
    }
}

async fn history_records_every_step_and_hides_internal_notes(backend: Backend) {
    let app = spawn_app(backend).await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).instructor(&instructor).in_status(UnderReview).await;
    let applicant = app.applicant(&d.applicant);
    let id = d.id.as_str();
    instructor
        .act(
            id,
            "request-changes",
            Some(json!({"comment": "Joindre le devis", "internal_note": "Devis manquant"})),
        )
        .await
        .ok(200);
    applicant.act(id, "submit", Some(json!({"comment": "Devis ajouté"}))).await.ok(200);
    instructor.act(id, "review", None).await.ok(200);
    instructor.act(id, "reject", Some(json!({"comment": "Hors périmètre"}))).await.ok(200);

    // Every step, in order; internal notes for staff only.
    let staff_view = instructor.get(&d.path_to("history")).await;
    let steps: Vec<(Value, Value)> = staff_view
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from_status"].clone(), e["to_status"].clone()))
        .collect();
    let s = |v: &str| json!(v);
    assert_eq!(
        steps,
        vec![
            (Value::Null, s("draft")),
            (s("draft"), s("submitted")),
            (s("submitted"), s("under_review")),
            (s("under_review"), s("changes_requested")),
            (s("changes_requested"), s("submitted")),
            (s("submitted"), s("under_review")),
            (s("under_review"), s("rejected")),
            // The refusal's notification, issued with it.
            (s("rejected"), s("rejected")),
        ]
    );
    let entries = staff_view.body.as_array().unwrap();
    assert_eq!(entries[3]["comment"], "Joindre le devis");
    assert_eq!(entries[3]["internal_note"], "Devis manquant");
    assert_eq!(entries[3]["actor_role"], "instructor");
    assert_eq!(entries[1]["actor_role"], "applicant");
    assert_eq!(
        entries.iter().map(|e| e["seq"].as_i64().unwrap()).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
    let applicant_view = applicant.get(&d.path_to("history")).await;
    assert_eq!(applicant_view.ok(200).as_array().unwrap().len(), 8);
    assert!(
        !applicant_view.text.contains("Devis manquant") && !applicant_view.text.contains("internal_note")
    );
    assert!(applicant_view.text.contains("Joindre le devis"));
    assert!(applicant.get(&d.path()).await.ok(200).get("assigned_instructor").is_none());

    // Stored state agrees.
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM dossier_history WHERE dossier_id = '{id}'")), 8);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM dossiers WHERE id = '{id}' AND status = 'rejected'")),
        1
    );
}

async fn history_cannot_be_rewritten_even_by_sql(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Rejected).await;
    let id = d.id.as_str();
    let entries =
        || app.count(&format!("SELECT COUNT(*) AS n FROM dossier_history WHERE dossier_id = '{id}'"));
    assert_eq!(entries(), 5, "created, submitted, reviewed, rejected, notified");
    assert!(app.try_execute(&format!("DELETE FROM dossier_history WHERE dossier_id = '{id}'")).is_err());
    assert!(app.try_execute("UPDATE dossier_history SET comment = 'rewritten'").is_err());
    assert_eq!(entries(), 5);
    let history = app.instructor().get(&d.path_to("history")).await;
    assert!(!history.ok(200).to_string().contains("rewritten"));
}

async fn applicants_withdraw_before_instruction_ends(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    for from in [Draft, Submitted, ChangesRequested] {
        let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(from).await;
        let withdrawn = app.applicant(&applicant).act(&d.id, "withdraw", None).await;
        assert_eq!(withdrawn.ok(200)["status"], "withdrawn", "from {from:?}");
    }
}

async fn every_forbidden_transition_is_409_naming_the_allowed_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let instructor = app.instructor();
    let allowed: &[(DossierStatus, &str, &[&str])] = &[
        (Draft, "draft", &["submit", "withdraw"]),
        (Submitted, "submitted", &["review", "request-changes", "withdraw"]),
        (UnderReview, "under_review", &["request-changes", "reject", "dismiss", "approve"]),
        (ChangesRequested, "changes_requested", &["submit", "withdraw"]),
        (Rejected, "rejected", &[]),
        (Dismissed, "dismissed", &[]),
        (Withdrawn, "withdrawn", &[]),
    ];
    let actions = [
        ("submit", false),
        ("review", true),
        ("request-changes", true),
        ("withdraw", false),
        ("reject", true),
        ("dismiss", true),
    ];
    for (status, name, ok) in allowed {
        let d = DossierBuilder::new(&app)
            .scheme(&scheme)
            .applicant(&applicant)
            .instructor(&instructor)
            .in_status(*status)
            .await;
        for (action, staff) in actions {
            if ok.contains(&action) {
                continue;
            }
            let res = if staff {
                instructor.act(&d.id, action, Some(json!({"comment": "motif"}))).await
            } else {
                app.applicant(&applicant).act(&d.id, action, None).await
            };
            let problem = res.problem(409);
            assert_eq!(problem["current_status"], *name, "{action} from {name}");
            let names: Vec<&str> = problem["allowed_transitions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(names, ok.to_vec(), "{action} from {name}");
            let now = instructor.get(&d.path()).await;
            assert_eq!(now.ok(200)["status"], *name, "nothing changed after a refused {action}");
        }
    }
}

async fn role_endpoint_matrix(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let (id, path, scheme, applicant) = (d.id.as_str(), d.path(), &d.scheme_id, &d.applicant);
    let roles = [
        ("admin", app.admin()),
        ("instructor", app.instructor()),
        ("finance", app.finance()),
        ("applicant", app.applicant(applicant)),
    ];

    // Without a token, every dossier endpoint is 401.
    let actions = ["submit", "review", "request-changes", "withdraw", "reject", "dismiss"];
    let nobody = app.anonymous();
    nobody.get("/api/v1/dossiers").await.problem(401);
    nobody.get(&path).await.problem(401);
    nobody.get(&d.path_to("history")).await.problem(401);
    nobody.post("/api/v1/dossiers", &dossier_body(scheme)).await.problem(401);
    nobody.patch(&path, &json!({"title": "x"}), Some("\"v1\"")).await.problem(401);
    for action in actions {
        nobody.act(id, action, None).await.problem(401);
    }

    // Reads: every role of the territory.
    for (_, client) in &roles {
        client.get("/api/v1/dossiers").await.ok(200);
        client.get(&path).await.ok(200);
        client.get(&d.path_to("history")).await.ok(200);
    }
    // Writes: only the right role; the others get 403 and nothing changes.
    for (role, client) in &roles {
        let create = client.post("/api/v1/dossiers", &dossier_body(scheme)).await;
        let patch = client.patch(&path, &json!({"title": "Nouveau titre"}), Some("\"v1\"")).await;
        if *role == "applicant" {
            create.ok(201);
            patch.ok(200);
        } else {
            create.problem(403);
            patch.problem(403);
        }
        for action in actions {
            let may = match action {
                "submit" | "withdraw" => *role == "applicant",
                _ => *role == "instructor",
            };
            if !may {
                client.act(id, action, Some(json!({"comment": "x"}))).await.problem(403);
            }
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossiers"), 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{id}' AND status = 'draft' AND version = 2"
        )),
        1
    );

    // Another territory: 404 on everything, empty lists.
    let rennes = app.client_for(Role::Instructor, OTHER_TERRITORY, None);
    rennes.get(&path).await.problem(404);
    rennes.get(&d.path_to("history")).await.problem(404);
    rennes.act(id, "review", None).await.problem(404);
    assert_eq!(rennes.get("/api/v1/dossiers").await.ok(200)["total"], 0);
    // An applicant of another territory cannot file against this territory's scheme.
    let rennes_applicant = app.client_for(Role::Applicant, OTHER_TERRITORY, Some(&applicant.siret));
    rennes_applicant.post("/api/v1/dossiers", &dossier_body(scheme)).await.problem(409);
}

async fn applicants_cannot_reach_each_others_dossiers(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let (a, b) = (app.applicant(&d.applicant), app.applicant(&app.register_applicant().await));
    b.get(&d.path()).await.problem(404);
    b.get(&d.path_to("history")).await.problem(404);
    b.patch(&d.path(), &json!({"title": "Pwned"}), Some("\"v1\"")).await.problem(404);
    b.act(&d.id, "submit", None).await.problem(404);
    b.act(&d.id, "withdraw", None).await.problem(404);
    let list = b.get("/api/v1/dossiers").await;
    assert_eq!(list.ok(200)["total"], 0);
    let filtered = b.get(&format!("/api/v1/dossiers?organisation_id={}", d.applicant.organisation_id)).await;
    assert_eq!(filtered.ok(200)["total"], 0);
    // A's own view is intact.
    let own = a.get(&d.path()).await;
    assert_eq!(own.ok(200)["title"], d.body["title"]);
    assert_eq!(own.body["status"], "draft");
    assert_eq!(a.get("/api/v1/dossiers").await.ok(200)["total"], 1);
}

async fn concurrent_patches_with_one_etag_one_wins(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let client = app.applicant(&applicant);
    for round in 0..5 {
        let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).draft().await;
        let (path, tag) = (d.path(), d.etag());
        let (a, b) = (json!({"title": "Version A"}), json!({"title": "Version B"}));
        let (r1, r2) = tokio::join!(client.patch(&path, &a, Some(&tag)), client.patch(&path, &b, Some(&tag)));
        let mut statuses = [r1.status.as_u16(), r2.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: {} / {}", r1.text, r2.text);
        let winner = if r1.status == 200 { &r1 } else { &r2 };
        let stored = client.get(&path).await;
        assert_eq!(stored.ok(200)["title"], winner.body["title"]);
        assert_eq!(stored.body["version"], 2);
    }
}

async fn dossier_validation_per_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let client = app.applicant(&applicant);
    let mut body = dossier_body(&scheme);
    body["requested_cents"] = json!(-1);
    body["eligible_expenses_cents"] = json!(9_000_000_000_000_i64);
    body["premises_commune_code"] = json!("7654");
    body["planned_start_on"] = json!("1990-01-01");
    body["title"] = json!("t".repeat(201));
    body["rent_months"] = json!(500);
    body["jobs_created_fte"] = json!(-2);
    let res = client.post("/api/v1/dossiers", &body).await;
    res.problem(422);
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "eligible_expenses_cents",
            "jobs_created_fte",
            "planned_start_on",
            "premises_commune_code",
            "rent_months",
            "requested_cents",
            "title"
        ]
    );
    // No mass assignment: status, grant, organisation and unknown fields are refused.
    for (field, value) in [
        ("status", json!("approved")),
        ("granted_cents", json!(1)),
        ("organisation_id", json!(applicant.organisation_id)),
        ("score", json!(20)),
    ] {
        let mut b = dossier_body(&scheme);
        b[field] = value;
        let res = client.post("/api/v1/dossiers", &b).await;
        res.problem(400);
        assert_eq!(res.error_fields(), vec![field.to_string()]);
    }
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).draft().await;
    for field in ["status", "scheme_id", "granted_cents", "assigned_instructor"] {
        let res = client.patch(&d.path(), &json!({field: "x"}), Some(&d.etag())).await;
        assert_eq!(res.problem(400)["errors"][0]["field"], field);
    }
    let res =
        client.patch(&d.path(), &json!({"requested_cents": 200_000_000_000_i64}), Some(&d.etag())).await;
    assert_eq!(res.problem(422)["errors"][0]["field"], "requested_cents");
    // An unknown scheme is a field error.
    let mut b = dossier_body(&scheme);
    b["scheme_id"] = json!(uuid::Uuid::new_v4());
    assert_eq!(client.post("/api/v1/dossiers", &b).await.problem(422)["errors"][0]["field"], "scheme_id");
    // Nothing stored but the one good draft, unchanged.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossiers"), 1);
    assert_eq!(client.get(&d.path()).await.ok(200)["version"], 1);
    // Comments have limits too, and decisions need one.
    let res = client.act(&d.id, "submit", Some(json!({"comment": "c".repeat(2001)}))).await;
    assert_eq!(res.problem(422)["errors"][0]["field"], "comment");
    // The applicant's body has no internal note at all (its schema says so): 400 naming it.
    let res = client.act(&d.id, "submit", Some(json!({"internal_note": "sneaky"}))).await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "internal_note");
    // Integral numbers written with a fraction are integers, as JSON Schema says.
    let months = client.patch(&d.path(), &json!({"rent_months": 11.0}), Some("\"v1\"")).await;
    assert_eq!(months.ok(200)["rent_months"], 11);
}

async fn submission_lists_everything_missing(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let client = app.applicant(&applicant);
    let bare = json!({"scheme_id": scheme, "title": "Projet", "project_kind": "rent"});
    let d = client.post("/api/v1/dossiers", &bare).await.ok(201).clone();
    let id = d["id"].as_str().unwrap();
    let res = client.act(id, "submit", None).await;
    res.problem(422);
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "description",
            "eligible_expenses_cents",
            "jobs_created_fte",
            "jobs_kept_fte",
            "planned_start_on",
            "premises_address",
            "premises_commune_code",
            "project_kind",
            "requested_cents",
        ]
    );
    assert_eq!(client.get(&format!("/api/v1/dossiers/{id}")).await.ok(200)["status"], "draft");
    // The organisation's accounts and de minimis declaration are needed too.
    let undeclared = app
        .register_applicant_with(|o| {
            o["accounts"] = Value::Null;
            o["de_minimis_aids"] = Value::Null;
        })
        .await;
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&undeclared).draft().await;
    let res = app.applicant(&undeclared).act(&d.id, "submit", None).await;
    res.problem(422);
    assert_eq!(res.error_fields(), vec!["organisation.accounts", "organisation.de_minimis_aids"]);
    // A scheme with no rules in force cannot take submissions.
    let closed = app.create_scheme("DL-ESS").await;
    let d = DossierBuilder::new(&app).scheme(&closed).applicant(&applicant).draft().await;
    let refused = client.act(&d.id, "submit", None).await;
    assert_eq!(refused.problem(409)["code"], "no_rules_in_force", "a machine-readable reason");
}

async fn lists_filter_and_paginate(backend: Backend) {
    let app = spawn_app(backend).await;
    let di = app.open_scheme("DI-ESS").await;
    let other = app.open_scheme("DX-ESS").await;
    let applicant = app.register_applicant().await;
    for _ in 0..3 {
        DossierBuilder::new(&app).scheme(&di).applicant(&applicant).draft().await;
    }
    let submitted = DossierBuilder::new(&app).scheme(&other).applicant(&applicant).in_status(Submitted).await;
    let instructor = app.instructor();
    let page = instructor.get("/api/v1/dossiers?per_page=2&page=1").await;
    assert_eq!(page.ok(200)["total"], 4);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let page3 = instructor.get("/api/v1/dossiers?per_page=2&page=3").await;
    assert_eq!(page3.ok(200)["items"].as_array().unwrap().len(), 0);
    let by_status = instructor.get("/api/v1/dossiers?status=submitted").await;
    assert_eq!(by_status.ok(200)["total"], 1);
    assert_eq!(by_status.body["items"][0]["id"], submitted.id.as_str());
    assert_eq!(instructor.get(&format!("/api/v1/dossiers?scheme_id={di}")).await.ok(200)["total"], 3);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(instructor.get(&format!("/api/v1/dossiers?year={year}")).await.ok(200)["total"], 4);
    assert_eq!(instructor.get("/api/v1/dossiers?year=2001").await.ok(200)["total"], 0);
    instructor.get("/api/v1/dossiers?per_page=101").await.problem(400);
    instructor.get("/api/v1/dossiers?page=0").await.problem(400);
    instructor.get("/api/v1/dossiers?status=bogus").await.problem(400);
    let res = instructor.get("/api/v1/dossiers?color=red").await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "(query)");
    instructor.get("/api/v1/dossiers?page=1000001").await.problem(400);
    let res = instructor.get("/api/v1/organisations?siret=abc").await;
    assert_eq!(res.problem(400)["errors"][0]["code"], "siret_format");
    // Fourteen digits failing the checksum name no organisation (only valid SIRETs are stored):
    // an empty page, not an error.
    let listed = instructor.get("/api/v1/organisations?siret=73282932000075").await.ok(200).clone();
    assert_eq!((listed["total"].clone(), listed["items"].clone()), (json!(0), json!([])));
}

async fn concurrent_transitions_across_two_instances_move_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.second_instance();
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    for round in 0..4 {
        let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(Submitted).await;
        // Two instructors take the same dossier at once, through two instances.
        let (first, second) = (app.instructor(), app.instructor().on(&other));
        let (r1, r2) = tokio::join!(first.act(&d.id, "review", None), second.act(&d.id, "review", None));
        let mut statuses = [r1.status.as_u16(), r2.status.as_u16()];
        statuses.sort();
        // The loser either saw the dossier already moved (409) or lost the race to write (412).
        assert!(statuses == [200, 409] || statuses == [200, 412], "round {round}: {} / {}", r1.text, r2.text);
        let history = first.get(&d.path_to("history")).await;
        let reviews =
            history.ok(200).as_array().unwrap().iter().filter(|e| e["to_status"] == "under_review").count();
        assert_eq!(reviews, 1, "round {round}: exactly one review recorded");
        let winner = if r1.status == 200 { &r1 } else { &r2 };
        let stored = first.get(&d.path()).await;
        assert_eq!(stored.ok(200)["assigned_instructor"], winner.body["assigned_instructor"]);
        assert_eq!(stored.body["version"], 3);
    }
}
