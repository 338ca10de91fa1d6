## The reasons of an eligibility report: one sentence for each result of a criterion, from its
## code (`reason-<criterion>-<situation>`) and its figures, written in the reader's language.
## Figures come already written (`figure-*`); a figure the result lacks comes as
## `reason-not-provided`, `reason-unknown-date` or `reason-unreadable-code`.

reason-not-provided = non renseigné
reason-unknown-date = date inconnue
reason-unreadable-code = (illisible)
# After the reason of an advisory criterion, a space apart.
reason-advisory = Critère indicatif : signalé, sans effet sur le résultat d'ensemble.
# $criterion: employment, market_activity, own_revenue_share, ess_status, territory, de_minimis.
reason-off = Non évalué : les règles de ce dispositif désactivent le critère { $criterion ->
        [employment] de l'emploi salarié
        [market_activity] de l'activité marchande
        [own_revenue_share] de la part de ressources propres
        [ess_status] du statut ESS
        [territory] du territoire
       *[de_minimis] des aides de minimis
    }.

## Employment.

reason-employment-met = Effectif salarié : { $staff } ; les règles exigent un effectif non nul d'au moins { $min_staff }.
reason-employment-no-salaried-staff = La structure ne déclare aucun salarié ({ $staff }) ; les règles exigent un emploi salarié.
reason-employment-below-minimum = Effectif salarié : { $staff }, en dessous du minimum de { $min_staff } exigé par les règles.
reason-employment-missing-data = L'effectif salarié (en ETP) n'est pas renseigné ; un instructeur doit l'obtenir.
reason-employment-invalid-data = L'effectif salarié déclaré est négatif ou n'est pas un nombre ; un instructeur doit le vérifier.
reason-employment-no-minimum = Effectif salarié : { $staff } ; les règles ne fixent pas de minimum, tout effectif déclaré convient.

## Market activity.

reason-market-activity-met = Le chiffre d'affaires ({ $sales }) représente { $share } des produits d'exploitation ({ $revenue }) ; les règles exigent au moins { $min_share }.
reason-market-activity-below-threshold = Le chiffre d'affaires ({ $sales }) ne représente que { $share } des produits d'exploitation ({ $revenue }) ; les règles exigent au moins { $min_share }.
reason-market-activity-not-declared = La structure ne déclare pas vendre de biens ou de services sur un marché ; les règles exigent une activité marchande.
# Without a threshold, the rules set no minimum share: only the declaration counts.
reason-market-activity-missing-declaration = La déclaration d'activité marchande n'est pas renseignée ; un instructeur doit l'obtenir.
reason-market-activity-missing-data = La déclaration d'activité marchande, le chiffre d'affaires ou les produits d'exploitation ne sont pas renseignés ; un instructeur doit les obtenir.
reason-market-activity-no-minimum = La structure déclare une activité marchande, son chiffre d'affaires ({ $sales }) représentant { $share } des produits d'exploitation ({ $revenue }) ; les règles ne fixent pas de part minimale du chiffre d'affaires.
reason-market-activity-no-minimum-no-figures = La structure déclare une activité marchande ; les règles ne fixent pas de part minimale du chiffre d'affaires.
reason-market-activity-inconsistent-data = Chiffres incohérents : chiffre d'affaires { $sales }, produits d'exploitation { $revenue } (le chiffre d'affaires doit être positif ou nul et ne pas dépasser les produits d'exploitation, qui doivent être strictement positifs) ; un instructeur doit les vérifier.
reason-market-activity-forecast-accounts = Le chiffre d'affaires prévisionnel ({ $sales }) représenterait { $share } des produits d'exploitation prévisionnels ({ $revenue }) ; les règles exigent au moins { $min_share }. Ce sont les chiffres d'un plan d'affaires, non des comptes clos : un instructeur doit les apprécier.

## Own-revenue share.

reason-own-revenue-share-met = Les produits d'exploitation ({ $revenue }) couvrent { $share } des charges d'exploitation ({ $costs }) ; les règles exigent au moins { $min_share }.
reason-own-revenue-share-below-threshold = Les produits d'exploitation ({ $revenue }) ne couvrent que { $share } des charges d'exploitation ({ $costs }) ; les règles exigent au moins { $min_share }.
reason-own-revenue-share-forecast-accounts = Les produits d'exploitation prévisionnels ({ $revenue }) couvriraient { $share } des charges d'exploitation prévisionnelles ({ $costs }) ; les règles exigent au moins { $min_share }. Ce sont les chiffres d'un plan d'affaires, non des comptes clos : un instructeur doit les apprécier.
reason-own-revenue-share-missing-data = Les produits ou les charges d'exploitation ne sont pas renseignés ; un instructeur doit les obtenir.
reason-own-revenue-share-no-minimum = Les produits d'exploitation ({ $revenue }) couvrent { $share } des charges d'exploitation ({ $costs }) ; les règles ne fixent pas de minimum.
reason-own-revenue-share-no-minimum-no-figures = Les règles ne fixent pas de part minimale de ressources propres : le critère est rempli sans chiffres comptables.
reason-own-revenue-share-inconsistent-data = Chiffres incohérents : produits d'exploitation { $revenue }, charges d'exploitation { $costs } (les produits doivent être positifs ou nuls, les charges strictement positives) ; un instructeur doit les vérifier.

## ESS status. $family: association, cooperative, mutual, foundation, commercial_company, other.

