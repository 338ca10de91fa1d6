## Texts of organisations.

organisations-siret-siret-organisation-your-token = siret must be the SIRET of the organisation your token names
organisations-organisation-siret-already-registered-territory = An organisation with this SIRET is already registered in this territory.
organisations-siret-14-digits = siret must be 14 digits.
organisations-siret-exactly-14-digits = siret must be exactly 14 digits
