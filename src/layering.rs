//! The module boundaries, checked on the source itself (ARCHITECTURE.md):
//! - the domain imports nothing of api, auth, db, state or error;
//! - no diesel and no table under `src/api/`, no query under `src/cli/`: queries live in
//!   `src/db/` repositories;
//! - storage knows nothing of HTTP: no actix and nothing of `src/error` under `src/db/` (its
//!   own `DbError`, mapped to the API's problems in `src/error.rs`);
//! - no API resource imports another (shared pieces live in `api::{common, extract, openapi}`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `(file, line number, line)` for every line of the files under `dir` that `offends`.
fn offending_lines(dir: &str, offends: impl Fn(&Path, &str) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&src().join(dir)) {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if offends(&file, code) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_domain_depends_on_nothing_of_the_service() {
    let found = offending_lines("domain", |_, code| {
        ["crate::api", "crate::auth", "crate::db", "crate::state", "crate::error", "diesel", "actix"]
            .iter()
            .any(|forbidden| code.contains(forbidden))
    });
    assert!(found.is_empty(), "the domain must stay pure:\n{}", found.join("\n"));
}

#[test]
fn handlers_hold_no_query() {
    let found = offending_lines("api", |_, code| code.contains("diesel") || code.contains("db::schema"));
    assert!(found.is_empty(), "queries belong in src/db repositories:\n{}", found.join("\n"));
}

/// The operator's commands run repository functions too (`essor check` reads through
/// `db::invariants`): no table, no query DSL, no SQL under `src/cli/`.
#[test]
fn commands_hold_no_query() {
    let found = offending_lines("cli", |_, code| {
        ["db::schema", "diesel::prelude", "diesel::dsl", "sql_query", "RunQueryDsl", "QueryDsl"]
            .iter()
            .any(|forbidden| code.contains(forbidden))
    });
    assert!(found.is_empty(), "queries belong in src/db repositories:\n{}", found.join("\n"));
}

#[test]
fn storage_speaks_storage() {
    let found = offending_lines("db", |_, code| {
        ["crate::error", "ApiError", "ApiResult", "actix", "StatusCode"]
            .iter()
            .any(|forbidden| code.contains(forbidden))
    });
    assert!(
        found.is_empty(),
        "src/db returns DbError (src/db/error.rs), mapped to ApiError in src/error.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_api_resource_imports_another() {
    let shared = ["common", "extract", "idempotency", "openapi"];
    let found = offending_lines("api", |file, code| {
        let Some(imported) = code.split("crate::api::").nth(1) else { return false };
        let resource = imported.split([':', ';', ',', '}', ' ']).next().unwrap_or("");
        let own = file.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        !shared.contains(&resource) && resource != own
    });
    assert!(
        found.is_empty(),
        "share through api::common/extract/openapi or a db repository:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checks_see_the_sources() {
    // Guards against a vacuous pass: the walk finds the files it is meant to check.
    assert!(rust_files(&src().join("domain")).len() >= 10);
    assert!(rust_files(&src().join("api")).len() >= 30);
    assert!(rust_files(&src().join("db")).len() >= 20);
    assert!(!offending_lines("db", |_, code| code.contains("diesel")).is_empty());
}
