not-found-notification = Aucune notification de ce dossier ne porte cet identifiant.
notifications-already-received = La réception de cette notification est déjà enregistrée ({ $notified_on }) : elle ne l'est qu'une fois.
notifications-received-before-issue = Une notification ne peut être reçue avant d'être émise ({ $day }).
