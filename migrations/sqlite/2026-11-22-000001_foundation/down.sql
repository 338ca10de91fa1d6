DROP TABLE rules_versions;
DROP TABLE schemes;
DROP TABLE territories;
