DROP TRIGGER submission_documents_append_only ON submission_documents;
CREATE TRIGGER submission_documents_append_only BEFORE UPDATE OR DELETE ON submission_documents
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_a_record();
DROP FUNCTION submission_documents_is_append_only();

DROP TRIGGER organisation_history_append_only ON organisation_history;
CREATE TRIGGER organisation_history_append_only BEFORE UPDATE OR DELETE ON organisation_history
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_a_record();
DROP FUNCTION organisation_history_is_append_only();

CREATE OR REPLACE FUNCTION envelope_movements_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'envelope_movements is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dossier_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier_history is append-only';
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION only_erases(jsonb, jsonb, text[]);
ALTER TABLE dossiers DROP COLUMN purged_at;
