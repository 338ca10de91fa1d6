//! Supporting documents (issue 12): upload, list, download, delete, required types at
//! submission, the copy each submission keeps, on both backends and both storages.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use essor::db::document_store::StorageSettings;
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::helpers::{
    spawn_app_with, template_parameters, Applicant, Backend, Client, Resp, TestApp, OTHER_TERRITORY,
};

/// Every test on SQLite and PostgreSQL, each with the database and the filesystem storage:
/// `documents::NAME::{database,filesystem}::{sqlite,postgres}`.
macro_rules! all_storages {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            mod database {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::super::$name(crate::helpers::Backend::Sqlite, false).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if crate::helpers::postgres_available() {
                        super::super::$name(crate::helpers::Backend::Postgres, false).await
                    }
                }
            }
            mod filesystem {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::super::$name(crate::helpers::Backend::Sqlite, true).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if crate::helpers::postgres_available() {
                        super::super::$name(crate::helpers::Backend::Postgres, true).await
                    }
                }
            }
        }
    )+};
}
pub(crate) use all_storages;

all_storages!(
    a_document_round_trips_byte_equal,
    types_are_told_by_the_bytes,
    oversize_files_are_refused_while_streaming,
    client_file_names_are_only_display_names,
    documents_are_seen_as_their_dossier,
    documents_change_only_while_editable,
    submission_requires_the_documents_of_the_rules,
    a_submission_keeps_its_documents,
    a_failed_database_write_leaves_no_orphan,
    the_same_new_content_on_two_instances_at_once,
);

/// The app, its documents directory (filesystem storage), and the limit set for the tests.
pub struct DocApp {
    pub app: TestApp,
    pub dir: Option<tempfile::TempDir>,
}

const TEST_LIMIT: u64 = 2 * 1024 * 1024;

pub async fn spawn(backend: Backend, filesystem: bool) -> DocApp {
    let dir = filesystem.then(|| tempfile::tempdir().expect("documents dir"));
    let storage = match &dir {
        Some(d) => StorageSettings::Filesystem(d.path().to_path_buf()),
        None => StorageSettings::Database,
    };
    let app = spawn_app_with(backend, |s| {
        s.document_storage = storage;
        s.max_document_bytes = TEST_LIMIT;
    })
    .await;
    DocApp { app, dir }
}

impl DocApp {
    /// The content files of the filesystem storage (none with the database storage).
    pub fn stored_files(&self) -> Vec<PathBuf> {
        let Some(dir) = &self.dir else { return vec![] };
        let mut files = vec![];
        for shard in std::fs::read_dir(dir.path().join("objects")).unwrap().flatten() {
            files.extend(std::fs::read_dir(shard.path()).unwrap().flatten().map(|e| e.path()));
        }
        files
    }

    fn staged_files(&self) -> usize {
        self.dir.as_ref().map_or(0, |d| std::fs::read_dir(d.path().join("tmp")).unwrap().count())
    }

