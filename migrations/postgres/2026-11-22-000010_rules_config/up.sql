-- Schemes without premises and the new maximum-grant kinds and bonuses (issue 11, items 4-5).
-- Projects without premises: operating grants, studies, partner conventions.
ALTER TABLE dossiers DROP CONSTRAINT dossiers_project_kind_check;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_project_kind_check CHECK (project_kind IN
    ('purchase', 'construction', 'works', 'rent', 'operating', 'study', 'partnership'));
-- The project's total budget: the base of a `budget` maximum grant.
ALTER TABLE dossiers ADD COLUMN total_budget_cents BIGINT CHECK (total_budget_cents >= 0);
-- The premises' district (e.g. a QPV code such as QN07601M), for district bonuses.
ALTER TABLE dossiers ADD COLUMN premises_district_code TEXT
    CHECK (premises_district_code ~ '^[A-Z0-9]{1,20}$');
-- The `instructor_condition` bonuses an instructor ticks on an assessment: a JSON array of codes.
ALTER TABLE assessments ADD COLUMN conditions_met TEXT NOT NULL DEFAULT '[]';
