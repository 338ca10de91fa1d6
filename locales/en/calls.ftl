calls-not-open = The call for projects is not open yet: dossiers are submitted from { $opens_at } (Paris time).
calls-closed = The call for projects closed on { $closes_at } (Paris time): it takes no more dossiers.
calls-closes-before-opening = The call must close after it opens.
calls-id-names-no-call = No call for projects of this territory has this id.
calls-of-another-scheme = This call for projects belongs to another scheme than the dossier's.
calls-dossier-not-in-call = This dossier does not answer this session's call for projects.
calls-decided-outside-its-year = This dossier answers the call "{ $title }", funded from the envelope of another budget year than { $year }: the decision must be dated in the call's year.