    /// A DI-ESS scheme whose rules are the template's, its documents required.
    pub async fn scheme(&self) -> String {
        let code = format!("D-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase();
        let id = self.app.create_scheme(&code).await;
        self.app.add_rules(&id, "2020-01-01", template_parameters("DI-ESS")).await.ok(201);
        id
    }

    async fn draft(&self) -> Dossier {
        let scheme = self.scheme().await;
        DossierBuilder::new(&self.app).scheme(&scheme).draft().await
    }
}

/// A small valid PDF of about `len` bytes, its bytes varying with `seed`.
pub fn pdf(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    while bytes.len() < len.saturating_sub(6) {
        bytes.push(b'a' + (bytes.len() as u8).wrapping_mul(31).wrapping_add(seed) % 26);
    }
    bytes.extend_from_slice(b"\n%%EOF");
    bytes
}

/// A `multipart/form-data` body: the `type` part, then the `file` part with `filename` and
/// (when given) its own Content-Type.
pub fn multipart(
    doc_type: &str,
    filename: &str,
    content_type: Option<&str>,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "essor-test-boundary-7d9f1c";
    let mut body = Vec::new();
    write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n{doc_type}\r\n")
        .unwrap();
    // Control characters cannot travel in a header as they are: RFC 8187 `filename*` carries them.
    let disposition = if filename.chars().any(char::is_control) {
        let encoded: String = filename.bytes().map(|b| format!("%{b:02X}")).collect();
        format!("filename=\"fallback.pdf\"; filename*=UTF-8''{encoded}")
    } else {
        format!("filename=\"{}\"", filename.replace('\\', "\\\\").replace('"', "\\\""))
    };
    write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {disposition}\r\n").unwrap();
    if let Some(ct) = content_type {
        write!(body, "Content-Type: {ct}\r\n").unwrap();
    }
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload_raw(
    client: &Client<'_>,
    app: &TestApp,
    dossier_id: &str,
    content_type: String,
    body: Vec<u8>,
) -> Resp {
    let req = client
        .request(reqwest::Method::POST, &format!("/api/v1/dossiers/{dossier_id}/documents"))
        .header("Content-Type", content_type)
        .body(body);
    app.send(req).await
}

pub async fn upload(
    client: &Client<'_>,
    app: &TestApp,
    dossier_id: &str,
    doc_type: &str,
    filename: &str,
    bytes: &[u8],
) -> Resp {
    let (ct, body) = multipart(doc_type, filename, Some("application/pdf"), bytes);
    upload_raw(client, app, dossier_id, ct, body).await
}

/// The raw bytes of a download.
pub async fn download(client: &Client<'_>, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = client.request(reqwest::Method::GET, path).send().await.expect("sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.expect("body").to_vec())
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}

async fn a_document_round_trips_byte_equal(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    // Several chunks and a partial last one.
    let bytes = pdf(700 * 1024 + 123, 1);
    let res = upload(&who, app, &d.id, "statuts", "statuts.pdf", &bytes).await;
    let doc = res.ok(201).clone();
    let sha = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(&bytes))
    };
    assert_eq!(doc["sha256"], sha.as_str());
    assert_eq!(doc["size"], bytes.len());
    assert_eq!(doc["type"], "statuts");
    assert_eq!(doc["name"], "statuts.pdf");
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["uploaded_by"].as_str().map(|s| s.starts_with("applicant-")), Some(true));
    let path = format!("{}/{}", d.path_to("documents"), doc["id"].as_str().unwrap());
    assert_eq!(res.header("location"), Some(path.as_str()));

    let (status, headers, body) = download(&who, &path).await;
    assert_eq!(status, 200);
    assert!(body == bytes, "the download is byte-equal to the upload");
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{sha}\""));
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"statuts.pdf\"; filename*=UTF-8''statuts.pdf"
    );
    // Staff of the territory read it too; a copy the client holds is not sent again.
    let instructor = app.instructor();
    let (status, _, body) = download(&instructor, &path).await;
    assert_eq!((status, body == bytes), (200, true));
    let res = instructor
        .request(reqwest::Method::GET, &path)
        .header("If-None-Match", format!("\"{sha}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 304);

    // The same content again (another type): stored once.
    let again = upload(&who, app, &d.id, "rib", "copie.pdf", &bytes).await.ok(201).clone();
    assert_eq!(again["sha256"], sha.as_str());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blobs"), 1);
    let chunks = app.count("SELECT COUNT(*) AS n FROM document_blob_chunks");
    if filesystem {
        assert_eq!((chunks, t.stored_files().len()), (0, 1));
        assert_eq!(std::fs::read(&t.stored_files()[0]).unwrap(), bytes);
    } else {
        assert_eq!(chunks, 3, "700 KiB in chunks of 256 KiB");
    }
    let list = who.get(&d.path_to("documents")).await.ok(200).clone();
    assert_eq!(ids(&list), vec![doc["id"].as_str().unwrap(), again["id"].as_str().unwrap()]);
    assert_eq!(list[0]["sha256"], sha.as_str());

    // Deleting one keeps the content the other names; deleting both removes it.
    let res = who.request(reqwest::Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(download(&who, &path).await.0, 404);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blobs"), 1);
    let other = format!("{}/{}", d.path_to("documents"), again["id"].as_str().unwrap());
    assert_eq!(download(&who, &other).await.2, bytes);
    let res = who.request(reqwest::Method::DELETE, &other).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blobs"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blob_chunks"), 0);
    assert_eq!(t.stored_files().len(), 0);
    assert_eq!(t.staged_files(), 0);
    assert_eq!(who.get(&d.path_to("documents")).await.ok(200), &json!([]));
}

