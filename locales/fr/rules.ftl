## Texts of rules.

rules-scheme-code-already-exists-territory = Un dispositif de code { $code } existe déjà sur ce territoire.
