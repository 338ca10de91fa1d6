ALTER TABLE dossiers DROP COLUMN premises_district_code;
ALTER TABLE dossiers DROP COLUMN total_budget_cents;
-- Back to the four kinds (as in up.sql; the DDL after it reloads the schema).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql,
       'CHECK (project_kind IN (''purchase'', ''construction'', ''works'', ''rent'', ''operating'', ''study'', ''partnership''))',
       'CHECK (project_kind IN (''purchase'', ''construction'', ''works'', ''rent''))')
 WHERE type = 'table' AND name = 'dossiers';
PRAGMA writable_schema = OFF;
ALTER TABLE assessments DROP COLUMN conditions_met;
