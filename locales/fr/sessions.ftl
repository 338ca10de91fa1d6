sessions-dossier-id-names-no-dossier = Aucun dossier de ce territoire visible par vous ne porte cet identifiant.
sessions-item-needs-review = Seul un dossier en instruction peut être inscrit à l'ordre du jour (statut actuel : { $status }).
sessions-already-on-agenda = Ce dossier est déjà inscrit à l'ordre du jour d'une séance qui n'a pas encore délibéré.
sessions-agenda-closed = L'ordre du jour de cette séance est clos : aucune proposition n'y est plus ajoutée.
sessions-already-decided = Cette séance a déjà délibéré : sa délibération n'est enregistrée qu'une fois.
sessions-deliberation-items-count = Une délibération porte sur 1 à { $max } inscriptions.
sessions-voted-amount-required = Le montant voté est requis pour une inscription approuvée.
sessions-voted-amount-only-when-approved = Un montant voté n'accompagne qu'une inscription approuvée.
sessions-reasons-required = Les motifs d'un rejet sont requis : la notification les porte.
sessions-vote-on-no-item = Aucune inscription de l'ordre du jour en attente de vote ne porte cet identifiant.
sessions-item-voted-twice = Cette inscription a déjà un résultat dans cette délibération.
sessions-voted-above-proposed = Le montant voté ne peut dépasser le montant proposé ({ $proposed }).
sessions-item-without-vote = L'inscription n° { $position } de l'ordre du jour n'a pas de résultat : la délibération dit ce qu'il advient de chacune.
sessions-deliberation-does-not-fit = { $count ->
    [one] Une inscription ne tient pas dans les crédits disponibles : rien n'est enregistré.
   *[other] { $count } inscriptions ne tiennent pas dans les crédits disponibles : rien n'est enregistré.
}
sessions-body-council = Conseil
sessions-body-bureau = Bureau
sessions-body-standing-committee = Commission permanente
sessions-recommendation-favourable = Favorable
sessions-recommendation-reserved = Favorable avec réserves
sessions-recommendation-unfavourable = Défavorable
sessions-outcome-approved = Approuvé
sessions-outcome-rejected = Rejeté
sessions-outcome-deferred = Ajourné
notification-body-council = le Conseil
notification-body-bureau = le Bureau
notification-body-standing-committee = la Commission permanente
