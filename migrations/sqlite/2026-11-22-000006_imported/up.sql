-- Grants decided before Essor, imported from an SCDL "subventions" file: closed dossiers that
-- count in every total and in de minimis, and that nothing may change. `import_key` is a row's
-- identity in such a file (attributor SIRET, decision reference, beneficiary SIRET, convention
-- date, amount): importing the same row again adds nothing. SQLite adds no table constraint to
-- an existing table: the check that a key goes with `imported` is on the key's column.
ALTER TABLE dossiers ADD COLUMN imported BOOLEAN NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
ALTER TABLE dossiers ADD COLUMN import_key TEXT CHECK ((import_key IS NOT NULL) = (imported = 1));
CREATE UNIQUE INDEX dossiers_territory_import_key ON dossiers (territory, import_key)
    WHERE import_key IS NOT NULL;
-- An organisation the import created (placeholder address and legal form) is marked too.
ALTER TABLE organisations ADD COLUMN imported BOOLEAN NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
