## What a problem+json answer says (its `detail`), whatever the request.

problem-unavailable = The database is temporarily unavailable; retry in a moment.
problem-contention = Other changes to the same data are under way: nothing was written; retry in a moment.
problem-method-not-allowed = This resource accepts only: { $allow }.
problem-transition-not-allowed = A dossier in status '{ $current }' cannot be moved by '{ $transition }'. Allowed from here: { $allowed_count ->
        [0] none
       *[other] { $allowed }
    }.
problem-precondition-failed = The resource changed since you read it: fetch it again and reapply your change.
problem-precondition-required = This update requires an If-Match header with the ETag you last read.
problem-internal = An unexpected error occurred; it has been logged with this request's id.
problem-invalid-field = { $field }: { $message }
problem-invalid-fields = { $count } fields are invalid
problem-duplicate = A resource with the same identifying fields already exists.
problem-integrity = The change would break an integrity rule; nothing was written.

not-found-row = No such resource.
not-found-dossier = No such dossier.
not-found-disbursement = No such disbursement.
not-found-organisation = No such organisation.
not-found-document = No document of this dossier has this id.
not-found-receipt = No acknowledgement of receipt of this dossier has this id.
not-found-deleted-document = This document was already deleted.
not-found-territory = Your territory is not registered.

query-invalid-parameter = { $field }: { $message }.
query-invalid-parameters = { $count } query parameters are invalid.
not-found-session = No session of this territory has this id.
not-found-call = No call for projects of this territory has this id.
