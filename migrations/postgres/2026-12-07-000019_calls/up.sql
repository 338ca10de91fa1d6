-- Calls for projects: a scheme opens a call (title, opening and closing times, the envelope of
-- the budget year it draws on, maybe its own assessment grid); dossiers answer it and must be
-- submitted between its opening and its closing; a session may be the call's, its annex then
-- ranks the proposals by their assessment's weighted total.
CREATE TABLE calls (
    id              TEXT PRIMARY KEY,
    territory       TEXT NOT NULL REFERENCES territories(code),
    scheme_id       TEXT NOT NULL REFERENCES schemes(id),
    envelope_id     TEXT NOT NULL REFERENCES envelopes(id),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     TEXT,
    -- Instants (UTC); the API shows them in Europe/Paris.
    opens_at        TIMESTAMP NOT NULL,
    closes_at       TIMESTAMP NOT NULL,
    -- The call's own grid (JSON array of criteria), or null for its rules version's.
    assessment_grid TEXT,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX calls_territory_closes_at ON calls (territory, closes_at DESC, id);

ALTER TABLE dossiers ADD COLUMN call_id TEXT REFERENCES calls(id);
CREATE INDEX dossiers_call ON dossiers (call_id) WHERE call_id IS NOT NULL;
ALTER TABLE sessions ADD COLUMN call_id TEXT REFERENCES calls(id);

-- The letters Essor keeps are PDFs whose streams are compressed already: PostgreSQL need not try
-- to compress them again (its log showed 1.6 ms per insert of a 33 to 50 KB letter, most of
-- the time a deliberation spent keeping its notifications and conventions); they are still
-- moved out of line (TOAST) when large.
ALTER TABLE generated_documents ALTER COLUMN bytes SET STORAGE EXTERNAL;
