-- ESUS approvals with their own dates (or held by right), declared ESS statutes of commercial
-- companies, and accounts that are a closed year's or a forecast (issue 11).
-- An approval recorded before by its date alone was judged valid for five years: it keeps that
-- validity, ending the day before its fifth anniversary.
ALTER TABLE organisations
    ADD COLUMN esus_starts_on DATE,
    ADD COLUMN esus_ends_on DATE,
    ADD COLUMN esus_basis TEXT,
    ADD COLUMN ess_statutes TEXT,
    ADD COLUMN accounts_kind TEXT NOT NULL DEFAULT 'closed';
UPDATE organisations
    SET esus_starts_on = esus_approved_on,
        esus_ends_on = (esus_approved_on + INTERVAL '5 years' - INTERVAL '1 day')::date
    WHERE esus_approved_on IS NOT NULL;
ALTER TABLE organisations DROP COLUMN esus_approved_on;
ALTER TABLE organisations
    ADD CONSTRAINT organisations_esus_dates_together CHECK ((esus_starts_on IS NULL) = (esus_ends_on IS NULL)),
    ADD CONSTRAINT organisations_esus_ends_after_start CHECK (esus_ends_on > esus_starts_on),
    ADD CONSTRAINT organisations_esus_dated_or_by_right CHECK (esus_basis IS NULL OR esus_starts_on IS NULL),
    ADD CONSTRAINT organisations_esus_basis_code CHECK (esus_basis IN (
        'insertion_enterprise', 'temporary_work_insertion_enterprise', 'intermediate_association',
        'insertion_workshop', 'social_insertion_body', 'child_welfare_service', 'chrs',
        'neighbourhood_board', 'adapted_enterprise', 'home_work_centre', 'esat',
        'housing_insertion_body', 'public_utility_body', 'oacas')),
    ADD CONSTRAINT organisations_ess_statutes_code CHECK (ess_statutes IN ('cooperative', 'ess_company')),
    ADD CONSTRAINT organisations_accounts_kind_code CHECK (accounts_kind IN ('closed', 'forecast'));
