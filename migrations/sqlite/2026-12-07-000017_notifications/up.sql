-- The notification of each decision (CRPA L211-2, L211-5; CJA R421-1): grant, refusal,
-- amendment, cancellation. Numbered per territory and year like receipts, so the counters of
-- receipts become the counters of every numbered document, by series.
CREATE TABLE document_counters (
    territory   TEXT NOT NULL REFERENCES territories(code),
    series      TEXT NOT NULL CHECK (series IN ('receipt', 'notification', 'convention')),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (territory, series, year)
);
INSERT INTO document_counters (territory, series, year, last_number)
    SELECT territory, 'receipt', year, last_number FROM receipt_counters;
DROP TABLE receipt_counters;

-- One notification per decision, its letter made in the decision's transaction. `content` is
-- what the letter states (territory, applicant, decision, reasons) as JSON, frozen.
CREATE TABLE notifications (
    id                 TEXT PRIMARY KEY,
    dossier_id         TEXT NOT NULL REFERENCES dossiers(id),
    territory          TEXT NOT NULL REFERENCES territories(code),
    year               INTEGER NOT NULL,
    number             INTEGER NOT NULL CHECK (number >= 1),
    kind               TEXT NOT NULL CHECK (kind IN ('grant', 'refusal', 'amendment', 'cancellation')),
    decided_on         DATE NOT NULL,
    decision_reference TEXT CHECK (length(decision_reference) BETWEEN 1 AND 100),
    content            TEXT NOT NULL,
    document_id        TEXT NOT NULL REFERENCES generated_documents(id),
    issued_by          TEXT NOT NULL,
    issued_at          TIMESTAMP NOT NULL,
    UNIQUE (territory, year, number)
);
CREATE INDEX notifications_by_dossier ON notifications (dossier_id, issued_at);

-- The day the applicant received a notification, recorded once: it starts the appeal period,
-- whose last day is kept with it.
CREATE TABLE notification_receptions (
    notification_id TEXT PRIMARY KEY REFERENCES notifications(id),
    dossier_id      TEXT NOT NULL REFERENCES dossiers(id),
    notified_on     DATE NOT NULL,
    appeal_until    DATE NOT NULL CHECK (appeal_until > notified_on),
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);

-- The dossier shows the reception of its latest decision's notification and its appeal period.
ALTER TABLE dossiers ADD COLUMN notified_on DATE;
ALTER TABLE dossiers ADD COLUMN appeal_until DATE
    CHECK (appeal_until IS NULL OR (notified_on IS NOT NULL AND appeal_until > notified_on));

CREATE TRIGGER notifications_no_update BEFORE UPDATE ON notifications
BEGIN SELECT RAISE(ABORT, 'notifications is append-only'); END;
CREATE TRIGGER notifications_no_delete BEFORE DELETE ON notifications
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'notifications is append-only'); END;
CREATE TRIGGER notification_receptions_no_update BEFORE UPDATE ON notification_receptions
BEGIN SELECT RAISE(ABORT, 'notification_receptions is append-only'); END;
CREATE TRIGGER notification_receptions_no_delete BEFORE DELETE ON notification_receptions
WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE id = OLD.dossier_id AND purged_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'notification_receptions is append-only'); END;
