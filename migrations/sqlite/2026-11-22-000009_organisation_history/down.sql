DROP TABLE organisation_history;
DROP TABLE dossier_submissions;
