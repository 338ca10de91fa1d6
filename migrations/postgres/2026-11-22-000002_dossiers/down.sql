DROP TABLE dossier_history;
DROP FUNCTION dossier_history_is_append_only();
DROP TABLE dossiers;
DROP TABLE organisations;
