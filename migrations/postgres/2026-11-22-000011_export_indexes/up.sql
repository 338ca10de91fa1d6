-- A year's grants and payments without reading ten years of them (found by scripts/bench-exports):
-- grants by decision date (the exports' filter and keyset order), payments by payment date.
CREATE INDEX dossiers_territory_decided_on ON dossiers (territory, decided_on, id);
CREATE INDEX disbursements_territory_paid_on ON disbursements (territory, paid_on);
