//! The module boundaries, checked on the source itself (ARCHITECTURE.md):
//! - the domain imports nothing of api, auth, db, state or error;
//! - no diesel and no table under `src/api/`, no query under `src/cli/`: queries live in
//!   `src/db/` repositories;
//! - storage knows nothing of HTTP: no actix and nothing of `src/error` under `src/db/` (its
//!   own `DbError`, mapped to the API's problems in `src/error.rs`);
//! - no API resource imports another (shared pieces live in `api::{common, extract, openapi}`);
//! - the modules of the domain import one another without a cycle (a leaf holds what two
//!   modules both need, e.g. `domain::code::Code`, `domain::project_kind::ProjectKind`);
//! - no source file, under `src/` or `tests/`, is over 900 lines;
//! - repositories take typed ids, not `&str`;
//! - a text pattern (no control character…) is written once, in its constant;
//! - a request's rules of one field are declared beside the field (`validator`), not called
//!   by hand in handlers;
//! - sentences for people live in the catalogues (`locales/`), not in string literals.

use std::collections::{BTreeMap, BTreeSet};
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
    let shared = ["common", "extract", "idempotency", "letters", "openapi", "tables"];
    let found = offending_lines("api", |file, code| {
        let Some(imported) = code.split("crate::api::").nth(1) else { return false };
        let resource = imported.split([':', ';', ',', '}', ' ']).next().unwrap_or("");
        let own = file.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        !shared.contains(&resource) && resource != own
    });
    assert!(
        found.is_empty(),
        "share through api::common/extract/letters/openapi/tables or a db repository:\n{}",
        found.join("\n")
    );
}

/// Issue 21 item 5: every repository takes and returns typed ids (`domain::ids`, and
/// `domain::identifiers::Siret`), so that `envelopes::for_year(conn, &territory, &scheme, year)`
/// cannot be called with two ids swapped. Under `src/db`, a parameter named `id` or after an id
/// that travels (a dossier, scheme, envelope, organisation, territory, SIRET, document,
/// disbursement, reservation or rules version) may not be text (`&str`, `&String`, `&[String]`,
/// optional or not), and a parameter or a row's field so named may not be a `String` either
/// (a row's own `id` field may: the ids no use case hands to a repository, such as a history
/// step's, stay text).
#[test]
fn repositories_take_typed_ids() {
    const NAMES: [&str; 18] = [
        "territory",
        "siret",
        "scheme_id",
        "dossier_id",
        "envelope_id",
        "organisation_id",
        "document_id",
        "disbursement_id",
        "reservation_id",
        "rules_version_id",
        "receipt_id",
        "notification_id",
        "convention_id",
        "convention_document_id",
        "generated_document_id",
        "session_id",
        "session_item_id",
        "call_id",
    ];
    const BORROWED: [&str; 5] = ["&str", "&String", "&[String]", "Option<&str>", "Option<&String>"];
    const OWNED: [&str; 3] = ["String", "Option<String>", "Vec<String>"];
    let untyped = |piece: &str| {
        let piece = piece.trim().trim_start_matches("pub(crate) ").trim_start_matches("pub ");
        let Some((name, ty)) = piece.split_once(':') else { return false };
        let ty = ty.trim().replace("'a ", "");
        let named = NAMES.contains(&name.trim());
        let borrowed = BORROWED.iter().any(|t| ty.starts_with(t));
        let owned = OWNED.iter().any(|t| ty == *t || ty.starts_with(&format!("{t})")));
        (named || name.trim() == "id") && borrowed || named && owned
    };
    let files = rust_files(&src().join("db"));
    assert!(files.len() >= 20, "the walk sees the repositories");
    let found = offending_lines("db", |_, code| code.split(['(', ',', '{', '|']).any(untyped));
    assert!(found.is_empty(), "untyped ids ({} lines):\n{}", found.len(), found.join("\n"));
}

#[test]
fn the_checks_see_the_sources() {
    // Guards against a vacuous pass: the walk finds the files it is meant to check.
    assert!(rust_files(&src().join("domain")).len() >= 10);
    assert!(rust_files(&src().join("api")).len() >= 30);
    assert!(rust_files(&src().join("db")).len() >= 20);
    assert!(!offending_lines("db", |_, code| code.contains("diesel")).is_empty());
}