async fn types_are_told_by_the_bytes(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    // A Windows executable renamed to .pdf, declared as a PDF or as nothing in particular.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.extend_from_slice(&[0u8; 2048]);
    for declared in [Some("application/pdf"), Some("application/octet-stream"), None] {
        let (ct, body) = multipart("statuts", "statuts.pdf", declared, &exe);
        let res = upload_raw(&who, app, &d.id, ct, body).await;
        assert!(res.problem(415)["detail"].as_str().unwrap().contains("PDF, PNG, JPEG"), "{}", res.text);
    }
    // A real PDF declared as a PNG.
    let (ct, body) = multipart("statuts", "statuts.png", Some("image/png"), &pdf(1000, 2));
    upload_raw(&who, app, &d.id, ct, body).await.problem(415);
    // A body that is not multipart at all.
    upload_raw(&who, app, &d.id, "application/json".into(), b"{}".to_vec()).await.problem(415);
    // PNG, JPEG and OpenDocument are accepted, typed by their bytes.
    let png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00".to_vec();
    let (ct, body) = multipart("rib", "rib.png", Some("image/png"), &png);
    assert_eq!(upload_raw(&who, app, &d.id, ct, body).await.ok(201)["content_type"], "image/png");
    let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00".to_vec();
    let (ct, body) = multipart("rib", "rib.jpg", Some("image/jpg"), &jpeg);
    assert_eq!(upload_raw(&who, app, &d.id, ct, body).await.ok(201)["content_type"], "image/jpeg");
    let mut odt = b"PK\x03\x04".to_vec();
    odt.extend_from_slice(&[0; 26]);
    odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
    let (ct, body) = multipart("comptes", "comptes.odt", None, &odt);
    assert_eq!(
        upload_raw(&who, app, &d.id, ct, body).await.ok(201)["content_type"],
        "application/vnd.oasis.opendocument.text"
    );
    // A type the rules do not list, a missing part.
    let res = upload(&who, app, &d.id, "passeport", "p.pdf", &pdf(100, 3)).await;
    res.problem(422);
    assert_eq!(res.body["errors"][0]["code"], "unknown_document_type");
    assert!(res.body["errors"][0]["message"].as_str().unwrap().contains("rib"));
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nrib\r\n--{boundary}--\r\n"
    );
    let res =
        upload_raw(&who, app, &d.id, format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
            .await;
    res.problem(422);
    assert_eq!(res.error_fields(), ["file"]);
    // Nothing refused was kept.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM documents"), 3);
    assert_eq!(t.stored_files().len(), if filesystem { 3 } else { 0 });
    assert_eq!(t.staged_files(), 0);
}

async fn oversize_files_are_refused_while_streaming(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    // Exactly the limit passes.
    let (ct, body) = multipart("statuts", "limit.pdf", None, &pdf(TEST_LIMIT as usize, 4));
    upload_raw(&who, app, &d.id, ct, body).await.ok(201);
    // Declared too long: refused before a byte of the body is read.
    let (ct, body) = multipart("statuts", "big.pdf", None, &pdf(TEST_LIMIT as usize + 1, 5));
    let res = upload_raw(&who, app, &d.id, ct, body).await;
    res.problem(413);
    // Sent chunked (no length to judge by), 16 times the limit: refused as the bytes pass it.
    let token =
        app.token_for(essor::auth::Role::Applicant, crate::helpers::TERRITORY, Some(&d.applicant.siret));
    let address = app.address.trim_start_matches("http://").to_string();
    let path = d.path_to("documents");
    let response = tokio::task::spawn_blocking(move || {
        chunked_upload(&address, &path, &token, 16 * TEST_LIMIT as usize)
    })
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM documents"), 1);
    assert_eq!(t.stored_files().len(), if filesystem { 1 } else { 0 });
    assert_eq!(t.staged_files(), 0, "the refused uploads' staging files are removed");
}

/// Sends a multipart upload of `len` PDF bytes with `Transfer-Encoding: chunked` over a raw
/// connection, stopping when the server answers; returns what it answered.
fn chunked_upload(address: &str, path: &str, token: &str, len: usize) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    // Once the server stops reading, writes fail instead of blocking.
    stream.set_write_timeout(Some(std::time::Duration::from_secs(2))).unwrap();
    let boundary = "chunked-boundary";
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nstatuts\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n\r\n%PDF-1.7\n"
    );
    let _ = write!(stream, "{:x}\r\n{head}\r\n", head.len());
    let piece = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < len {
        if write!(stream, "{:x}\r\n", piece.len())
            .and_then(|_| stream.write_all(&piece))
            .and_then(|_| stream.write_all(b"\r\n"))
            .is_err()
        {
            break;
        }
        sent += piece.len();
    }
    let mut answer = vec![0u8; 4096];
    let n = stream.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

