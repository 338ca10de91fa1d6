-- Lists of dossiers, newest first, read in the index's order (found by scripts/bench-load: the
-- whole territory's list sorted every dossier of the territory for each page).
CREATE INDEX dossiers_territory_created ON dossiers (territory, created_at DESC, id);
