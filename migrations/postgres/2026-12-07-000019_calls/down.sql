ALTER TABLE generated_documents ALTER COLUMN bytes SET STORAGE EXTENDED;
ALTER TABLE sessions DROP COLUMN call_id;
DROP INDEX dossiers_call;
ALTER TABLE dossiers DROP COLUMN call_id;
DROP TABLE calls;
