## Texts of eligibility.

eligibility-applicants-can-check-eligibility-only = Applicants can check eligibility only while their dossier is editable.
eligibility-dossiers-assessed-under-review = Dossiers are assessed under review, not in '{ $status }'.
eligibility-criterion-assessment-grid = '{ $criterion }' is not a criterion of the assessment grid
eligibility-already-scored-scores = '{ $criterion }' is already scored at scores[{ $first }]
eligibility-criterion-scored = criterion '{ $code }' is not scored
eligibility-already-ticked-conditions-met = '{ $code }' is already ticked at conditions_met[{ $first }]
eligibility-not-under-instruction = Eligibility is recorded during instruction (submitted or under review), not in '{ $status }'.
