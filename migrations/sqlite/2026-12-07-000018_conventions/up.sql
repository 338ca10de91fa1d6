-- The grant convention (law 2000-321 art. 10, décret 2001-495; CGCT L1511-3): drafted on the
-- approval when the rules version requires one, numbered per territory and year (series
-- `convention` of document_counters), each amendment (avenant) a new numbered document of it.
CREATE TABLE conventions (
    id         TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL UNIQUE REFERENCES dossiers(id),
    territory  TEXT NOT NULL REFERENCES territories(code),
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (territory, year, number)
);

-- The convention (seq 0) and its amendments (seq 1, 2…): what each states as JSON, frozen, and
-- its PDF.
CREATE TABLE convention_documents (
    id            TEXT PRIMARY KEY,
    convention_id TEXT NOT NULL REFERENCES conventions(id),
    dossier_id    TEXT NOT NULL REFERENCES dossiers(id),
    seq           INTEGER NOT NULL CHECK (seq >= 0),
    granted_cents BIGINT NOT NULL CHECK (granted_cents >= 0),
    content       TEXT NOT NULL,
    document_id   TEXT NOT NULL REFERENCES generated_documents(id),
    issued_by     TEXT NOT NULL,
    issued_at     TIMESTAMP NOT NULL,
    UNIQUE (convention_id, seq)
);
CREATE INDEX convention_documents_by_dossier ON convention_documents (dossier_id, seq);

-- Each party's signature of a document, once: the day signed and, when uploaded, the signed
-- copy (a document of the dossier).
CREATE TABLE convention_signatures (
    convention_document_id TEXT NOT NULL REFERENCES convention_documents(id),
    party                  TEXT NOT NULL CHECK (party IN ('beneficiary', 'territory')),
    dossier_id             TEXT NOT NULL REFERENCES dossiers(id),
    signed_on              DATE NOT NULL,
    signed_copy_id         TEXT REFERENCES documents(id),
    signed_by              TEXT NOT NULL,
    recorded_at            TIMESTAMP NOT NULL,
    PRIMARY KEY (convention_document_id, party)
);

CREATE TRIGGER conventions_no_update BEFORE UPDATE ON conventions
BEGIN SELECT RAISE(ABORT, 'conventions is append-only'); END;
CREATE TRIGGER conventions_no_delete BEFORE DELETE ON conventions
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'conventions is append-only'); END;
CREATE TRIGGER convention_documents_no_update BEFORE UPDATE ON convention_documents
BEGIN SELECT RAISE(ABORT, 'convention_documents is append-only'); END;
CREATE TRIGGER convention_documents_no_delete BEFORE DELETE ON convention_documents
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'convention_documents is append-only'); END;
CREATE TRIGGER convention_signatures_no_update BEFORE UPDATE ON convention_signatures
BEGIN SELECT RAISE(ABORT, 'convention_signatures is append-only'); END;
CREATE TRIGGER convention_signatures_no_delete BEFORE DELETE ON convention_signatures
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'convention_signatures is append-only'); END;
