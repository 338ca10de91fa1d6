ALTER TABLE assessments DROP COLUMN conditions_met;
ALTER TABLE dossiers DROP COLUMN premises_district_code;
ALTER TABLE dossiers DROP COLUMN total_budget_cents;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_project_kind_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_project_kind_check CHECK (project_kind IN
    ('purchase', 'construction', 'works', 'rent'));