reason-ess-status-accepted-family = La forme juridique { $legal_form } { $family ->
        [association] est celle d'une association
        [cooperative] est celle d'une coopérative
        [mutual] est celle d'une mutuelle
        [foundation] est celle d'une fondation
        [commercial_company] est celle d'une société commerciale
       *[other] ne relève d'aucune famille juridique de l'ESS
    }, ce que le dispositif accepte.
reason-ess-status-family-not-accepted = La forme juridique { $legal_form } { $family ->
        [association] est celle d'une association
        [cooperative] est celle d'une coopérative
        [mutual] est celle d'une mutuelle
        [foundation] est celle d'une fondation
        [commercial_company] est celle d'une société commerciale
       *[other] ne relève d'aucune famille juridique de l'ESS
    }, ce que le dispositif n'accepte pas.
reason-ess-status-esus-valid-until = La forme juridique { $legal_form } est celle d'une société commerciale titulaire de l'agrément ESUS du { $approved_on }, valable jusqu'au { $ends_on }.
reason-ess-status-esus-valid-expires = La forme juridique { $legal_form } est celle d'une société commerciale titulaire de l'agrément ESUS du { $approved_on }, qui expire le { $expires_on }.
reason-ess-status-esus-by-right = La forme juridique { $legal_form } est celle d'une société commerciale qui déclare détenir l'agrément ESUS de plein droit (code du travail, art. L3332-17-1 II) ; un instructeur doit confirmer le fondement qu'elle déclare.
reason-ess-status-statutes-to-check = La forme juridique { $legal_form } est celle d'une société commerciale qui déclare des statuts de l'ESS (coopérative sous forme de société, ou loi 2014-856, art. 1er II), ce que le dispositif accepte ; un instructeur doit vérifier ses statuts.
reason-ess-status-esus-missing = La forme juridique { $legal_form } est celle d'une société commerciale : les règles exigent l'agrément ESUS (loi 2014-856, art. 11), et aucun n'est enregistré.
reason-ess-status-esus-not-yet-valid = L'agrément ESUS est daté du { $approved_on }, après la date d'évaluation ({ $evaluated_on }).
reason-ess-status-esus-expired-until = L'agrément ESUS du { $approved_on } était valable jusqu'au { $ends_on }, avant la date d'évaluation ({ $evaluated_on }).
reason-ess-status-esus-expired = L'agrément ESUS du { $approved_on } a expiré le { $expires_on } (validité de { $validity_years } ans), avant la date d'évaluation ({ $evaluated_on }).
reason-ess-status-invalid-legal-form = Le code de forme juridique { $legal_form } n'est pas un code INSEE à 4 chiffres ; un instructeur doit le vérifier.
reason-ess-status-missing-data = La forme juridique (code INSEE) n'est pas renseignée ; un instructeur doit l'obtenir.

## Territory: the premises' commune, or the head office's for a scheme without premises.

reason-territory-inside = Les locaux sont situés dans la commune { $commune }, l'une des { $communes } communes du territoire.
reason-territory-outside = Les locaux sont situés dans la commune { $commune }, qui n'est pas l'une des { $communes } communes du territoire.
reason-territory-head-office-inside = Le siège est situé dans la commune { $commune }, l'une des { $communes } communes du territoire (dispositif sans locaux).
reason-territory-head-office-outside = Le siège est situé dans la commune { $commune }, qui n'est pas l'une des { $communes } communes du territoire (dispositif sans locaux).
reason-territory-invalid-commune-code = Le code commune des locaux, { $commune }, n'est pas un code INSEE valide ; un instructeur doit le vérifier.
reason-territory-head-office-invalid-commune-code = Le code commune du siège, { $commune }, n'est pas un code INSEE valide ; un instructeur doit le vérifier.
reason-territory-missing-data = La commune des locaux n'est pas renseignée ; un instructeur doit l'obtenir.
reason-territory-head-office-missing-data = La commune du siège n'est pas renseignée ; un instructeur doit l'obtenir.

## De minimis: with the aid the applicant declared, or without a declaration.

reason-de-minimis-within-ceiling = Aides de minimis accordées après le { $window_start } : aides déclarées { $declared } + subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total }, dans la limite du plafond de { $ceiling }.
reason-de-minimis-within-ceiling-no-declaration = Aides de minimis accordées après le { $window_start } : subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total }, dans la limite du plafond de { $ceiling }. Le demandeur n'a pas déclaré les aides de minimis reçues d'autres organismes.
reason-de-minimis-ceiling-exceeded = Aides de minimis accordées après le { $window_start } : aides déclarées { $declared } + subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total }, au-delà du plafond de { $ceiling }, qu'il dépasse de { $excess }.
reason-de-minimis-ceiling-exceeded-no-declaration = Aides de minimis accordées après le { $window_start } : subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total }, au-delà du plafond de { $ceiling }, qu'il dépasse de { $excess }. Le demandeur n'a pas déclaré les aides de minimis reçues d'autres organismes.
reason-de-minimis-not-declared-with-aid = Aides de minimis accordées après le { $window_start } : aides déclarées { $declared } + subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total } ; plafond : { $ceiling }.
reason-de-minimis-not-declared = Aides de minimis accordées après le { $window_start } : subventions Essor { $essor_grants } + cette subvention { $proposed } = { $total } ; plafond : { $ceiling }. Le demandeur n'a pas déclaré les aides de minimis reçues d'autres organismes.
reason-de-minimis-inconsistent-data = Un montant d'aide (déclarée ou accordée dans Essor) est négatif ; un instructeur doit vérifier les chiffres de minimis.
