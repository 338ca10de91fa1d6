-- Retention of personal data (`essor purge --before YEAR`): a dossier closed for good before
-- the cut-off loses its documents, the free text people wrote and who did what; its amounts,
-- dates, references and identifiers stay. `purged_at` says when.
ALTER TABLE dossiers ADD COLUMN purged_at TIMESTAMP;

-- The append-only records stay append-only, but for one change that only erases: an actor
-- replaced by 'anonymised', a free text by NULL, every other column as it was.
DROP TRIGGER dossier_history_no_update;
CREATE TRIGGER dossier_history_no_update BEFORE UPDATE ON dossier_history
WHEN NOT (NEW.id IS OLD.id AND NEW.dossier_id IS OLD.dossier_id AND NEW.seq IS OLD.seq
          AND NEW.actor_role IS OLD.actor_role AND NEW.at IS OLD.at
          AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status
          AND (NEW.actor IS OLD.actor OR NEW.actor = 'anonymised')
          AND (NEW.comment IS OLD.comment OR NEW.comment IS NULL)
          AND (NEW.internal_note IS OLD.internal_note OR NEW.internal_note IS NULL))
BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END;

DROP TRIGGER envelope_movements_no_update;
CREATE TRIGGER envelope_movements_no_update BEFORE UPDATE ON envelope_movements
WHEN NOT (NEW.id IS OLD.id AND NEW.envelope_id IS OLD.envelope_id AND NEW.kind IS OLD.kind
          AND NEW.dossier_id IS OLD.dossier_id AND NEW.amount_cents IS OLD.amount_cents
          AND NEW.at IS OLD.at AND NEW.reference IS OLD.reference
          AND (NEW.actor IS OLD.actor OR NEW.actor = 'anonymised'))
BEGIN SELECT RAISE(ABORT, 'envelope_movements is append-only'); END;

DROP TRIGGER organisation_history_no_update;
CREATE TRIGGER organisation_history_no_update BEFORE UPDATE ON organisation_history
WHEN NOT (NEW.organisation_id IS OLD.organisation_id AND NEW.seq IS OLD.seq
          AND NEW.actor_role IS OLD.actor_role AND NEW.at IS OLD.at AND NEW.changes IS OLD.changes
          AND (NEW.actor IS OLD.actor OR NEW.actor = 'anonymised'))
BEGIN SELECT RAISE(ABORT, 'organisation_history is append-only'); END;

-- What a submission was made with goes with the documents of a purged dossier.
DROP TRIGGER submission_documents_no_delete;
CREATE TRIGGER submission_documents_no_delete BEFORE DELETE ON submission_documents
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'submission_documents is append-only'); END;
