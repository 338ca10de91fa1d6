## Texts of requests.

requests-authorization-bearer-token-header-required = Un en-tête Authorization: Bearer <jeton> est requis.
requests-send-one-authorization-header-several = Envoyez un seul en-tête Authorization, pas plusieurs.
requests-authorization-header-bearer-token = L'en-tête Authorization doit être de la forme « Bearer <jeton> ».
requests-invalid-bearer-token-no-territory = Jeton d'authentification invalide : aucun territoire.
requests-body-too-large = Le corps de la requête est trop volumineux.
requests-send-body-application-json = Envoyez le corps de la requête en application/json.
requests-body-larger-than-bytes = Le corps de la requête dépasse { $bytes } octets.
requests-body-did-arrive-within-s = Le corps de la requête n'est pas arrivé dans le délai de { $seconds } s.
requests-body-could-read = Le corps de la requête n'a pas pu être lu.
requests-send-file = Envoyez le fichier en { $content_type }.
requests-page-between-1-1000000 = Le numéro de page doit être compris entre 1 et 1 000 000.
requests-per-page-between-1 = Le nombre d'éléments par page doit être compris entre 1 et { $MAX_PER_PAGE }.
requests-invalid-pagination = Pagination invalide.
requests-if-match-valid-header-value = La valeur de l'en-tête If-Match n'est pas valide.
requests-territory-named-your-token-registered = Le territoire { $code } que désigne votre jeton n'est pas enregistré dans Essor.
requests-role-may-do-needs = Le rôle « { $role } » ne permet pas cette action ; il faut l'un de : { $needed }.
requests-applicant-token-names-no-organisation = Ce jeton de demandeur ne désigne aucune organisation.
requests-metrics-require-header-authorization-bearer = Les métriques demandent l'en-tête « Authorization: Bearer <ESSOR_METRICS_TOKEN> ».