async fn client_file_names_are_only_display_names(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    let long = format!("{}.pdf", "é".repeat(400));
    let cases: Vec<(String, &str)> = vec![
        ("../../../etc/passwd".into(), "passwd"),
        ("/var/lib/essor/documents/objects/statuts.pdf".into(), "statuts.pdf"),
        ("C:\\Windows\\System32\\rib.pdf".into(), "rib.pdf"),
        ("dev\u{0}is\u{1}.pdf".into(), "devis.pdf"),
        ("..".into(), "document"),
        ("relevé \"bancaire\".pdf".into(), "relevé \"bancaire\".pdf"),
    ];
    for (i, (raw, expected)) in cases.iter().enumerate() {
        let res = upload(&who, app, &d.id, "rib", raw, &pdf(200, 10 + i as u8)).await;
        assert_eq!(res.ok(201)["name"], *expected, "{raw:?}");
    }
    let res = upload(&who, app, &d.id, "rib", &long, &pdf(200, 99)).await;
    let name = res.ok(201)["name"].as_str().unwrap().to_string();
    assert_eq!(name.chars().count(), 120);
    assert!(name.ends_with(".pdf"));
    // Downloads name them safely too.
    let id = res.body["id"].as_str().unwrap();
    let (_, headers, _) = download(&who, &format!("{}/{id}", d.path_to("documents"))).await;
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"____"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''%C3%A9%C3%A9"), "{disposition}");
    // Nothing was written anywhere but at content addresses.
    if let Some(dir) = &t.dir {
        for file in t.stored_files() {
            let name = file.file_name().unwrap().to_str().unwrap();
            assert!(name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()), "{file:?}");
            assert_eq!(file.parent().unwrap().parent().unwrap(), dir.path().join("objects"));
        }
        assert_eq!(t.stored_files().len(), 7);
        assert!(!Path::new("/etc/passwd.essor").exists());
    }
}