/// The domain's modules, each with the modules it names (`super::x`, `crate::domain::x`, or an
/// item the domain's root re-exports from `x`). A node is a top-level module of `src/domain`
/// (a file, or a folder with its files) or `domain` itself (`mod.rs`: `FieldError`).
type Graph = BTreeMap<String, BTreeSet<String>>;

const ROOT: &str = "domain";

/// The module path of the file `relative` (to `src/domain`), e.g. `["eligibility", "engine"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut path: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    let last = path.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        path.push(stem.to_string());
    }
    path
}

/// The identifiers a path names after its prefix: `a::b` gives `a`, `{a, b::c, D}` gives `a`, `b`, `D`.
fn named_after(rest: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = rest.strip_prefix('{') else { return vec![ident(rest)] };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && (c.is_alphanumeric() || c == '_') => {
                names.push(String::new());
                start = false;
                names.last_mut().expect("pushed").push(c);
            }
            c if !start && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                if let Some(name) = names.last_mut() {
                    if !name.ends_with(':') {
                        name.push(c)
                    }
                }
            }
            ':' if depth == 0 => {
                if let Some(name) = names.last_mut() {
                    name.push(':')
                }
            }
            _ => {}
        }
    }
    names.into_iter().map(|n| n.trim_end_matches(':').to_string()).filter(|n| !n.is_empty()).collect()
}

/// The top-level domain modules that `text` (the file at `path` under `src/domain`) names.
/// `modules` are the domain's modules, `reexports` the root's `pub use` names and their module.
fn domain_references(
    path: &[String],
    text: &str,
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // Inline modules (`mod tests {`), closed by a `}` at their indentation (rustfmt's layout).
    let mut inline: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if inline.last().is_some_and(|(_, at)| line == format!("{at}}}")) {
            inline.pop();
            continue;
        }
        let current: Vec<String> =
            path.iter().cloned().chain(inline.iter().map(|(name, _)| name.clone())).collect();
        let trimmed = code.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
        if let Some(name) = trimmed.strip_prefix("mod ").and_then(|r| r.strip_suffix(" {")) {
            inline.push((name.to_string(), indent));
            continue;
        }
        if path.is_empty() && trimmed.starts_with("mod ") {
            continue; // the root declares its modules: that is not a dependency
        }
        let mut references: Vec<(Vec<String>, &str)> = Vec::new();
        for (i, _) in code.match_indices("crate::domain::") {
            references.push((Vec::new(), &code[i + "crate::domain::".len()..]));
        }
        let mut rest = code;
        while let Some(i) = rest.find("super::") {
            let preceded = rest[..i].ends_with("::");
            let mut tail = &rest[i..];
            let mut ups = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t;
            }
            if !preceded {
                let base = current[..current.len().saturating_sub(ups)].to_vec();
                references.push((base, tail));
            }
            rest = tail;
        }
        if path.is_empty() && current.is_empty() {
            if let Some(tail) = trimmed.strip_prefix("use ") {
                references.push((Vec::new(), tail));
            }
        }
        for (base, tail) in references {
            for name in named_after(tail) {
                if name == "*" || name.is_empty() {
                    continue;
                }
                let target = match base.first() {
                    Some(module) => module.clone(),
                    None if modules.contains(&name) => name,
                    None => reexports.get(&name).cloned().unwrap_or_else(|| ROOT.to_string()),
                };
                found.insert(target);
            }
        }
    }
    found.remove(path.first().map(String::as_str).unwrap_or(ROOT));
    found
}

fn domain_graph() -> Graph {
    let domain = src().join("domain");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&domain).expect("src/domain") {
        let path = entry.expect("directory entry").path();
        let name = path.file_stem().expect("a name").to_string_lossy().into_owned();
        if name != "mod" && (path.is_dir() || path.extension().is_some_and(|e| e == "rs")) {
            modules.insert(name);
        }
    }
    // `pub use lang::{Lang, Text};` in the root: `crate::domain::Lang` is `lang`'s.
    let root = std::fs::read_to_string(domain.join("mod.rs")).expect("src/domain/mod.rs");
    let mut reexports = BTreeMap::new();
    for line in root.lines() {
        if let Some(tail) = line.strip_prefix("pub use ") {
            let module = tail.split("::").next().unwrap_or("").to_string();
            let names = tail[module.len()..].trim_start_matches("::").trim_end_matches(';');
            for name in named_after(names) {
                reexports.insert(name, module.clone());
            }
        }
    }
    let mut graph = Graph::new();
    for file in rust_files(&domain) {
        let path = module_path(file.strip_prefix(&domain).expect("under src/domain"));
        let text = std::fs::read_to_string(&file).expect("readable source");
        let node = path.first().cloned().unwrap_or_else(|| ROOT.to_string());
        graph.entry(node).or_default().extend(domain_references(&path, &text, &modules, &reexports));
    }
    graph
}

