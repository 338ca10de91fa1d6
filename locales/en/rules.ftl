## Texts of rules.

rules-scheme-code-already-exists-territory = A scheme with code { $code } already exists in this territory.
