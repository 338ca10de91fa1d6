sessions-dossier-id-names-no-dossier = No dossier of this territory that you may see has this id.
sessions-item-needs-review = Only a dossier under review can be put on the agenda (current status: { $status }).
sessions-already-on-agenda = This dossier is already on the agenda of a session that has not decided yet.
sessions-agenda-closed = This session's agenda is closed: no proposal is added any more.
sessions-already-decided = This session has decided already: its deliberation is recorded once.
sessions-deliberation-items-count = A deliberation decides 1 to { $max } items.
sessions-voted-amount-required = The amount voted is required for an approved item.
sessions-voted-amount-only-when-approved = An amount voted goes only with an approved item.
sessions-reasons-required = A rejection's reasons are required: the notification carries them.
sessions-vote-on-no-item = No item of the agenda awaiting its vote has this id.
sessions-item-voted-twice = This item already has an outcome in this deliberation.
sessions-voted-above-proposed = The amount voted cannot exceed the amount proposed ({ $proposed }).
sessions-item-without-vote = Item { $position } of the agenda has no outcome: the deliberation says what becomes of each.
sessions-deliberation-does-not-fit = { $count ->
    [one] One item does not fit in the available credits: nothing is recorded.
   *[other] { $count } items do not fit in the available credits: nothing is recorded.
}
sessions-body-council = Council
sessions-body-bureau = Bureau
sessions-body-standing-committee = Standing committee
sessions-recommendation-favourable = Favourable
sessions-recommendation-reserved = Favourable with reservations
sessions-recommendation-unfavourable = Unfavourable
sessions-outcome-approved = Approved
sessions-outcome-rejected = Rejected
sessions-outcome-deferred = Deferred
notification-body-council = the Council
notification-body-bureau = the Bureau
notification-body-standing-committee = the Standing Committee
