CREATE INDEX dossiers_territory_year ON dossiers (territory, year);
DROP INDEX dossiers_territory_year_created;
DROP INDEX dossiers_territory_created;
