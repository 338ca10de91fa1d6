-- Lists of dossiers, newest first, read in the index's order (found by scripts/bench-load: a
-- page of the territory's list, or of one filing year, sorted every dossier it filters for each
-- page). The year's index replaces (territory, year), its prefix.
CREATE INDEX dossiers_territory_created ON dossiers (territory, created_at DESC, id);
CREATE INDEX dossiers_territory_year_created ON dossiers (territory, year, created_at DESC, id);
DROP INDEX dossiers_territory_year;
