-- Territories are created by the operator (`essor territory add`), never over HTTP.
CREATE TABLE territories (
    code        TEXT PRIMARY KEY CHECK (char_length(code) BETWEEN 1 AND 40),
    name        TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    siret       TEXT CHECK (siret IS NULL OR char_length(siret) = 14),
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE schemes (
    id          TEXT PRIMARY KEY,
    territory   TEXT NOT NULL REFERENCES territories(code),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    template    TEXT,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (territory, code)
);

-- A scheme's rules are versioned data: a dossier is judged by the version in force
-- (greatest effective_from <= its submission date).
CREATE TABLE rules_versions (
    id             TEXT PRIMARY KEY,
    scheme_id      TEXT NOT NULL REFERENCES schemes(id),
    effective_from DATE NOT NULL,
    parameters     TEXT NOT NULL,
    comment        TEXT,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (scheme_id, effective_from)
);