async fn documents_are_seen_as_their_dossier(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    let doc = upload(&who, app, &d.id, "rib", "rib.pdf", &pdf(300, 20)).await.ok(201).clone();
    let path = format!("{}/{}", d.path_to("documents"), doc["id"].as_str().unwrap());
    // Another organisation's applicant, another territory's instructor: nothing there.
    let stranger: Applicant = app.register_applicant().await;
    let stranger = app.applicant(&stranger);
    let elsewhere = app.client_for(essor::auth::Role::Instructor, OTHER_TERRITORY, None);
    for client in [&stranger, &elsewhere] {
        client.get(&d.path_to("documents")).await.problem(404);
        assert_eq!(download(client, &path).await.0, 404);
    }
    let res = stranger.request(reqwest::Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    upload(&stranger, app, &d.id, "rib", "x.pdf", &pdf(300, 21)).await.problem(404);
    // Staff may read but not upload or delete.
    let instructor = app.instructor();
    upload(&instructor, app, &d.id, "rib", "x.pdf", &pdf(300, 22)).await.problem(403);
    let res = instructor.request(reqwest::Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(ids(instructor.get(&d.path_to("documents")).await.ok(200)), vec![doc["id"].as_str().unwrap()]);
    // A document id of another dossier, or no id at all, names nothing.
    let other = t.draft().await;
    let wrong = format!("{}/{}", other.path_to("documents"), doc["id"].as_str().unwrap());
    assert_eq!(download(&app.applicant(&other.applicant), &wrong).await.0, 404);
    assert_eq!(download(&who, &format!("{}/not-a-uuid", d.path_to("documents"))).await.0, 404);
    let anonymous = app.anonymous();
    assert_eq!(download(&anonymous, &path).await.0, 401);
}

async fn documents_change_only_while_editable(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let scheme = t.scheme().await;
    let d = DossierBuilder::new(app).scheme(&scheme).draft().await;
    let who = app.applicant(&d.applicant);
    upload_required(&who, app, &d.id).await;
    let rib = upload(&who, app, &d.id, "rib", "rib-2.pdf", &pdf(400, 30)).await.ok(201).clone();
    who.act(&d.id, "submit", None).await.ok(200);
    let path = format!("{}/{}", d.path_to("documents"), rib["id"].as_str().unwrap());
    let res = who.request(reqwest::Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 409, "deletion refused after submission");
    upload(&who, app, &d.id, "rib", "late.pdf", &pdf(400, 31)).await.problem(409);
    assert_eq!(download(&who, &path).await.0, 200);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM documents WHERE deleted_at IS NULL"), 6);
}

/// Uploads one document of each type the DI-ESS template requires for works.
pub async fn upload_required(who: &Client<'_>, app: &TestApp, dossier_id: &str) {
    for (i, code) in ["statuts", "comptes", "devis", "rib", "attestation_de_minimis"].iter().enumerate() {
        upload(who, app, dossier_id, code, &format!("{code}.pdf"), &pdf(300, 40 + i as u8)).await.ok(201);
    }
}

async fn submission_requires_the_documents_of_the_rules(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let scheme = t.scheme().await;
    let d = DossierBuilder::new(app)
        .scheme(&scheme)
        .with_body(|b| {
            b.as_object_mut().unwrap().remove("description");
        })
        .draft()
        .await;
    let who = app.applicant(&d.applicant);
    upload(&who, app, &d.id, "statuts", "statuts.pdf", &pdf(300, 50)).await.ok(201);
    let res = who.act(&d.id, "submit", None).await;
    res.problem(422);
    // Every missing type, beside the missing field.
    assert_eq!(
        res.error_fields(),
        [
            "description",
            "documents.comptes",
            "documents.devis",
            "documents.rib",
            "documents.attestation_de_minimis"
        ]
    );
    let errors = res.body["errors"].as_array().unwrap();
    assert!(errors[1..].iter().all(|e| e["code"] == "missing_document"));
    assert!(errors[3]["message"].as_str().unwrap().contains("RIB"), "{}", res.text);
    let current = who.get(&d.path()).await.ok(200).clone();
    who.patch(
        &d.path(),
        &json!({"description": "Extension de l'atelier."}),
        Some(&crate::builders::etag(&current)),
    )
    .await
    .ok(200);
    for (i, code) in ["comptes", "devis", "rib"].iter().enumerate() {
        upload(&who, app, &d.id, code, "x.pdf", &pdf(300, 51 + i as u8)).await.ok(201);
    }
    let res = who.act(&d.id, "submit", None).await;
    res.problem(422);
    assert_eq!(res.error_fields(), ["documents.attestation_de_minimis"]);
    upload(&who, app, &d.id, "attestation_de_minimis", "dm.pdf", &pdf(300, 60)).await.ok(201);
    assert_eq!(who.act(&d.id, "submit", None).await.ok(200)["status"], "submitted");
}

async fn a_submission_keeps_its_documents(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let scheme = t.scheme().await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(app).scheme(&scheme).instructor(&instructor).draft().await;
    let who = app.applicant(&d.applicant);
    upload_required(&who, app, &d.id).await;
    who.act(&d.id, "submit", None).await.ok(200);
    let first = who.get(&d.path_to("documents")).await.ok(200).clone();
    instructor.act(&d.id, "review", None).await.ok(200);
    instructor.act(&d.id, "request-changes", Some(json!({"comment": "RIB illisible"}))).await.ok(200);
    // The applicant replaces the RIB: the first submission keeps the old one.
    let old_rib = first.as_array().unwrap().iter().find(|d| d["type"] == "rib").unwrap().clone();
    let old_path = format!("{}/{}", d.path_to("documents"), old_rib["id"].as_str().unwrap());
    let old_bytes = download(&who, &old_path).await.2;
    let res = who.request(reqwest::Method::DELETE, &old_path).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 204);
    let new_rib = upload(&who, app, &d.id, "rib", "rib-lisible.pdf", &pdf(500, 70)).await.ok(201).clone();
    who.act(&d.id, "submit", Some(json!({"comment": "RIB remplacé"}))).await.ok(200);

    let kept = instructor.get(&format!("{}?submission=1", d.path_to("documents"))).await.ok(200).clone();
    assert_eq!(ids(&kept), ids(&first));
    let kept_rib = kept.as_array().unwrap().iter().find(|d| d["type"] == "rib").unwrap();
    assert!(kept_rib["deleted_at"].is_string());
    let second = instructor.get(&format!("{}?submission=2", d.path_to("documents"))).await.ok(200).clone();
    assert!(ids(&second).contains(&new_rib["id"].as_str().unwrap().to_string()));
    assert!(!ids(&second).contains(&old_rib["id"].as_str().unwrap().to_string()));
    assert_eq!(ids(&second), ids(who.get(&d.path_to("documents")).await.ok(200)));
    // The replaced document still reads as it was submitted.
    let (status, _, bytes) = download(&instructor, &old_path).await;
    assert_eq!((status, bytes == old_bytes), (200, true));
    instructor.get(&format!("{}?submission=3", d.path_to("documents"))).await.problem(404);
    instructor.get(&format!("{}?submission=0", d.path_to("documents"))).await.problem(400);
    // What a submission kept cannot be rewritten, even by hand.
    assert!(app.try_execute("DELETE FROM submission_documents").is_err());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM submission_documents"), 10);
}

async fn a_failed_database_write_leaves_no_orphan(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    let refuse = match backend {
        Backend::Sqlite => vec![
            "CREATE TRIGGER refuse_documents BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        ],
        Backend::Postgres => vec![
            "CREATE FUNCTION refuse_documents() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql;",
            "CREATE TRIGGER refuse_documents BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION refuse_documents();",
        ],
    };
    for sql in refuse {
        app.try_execute(sql).expect("trigger");
    }
    let res = upload(&who, app, &d.id, "rib", "rib.pdf", &pdf(600 * 1024, 80)).await;
    res.problem(500);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blobs"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blob_chunks"), 0);
    assert_eq!(t.stored_files().len(), 0, "no orphan file");
    assert_eq!(t.staged_files(), 0);
    app.try_execute("DROP TRIGGER refuse_documents ON documents")
        .or_else(|_| app.try_execute("DROP TRIGGER refuse_documents"))
        .unwrap();
    upload(&who, app, &d.id, "rib", "rib.pdf", &pdf(600 * 1024, 80)).await.ok(201);

    // An orphan left by a process that died between its file and its row: removed by
    // `essor documents gc` (and at start-up) once old enough, the named content kept.
    if let Some(dir) = &t.dir {
        let orphan = dir.path().join("objects").join("ab").join("ab".repeat(32));
        std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
        std::fs::write(&orphan, b"orphan").unwrap();
        let mut settings = crate::helpers::test_settings(&app.db.url, &app.secret);
        settings.document_storage = StorageSettings::Filesystem(dir.path().to_path_buf());
        let young =
            essor::cli::collect_document_garbage(&settings, std::time::Duration::from_secs(3600)).unwrap();
        assert_eq!(young, 0, "a young file may be an upload in flight");
        let removed = essor::cli::collect_document_garbage(&settings, std::time::Duration::ZERO).unwrap();
        assert_eq!(removed, 1);
        assert!(!orphan.exists());
        assert_eq!(t.stored_files().len(), 1);
    }
}

