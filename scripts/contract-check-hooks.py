"""schemathesis hooks for scripts/contract-check: the refusals no JSON Schema can announce.

`positive_data_acceptance` expects every schema-valid request to be accepted. A few of Essor's
rules cannot be written in JSON Schema 2020-12, so a schema-valid request may still be refused
with a 422 for them. This hook drops exactly those failures, and only when *every* field error
of the 422 problem is one of them; any other error in the same answer keeps the failure, and no
other check nor status is touched. Each rule below says why the document cannot carry it.
"""

from __future__ import annotations

import json
import re

import schemathesis

# Dates compared with today: JSON Schema has no date comparison at all, and "not in the future"
# (decisions, payments, certifications, ESUS approvals, declared aid) or "from five years ago to
# ten years ahead" (a project's start) moves every day.
DATE_FIELD = re.compile(
    r"^(decided_on|convention_signed_on|certified_on|paid_on|planned_start_on|esus\.starts_on"
    r"|de_minimis_aids\[\d+\]\.granted_on|opens_at|closes_at)$"
)
# The same for a year: closed accounts are of a year from 2000 to last year, a forecast's from
# last year to three years ahead (and which applies depends on `accounts.kind`).
YEAR_FIELD = re.compile(r"^accounts\.year$")
# Comparisons of two fields: a convention is signed on or after the decision (a date above),
# sales are part of operating revenue, a request is not above its eligible expenses, a period
# does not end before it starts.
# An ESUS approval (ESS families), ESS statutes (commercial companies) and RNA numbers
# (associations) depend on the legal form, sent in the same body or already stored (a merge patch
# may change one without the other); an approval ends after it starts and within five years.
CROSS_FIELD = {
    ("esus", "not_applicable"),
    ("esus.ends_on", "out_of_range"),
    ("ess_statutes", "not_applicable"),
    ("rna", "not_applicable"),
    ("accounts.sales_revenue_cents", "exceeds_total"),
    ("requested_cents", "exceeds_expenses"),
    ("requested_cents", "exceeds_budget"),
    ("requested_cents", "exceeds_flat_amount"),
    # A period's end is not before its start (exports/period-totals `from`, `to`; a call for
    # projects' `opens_at`, `closes_at`).
    ("to", "before_from"),
    ("closes_at", "before_from"),
    # A call draws on its scheme's envelope of `budget_year`: which envelopes exist is data.
    ("budget_year", "no_envelope"),
}
# Check digits: a SIRET's Luhn digit (La Poste excepted) is arithmetic no pattern can carry.
# Who the caller is: an applicant registers the organisation its token names (`not_yours`).
CHECKSUM_OR_CALLER = {"siret_checksum", "siren_checksum", "not_yours"}
# Ids in a body name objects of the caller's territory; which ids exist is data, not schema (the
# script points them at seeded objects, but the coverage phase draws its own).
ID_FIELD = re.compile(r"^[a-z_]+_id$")
# The conditions an instructor ticks are the `instructor_condition` bonuses of the dossier's
# rules version: data, like ids.
CONDITION_FIELD = re.compile(r"^conditions_met\[\d+\]$")
# Lists unique by one field of their items (assessment grid and bonus codes, scored criteria): JSON Schema
# has `uniqueItems`, for whole items only.
UNIQUE_BY_FIELD = re.compile(
    r"^((parameters\.)?assessment_grid\[\d+\]\.code|parameters\.bonuses\.items\[\d+\]\.code"
    r"|parameters\.documents\[\d+\]\.code|scores\[\d+\]\.criterion)$"
)
# The documents a submission needs are those of the dossier's rules version not yet uploaded:
# stored data (uploads are multipart files), not anything the submission's body could carry.
MISSING_DOCUMENT = re.compile(r"^documents\.[a-z0-9_]+$")


def _not_expressible(error: dict) -> bool:
    field, code = error.get("field", ""), error.get("code", "")
    if code == "out_of_range" and (DATE_FIELD.match(field) or YEAR_FIELD.match(field)):
        return True
    if (field, code) in CROSS_FIELD:
        return True
    if code == "unknown" and ID_FIELD.match(field):
        return True
    if code == "unknown_condition" and CONDITION_FIELD.match(field):
        return True
    if code in CHECKSUM_OR_CALLER:
        return True
    if code == "duplicate" and UNIQUE_BY_FIELD.match(field):
        return True
    if code == "missing_document" and MISSING_DOCUMENT.match(field):
        return True
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but a 422 whose field errors all come from the rules above."""
    if failure.code != "ST202" or response.status_code != 422:  # ST202: schema-valid request rejected
        return True
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return True
    return not (errors and all(_not_expressible(error) for error in errors))
