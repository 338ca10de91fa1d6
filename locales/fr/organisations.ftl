## Texts of organisations.

organisations-siret-siret-organisation-your-token = Le SIRET doit être celui de l'organisation que désigne votre jeton.
organisations-organisation-siret-already-registered-territory = Une organisation de même SIRET est déjà enregistrée sur ce territoire.
organisations-siret-14-digits = Le SIRET doit comporter 14 chiffres.
organisations-siret-exactly-14-digits = Le SIRET doit comporter 14 chiffres.
