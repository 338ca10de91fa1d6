## Texts of the rules of fields (domain::checks, domain::field_errors): a field error's message.
## French calls the field "Ce champ" (or what it holds): a select whose one variant is
## `*[any] Ce champ` takes the field's path without writing it.

field-control-character = { $field ->
        *[any] Ce champ
    } ne doit pas contenir le caractère de contrôle U+{ $char }.
field-required = { $field ->
        *[any] Ce champ
    } est obligatoire.
field-too-long = { $field ->
        *[any] Ce champ
    } doit comporter au plus { $max } caractères.
field-formula-prefix = { $field ->
        *[any] Ce champ
    } ne doit pas commencer par { $first }, { $second }, { $third } ou { $fourth } (espaces exceptés) : un tableur ouvrant les fichiers CSV qu'Essor écrit l'exécuterait comme une formule.
field-amount-out-of-range = { $field ->
        *[any] Ce montant en centimes
    } doit être compris entre 0 et { $max } ({ $max_euros }).
field-fte-out-of-range = { $field ->
        *[any] Ce nombre d'équivalents temps plein
    } doit être compris entre 0 et { $max }.
field-commune-code = { $field ->
        *[any] Ce champ
    } doit être un code commune INSEE de 5 caractères, par exemple 76540 (2A ou 2B pour la Corse).
field-district-code = { $field ->
        *[any] Le code de quartier
    } doit comporter de 1 à 20 lettres majuscules ou chiffres (par exemple QN07601M).
field-date-out-of-range = { $field ->
        *[any] Cette date
    } doit être comprise entre le { $min } et le { $max }.
field-invalid = { $field ->
        *[any] Ce champ
    } n'est pas valide.
field-scheme-code = { $field ->
        *[any] Le code
    } doit comporter de 2 à 20 lettres majuscules, chiffres ou tirets, sans commencer par un tiret.
field-effective-from-out-of-range = { $field ->
        *[any] La date d'entrée en vigueur
    } doit être comprise entre le { $min } et le { $max }.

## Rules between fields, or of the caller, written where they are checked.

field-transition-comment-required = Indiquez le motif : le commentaire est communiqué au demandeur.
field-internal-note-staff-only = Seuls les agents peuvent écrire des notes internes.

## Organisations (domain::organisation).

field-organisation-accounts-before-submitting = Déclarez les comptes de votre organisation (le dernier exercice clos, ou un prévisionnel pour une entreprise nouvelle) avant de déposer le dossier.
field-organisation-de-minimis-before-submitting = Déclarez les aides de minimis reçues au cours des 3 dernières années (une liste vide s'il n'y en a aucune) avant de déposer le dossier.
field-legal-form-format = La forme juridique doit être un code de catégorie juridique INSEE à 4 chiffres, par exemple 9220.
field-esus-ess-only = L'agrément ESUS ne concerne que les entreprises de l'ESS : associations, coopératives, mutuelles, fondations et sociétés commerciales.
field-ess-statutes-companies-only = Les statuts ESS ne se déclarent que pour une société commerciale (SA, SAS, SARL…) ; pour les autres formes juridiques, le code INSEE indique déjà la famille.
field-rna-associations-only = Le numéro RNA ne concerne que les associations.
field-rna-format = Le numéro RNA doit comporter la lettre W suivie de 9 chiffres.
field-postal-code-format = Le code postal doit comporter 5 chiffres.
field-sales-exceed-operating-revenue = Le chiffre d'affaires fait partie des produits d'exploitation et ne peut pas les dépasser.
field-de-minimis-aids-too-many = Déclarez au plus 100 aides.
field-siret-checksum = Le SIRET ne respecte pas la clé de contrôle (algorithme de Luhn) : un chiffre est erroné.
field-siren-checksum = Le SIREN (les 9 premiers chiffres du SIRET) ne respecte pas sa clé de contrôle (algorithme de Luhn) : un chiffre est erroné.
field-siret-format = Le SIRET doit comporter 14 chiffres.
field-esus-ends-on = La fin de l'agrément doit suivre son début, au plus { $years } ans après ({ $longest }) : un agrément vaut 5 ans, 2 ans pour une entreprise de moins de 3 ans.
field-accounts-year-closed = L'exercice doit être un exercice clos, de { $first } à { $last }.
field-accounts-year-forecast = L'exercice d'un prévisionnel va de { $first } à { $last }.
