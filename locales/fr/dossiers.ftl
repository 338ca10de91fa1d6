## Texts of dossiers.

dossiers-dossier-has-no-copy-organisation = Ce dossier n'a pas de copie de son organisation telle que déposée : il n'a jamais été déposé (ou l'a été avant qu'Essor n'en conserve une). Il est évalué sur l'organisation telle qu'elle est aujourd'hui.
dossiers-register-your-organisation-post-api = Enregistrez votre organisation (POST /api/v1/organisations) avant de déposer un dossier.
dossiers-scheme-id-names-no-scheme = Cet identifiant ne désigne aucun dispositif de votre territoire.
dossiers-year-between-2000-2100 = L'année doit être comprise entre 2000 et 2100.
dossiers-payment-request-pending-finance-pays = Une demande de versement est en attente : les finances la paient ou la refusent avant l'annulation de la subvention.
decision-criterion-blocks = Le critère { $criterion } n'est pas rempli à la date de la décision avec ce montant : aucune justification ne peut passer outre.
decision-justification-required = L'éligibilité à la date de la décision est « { $overall } » : une justification écrite d'au moins { $min_chars } caractères est obligatoire.
decision-justification-too-short = La justification doit comporter au moins { $min_chars } caractères.
decision-above-maximum = Le montant accordé dépasse la subvention maximale que permettent les règles ({ $max_grant }).
decision-amount-not-positive = Le montant accordé doit être supérieur à zéro.
dossier-no-rules-in-force-on = Le dispositif n'a pas de règles en vigueur le { $date } : les dépôts ouvrent quand un administrateur les ajoute.
dossier-not-editable = Un dossier au statut « { $status } » ne peut pas être modifié ; seuls les brouillons et les dossiers à compléter peuvent l'être.

## A dossier's content (domain::dossier): its fields' rules and what submission requires.
## French calls a field "Ce champ": a select whose one variant is `*[any] Ce champ` takes the
## field's path without writing it; the amount in cents English writes is taken the same way.

dossier-content-rent-months-out-of-range = Le nombre de mois de loyer doit être compris entre 1 et { $max }.
dossier-content-required-to-submit = { $field ->
        *[any] Ce champ
    } est obligatoire pour déposer le dossier.
dossier-content-total-budget-required-to-submit = Ce champ est obligatoire pour déposer le dossier : ce dispositif finance une part du budget total du projet.
dossier-content-investment-only = Ce dispositif finance un investissement immobilier : achat, construction ou travaux.
dossier-content-rent-only = Ce dispositif finance un loyer : choisissez rent.
dossier-content-requested-not-positive = Le montant demandé doit être supérieur à zéro.
dossier-content-exceeds-expenses = Le montant demandé ({ $requested }) dépasse les dépenses éligibles ou le total des loyers ({ $limit }).{ $limit_cents ->
        *[any] {""}
    }
dossier-content-exceeds-budget = Le montant demandé ({ $requested }) dépasse le budget total du projet ({ $limit }).{ $limit_cents ->
        *[any] {""}
    }
dossier-content-exceeds-flat-amount = Le montant demandé ({ $requested }) dépasse le montant forfaitaire du dispositif ({ $limit }).{ $limit_cents ->
        *[any] {""}
    }
dossier-content-imported-read-only = Cette subvention a été décidée avant Essor et importée d'un fichier SCDL : elle est en lecture seule. Elle compte telle quelle dans les totaux et dans le calcul de minimis.
dossier-content-purged-read-only = Les données personnelles de ce dossier ont été supprimées au terme de leur durée de conservation : il est en lecture seule.
dossiers-silence-date-full-date = La date de silence recherchée doit être comprise entre 0001-01-01 et 9999-12-31.
