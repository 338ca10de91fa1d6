## Why a bearer token is refused.

auth-invalid-token = Jeton d'authentification invalide : { $why }.
auth-not-a-jwt = ce n'est pas un JWT
auth-algorithm-refused = signé avec un algorithme que ce service n'accepte pas
auth-no-kid = pas de kid (identifiant de clé) dans son en-tête
auth-unknown-kid = signé par une clé inconnue (kid)
auth-expired = expiré
auth-not-yet-valid = pas encore valide (nbf)
auth-wrong-issuer = émetteur (iss) incorrect
auth-wrong-audience = audience (aud) incorrecte
auth-bad-signature = signature incorrecte
auth-missing-claim = une revendication obligatoire manque
auth-malformed-claims = revendications manquantes ou mal formées
auth-rejected = refusé
auth-control-character = sub, territory ou organisation contient un caractère de contrôle
