ALTER TABLE organisations DROP COLUMN imported;
DROP INDEX dossiers_territory_import_key;
ALTER TABLE dossiers DROP COLUMN import_key;
ALTER TABLE dossiers DROP COLUMN imported;
