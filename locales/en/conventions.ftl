not-found-convention = This dossier has no convention.
not-found-convention-document = This dossier's convention has no document of this rank.
conventions-applicant-signs-for-beneficiary = An applicant signs for the beneficiary; the territory's signature is recorded by its staff.
conventions-no-such-document = The convention has no document of rank { $seq } (0 for the convention, 1, 2… for its amendments).
conventions-already-signed = { $number } is already signed by this party: a signature is recorded once.
conventions-signed-before-drafted = A document cannot be signed before it was drafted ({ $day }).
conventions-signed-copy-unknown = No current document of this dossier has this id.
conventions-unsigned-no-payment = { $count ->
    [one] A document of the convention is not yet signed by both parties: no payment may be requested before.
   *[other] { $count } documents of the convention are not yet signed by both parties: no payment may be requested before.
}
