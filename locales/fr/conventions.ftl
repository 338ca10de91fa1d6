not-found-convention = Ce dossier n'a pas de convention.
not-found-convention-document = La convention de ce dossier n'a pas de document de ce rang.
conventions-applicant-signs-for-beneficiary = Un demandeur signe pour le bénéficiaire ; la signature de la collectivité est enregistrée par ses agents.
conventions-no-such-document = La convention n'a pas de document de rang { $seq } (0 pour la convention, 1, 2… pour ses avenants).
conventions-already-signed = { $number } est déjà signé par cette partie : une signature ne s'enregistre qu'une fois.
conventions-signed-before-drafted = Un document ne peut être signé avant d'avoir été établi ({ $day }).
conventions-signed-copy-unknown = Aucun document actuel de ce dossier ne porte cet identifiant.
conventions-unsigned-no-payment = { $count ->
    [one] Un document de la convention n'est pas encore signé par les deux parties : aucun versement ne peut être demandé avant.
   *[other] { $count } documents de la convention ne sont pas encore signés par les deux parties : aucun versement ne peut être demandé avant.
}
