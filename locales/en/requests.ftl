## Texts of requests.

requests-authorization-bearer-token-header-required = An Authorization: Bearer <token> header is required.
requests-send-one-authorization-header-several = Send one Authorization header, not several.
requests-authorization-header-bearer-token = The Authorization header must be 'Bearer <token>'.
requests-invalid-bearer-token-no-territory = Invalid bearer token: no territory.
requests-body-too-large = The body is too large.
requests-send-body-application-json = Send the body as application/json.
requests-body-larger-than-bytes = The body is larger than { $bytes } bytes.
requests-body-did-arrive-within-s = The body did not arrive within { $seconds } s.
requests-body-could-read = The body could not be read.
requests-send-file = Send the file as { $content_type }.
requests-page-between-1-1000000 = page must be between 1 and 1000000
requests-per-page-between-1 = per_page must be between 1 and { $MAX_PER_PAGE }
requests-invalid-pagination = Invalid pagination.
requests-if-match-valid-header-value = If-Match is not a valid header value.
requests-territory-named-your-token-registered = The territory { $code } named in your token is not registered in Essor.
requests-role-may-do-needs = The role '{ $role }' may not do this; it needs: { $needed }.
requests-applicant-token-names-no-organisation = This applicant token names no organisation.
requests-metrics-require-header-authorization-bearer = Metrics require the header 'Authorization: Bearer <ESSOR_METRICS_TOKEN>'.
