## What a problem+json answer says (its `detail`), whatever the request.

problem-unavailable = La base de données est momentanément indisponible ; réessayez dans un instant.
problem-contention = D'autres modifications des mêmes données sont en cours : rien n'a été enregistré, réessayez dans un instant.
problem-method-not-allowed = Cette ressource n'accepte que : { $allow }.
problem-transition-not-allowed = Un dossier au statut « { $current } » ne peut pas faire l'objet de l'action « { $transition } ». Actions possibles : { $allowed_count ->
        [0] aucune
       *[other] { $allowed }
    }.
problem-precondition-failed = La ressource a changé depuis votre lecture : relisez-la et appliquez de nouveau votre modification.
problem-precondition-required = Cette modification exige un en-tête If-Match portant le dernier ETag lu.
problem-internal = Une erreur inattendue s'est produite ; elle a été journalisée avec l'identifiant de cette requête.
problem-invalid-field = { $field } : { $message }
problem-invalid-fields = { $count } champs sont invalides.
problem-duplicate = Une ressource portant les mêmes identifiants existe déjà.
problem-integrity = La modification enfreindrait une règle d'intégrité ; rien n'a été enregistré.

not-found-row = Cette ressource n'existe pas.
not-found-dossier = Ce dossier n'existe pas.
not-found-disbursement = Ce versement n'existe pas.
not-found-organisation = Cette organisation n'existe pas.
not-found-document = Aucune pièce de ce dossier ne porte cet identifiant.
not-found-receipt = Aucun accusé de réception de ce dossier ne porte cet identifiant.
not-found-deleted-document = Cette pièce a déjà été supprimée.
not-found-territory = Votre territoire n'est pas enregistré.

query-invalid-parameter = { $field } : { $message }
query-invalid-parameters = { $count } paramètres de requête sont invalides.
not-found-session = Aucune séance de ce territoire ne porte cet identifiant.
not-found-call = Aucun appel à projets de ce territoire ne porte cet identifiant.
