-- Retention of personal data (`essor purge --before YEAR`): a dossier closed for good before
-- the cut-off loses its documents, the free text people wrote and who did what; its amounts,
-- dates, references and identifiers stay. `purged_at` says when.
ALTER TABLE dossiers ADD COLUMN purged_at TIMESTAMP;

-- The append-only records stay append-only, but for one change that only erases: an actor
-- replaced by 'anonymised', a free text by NULL, every other column as it was.
CREATE FUNCTION only_erases(old_row jsonb, new_row jsonb, erasable text[]) RETURNS boolean AS $$
    SELECT (old_row - erasable) = (new_row - erasable)
       AND NOT EXISTS (
           SELECT 1 FROM unnest(erasable) AS c
           WHERE new_row -> c IS DISTINCT FROM old_row -> c
             AND new_row -> c <> 'null'::jsonb
             AND new_row -> c <> '"anonymised"'::jsonb)
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION dossier_history_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND only_erases(to_jsonb(OLD), to_jsonb(NEW), ARRAY['actor', 'comment', 'internal_note']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'dossier_history is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION envelope_movements_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND only_erases(to_jsonb(OLD), to_jsonb(NEW), ARRAY['actor']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'envelope_movements is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION organisation_history_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND only_erases(to_jsonb(OLD), to_jsonb(NEW), ARRAY['actor']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'organisation_history is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER organisation_history_append_only ON organisation_history;
CREATE TRIGGER organisation_history_append_only BEFORE UPDATE OR DELETE ON organisation_history
    FOR EACH ROW EXECUTE FUNCTION organisation_history_is_append_only();

-- What a submission was made with goes with the documents of a purged dossier.
CREATE FUNCTION submission_documents_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'submission_documents is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER submission_documents_append_only ON submission_documents;
CREATE TRIGGER submission_documents_append_only BEFORE UPDATE OR DELETE ON submission_documents
    FOR EACH ROW EXECUTE FUNCTION submission_documents_is_append_only();
