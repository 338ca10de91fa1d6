## History comments: Essor writes them in the default language (French) when the step happens; they are stored as written.

history-approved = Subvention de { $granted } accordée par la délibération { $reference } du { $decided_on }.
history-justification = Justification : { $justification }
history-amended = Avenant { $reference } du { $decided_on } : subvention portée de { $before } à { $after }. { $comment }
history-cancelled = Subvention annulée le { $decided_on } : { $released } rendus à l'enveloppe, { $paid } versés restent acquis. { $comment }
history-reservation-lifted-status = Réservation de { $amount } levée : elle ne sert plus à ce dossier ({ $status }).
history-paid = Versement payé le { $paid_on } ({ $reference }) : { $amount }.
history-balance-closed = Solde : dossier clos, { $released } rendus à l'enveloppe.
history-payment-refused = Versement de { $amount } refusé : { $comment }
history-payment-requested = Versement demandé ({ $kind }) : { $amount }, service fait certifié le { $certified_on }.
history-reserved = { $amount } réservés sur l'enveloppe { $year } du dispositif.
history-reservation-lifted = Réservation de { $amount } levée.
history-taken-over = Dossier repris par { $by } (instruit jusqu'ici par { $from }).
history-imported = Subvention importée (fichier SCDL subventions).
history-imported-line = Import SCDL, ligne { $line }.
history-on-agenda = Inscrit à l'ordre du jour de la séance « { $session } » du { $sits_on } : { $proposed } proposés.
history-rejected-by-deliberation = Rejeté par la délibération { $reference } du { $decided_on } : { $reasons }
history-deferred-by-deliberation = Ajourné par la délibération { $reference } du { $decided_on } : le dossier reste en instruction.
history-approved-by-delegation = Subvention de { $granted } accordée par la décision { $reference } du { $decided_on }, prise par délégation de l'assemblée.
