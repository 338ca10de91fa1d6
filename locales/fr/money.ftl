## Texts of money.

money-disbursement-already = Ce versement est déjà au statut « { $status } ».
money-other-payment-requests-pending-pay = D'autres demandes de versement sont en attente : payez-les ou refusez-les avant le solde, qui clôt le dossier.
money-year-between = L'année doit être comprise entre { $FIRST_YEAR } et { $LAST_YEAR }.
money-balance-already-requested-paid-last = Le solde est déjà demandé ou versé : c'est le dernier versement.
money-no-such-envelope = Cette enveloppe n'existe pas.
money-dossier-id-names-no-dossier = Cet identifiant ne désigne aucun dossier de votre territoire.
money-dossier-filed-under-another-scheme = Le dossier relève d'un autre dispositif que celui de l'enveloppe.
money-dossier-already-has-reservation-envelope = Le dossier a déjà une réservation dans cette enveloppe : supprimez-la pour en changer le montant.
money-scheme-already-has-envelope = Le dispositif a déjà son enveloppe { $year } ({ $id }).
money-no-such-reservation = Cette réservation n'existe pas.
money-reservation-no-longer-active-consumed = La réservation n'est plus active (consommée ou libérée).
money-idempotency-key-already-used-another = Cette Idempotency-Key a déjà servi pour une autre demande ; utilisez une nouvelle clé.
money-request-idempotency-key-still-being = Une demande portant cette Idempotency-Key est encore en cours de traitement ; réessayez dans un instant.
money-envelope-exhausted = L'enveloppe n'a plus que { $available } de disponible : c'est insuffisant pour ce montant.
money-no-envelope-for-year = Le dispositif n'a pas d'enveloppe pour { $year } : les finances l'ouvrent avant les décisions de cette année.
money-grant-below-engaged = La subvention ne peut pas descendre sous ce qui est versé ou demandé ({ $engaged }).
money-payment-needs-approved-grant = Un versement se demande sur une subvention accordée ; ce dossier est au statut « { $status } ».
money-above-grant = Les montants demandés et versés dépasseraient la subvention : il reste { $requestable } à demander.
money-envelope-below-commitments = Le montant ne peut pas descendre sous ce qui est réservé et engagé ({ $engaged }).
money-reservation-needs-undecided = Une réservation ne se fait que pour un dossier pas encore décidé ; celui-ci est au statut « { $status } ».
