-- Yearly envelopes: (territory, scheme, year, amount). What is earmarked (reserved) or
-- committed never exceeds the amount: enforced here, whatever the number of instances.
CREATE TABLE envelopes (
    id               TEXT PRIMARY KEY,
    territory        TEXT NOT NULL REFERENCES territories(code),
    scheme_id        TEXT NOT NULL REFERENCES schemes(id),
    year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    label            TEXT,
    amount_cents     BIGINT NOT NULL CHECK (amount_cents >= 0),
    reserved_cents   BIGINT NOT NULL DEFAULT 0 CHECK (reserved_cents >= 0),
    committed_cents  BIGINT NOT NULL DEFAULT 0 CHECK (committed_cents >= 0),
    disbursed_cents  BIGINT NOT NULL DEFAULT 0 CHECK (disbursed_cents >= 0),
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (territory, scheme_id, year),
    CONSTRAINT envelopes_within_amount CHECK (reserved_cents + committed_cents <= amount_cents),
    CONSTRAINT envelopes_paid_within_committed CHECK (disbursed_cents <= committed_cents)
);

-- Money earmarked for an identified dossier ("projets identifiés"). One active per dossier
-- and envelope; consumed by the dossier's approval, or released.
CREATE TABLE reservations (
    id            TEXT PRIMARY KEY,
    envelope_id   TEXT NOT NULL REFERENCES envelopes(id),
    dossier_id    TEXT NOT NULL REFERENCES dossiers(id),
    amount_cents  BIGINT NOT NULL CHECK (amount_cents > 0),
    comment       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'consumed', 'released')),
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    closed_by     TEXT,
    closed_at     TIMESTAMP
);
CREATE UNIQUE INDEX reservations_one_active ON reservations (envelope_id, dossier_id) WHERE status = 'active';
CREATE INDEX reservations_dossier ON reservations (dossier_id);

-- The append-only ledger: every movement of reserved, committed or disbursed money, signed.
-- An envelope's figures equal the sums of its movements (by kind).
CREATE TABLE envelope_movements (
    id            TEXT PRIMARY KEY,
    envelope_id   TEXT NOT NULL REFERENCES envelopes(id),
    kind          TEXT NOT NULL CHECK (kind IN ('reservation', 'reservation_release', 'commitment',
                      'amendment', 'release', 'payment')),
    dossier_id    TEXT REFERENCES dossiers(id),
    amount_cents  BIGINT NOT NULL,
    at            TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL,
    reference     TEXT
);
CREATE INDEX envelope_movements_envelope ON envelope_movements (envelope_id, at);

-- Payments against an approved grant: requested by the instructor (service certified), paid
-- or refused by finance.
CREATE TABLE disbursements (
    id                 TEXT PRIMARY KEY,
    territory          TEXT NOT NULL REFERENCES territories(code),
    dossier_id         TEXT NOT NULL REFERENCES dossiers(id),
    envelope_id        TEXT NOT NULL REFERENCES envelopes(id),
    kind               TEXT NOT NULL CHECK (kind IN ('advance', 'installment', 'balance')),
    amount_cents       BIGINT NOT NULL CHECK (amount_cents > 0),
    status             TEXT NOT NULL CHECK (status IN ('requested', 'paid', 'refused')),
    certified_on       DATE NOT NULL,
    comment            TEXT,
    requested_by       TEXT NOT NULL,
    requested_at       TIMESTAMP NOT NULL,
    paid_on            DATE,
    payment_reference  TEXT,
    refusal_comment    TEXT,
    decided_by         TEXT,
    decided_at         TIMESTAMP,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX disbursements_dossier ON disbursements (dossier_id, requested_at);
CREATE INDEX disbursements_work_list ON disbursements (territory, status, requested_at);
CREATE UNIQUE INDEX disbursements_one_balance ON disbursements (dossier_id) WHERE kind = 'balance' AND status <> 'refused';

-- Retried money requests act once: the key, what was asked, and the first answer, written in
-- the same transaction as the change.
CREATE TABLE idempotency_keys (
    scope          TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    status_code    INTEGER,
    response_body  TEXT,
    etag           TEXT,
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

-- The decision and the money of a grant.
ALTER TABLE dossiers ADD COLUMN decided_on DATE;
ALTER TABLE dossiers ADD COLUMN decision_reference TEXT;
ALTER TABLE dossiers ADD COLUMN convention_signed_on DATE;
ALTER TABLE dossiers ADD COLUMN envelope_id TEXT REFERENCES envelopes(id);
ALTER TABLE dossiers ADD COLUMN paid_cents BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0);
ALTER TABLE dossiers ADD COLUMN pending_disbursement_cents BIGINT NOT NULL DEFAULT 0
    CHECK (pending_disbursement_cents >= 0);
-- Requested + paid never exceed the grant.
ALTER TABLE dossiers ADD CONSTRAINT dossiers_disbursed_within_grant
    CHECK (paid_cents + pending_disbursement_cents <= COALESCE(granted_cents, 0));
CREATE INDEX dossiers_envelope ON dossiers (envelope_id);

CREATE FUNCTION envelope_movements_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'envelope_movements is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER envelope_movements_append_only BEFORE UPDATE OR DELETE ON envelope_movements
    FOR EACH ROW EXECUTE FUNCTION envelope_movements_is_append_only();
