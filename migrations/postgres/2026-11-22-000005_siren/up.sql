-- De minimis counts aid per undertaking (SIREN, the SIRET's first 9 digits): an indexed
-- equality instead of `siret LIKE 'SIREN%'`, which no index serves under every collation.
ALTER TABLE organisations ADD COLUMN siren TEXT GENERATED ALWAYS AS (substr(siret, 1, 9)) STORED;
CREATE INDEX organisations_territory_siren ON organisations (territory, siren);