/// A cycle of `graph` (its modules in order, the first repeated at the end), if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_domain_modules_import_one_another_without_a_cycle() {
    let graph = domain_graph();
    // Guards against a vacuous pass: the edges the domain is known to have are seen.
    for (from, to) in
        [("rules", "documents"), ("dossier", "rules"), ("codes", "access"), ("lifecycle", "access")]
    {
        assert!(graph[from].contains(to), "{from} -> {to} not seen: {graph:#?}");
    }
    assert!(graph.values().map(BTreeSet::len).sum::<usize>() >= 40, "{graph:#?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the domain's modules import one another in a circle: {}\n\
             (move what both need to a leaf module)",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_cycle_check_sees_the_cycles_it_is_meant_to_refuse() {
    // The two cycles of issue 21, as they were written: each is found.
    let modules: BTreeSet<String> =
        ["access", "codes", "lifecycle", "documents", "dossier", "rules"].map(String::from).into();
    let reexports = BTreeMap::from([("Code".to_string(), "codes".to_string())]);
    let sources = [
        ("access", "use super::codes::Code;\n"),
        ("codes", "use super::access::Role;\nuse super::lifecycle::{DossierStatus, Transition};\n"),
        ("lifecycle", "use super::access::Role;\nuse super::codes::Code;\n"),
        (
            "documents",
            "use super::dossier::ProjectKind;\n        if !super::rules::is_criterion_code(&doc.code) {\n",
        ),
        ("dossier", "use super::rules::{CriterionMode, MaxGrant};\n"),
        ("rules", "use super::documents::{template_documents, DocumentRequirement};\n"),
    ];
    let graph = |names: &[&str]| -> Graph {
        sources
            .iter()
            .filter(|(name, _)| names.contains(name))
            .map(|(name, text)| {
                (name.to_string(), domain_references(&[name.to_string()], text, &modules, &reexports))
            })
            .collect()
    };
    let first = find_cycle(&graph(&["access", "codes", "lifecycle"])).expect("access <-> codes");
    assert!(first.contains(&"codes".to_string()), "{first:?}");
    let second = find_cycle(&graph(&["documents", "dossier", "rules"])).expect("documents <-> rules");
    assert!(second.contains(&"rules".to_string()), "{second:?}");
    // A reference from a test module inside a file, or through the root's re-exports, counts too.
    let in_tests = "mod tests {\n    use super::*;\n    use super::super::rules::template;\n    use crate::domain::Code;\n}\n";
    let seen = domain_references(&["dossier".to_string()], in_tests, &modules, &reexports);
    assert_eq!(seen, BTreeSet::from(["codes".to_string(), "rules".to_string()]));
}

#[test]
fn no_source_file_is_over_900_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<PathBuf> =
        rust_files(&root.join("src")).into_iter().chain(rust_files(&root.join("tests"))).collect();
    assert!(files.len() >= 100, "the walk finds the sources: {}", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).expect("readable source").lines().count();
            (lines > 900).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files by concern (at most 900 lines each):\n{}", long.join("\n"));
}

