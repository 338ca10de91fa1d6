-- What an instructor saw: the rules version and the full result, frozen. Never updated.
CREATE TABLE eligibility_snapshots (
    id                TEXT PRIMARY KEY,
    dossier_id        TEXT NOT NULL REFERENCES dossiers(id),
    rules_version_id  TEXT NOT NULL REFERENCES rules_versions(id),
    evaluated_on      DATE NOT NULL,
    overall           TEXT NOT NULL CHECK (overall IN ('pass', 'fail', 'needs_review')),
    max_grant_cents   BIGINT NOT NULL CHECK (max_grant_cents >= 0),
    report            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX eligibility_snapshots_dossier ON eligibility_snapshots (dossier_id, created_at);

-- One assessment per instructor per dossier, replaced by its author.
CREATE TABLE assessments (
    id               TEXT PRIMARY KEY,
    dossier_id       TEXT NOT NULL REFERENCES dossiers(id),
    instructor       TEXT NOT NULL,
    rules_version_id TEXT NOT NULL REFERENCES rules_versions(id),
    scores           TEXT NOT NULL,
    comments         TEXT,
    recommendation   TEXT NOT NULL CHECK (recommendation IN ('favourable', 'reserved', 'unfavourable')),
    weighted_total   DOUBLE PRECISION NOT NULL CHECK (weighted_total >= 0 AND weighted_total <= 100),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (dossier_id, instructor)
);
