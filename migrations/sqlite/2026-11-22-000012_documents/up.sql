-- Supporting documents of dossiers (issue 12). Content is addressed by its SHA-256: identical
-- content is stored once, whatever the number of documents naming it.
--
-- document_blobs: one row per content known to this database, in either storage (`database`:
-- its bytes are the rows of document_blob_chunks, written in the same transaction; `filesystem`:
-- a file named by the hash under ESSOR_DOCUMENTS_DIR). No document can name a content without
-- its row (foreign key), and a content is removed only once nothing names it.
CREATE TABLE document_blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size   BIGINT NOT NULL CHECK (size >= 0)
);

-- The bytes of a content stored in the database, in chunks of 256 KiB (seq from 0), so that
-- neither an upload nor a download holds a whole file in memory.
CREATE TABLE document_blob_chunks (
    sha256 TEXT NOT NULL REFERENCES document_blobs(sha256) ON DELETE CASCADE,
    seq    INTEGER NOT NULL CHECK (seq >= 0),
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);

-- A document attached to a dossier by its applicant. Never rewritten: a replacement is a new
-- document. `deleted_at` is set instead of deleting the row when a submission kept it.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    dossier_id   TEXT NOT NULL REFERENCES dossiers(id),
    -- A document code of the dossier's rules version (`statuts`, `rib`, ...).
    doc_type     TEXT NOT NULL CHECK (length(doc_type) BETWEEN 1 AND 40),
    -- The client's file name, cleaned: display only, never a path.
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size >= 0),
    sha256       TEXT NOT NULL REFERENCES document_blobs(sha256),
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    deleted_at   TIMESTAMP
);
CREATE INDEX documents_by_dossier ON documents (dossier_id, uploaded_at);
CREATE INDEX documents_by_sha256 ON documents (sha256);

-- The documents each submission was made with (a row of dossier_submissions): append-only.
CREATE TABLE submission_documents (
    dossier_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (dossier_id, seq, document_id),
    FOREIGN KEY (dossier_id, seq) REFERENCES dossier_submissions(dossier_id, seq)
);
CREATE INDEX submission_documents_by_document ON submission_documents (document_id);
CREATE TRIGGER submission_documents_no_update BEFORE UPDATE ON submission_documents
BEGIN SELECT RAISE(ABORT, 'submission_documents is append-only'); END;
CREATE TRIGGER submission_documents_no_delete BEFORE DELETE ON submission_documents
BEGIN SELECT RAISE(ABORT, 'submission_documents is append-only'); END;
