-- ESUS approvals with their own dates (or held by right), declared ESS statutes of commercial
-- companies, and accounts that are a closed year's or a forecast (issue 11).
-- An approval recorded before by its date alone was judged valid for five years: it keeps that
-- validity, ending the day before its fifth anniversary. SQLite adds no table constraint to an
-- existing table: each check is on one of the new columns.
ALTER TABLE organisations ADD COLUMN esus_starts_on DATE;
ALTER TABLE organisations ADD COLUMN esus_ends_on DATE
    CHECK ((esus_starts_on IS NULL) = (esus_ends_on IS NULL) AND esus_ends_on > esus_starts_on);
ALTER TABLE organisations ADD COLUMN esus_basis TEXT
    CHECK ((esus_basis IS NULL OR esus_starts_on IS NULL) AND esus_basis IN (
        'insertion_enterprise', 'temporary_work_insertion_enterprise', 'intermediate_association',
        'insertion_workshop', 'social_insertion_body', 'child_welfare_service', 'chrs',
        'neighbourhood_board', 'adapted_enterprise', 'home_work_centre', 'esat',
        'housing_insertion_body', 'public_utility_body', 'oacas'));
ALTER TABLE organisations ADD COLUMN ess_statutes TEXT CHECK (ess_statutes IN ('cooperative', 'ess_company'));
ALTER TABLE organisations ADD COLUMN accounts_kind TEXT NOT NULL DEFAULT 'closed'
    CHECK (accounts_kind IN ('closed', 'forecast'));
UPDATE organisations
    SET esus_starts_on = esus_approved_on,
        -- SQLite rolls 29 February + 5 years over to 1 March; the old engine's anniversary was
        -- 28 February, whose day before is 27 February, as PostgreSQL computes it.
        esus_ends_on = CASE WHEN strftime('%m-%d', esus_approved_on) = '02-29'
            THEN date(esus_approved_on, '+5 years', '-2 days')
            ELSE date(esus_approved_on, '+5 years', '-1 day') END
    WHERE esus_approved_on IS NOT NULL;
ALTER TABLE organisations DROP COLUMN esus_approved_on;
