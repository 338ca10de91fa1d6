DROP TABLE notification_receptions;
DROP TABLE notifications;
ALTER TABLE dossiers DROP COLUMN appeal_until;
ALTER TABLE dossiers DROP COLUMN notified_on;
CREATE TABLE receipt_counters (
    territory   TEXT NOT NULL REFERENCES territories(code),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (territory, year)
);
INSERT INTO receipt_counters (territory, year, last_number)
    SELECT territory, year, last_number FROM document_counters WHERE series = 'receipt';
DROP TABLE document_counters;
