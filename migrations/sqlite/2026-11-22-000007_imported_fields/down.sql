DROP TABLE imported_grants;