/// The patterns of texts (what a line, a cell line, a text accept: no control character) are
/// written once, in their constants of `domain::checks`; schema attributes name them
/// (`pattern = "{LINE_PATTERN}"`, filled in by `api::openapi::TextPatterns`), and the checks
/// run the rules they describe.
#[test]
fn the_text_patterns_are_written_once() {
    // The range of control characters every one of them refuses, as written in a pattern.
    let controls = concat!("\\x7F", "-", "\\x9F");
    let found = offending_lines("", |_, code| code.contains(controls));
    let checks = src().join("domain").join("checks.rs");
    let elsewhere: Vec<&String> =
        found.iter().filter(|line| !line.starts_with(&format!("{}:", checks.display()))).collect();
    assert!(elsewhere.is_empty(), "name the pattern's constant instead:\n{elsewhere:#?}");
    let constants = ["LINE_PATTERN", "CELL_LINE_PATTERN", "TEXT_PATTERN", "TEXT_REQUIRED_PATTERN"];
    assert_eq!(found.len(), constants.len(), "one line per constant:\n{}", found.join("\n"));
    for constant in constants {
        assert!(
            found.iter().any(|line| line.contains(&format!("pub const {constant}: &str = r\""))),
            "{constant} holds its pattern:\n{}",
            found.join("\n")
        );
    }
}

/// A request's rules of one field are declared beside the field (`#[derive(Validate)]` and
/// `#[validate(custom(function = checks::line::<1, 200>))]`, read by `api::extract::rule_errors`),
/// not called by hand under `src/api` (a rule on a day until today is `api::common::until_today`).
#[test]
fn request_rules_are_declared_beside_their_fields() {
    let found = offending_lines("api", |_, code| {
        ["check_line(", "check_text(", "check_cell_line(", "check_date("]
            .iter()
            .any(|call| code.contains(call))
    });
    assert!(found.is_empty(), "declare the rule on the DTO's field instead:\n{}", found.join("\n"));
    let derived = offending_lines("api", |_, code| code.contains("#[validate("));
    let deriving = offending_lines("api", |_, code| code.contains("derive(") && code.contains("Validate"));
    assert!(!derived.is_empty() && !deriving.is_empty(), "the request DTOs declare their rules");
}

/// A string literal holding a letter only French writes (`é`, `à`, `ç`, `«`…): a sentence for
/// people written in the code rather than in the catalogues.
fn french_literal(code: &str) -> bool {
    const FRENCH: &[char] =
        &['à', 'â', 'ç', 'é', 'è', 'ê', 'ë', 'î', 'ï', 'ô', 'û', 'ù', 'ü', 'œ', 'À', 'É', '«', '»'];
    code.split('"').skip(1).step_by(2).any(|literal| literal.contains(FRENCH))
}

/// Values in French that are data, not sentences: the SCDL's vocabulary, what the shipped
/// templates put in a new scheme's rules (which an admin then edits), schema examples, and the
/// address an imported grant's organisation gets.
const FRENCH_DATA: &[(&str, &str)] = &[
    ("", "example ="),
    ("", "example("),
    ("domain/scdl/mod.rs", "aide en n"),
    ("domain/open_data.rs", "aide en numéraire"),
    ("domain/open_data.rs", "échelonné"),
    ("domain/rules/templates.rs", ""),
    ("domain/documents.rs", "DocumentRequirement::new("),
    ("domain/documents.rs", "\"Derniers comptes approuvés"),
    ("domain/documents.rs", "\"Attestation des aides de minimis"),
    ("db/imports.rs", "\"Adresse inconnue (import SCDL)\""),
];

/// Sentences for people live in the catalogues (`locales/<language>/*.ftl`), named by id with
/// `text!`: none is written in the code, outside tests.
#[test]
fn sentences_for_people_live_in_the_catalogues() {
    let mut found = Vec::new();
    for file in rust_files(&src()) {
        let relative = file.strip_prefix(src()).expect("under src").to_string_lossy().replace('\\', "/");
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "tests.rs" | "proptests.rs" | "layering.rs") || relative.contains("/tests/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = if line.trim_start().starts_with("//") { "" } else { line };
            let data = FRENCH_DATA
                .iter()
                .any(|(path, marker)| (path.is_empty() || relative == *path) && code.contains(marker));
            if french_literal(code) && !data {
                found.push(format!("{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "write these sentences as catalogue messages (locales/*/*.ftl) named with text!:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_sentence_check_sees_a_french_literal() {
    assert!(french_literal(r#"detail: "Le montant dépasse l'enveloppe.".into(),"#));
    assert!(!french_literal(r#"text!("money-envelope-exhausted", available = cents)"#));
    assert!(!french_literal(
        r#"// un commentaire en français, hors des guillemets : é"#.split("//").next().unwrap()
    ));
}
