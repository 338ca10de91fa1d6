-- What an imported grant's SCDL row said that Essor does not otherwise keep: the full `objet`,
-- `nature`, `conditionsVersement`, `datesPeriodeVersement`, `idRAE`, `notificationUE` and
-- `pourcentageSubvention`, as the file gave them (checked by the import). The SCDL export
-- republishes these rather than deriving them from payments an imported grant does not have,
-- so that a year exported, imported elsewhere and exported again gives the same rows.
CREATE TABLE imported_grants (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id),
    object TEXT NOT NULL CHECK (length(object) BETWEEN 1 AND 256),
    nature TEXT NOT NULL CHECK (nature IN ('aide en numéraire', 'aide en nature',
        'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire')),
    payment_conditions TEXT NOT NULL CHECK (length(payment_conditions) BETWEEN 1 AND 256),
    payment_period TEXT NOT NULL CHECK (length(payment_period) BETWEEN 10 AND 21),
    rae_id TEXT CHECK (length(rae_id) BETWEEN 1 AND 5),
    eu_notified BOOLEAN NOT NULL CHECK (eu_notified IN (0, 1)),
    subsidy_share TEXT NOT NULL CHECK (length(subsidy_share) BETWEEN 1 AND 32)
);
