-- Grants decided before Essor, imported from an SCDL "subventions" file: closed dossiers that
-- count in every total and in de minimis, and that nothing may change. `import_key` is a row's
-- identity in such a file (attributor SIRET, decision reference, beneficiary SIRET, convention
-- date, amount): importing the same row again adds nothing.
ALTER TABLE dossiers ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossiers ADD COLUMN import_key TEXT;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_import_key_iff_imported
    CHECK ((import_key IS NOT NULL) = imported);
CREATE UNIQUE INDEX dossiers_territory_import_key ON dossiers (territory, import_key)
    WHERE import_key IS NOT NULL;
-- An organisation the import created (placeholder address and legal form) is marked too.
ALTER TABLE organisations ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;
