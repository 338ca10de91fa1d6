## Texts of money.

money-disbursement-already = This disbursement is already '{ $status }'.
money-other-payment-requests-pending-pay = Other payment requests are pending: pay or refuse them before the balance, which closes the dossier.
money-year-between = year must be between { $FIRST_YEAR } and { $LAST_YEAR }.
money-balance-already-requested-paid-last = The balance is already requested or paid: it is the last payment.
money-no-such-envelope = No such envelope.
money-dossier-id-names-no-dossier = dossier_id names no dossier of your territory
money-dossier-filed-under-another-scheme = the dossier is filed under another scheme than the envelope's
money-dossier-already-has-reservation-envelope = The dossier already has a reservation in this envelope: delete it to change the amount.
money-scheme-already-has-envelope = The scheme already has its { $year } envelope ({ $id }).
money-no-such-reservation = No such reservation.
money-reservation-no-longer-active-consumed = The reservation is no longer active (consumed or released).
money-idempotency-key-already-used-another = This Idempotency-Key was already used for another request; use a new key.
money-request-idempotency-key-still-being = A request with this Idempotency-Key is still being processed; retry in a moment.
money-envelope-exhausted = The envelope has { $available } available: not enough for this amount.
money-no-envelope-for-year = The scheme has no envelope for { $year }: finance opens it before decisions of that year.
money-grant-below-engaged = The grant cannot go below what is paid or requested ({ $engaged }).
money-payment-needs-approved-grant = Payments are requested against an approved grant; this dossier is '{ $status }'.
money-above-grant = Requested and paid would exceed the grant: { $requestable } can still be requested.
money-envelope-below-commitments = The amount cannot go below what is reserved and committed ({ $engaged }).
money-reservation-needs-undecided = Only a dossier not yet decided can be reserved for; this one is '{ $status }'.
