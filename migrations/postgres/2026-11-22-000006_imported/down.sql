ALTER TABLE organisations DROP COLUMN imported;
DROP INDEX dossiers_territory_import_key;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_import_key_iff_imported;
ALTER TABLE dossiers DROP COLUMN import_key;
ALTER TABLE dossiers DROP COLUMN imported;
