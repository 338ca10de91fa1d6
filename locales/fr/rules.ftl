## Texts of rules.

rules-scheme-code-already-exists-territory = Un dispositif de code { $code } existe déjà sur ce territoire.
rules-version-exists = Une version des règles en vigueur au { $date } existe déjà pour ce dispositif ; une version n'est jamais modifiée : choisissez une autre date.
