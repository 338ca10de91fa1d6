-- What a dossier was submitted with: at each submission (the first, and each one after changes
-- were requested), a copy of its organisation as it was then (the whole domain `Organisation`
-- as JSON). Instruction judges the dossier by the latest copy, so an edit of the organisation
-- after submission changes no evaluation silently. Append-only, like the dossier's history.
CREATE TABLE dossier_submissions (
    dossier_id           TEXT NOT NULL REFERENCES dossiers(id),
    -- 1 for the first submission, then one more for each resubmission.
    seq                  INTEGER NOT NULL CHECK (seq >= 1),
    submitted_at         TIMESTAMP NOT NULL,
    -- The organisation's version the copy was taken from.
    organisation_version INTEGER NOT NULL CHECK (organisation_version >= 1),
    organisation         TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
);

-- Every edit of an organisation (its registration, by an applicant or an SCDL import, and each
-- update): who, when, and each field that changed, before and after (JSON). Append-only.
CREATE TABLE organisation_history (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    -- The organisation's version this edit made (1: its registration).
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    actor           TEXT NOT NULL,
    actor_role      TEXT NOT NULL CHECK (actor_role IN ('applicant', 'instructor', 'finance', 'admin')),
    at              TIMESTAMP NOT NULL,
    changes         TEXT NOT NULL,
    PRIMARY KEY (organisation_id, seq)
);

CREATE FUNCTION refuse_rewriting_a_record() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossier_submissions_append_only BEFORE UPDATE OR DELETE ON dossier_submissions
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_a_record();
CREATE TRIGGER organisation_history_append_only BEFORE UPDATE OR DELETE ON organisation_history
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_a_record();
