ALTER TABLE organisations ADD COLUMN esus_approved_on DATE;
UPDATE organisations SET esus_approved_on = esus_starts_on;
ALTER TABLE organisations DROP COLUMN accounts_kind;
ALTER TABLE organisations DROP COLUMN ess_statutes;
ALTER TABLE organisations DROP COLUMN esus_basis;
ALTER TABLE organisations DROP COLUMN esus_ends_on;
ALTER TABLE organisations DROP COLUMN esus_starts_on;
