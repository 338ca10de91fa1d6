calls-not-open = L'appel à projets n'est pas encore ouvert : les dossiers y sont déposés à partir du { $opens_at } (heure de Paris).
calls-closed = L'appel à projets est clos depuis le { $closes_at } (heure de Paris) : il ne reçoit plus de dossier.
calls-closes-before-opening = La clôture de l'appel doit suivre son ouverture.
calls-id-names-no-call = Aucun appel à projets de ce territoire ne porte cet identifiant.
calls-of-another-scheme = Cet appel à projets relève d'un autre dispositif que celui du dossier.
calls-dossier-not-in-call = Ce dossier ne répond pas à l'appel à projets de cette séance.
calls-decided-outside-its-year = Ce dossier répond à l'appel « { $title } », financé sur l'enveloppe d'un autre exercice que { $year } : la décision doit être datée de l'exercice de l'appel.
