ALTER TABLE sessions DROP COLUMN call_id;
DROP INDEX dossiers_call;
ALTER TABLE dossiers DROP COLUMN call_id;
DROP TABLE calls;
