DROP TABLE organisation_history;
DROP TABLE dossier_submissions;
DROP FUNCTION refuse_rewriting_a_record();
