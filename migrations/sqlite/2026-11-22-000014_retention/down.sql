DROP TRIGGER submission_documents_no_delete;
CREATE TRIGGER submission_documents_no_delete BEFORE DELETE ON submission_documents
BEGIN SELECT RAISE(ABORT, 'submission_documents is append-only'); END;

DROP TRIGGER organisation_history_no_update;
CREATE TRIGGER organisation_history_no_update BEFORE UPDATE ON organisation_history
BEGIN SELECT RAISE(ABORT, 'organisation_history is append-only'); END;

DROP TRIGGER envelope_movements_no_update;
CREATE TRIGGER envelope_movements_no_update BEFORE UPDATE ON envelope_movements
BEGIN SELECT RAISE(ABORT, 'envelope_movements is append-only'); END;

DROP TRIGGER dossier_history_no_update;
CREATE TRIGGER dossier_history_no_update BEFORE UPDATE ON dossier_history
BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END;

ALTER TABLE dossiers DROP COLUMN purged_at;
