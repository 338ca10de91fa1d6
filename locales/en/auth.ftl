## Why a bearer token is refused.

auth-invalid-token = Invalid bearer token: { $why }.
auth-not-a-jwt = not a JWT
auth-algorithm-refused = signed with an algorithm this service does not accept
auth-no-kid = no kid (key id) in its header
auth-unknown-kid = signed by an unknown key (kid)
auth-expired = expired
auth-not-yet-valid = not valid yet (nbf)
auth-wrong-issuer = wrong issuer
auth-wrong-audience = wrong audience
auth-bad-signature = bad signature
auth-missing-claim = a required claim is missing
auth-malformed-claims = claims are missing or malformed
auth-rejected = rejected
auth-control-character = sub, territory or organisation holds a control character
