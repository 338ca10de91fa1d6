not-found-notification = No notification of this dossier has this id.
notifications-already-received = This notification's reception is already recorded ({ $notified_on }): it is recorded once.
notifications-received-before-issue = A notification cannot be received before it is issued ({ $day }).
