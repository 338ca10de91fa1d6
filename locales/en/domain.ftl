## Sentences of the domain's rules (rules versions, money, assessments, SCDL imports…).
## A variable one language does not write is read in a select with only a default, empty
## variant (`{ $name -> *[other] {""} }`), so that both languages take the same arguments.

## A rules version's parameters.

rules-value-out-of-range = must be between { $min } and { $max }, got { $value }
rules-too-many-communes = at most { $max } communes, got { $got }
rules-invalid-commune-code = '{ $code }' is not a valid INSEE commune code
rules-commune-listed-twice = commune '{ $code }' is listed more than once
rules-code-not-snake-case = must be snake_case ASCII (a-z, 0-9, single underscores, starting with a letter), 1 to 40 characters
rules-code-used-twice = { $kind ->
        [bonus] bonus
       *[criterion] criterion
    } code '{ $code }' is used more than once
rules-label-blank = the label must not be blank
rules-label-too-long = at most 200 characters, got { $got }
rules-min-fte-out-of-range = must be a finite number between 0 and { $max }, or "any", got { $got }
rules-no-accepted-family = at least one legal family must be accepted
rules-family-listed-twice = '{ $family }' is listed more than once
rules-territory-without-commune = the territory needs at least one commune
rules-grid-without-criterion = the assessment grid needs at least one criterion
rules-too-many-grid-criteria = at most { $max } criteria, got { $got }
rules-bonus-cap-zero = must be at least 1 when bonuses are listed: with 0 no bonus would ever apply
rules-too-many-bonuses = at most { $max } bonuses, got { $got }
rules-bonus-with-flat-grant = bonuses add points to a rate, and a flat maximum grant has none: use an investment, rent or budget maximum grant, or no bonus
rules-condition-without-commune = the condition needs at least one commune
rules-condition-without-district = the condition needs at least one district
rules-too-many-districts = at most { $max } districts, got { $got }
rules-invalid-district-code = '{ $code }' is not a district code: 1 to 20 capital letters or digits
rules-district-listed-twice = district '{ $code }' is listed more than once

## Money: dates and amounts of grants and disbursements.

money-rule-before-decision = { $field } cannot precede the decision that granted the subsidy ({ $day })
money-rule-before-certification = { $field } cannot precede the certification of the service done ({ $day })
money-rule-not-positive = { $field } must be more than 0
money-rule-year-out-of-range = { $field } must be between { $first } and { $last }

## An instructor's assessment.

assessment-score-out-of-range = must be between 0 and { $max }, got { $got }
assessment-unknown-condition = '{ $code }' is not a condition an instructor ticks in this dossier's rules (an instructor_condition bonus)

## An SCDL file of grants being imported.

scdl-unexpected-column = column { $column } ({ $found }) is not a field of SCDL subventions 2.1.1
scdl-field-count = the row has { $got } fields; SCDL subventions has { $expected }
scdl-other-attributor = idAttribuant { $attributor } is not your territory's SIRET ({ $territory }): only your own grants can be imported
scdl-decision-date-in-future = dateConvention { $day } is in the future
scdl-amount-too-large = montant must be at most { $max_euros } euros{ $max ->
       *[other] {""}
    }
scdl-amount-required = montant is required
scdl-amount-too-precise = montant must be in whole cents (at most 2 decimals)
scdl-amount-format = montant must be a number of euros with a point before the decimals, e.g. 47800.20
scdl-unknown-scheme = dispositifAide { $scheme } is neither the code nor the name of one of your schemes
scdl-siren-check-digit-wrong = { $field } is not a valid SIRET (the check digit of its SIREN, the first 9 digits, is wrong)

## Eligibility, besides the reasons of a report (reasons.ftl).

eligibility-no-rules-in-force = The scheme has no rules in force on { $day }: nothing to evaluate against.
