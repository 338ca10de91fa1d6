## Texts of dossiers.

dossiers-dossier-has-no-copy-organisation = This dossier has no copy of its organisation as submitted: it was never submitted (or was submitted before Essor kept one). It is evaluated on the organisation as it is today.
dossiers-register-your-organisation-post-api = Register your organisation (POST /api/v1/organisations) before filing a dossier.
dossiers-scheme-id-names-no-scheme = scheme_id names no scheme of your territory
dossiers-year-between-2000-2100 = year must be between 2000 and 2100.
dossiers-payment-request-pending-finance-pays = A payment request is pending: finance pays or refuses it before the grant is cancelled.
