## History comments: Essor writes them in the default language (French) when the step happens; they are stored as written.

history-approved = Grant of { $granted } awarded by deliberation { $reference } of { $decided_on }.
history-justification = Justification: { $justification }
history-amended = Amendment { $reference } of { $decided_on }: grant changed from { $before } to { $after }. { $comment }
history-cancelled = Grant cancelled on { $decided_on }: { $released } back to the envelope, { $paid } paid stay paid. { $comment }
history-reservation-lifted-status = Reservation of { $amount } lifted: this dossier no longer needs it ({ $status }).
history-paid = Payment made on { $paid_on } ({ $reference }): { $amount }.
history-balance-closed = Balance: dossier closed, { $released } back to the envelope.
history-payment-refused = Payment of { $amount } refused: { $comment }
history-payment-requested = Payment requested ({ $kind }): { $amount }, service done certified on { $certified_on }.
history-reserved = { $amount } reserved on the scheme's { $year } envelope.
history-reservation-lifted = Reservation of { $amount } lifted.
history-taken-over = Dossier taken over by { $by } (instructed until now by { $from }).
history-imported = Grant imported (SCDL grants file).
history-imported-line = SCDL import, line { $line }.
history-on-agenda = Put on the agenda of the session "{ $session }" of { $sits_on }: { $proposed } proposed.
history-rejected-by-deliberation = Rejected by deliberation { $reference } of { $decided_on }: { $reasons }
history-deferred-by-deliberation = Deferred by deliberation { $reference } of { $decided_on }: the dossier stays under review.
history-approved-by-delegation = Grant of { $granted } awarded by decision { $reference } of { $decided_on }, taken by delegation of the assembly.
