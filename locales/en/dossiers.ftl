## Texts of dossiers.

dossiers-dossier-has-no-copy-organisation = This dossier has no copy of its organisation as submitted: it was never submitted (or was submitted before Essor kept one). It is evaluated on the organisation as it is today.
dossiers-register-your-organisation-post-api = Register your organisation (POST /api/v1/organisations) before filing a dossier.
dossiers-scheme-id-names-no-scheme = scheme_id names no scheme of your territory
dossiers-year-between-2000-2100 = year must be between 2000 and 2100.
dossiers-payment-request-pending-finance-pays = A payment request is pending: finance pays or refuses it before the grant is cancelled.
decision-criterion-blocks = The { $criterion } criterion fails on the decision date with this amount: no justification can override it.
decision-justification-required = eligibility on the decision date is '{ $overall }': a written justification of at least { $min_chars } characters is required
decision-justification-too-short = justification must have at least { $min_chars } characters
decision-above-maximum = granted_cents is above the maximum grant the rules allow ({ $max_grant })
decision-amount-not-positive = granted_cents must be more than 0
dossier-no-rules-in-force-on = The scheme has no rules in force on { $date }: submissions open once an admin adds them.
dossier-not-editable = A dossier in status '{ $status }' cannot be edited; only drafts and dossiers with changes requested can.

## A dossier's content (domain::dossier): its fields' rules and what submission requires.
## The amounts French writes in euros are taken by a select whose one variant is `{""}`.

dossier-content-rent-months-out-of-range = rent_months must be between 1 and { $max }
dossier-content-required-to-submit = { $field } is required to submit
dossier-content-total-budget-required-to-submit = total_budget_cents is required to submit: this scheme pays a share of the project's total budget
dossier-content-investment-only = this scheme pays investment in premises: purchase, construction or works
dossier-content-rent-only = this scheme pays rent: use rent
dossier-content-requested-not-positive = requested_cents must be positive
dossier-content-exceeds-expenses = the amount requested cannot exceed the eligible expenses (or the total rent) ({ $limit_cents } cents){ $requested ->
        *[any] {""}
    }{ $limit ->
        *[any] {""}
    }
dossier-content-exceeds-budget = the amount requested cannot exceed the project's total budget ({ $limit_cents } cents){ $requested ->
        *[any] {""}
    }{ $limit ->
        *[any] {""}
    }
dossier-content-exceeds-flat-amount = the amount requested cannot exceed the scheme's flat amount ({ $limit_cents } cents){ $requested ->
        *[any] {""}
    }{ $limit ->
        *[any] {""}
    }
dossier-content-imported-read-only = This grant was decided before Essor and imported from an SCDL file: it is read-only. It counts in totals and in de minimis as it is.
dossier-content-purged-read-only = This dossier's personal data was removed at the end of its retention period: it is read-only.
dossiers-silence-date-full-date = The silence date looked for must be between 0001-01-01 and 9999-12-31.
