## The reasons of an eligibility report: one sentence for each result of a criterion, from its
## code (`reason-<criterion>-<situation>`) and its figures, written in the reader's language.
## Figures come already written (`figure-*`); a figure the result lacks comes as
## `reason-not-provided`, `reason-unknown-date` or `reason-unreadable-code`.

reason-not-provided = not provided
reason-unknown-date = unknown date
reason-unreadable-code = (unreadable)
# After the reason of an advisory criterion, a space apart.
reason-advisory = Advisory criterion: reported, not counted in the overall result.
# $criterion: employment, market_activity, own_revenue_share, ess_status, territory, de_minimis.
reason-off = Not evaluated: the rules of this scheme turn the { $criterion ->
        [employment] employment
        [market_activity] market activity
        [own_revenue_share] own-revenue share
        [ess_status] ESS status
        [territory] territory
       *[de_minimis] de minimis
    } criterion off.

## Employment.

reason-employment-met = Salaried staff: { $staff }; the rules require more than 0 and at least { $min_staff }.
reason-employment-no-salaried-staff = The structure declares no salaried staff ({ $staff }); the rules require salaried employment.
reason-employment-below-minimum = Salaried staff: { $staff }, below the minimum of { $min_staff } required by the rules.
reason-employment-missing-data = The salaried staff (in FTE) is not provided; an instructor must obtain it.
reason-employment-invalid-data = The salaried staff figure is negative or not a number; an instructor must check it.
reason-employment-no-minimum = Salaried staff: { $staff }; the rules set no minimum, any declared staff passes.

## Market activity.

reason-market-activity-met = Sales ({ $sales }) make { $share } of operating revenue ({ $revenue }); the rules require at least { $min_share }.
reason-market-activity-below-threshold = Sales ({ $sales }) make only { $share } of operating revenue ({ $revenue }); the rules require at least { $min_share }.
reason-market-activity-not-declared = The structure does not declare selling goods or services on a market; the rules require a market activity.
# Without a threshold, the rules set no minimum share: only the declaration counts.
reason-market-activity-missing-declaration = The market activity declaration is not provided; an instructor must obtain it.
reason-market-activity-missing-data = The market activity declaration, the sales revenue or the operating revenue are not provided; an instructor must obtain them.
reason-market-activity-no-minimum = The structure declares a market activity, with sales ({ $sales }) making { $share } of operating revenue ({ $revenue }); the rules set no minimum share of sales.
reason-market-activity-no-minimum-no-figures = The structure declares a market activity; the rules set no minimum share of sales.
reason-market-activity-inconsistent-data = Inconsistent figures: sales { $sales }, operating revenue { $revenue } (sales must be non-negative and within operating revenue, operating revenue positive); an instructor must check them.
reason-market-activity-forecast-accounts = Forecast sales ({ $sales }) would make { $share } of forecast operating revenue ({ $revenue }); the rules require at least { $min_share }. These are a business plan's figures, not closed accounts: an instructor must assess them.

## Own-revenue share.

reason-own-revenue-share-met = Operating revenue ({ $revenue }) covers { $share } of operating costs ({ $costs }); the rules require at least { $min_share }.
reason-own-revenue-share-below-threshold = Operating revenue ({ $revenue }) covers only { $share } of operating costs ({ $costs }); the rules require at least { $min_share }.
reason-own-revenue-share-forecast-accounts = Forecast operating revenue ({ $revenue }) would cover { $share } of forecast operating costs ({ $costs }); the rules require at least { $min_share }. These are a business plan's figures, not closed accounts: an instructor must assess them.
reason-own-revenue-share-missing-data = The operating revenue or the operating costs are not provided; an instructor must obtain them.
reason-own-revenue-share-no-minimum = Operating revenue ({ $revenue }) covers { $share } of operating costs ({ $costs }); the rules set no minimum.
reason-own-revenue-share-no-minimum-no-figures = The rules set no minimum own-revenue share: it passes without accounts figures.
reason-own-revenue-share-inconsistent-data = Inconsistent figures: operating revenue { $revenue }, operating costs { $costs } (revenue must be non-negative, costs positive); an instructor must check them.

## ESS status. $family: association, cooperative, mutual, foundation, commercial_company, other.

reason-ess-status-accepted-family = Legal form { $legal_form } is { $family ->
        [association] an association
        [cooperative] a cooperative
        [mutual] a mutual
        [foundation] a foundation
        [commercial_company] a commercial company
       *[other] outside the ESS legal families
    }, a legal family accepted by the scheme.
