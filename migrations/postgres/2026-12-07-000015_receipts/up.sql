-- The acknowledgement of receipt (CRPA L112-3, R112-5) of each complete submission.
--
-- The service in charge, as the territory states it in its receipts and letters (all optional:
-- a letter says "the competent administrative court" when no court is set).
ALTER TABLE territories ADD COLUMN service_name TEXT;
ALTER TABLE territories ADD COLUMN service_address TEXT;
ALTER TABLE territories ADD COLUMN service_contact TEXT;
ALTER TABLE territories ADD COLUMN administrative_court TEXT;
ALTER TABLE territories ADD COLUMN signatory_title TEXT;
ALTER TABLE territories ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

-- The day silence becomes an implicit rejection (CRPA L231-4): set by each submission, cleared
-- while changes are requested (the delay runs again from the pieces' arrival, L114-5) and once
-- the dossier is decided or withdrawn. Instructors list dossiers by it.
ALTER TABLE dossiers ADD COLUMN implicit_decision_on DATE;
CREATE INDEX dossiers_territory_implicit_decision ON dossiers (territory, implicit_decision_on)
    WHERE implicit_decision_on IS NOT NULL;

-- A document Essor generated (receipt; later notifications, conventions, annexes): its bytes,
-- their SHA-256 and the template version that made them, written in the transaction of the act
-- it records and never regenerated. Kept in the database whatever the uploads' storage: a
-- letter is a few dozen KiB, and it must exist exactly when its act does.
CREATE TABLE generated_documents (
    id               TEXT PRIMARY KEY,
    dossier_id       TEXT REFERENCES dossiers(id),
    kind             TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    template_version TEXT NOT NULL CHECK (length(template_version) BETWEEN 1 AND 100),
    content_type     TEXT NOT NULL,
    size             BIGINT NOT NULL CHECK (size >= 0),
    sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes            BYTEA NOT NULL,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX generated_documents_by_dossier ON generated_documents (dossier_id);

-- The last receipt number of each territory and year: advanced by a conditional UPDATE in the
-- submission's transaction, so numbers are given in order, without gaps, on any number of
-- instances (a rolled-back submission gives its number back).
CREATE TABLE receipt_counters (
    territory   TEXT NOT NULL REFERENCES territories(code),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (territory, year)
);

-- One receipt per submission (the first and each resubmission after changes were asked).
-- `content` is what the letter states (service, court, applicant, dossier) as JSON, frozen.
CREATE TABLE receipts (
    id                   TEXT PRIMARY KEY,
    dossier_id           TEXT NOT NULL,
    seq                  INTEGER NOT NULL,
    territory            TEXT NOT NULL REFERENCES territories(code),
    year                 INTEGER NOT NULL,
    number               INTEGER NOT NULL CHECK (number >= 1),
    received_on          DATE NOT NULL,
    implicit_decision_on DATE NOT NULL CHECK (implicit_decision_on > received_on),
    content              TEXT NOT NULL,
    document_id          TEXT NOT NULL REFERENCES generated_documents(id),
    issued_at            TIMESTAMP NOT NULL,
    UNIQUE (territory, year, number),
    UNIQUE (dossier_id, seq),
    FOREIGN KEY (dossier_id, seq) REFERENCES dossier_submissions(dossier_id, seq)
);

-- Receipts and generated documents are never rewritten; they go only with a purged dossier.
CREATE FUNCTION generated_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
    FOR EACH ROW EXECUTE FUNCTION generated_is_append_only();
CREATE TRIGGER generated_documents_append_only BEFORE UPDATE OR DELETE ON generated_documents
    FOR EACH ROW EXECUTE FUNCTION generated_is_append_only();
