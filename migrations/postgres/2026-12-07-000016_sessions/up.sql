-- Committee sessions: a deciding body (council, bureau, commission permanente) sitting on a
-- day, with an agenda of proposals and, once voted, one deliberation recorded whole.
CREATE TABLE sessions (
    id                  TEXT PRIMARY KEY,
    territory           TEXT NOT NULL REFERENCES territories(code),
    body                TEXT NOT NULL CHECK (body IN ('council', 'bureau', 'standing_committee')),
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    sits_on             DATE NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('planned', 'agenda_closed', 'decided')),
    deliberation_number TEXT CHECK (length(deliberation_number) BETWEEN 1 AND 100),
    deliberated_on      DATE,
    -- The annex as the deliberation carried it, frozen when the vote was recorded.
    annex_document_id   TEXT REFERENCES generated_documents(id),
    version             INTEGER NOT NULL CHECK (version >= 1),
    created_by          TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    CHECK ((status = 'decided') = (deliberation_number IS NOT NULL AND deliberated_on IS NOT NULL))
);
CREATE INDEX sessions_territory_sits_on ON sessions (territory, sits_on DESC, id);

-- A proposal on a session's agenda: a dossier under review, the amount proposed (at most the
-- maximum grant), the instructor's recommendation, conditions and a note for the elected
-- members; then what the vote made of it.
CREATE TABLE session_items (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES sessions(id),
    dossier_id      TEXT NOT NULL REFERENCES dossiers(id),
    position        INTEGER NOT NULL CHECK (position >= 1),
    proposed_cents  BIGINT NOT NULL CHECK (proposed_cents > 0),
    recommendation  TEXT NOT NULL CHECK (recommendation IN ('favourable', 'reserved', 'unfavourable')),
    conditions      TEXT,
    note            TEXT,
    proposed_by     TEXT NOT NULL,
    proposed_at     TIMESTAMP NOT NULL,
    outcome         TEXT CHECK (outcome IN ('approved', 'rejected', 'deferred')),
    voted_cents     BIGINT CHECK (voted_cents > 0 AND voted_cents <= proposed_cents),
    reasons         TEXT,
    UNIQUE (session_id, dossier_id),
    UNIQUE (session_id, position),
    CHECK ((outcome = 'approved') = (voted_cents IS NOT NULL))
);
-- A dossier waits on one agenda at a time.
CREATE UNIQUE INDEX session_items_one_pending_per_dossier ON session_items (dossier_id) WHERE outcome IS NULL;

-- What happened to a session, in order (created, item added, agenda closed, deliberation):
-- who, when, what. Append-only.
CREATE TABLE session_events (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    actor      TEXT NOT NULL,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('applicant', 'instructor', 'finance', 'admin')),
    at         TIMESTAMP NOT NULL,
    action     TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
    detail     TEXT,
    PRIMARY KEY (session_id, seq)
);
CREATE FUNCTION session_events_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'session_events is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER session_events_append_only BEFORE UPDATE OR DELETE ON session_events
    FOR EACH ROW EXECUTE FUNCTION session_events_is_append_only();
