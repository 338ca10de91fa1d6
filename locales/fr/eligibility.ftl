## Texts of eligibility.

eligibility-applicants-can-check-eligibility-only = Un demandeur ne peut vérifier l'éligibilité que tant que son dossier est modifiable.
eligibility-dossiers-assessed-under-review = Un dossier s'évalue en instruction, pas au statut « { $status } ».
eligibility-criterion-assessment-grid = « { $criterion } » n'est pas un critère de la grille d'évaluation.
eligibility-already-scored-scores = « { $criterion } » est déjà noté en scores[{ $first }].
eligibility-criterion-scored = Le critère « { $code } » n'est pas noté.
eligibility-already-ticked-conditions-met = « { $code } » est déjà cochée en conditions_met[{ $first }].
eligibility-not-under-instruction = L'éligibilité s'enregistre pendant l'instruction (dossier déposé ou en instruction), pas au statut « { $status } ».
