-- De minimis counts aid per undertaking (SIREN, the SIRET's first 9 digits): an indexed
-- equality instead of `siret LIKE 'SIREN%'`. SQLite adds generated columns as VIRTUAL only;
-- the index stores the value.
ALTER TABLE organisations ADD COLUMN siren TEXT GENERATED ALWAYS AS (substr(siret, 1, 9)) VIRTUAL;
CREATE INDEX organisations_territory_siren ON organisations (territory, siren);
