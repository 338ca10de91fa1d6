## Texts of the rules of fields (domain::checks, domain::field_errors): a field error's message.
## An argument English does not write (the amount in euros) is taken by a select whose one
## variant is `{""}`.

field-control-character = { $field } must not contain the control character U+{ $char }
field-required = { $field } is required
field-too-long = { $field } must have at most { $max } characters
field-formula-prefix = { $field } must not start with { $first }, { $second }, { $third } or { $fourth } (after any spaces): a spreadsheet opening the CSV files Essor writes would run it as a formula
field-amount-out-of-range = { $field } must be between 0 and { $max } cents{ $max_euros ->
        *[any] {""}
    }
field-fte-out-of-range = { $field } must be between 0 and { $max }
field-commune-code = { $field } must be an INSEE commune code (5 characters, e.g. 76540; Corsica 2A/2B)
field-district-code = { $field } must be a district code: 1 to 20 capital letters or digits (e.g. QN07601M)
field-date-out-of-range = { $field } must be between { $min } and { $max }
field-invalid = { $field } is not valid
field-scheme-code = { $field } must be 2 to 20 capital letters, digits or dashes, not starting with a dash
field-effective-from-out-of-range = { $field } must be between { $min } and { $max }

## Rules between fields, or of the caller, written where they are checked.

field-transition-comment-required = say why: the comment is shown to the applicant
field-internal-note-staff-only = only staff write internal notes

## Organisations (domain::organisation).

field-organisation-accounts-before-submitting = declare your organisation's accounts (its last closed year, or a forecast for a new enterprise) before submitting
field-organisation-de-minimis-before-submitting = declare the de minimis aid received over the last 3 years (an empty list if none)
field-legal-form-format = legal_form must be a 4-digit INSEE catégorie juridique code, e.g. 9220
field-esus-ess-only = an ESUS approval applies to ESS enterprises only: associations, cooperatives, mutuals, foundations and commercial companies
field-ess-statutes-companies-only = ess_statutes describes a commercial company's statutes (SA, SAS, SARL…); other legal forms say their family by their INSEE code
field-rna-associations-only = an RNA number applies to associations only
field-rna-format = rna must be W followed by 9 digits
field-postal-code-format = address.postal_code must be 5 digits
field-sales-exceed-operating-revenue = sales are part of operating revenue and cannot exceed it
field-de-minimis-aids-too-many = at most 100 aids
field-siret-checksum = siret fails the Luhn check: a digit is wrong
field-siren-checksum = the SIREN (the first 9 digits of siret) fails its Luhn check: a digit is wrong
field-siret-format = siret must be exactly 14 digits
field-esus-ends-on = esus.ends_on must be after esus.starts_on and at most { $years } years later ({ $longest }): an approval lasts 5 years, 2 for an enterprise under 3 years old
field-accounts-year-closed = accounts.year must be a closed year, from { $first } to { $last }
field-accounts-year-forecast = a forecast's accounts.year is from { $first } to { $last }