async fn the_same_new_content_on_two_instances_at_once(backend: Backend, filesystem: bool) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let d = t.draft().await;
    let who = app.applicant(&d.applicant);
    let other = app.second_instance_with(|s| {
        s.max_document_bytes = TEST_LIMIT;
        if let Some(dir) = &t.dir {
            s.document_storage = StorageSettings::Filesystem(dir.path().to_path_buf());
        }
    });
    let there = who.on(&other);
    for round in 0..3u8 {
        let bytes = pdf(600 * 1024, 90 + round);
        let (a, b) = tokio::join!(
            upload(&who, app, &d.id, "rib", "a.pdf", &bytes),
            upload(&there, app, &d.id, "rib", "b.pdf", &bytes),
        );
        assert_eq!((a.status.as_u16(), b.status.as_u16()), (201, 201), "{} / {}", a.text, b.text);
        assert_eq!(a.body["sha256"], b.body["sha256"]);
        let (_, _, body) =
            download(&there, &format!("{}/{}", d.path_to("documents"), a.body["id"].as_str().unwrap())).await;
        assert!(body == bytes);
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM documents"), 6);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blobs"), 3);
    if !filesystem {
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM document_blob_chunks"), 9);
    }
    assert_eq!(t.stored_files().len(), if filesystem { 3 } else { 0 });
}
