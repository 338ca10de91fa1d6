DROP TABLE dossier_history;
DROP TABLE dossiers;
DROP TABLE organisations;
