## Texts of documents.

documents-dossier-s-rules-ask-no = this dossier's rules ask for no document
documents-unknown-document-type-dossier-s = unknown document type; this dossier's rules ask for: { $codes_join }
documents-dossier-carries-most-documents-delete = A dossier carries at most { $MAX_DOCUMENTS } documents: delete some first.
documents-file-larger-than-limit-bytes = The file is larger than the limit of { $bytes } bytes.
documents-multipart-form-data-body-could = The multipart/form-data body could not be read.
documents-send-document-multipart-form-data = Send the document as multipart/form-data, with a "type" part and a "file" part.
documents-file-did-arrive-within-s = The file did not arrive within { $secs } s.
documents-document-type-code-most-40 = the document type is a code of at most 40 characters
documents-document-type-utf-8-text = the document type must be UTF-8 text
documents-part-sent-more-than-once = The part "{ $name }" is sent more than once: one is expected.
documents-unexpected-part-only-type-file = Unexpected part "{ $shown }": only "type" and "file" are expected.
documents-document-type-required = the document type is required
documents-file-required = the file is required
documents-file-s-content-accepted-type = The file's content is not of an accepted type: PDF, PNG, JPEG, OpenDocument or Office Open XML (Word, Excel, PowerPoint).
documents-file-declared-but-content = The file is declared "{ $shown }" but its content is "{ $content_type }".
documents-submissions-numbered-from-1 = Submissions are numbered from 1.
documents-submissions-numbered-from-1-2 = submissions are numbered from 1
documents-dossier-has-no-submission = The dossier has no submission { $seq }.
documents-most-document-types = at most { $MAX_DOCUMENT_TYPES } document types, got { $list_len }
documents-snake-case-ascii-z-0 = must be snake_case ASCII (a-z, 0-9, single underscores, starting with a letter), 1 to 40 characters
documents-document-type-listed-more-than = document type '{ $code }' is listed more than once
documents-label-blank = the label must not be blank
documents-most-200-characters = at most 200 characters, got { $chars }
documents-project-kind-listed-more-than = this project kind is listed more than once
documents-document-required-submit-dossier = the document "{ $label }" ({ $code }) is required to submit the dossier
