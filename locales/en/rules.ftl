## Texts of rules.

rules-scheme-code-already-exists-territory = A scheme with code { $code } already exists in this territory.
rules-version-exists = A rules version effective from { $date } already exists for this scheme; versions are never edited, choose another date.