reason-ess-status-family-not-accepted = Legal form { $legal_form } is { $family ->
        [association] an association
        [cooperative] a cooperative
        [mutual] a mutual
        [foundation] a foundation
        [commercial_company] a commercial company
       *[other] outside the ESS legal families
    }, which the scheme does not accept.
reason-ess-status-esus-valid-until = Legal form { $legal_form } is a commercial company holding the ESUS approval dated { $approved_on }, valid until { $ends_on }.
reason-ess-status-esus-valid-expires = Legal form { $legal_form } is a commercial company holding the ESUS approval dated { $approved_on }, which expires on { $expires_on }.
reason-ess-status-esus-by-right = Legal form { $legal_form } is a commercial company that declares holding the ESUS approval by right (code du travail L3332-17-1 II); an instructor must confirm the basis it declares.
reason-ess-status-statutes-to-check = Legal form { $legal_form } is a commercial company that declares ESS statutes (a cooperative in company form, or law 2014-856 art. 1 II), which the scheme accepts; an instructor must check its statutes.
reason-ess-status-esus-missing = Legal form { $legal_form } is a commercial company: the rules require the ESUS approval (law 2014-856, art. 11), and none is recorded.
reason-ess-status-esus-not-yet-valid = The ESUS approval is dated { $approved_on }, after the evaluation date { $evaluated_on }.
reason-ess-status-esus-expired-until = The ESUS approval dated { $approved_on } was valid until { $ends_on }, before the evaluation date { $evaluated_on }.
reason-ess-status-esus-expired = The ESUS approval dated { $approved_on } expired on { $expires_on } ({ $validity_years }-year validity), before the evaluation date { $evaluated_on }.
reason-ess-status-invalid-legal-form = The legal form code { $legal_form } is not a 4-digit INSEE code; an instructor must check it.
reason-ess-status-missing-data = The legal form (INSEE code) is not provided; an instructor must obtain it.

## Territory: the premises' commune, or the head office's for a scheme without premises.

reason-territory-inside = The premises are in commune { $commune }, one of the { $communes } communes of the territory.
reason-territory-outside = The premises are in commune { $commune }, which is not one of the { $communes } communes of the territory.
reason-territory-head-office-inside = The head office is in commune { $commune }, one of the { $communes } communes of the territory (a scheme without premises).
reason-territory-head-office-outside = The head office is in commune { $commune }, which is not one of the { $communes } communes of the territory (a scheme without premises).
reason-territory-invalid-commune-code = The commune code of the premises { $commune } is not a valid INSEE code; an instructor must check it.
reason-territory-head-office-invalid-commune-code = The commune code of the head office { $commune } is not a valid INSEE code; an instructor must check it.
reason-territory-missing-data = The commune of the premises is not provided; an instructor must obtain it.
reason-territory-head-office-missing-data = The commune of the head office is not provided; an instructor must obtain it.

## De minimis: with the aid the applicant declared, or without a declaration.

reason-de-minimis-within-ceiling = De minimis aid granted after { $window_start }: declared { $declared } + Essor grants { $essor_grants } + this grant { $proposed } = { $total }, within the ceiling of { $ceiling }.
reason-de-minimis-within-ceiling-no-declaration = De minimis aid granted after { $window_start }: Essor grants { $essor_grants } + this grant { $proposed } = { $total }, within the ceiling of { $ceiling }. The applicant has not declared the de minimis aid received from other bodies.
reason-de-minimis-ceiling-exceeded = De minimis aid granted after { $window_start }: declared { $declared } + Essor grants { $essor_grants } + this grant { $proposed } = { $total }, above the ceiling of { $ceiling } by { $excess }.
reason-de-minimis-ceiling-exceeded-no-declaration = De minimis aid granted after { $window_start }: Essor grants { $essor_grants } + this grant { $proposed } = { $total }, above the ceiling of { $ceiling } by { $excess }. The applicant has not declared the de minimis aid received from other bodies.
reason-de-minimis-not-declared-with-aid = De minimis aid granted after { $window_start }: declared { $declared } + Essor grants { $essor_grants } + this grant { $proposed } = { $total }; ceiling { $ceiling }.
reason-de-minimis-not-declared = De minimis aid granted after { $window_start }: Essor grants { $essor_grants } + this grant { $proposed } = { $total }; ceiling { $ceiling }. The applicant has not declared the de minimis aid received from other bodies.
reason-de-minimis-inconsistent-data = An aid amount (declared or granted in Essor) is negative; an instructor must check the de minimis figures.
