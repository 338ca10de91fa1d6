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
