DROP INDEX organisations_territory_siren;
ALTER TABLE organisations DROP COLUMN siren;
