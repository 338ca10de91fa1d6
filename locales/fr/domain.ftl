## Sentences of the domain's rules (rules versions, money, assessments, SCDL imports…).
## A variable one language does not write is read in a select with only a default, empty
## variant (`{ $name -> *[other] {""} }`), so that both languages take the same arguments.

## A rules version's parameters.

rules-value-out-of-range = La valeur doit être comprise entre { $min } et { $max } ; reçu : { $value }.
rules-too-many-communes = La liste compte au plus { $max } communes ; reçu : { $got }.
rules-invalid-commune-code = « { $code } » n'est pas un code commune INSEE valide.
rules-commune-listed-twice = La commune « { $code } » figure plus d'une fois dans la liste.
rules-code-not-snake-case = Le code doit être en snake_case ASCII (a-z, 0-9, tirets bas isolés, commençant par une lettre), de 1 à 40 caractères.
rules-code-used-twice = Le code { $kind ->
        [bonus] de bonification
       *[criterion] de critère
    } « { $code } » est utilisé plus d'une fois.
rules-label-blank = Le libellé ne doit pas être vide.
rules-label-too-long = Le libellé comporte au plus 200 caractères ; reçu : { $got }.
rules-min-fte-out-of-range = La valeur doit être un nombre fini compris entre 0 et { $max }, ou « any » ; reçu : { $got }.
rules-no-accepted-family = Le dispositif doit accepter au moins une famille juridique.
rules-family-listed-twice = « { $family } » figure plus d'une fois dans la liste.
rules-territory-without-commune = Le territoire doit compter au moins une commune.
rules-grid-without-criterion = La grille d'évaluation doit comporter au moins un critère.
rules-too-many-grid-criteria = La grille comporte au plus { $max } critères ; reçu : { $got }.
rules-bonus-cap-zero = La valeur doit être au moins 1 lorsque des bonifications sont prévues : avec 0, aucune ne s'appliquerait jamais.
rules-too-many-bonuses = Le dispositif compte au plus { $max } bonifications ; reçu : { $got }.
rules-bonus-with-flat-grant = Une bonification ajoute des points à un taux, et un plafond forfaitaire n'en a pas : choisissez un plafond sur l'investissement, le loyer ou le budget, ou aucune bonification.
rules-condition-without-commune = La condition doit compter au moins une commune.
rules-condition-without-district = La condition doit compter au moins un quartier.
rules-too-many-districts = La condition compte au plus { $max } quartiers ; reçu : { $got }.
rules-invalid-district-code = « { $code } » n'est pas un code de quartier : de 1 à 20 lettres majuscules ou chiffres.
rules-district-listed-twice = Le quartier « { $code } » figure plus d'une fois dans la liste.

## Money: dates and amounts of grants and disbursements. The French does not repeat the field
## (`$field`), which the answer names beside the message.

money-rule-before-decision = Cette date ne peut précéder la décision d'attribution de la subvention ({ $day }).{ $field ->
       *[other] {""}
    }
money-rule-before-certification = Un versement ne peut être payé avant la certification du service fait ({ $day }).{ $field ->
       *[other] {""}
    }
money-rule-not-positive = Ce montant doit être supérieur à zéro.{ $field ->
       *[other] {""}
    }
money-rule-year-out-of-range = L'année doit être comprise entre { $first } et { $last }.{ $field ->
       *[other] {""}
    }

## An instructor's assessment.

assessment-score-out-of-range = La note doit être comprise entre 0 et { $max } ; reçu : { $got }.
assessment-unknown-condition = « { $code } » n'est pas une condition que l'instructeur coche selon les règles de ce dossier (une bonification instructor_condition).

## An SCDL file of grants being imported.

scdl-unexpected-column = La colonne { $column } ({ $found }) n'est pas un champ du format SCDL subventions 2.1.1.
scdl-field-count = La ligne compte { $got } champs ; le format SCDL subventions en compte { $expected }.
scdl-other-attributor = idAttribuant { $attributor } n'est pas le SIRET de votre territoire ({ $territory }) : seules vos propres subventions peuvent être importées.
scdl-decision-date-in-future = La date de convention { $day } est dans le futur.
scdl-amount-too-large = Le montant ne peut pas dépasser { $max }.{ $max_euros ->
       *[other] {""}
    }
scdl-amount-required = Le champ montant est obligatoire.
scdl-amount-too-precise = Le montant doit être un nombre entier de centimes (au plus 2 décimales).
scdl-amount-format = Le montant doit être un nombre d'euros avec un point avant les décimales, par exemple 47800.20.
scdl-unknown-scheme = dispositifAide { $scheme } n'est ni le code ni le nom de l'un de vos dispositifs.
scdl-siren-check-digit-wrong = Le champ { $field } n'est pas un SIRET valide (la clé de contrôle de son SIREN, les 9 premiers chiffres, est erronée).

## Eligibility, besides the reasons of a report (reasons.ftl).

eligibility-no-rules-in-force = Le dispositif n'a pas de règles en vigueur le { $day } : rien sur quoi évaluer.
