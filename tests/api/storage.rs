//! What the service does with rows it cannot read (a value written by a newer version, or by
//! hand): a 500 problem that shows nothing internal, never a panic, and the rest keeps working.

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, spawn_app, Backend, Resp};

both_backends!(
    an_unknown_stored_code_is_a_500_problem_without_internals,
    a_corrupt_json_document_is_a_500_problem_without_internals
);

/// A 500 problem whose text names no table, column or stored value.
#[track_caller]
fn internal_problem_showing_nothing(res: &Resp, hidden: &[&str]) {
    let body = res.problem(500);
    assert_eq!(body["type"], "urn:essor:problem:internal");
    for word in hidden {
        assert!(!res.text.contains(word), "{word:?} leaked: {}", res.text);
    }
}

async fn an_unknown_stored_code_is_a_500_problem_without_internals(backend: Backend) {
    let app = spawn_app(backend).await;
    let dossier = DossierBuilder::new(&app).draft().await;
    let staff = app.instructor();
    assert_eq!(staff.get(&dossier.path_to("history")).await.ok(200).as_array().unwrap().len(), 1);

    // dossier_history.actor_role has no CHECK: a role this version does not know.
    let changed = app
        .try_execute(&format!(
            "UPDATE dossier_history SET actor_role = 'auditor' WHERE dossier_id = '{}'",
            dossier.id
        ))
        .err();
    // The history is append-only: the database itself refuses the edit...
    assert!(changed.is_some(), "history rows must not be editable");
    // ...so write the unknown code where a migration could: a new row, by hand.
    app.try_execute(&format!(
        "INSERT INTO dossier_history (id, dossier_id, seq, actor, actor_role, at, from_status, to_status) \
         VALUES ('h-unknown', '{}', 2, 'someone', 'auditor', '2026-01-01 00:00:00', 'draft', 'draft')",
        dossier.id
    ))
    .expect("insert by hand");

    let res = staff.get(&dossier.path_to("history")).await;
    internal_problem_showing_nothing(&res, &["auditor", "dossier_history", "actor_role"]);
    // Everything else about the dossier still reads.
    assert_eq!(staff.get(&dossier.path()).await.ok(200)["status"], "draft");
}

async fn a_corrupt_json_document_is_a_500_problem_without_internals(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let admin = app.admin();
    assert_eq!(
        admin.get(&format!("/api/v1/schemes/{scheme}/rules")).await.ok(200).as_array().unwrap().len(),
        1
    );

    app.try_execute(&format!(
        "UPDATE rules_versions SET parameters = '{{\"employment\": \"oops\"}}' WHERE scheme_id = '{scheme}'"
    ))
    .expect("corrupt the stored rules");

    let res = admin.get(&format!("/api/v1/schemes/{scheme}/rules")).await;
    internal_problem_showing_nothing(&res, &["rules_versions", "parameters", "oops"]);
    // The scheme itself still reads, and the server still answers.
    assert_eq!(admin.get(&format!("/api/v1/schemes/{scheme}")).await.ok(200)["id"], scheme.as_str());
    assert_eq!(app.anonymous().get("/health/ready").await.ok(200)["status"], "ok");
}
