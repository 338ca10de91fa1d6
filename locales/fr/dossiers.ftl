## Texts of dossiers.

dossiers-dossier-has-no-copy-organisation = Ce dossier n'a pas de copie de son organisation telle que déposée : il n'a jamais été déposé (ou l'a été avant qu'Essor n'en conserve une). Il est évalué sur l'organisation telle qu'elle est aujourd'hui.
dossiers-register-your-organisation-post-api = Enregistrez votre organisation (POST /api/v1/organisations) avant de déposer un dossier.
dossiers-scheme-id-names-no-scheme = Cet identifiant ne désigne aucun dispositif de votre territoire.
dossiers-year-between-2000-2100 = L'année doit être comprise entre 2000 et 2100.
dossiers-payment-request-pending-finance-pays = Une demande de versement est en attente : les finances la paient ou la refusent avant l'annulation de la subvention.
