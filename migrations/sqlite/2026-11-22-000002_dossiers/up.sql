CREATE TABLE organisations (
    id                        TEXT PRIMARY KEY,
    territory                 TEXT NOT NULL REFERENCES territories(code),
    siret                     TEXT NOT NULL CHECK (length(siret) = 14),
    name                      TEXT NOT NULL,
    legal_form                TEXT NOT NULL CHECK (length(legal_form) = 4),
    esus_approved_on          DATE,
    rna                       TEXT,
    address_line              TEXT NOT NULL,
    postal_code               TEXT NOT NULL,
    city                      TEXT NOT NULL,
    commune_code              TEXT NOT NULL CHECK (length(commune_code) = 5),
    market_activity           TEXT,
    salaried_staff_fte        REAL NOT NULL CHECK (salaried_staff_fte >= 0),
    accounts_year             INTEGER,
    operating_revenue_cents   BIGINT CHECK (operating_revenue_cents >= 0),
    sales_revenue_cents       BIGINT CHECK (sales_revenue_cents >= 0),
    operating_costs_cents     BIGINT CHECK (operating_costs_cents >= 0),
    de_minimis_aids           TEXT,
    version                   INTEGER NOT NULL DEFAULT 1,
    created_by                TEXT NOT NULL,
    created_at                TIMESTAMP NOT NULL,
    updated_at                TIMESTAMP NOT NULL,
    UNIQUE (territory, siret),
    CHECK (sales_revenue_cents IS NULL OR operating_revenue_cents IS NULL
           OR sales_revenue_cents <= operating_revenue_cents)
);

CREATE TABLE dossiers (
    id                      TEXT PRIMARY KEY,
    territory               TEXT NOT NULL REFERENCES territories(code),
    scheme_id               TEXT NOT NULL REFERENCES schemes(id),
    organisation_id         TEXT NOT NULL REFERENCES organisations(id),
    status                  TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review',
                                'changes_requested', 'approved', 'rejected', 'dismissed',
                                'withdrawn', 'cancelled', 'closed')),
    title                   TEXT NOT NULL,
    project_kind            TEXT NOT NULL CHECK (project_kind IN ('purchase', 'construction', 'works', 'rent')),
    eligible_expenses_cents BIGINT CHECK (eligible_expenses_cents >= 0),
    monthly_rent_cents      BIGINT CHECK (monthly_rent_cents >= 0),
    rent_months             INTEGER CHECK (rent_months >= 0),
    premises_address        TEXT,
    premises_commune_code   TEXT,
    requested_cents         BIGINT CHECK (requested_cents >= 0),
    planned_start_on        DATE,
    jobs_created_fte        REAL CHECK (jobs_created_fte >= 0),
    jobs_kept_fte           REAL CHECK (jobs_kept_fte >= 0),
    description             TEXT,
    submitted_at            TIMESTAMP,
    -- Filing year: the year of creation, then of (first) submission; lists filter on it.
    year                    INTEGER NOT NULL,
    assigned_instructor     TEXT,
    rules_version_id        TEXT REFERENCES rules_versions(id),
    granted_cents           BIGINT CHECK (granted_cents >= 0),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_by              TEXT NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE INDEX dossiers_territory_status ON dossiers (territory, status, created_at);
CREATE INDEX dossiers_territory_year ON dossiers (territory, year);
CREATE INDEX dossiers_organisation ON dossiers (organisation_id, created_at);

-- Append-only: the API inserts rows and never updates or deletes them.
CREATE TABLE dossier_history (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossiers(id),
    seq           INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    at            TIMESTAMP NOT NULL,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    comment       TEXT,
    internal_note TEXT,
    UNIQUE (dossier_id, seq)
);

CREATE TRIGGER dossier_history_no_update BEFORE UPDATE ON dossier_history
BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END;
CREATE TRIGGER dossier_history_no_delete BEFORE DELETE ON dossier_history
BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END;
