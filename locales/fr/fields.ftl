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
