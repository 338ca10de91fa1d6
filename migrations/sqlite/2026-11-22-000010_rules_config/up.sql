-- Schemes without premises and the new maximum-grant kinds and bonuses (issue 11, items 4-5).
-- The project's total budget: the base of a `budget` maximum grant.
ALTER TABLE dossiers ADD COLUMN total_budget_cents BIGINT CHECK (total_budget_cents >= 0);
-- The premises' district (e.g. a QPV code such as QN07601M), for district bonuses.
ALTER TABLE dossiers ADD COLUMN premises_district_code TEXT
    CHECK (length(premises_district_code) BETWEEN 1 AND 20
           AND premises_district_code NOT GLOB '*[^A-Z0-9]*');

-- Projects without premises: operating grants, studies, partner conventions. SQLite cannot alter
-- a CHECK constraint; widening one changes no stored value, so the table's definition is edited
-- in place, the procedure SQLite documents for changes that leave the stored content as it is
-- (https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema changes").
-- This keeps every column the table has, whichever migrations added them. The DDL statement
-- after it (on another table) bumps the schema version, so every connection reloads the schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql,
       'CHECK (project_kind IN (''purchase'', ''construction'', ''works'', ''rent''))',
       'CHECK (project_kind IN (''purchase'', ''construction'', ''works'', ''rent'', ''operating'', ''study'', ''partnership''))')
 WHERE type = 'table' AND name = 'dossiers';
PRAGMA writable_schema = OFF;

-- The `instructor_condition` bonuses an instructor ticks on an assessment: a JSON array of codes.
ALTER TABLE assessments ADD COLUMN conditions_met TEXT NOT NULL DEFAULT '[]';

-- The edit above must have taken: this fails (and with it the whole migration) otherwise.
CREATE TEMPORARY TABLE rules_config_check (edited INTEGER NOT NULL CHECK (edited = 1));
INSERT INTO rules_config_check
SELECT count(*) FROM sqlite_master
 WHERE type = 'table' AND name = 'dossiers' AND sql LIKE '%''partnership''))%';
DROP TABLE rules_config_check;
