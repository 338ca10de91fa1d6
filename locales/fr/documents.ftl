## Texts of documents.

documents-dossier-s-rules-ask-no = les règles de ce dossier ne demandent aucune pièce
documents-unknown-document-type-dossier-s = type de pièce inconnu ; les règles de ce dossier demandent : { $codes_join }
documents-dossier-carries-most-documents-delete = Un dossier porte au plus { $MAX_DOCUMENTS } pièces : supprimez-en avant d'en ajouter.
documents-file-larger-than-limit-bytes = Le fichier dépasse la taille maximale de { $bytes } octets.
documents-multipart-form-data-body-could = Le corps multipart/form-data est illisible.
documents-send-document-multipart-form-data = Envoyez la pièce en multipart/form-data, avec une partie « type » et une partie « file ».
documents-file-did-arrive-within-s = Le fichier n'est pas arrivé en { $secs } s.
documents-document-type-code-most-40 = le type de pièce est un code de 40 caractères au plus
documents-document-type-utf-8-text = le type de pièce doit être du texte UTF-8
documents-part-sent-more-than-once = La partie « { $name } » est envoyée plusieurs fois : une seule est attendue.
documents-unexpected-part-only-type-file = Partie inattendue « { $shown } » : seules « type » et « file » sont attendues.
documents-document-type-required = le type de pièce est requis
documents-file-required = le fichier est requis
documents-file-s-content-accepted-type = Le contenu du fichier n'est pas d'un type accepté : PDF, PNG, JPEG, OpenDocument ou Office Open XML (Word, Excel, PowerPoint).
documents-file-declared-but-content = Le fichier est déclaré « { $shown } » mais son contenu est « { $content_type } ».
documents-submissions-numbered-from-1 = Les dépôts se comptent à partir de 1.
documents-submissions-numbered-from-1-2 = les dépôts se comptent à partir de 1
documents-dossier-has-no-submission = Le dossier n'a pas de dépôt n° { $seq }.
documents-most-document-types = au plus { $MAX_DOCUMENT_TYPES } types de pièces, { $list_len } donnés
documents-snake-case-ascii-z-0 = le code s'écrit en snake_case ASCII (a-z, 0-9, tirets bas simples, commençant par une lettre), 1 à 40 caractères
documents-document-type-listed-more-than = le type de pièce « { $code } » est listé plusieurs fois
documents-label-blank = le libellé ne doit pas être vide
documents-most-200-characters = au plus 200 caractères, { $chars } donnés
documents-project-kind-listed-more-than = ce type de projet est listé plusieurs fois
documents-document-required-submit-dossier = la pièce « { $label } » ({ $code }) est requise pour déposer le dossier
