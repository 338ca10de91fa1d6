//! Throughput of the eligibility engine on a realistic mix of dossiers.
//!
//! Run with `cargo bench --bench eligibility`. The target is at least 1 000 000 evaluations per
//! second on one core: criterion runs single-threaded, and `thrpt` is printed in elements
//! (dossiers) per second.
//!
//! The mix: 4096 dossiers generated from a fixed seed, spread over both schemes (DI-ESS, DL-ESS)
//! of a 71-commune territory (the size of Métropole Rouen Normandie): associations, SCOP, SCIC,
//! mutuals, foundations, commercial companies with valid, expired or missing ESUS approval, and
//! out-of-scope legal forms; missing figures, communes outside the territory, de minimis
//! declarations with 0 to 4 aids, Essor grants, evaluation dates over three years. Sales make
//! 10 % to 99 % of operating revenue, so against the templates' 30 % about a quarter of the
//! market activities with figures fall below the threshold and the rest pass; every criterion
//! is checked to both pass and fail before measuring. Each iteration evaluates the whole batch,
//! so nothing is constant-folded, and every report goes through `black_box`.
//!
//! `evaluate_bonifications` evaluates the same batch against "bonifications ESS" versions of
//! both templates: four bonuses (ESUS approval, premises in 20 listed communes, premises in
//! 10 listed districts, a condition ticked by an instructor, capped at 10 points), employment
//! advisory and the own-revenue share at "any". The dossiers' districts and ticks come from a
//! second generator, so the first mix is the one measured before bonuses existed.

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use essor::domain::eligibility::{
    evaluate, Aid, Applicant, Criterion as EligibilityCriterion, EssStatutes, Esus, EvaluationContext,
    Outcome, Project, ProjectKind,
};
use essor::domain::rules::{
    template, Bonus, BonusCondition, Bonuses, CriterionMode, RulesParameters, Threshold,
};
use essor::domain::{Lang, Localized};

/// Small deterministic generator (xorshift64*), so the mix is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn date(&mut self, from_year: i32, years: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap() + chrono::Days::new(self.below(years as u64 * 365))
    }
}

struct Dossier {
    scheme: usize,
    applicant: Applicant,
    project: Project,
    ctx: EvaluationContext,
}

fn territory() -> Vec<String> {
    (0..71).map(|i| format!("76{:03}", 3 + i * 9)).collect()
}

fn dossiers(n: usize) -> Vec<Dossier> {
    let communes = territory();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Districts and ticked conditions: drawn apart, so that `rng` draws what it always drew.
    let mut extra = Rng(0x2545_F491_4F6C_DD1D);
    let forms = [
        "9220", "9220", "9220", "9221", "5458", "5460", "5710", "5710", "5499", "8210", "9300", "1000",
        "6540",
    ];
    (0..n)
        .map(|_| {
            let scheme = rng.below(2) as usize;
            let on = rng.date(2023, 3);
            let costs = rng.range(50_000_00, 5_000_000_00);
            let revenue = costs * rng.range(20, 130) / 100;
            // Sales are part of the operating revenue: 10 % to 99 % of it.
            let sales = revenue * rng.range(10, 100) / 100;
            let aid_count = rng.below(5);
            let declared = (!rng.chance(15)).then(|| {
                (0..aid_count)
                    .map(|_| Aid {
                        granted_on: rng.date(2019, 7),
                        amount_cents: rng.range(1_000_00, 120_000_00),
                    })
                    .collect()
            });
            let essor_count = rng.below(3);
            let grants = (0..essor_count)
                .map(|_| Aid { granted_on: rng.date(2019, 7), amount_cents: rng.range(5_000_00, 80_000_00) })
                .collect();
            let commune = match rng.below(20) {
                0 => None,
                1..=3 => Some(format!("35{:03}", 1 + rng.below(350))),
                _ => Some(communes[rng.below(communes.len() as u64) as usize].clone()),
            };
            let kind = match (scheme, rng.chance(95)) {
                (0, true) => [ProjectKind::Purchase, ProjectKind::Construction, ProjectKind::Works]
                    [rng.below(3) as usize],
                (_, true) => ProjectKind::Rent,
                (_, false) => ProjectKind::Works,
            };
            Dossier {
                scheme,
                applicant: Applicant {
                    legal_form_code: forms[rng.below(forms.len() as u64) as usize].to_owned(),
                    esus: rng.chance(60).then(|| {
                        let starts_on = rng.date(2016, 9);
                        // Five-year approvals, one in four for two years (young enterprises).
                        let years = if rng.chance(25) { 2 } else { 5 };
                        Esus::Approval { starts_on, ends_on: starts_on + chrono::Months::new(12 * years) }
                    }),
                    ess_statutes: rng.chance(10).then_some(EssStatutes::Cooperative),
                    accounts_forecast: rng.chance(5),
                    salaried_staff_fte: (!rng.chance(8)).then(|| rng.below(4000) as f64 / 100.0),
                    operating_revenue_cents: (!rng.chance(5)).then_some(revenue),
                    sales_revenue_cents: (!rng.chance(5)).then_some(sales),
                    operating_costs_cents: (!rng.chance(5)).then_some(costs),
                    declared_market_activity: if rng.chance(5) { None } else { Some(!rng.chance(10)) },
                    declared_de_minimis: declared,
                    head_office_commune_code: commune.clone(),
                },
                project: Project {
                    kind,
                    eligible_expenses_cents: (!rng.chance(5)).then(|| rng.range(20_000_00, 2_000_000_00)),
                    monthly_rent_cents: (!rng.chance(5)).then(|| rng.range(300_00, 8_000_00)),
                    months: Some(rng.range(6, 48) as u32),
                    premises_commune_code: commune,
                    requested_cents: rng.chance(50).then(|| rng.range(5_000_00, 150_000_00)),
                    total_budget_cents: None,
                    premises_district_code: extra.chance(30).then(|| format!("QN076{:02}M", extra.below(20))),
                    ticked_conditions: if extra.chance(25) {
                        vec!["label_ecologique".into()]
                    } else {
                        vec![]
                    },
                },
                ctx: EvaluationContext { on, grants_in_essor_same_siren: grants },
            }
        })
        .collect()
}

/// Panics unless every criterion both passes and fails somewhere in the batch, so the benchmark
/// measures the comparisons rather than one short-circuit.
fn check_mix(rules: &[RulesParameters; 2], batch: &[Dossier]) {
    for criterion in EligibilityCriterion::ALL {
        let (mut pass, mut review, mut fail) = (0, 0, 0);
        for d in batch {
            match evaluate(&rules[d.scheme], &d.applicant, &d.project, &d.ctx).criterion(criterion).outcome {
                Outcome::Pass => pass += 1,
                Outcome::NeedsReview => review += 1,
                Outcome::Fail => fail += 1,
                Outcome::NotEvaluated => {}
            }
        }
        assert!(pass > 0 && fail > 0, "{criterion:?}: {pass} pass, {review} need review, {fail} fail");
    }
}

/// A "bonifications ESS" version of a template: four bonuses, employment advisory, own revenue
/// at "any".
fn bonifications(code: &str) -> RulesParameters {
    let communes = territory();
    let bonus = |code: &str, extra_bp: u32, when: BonusCondition| Bonus {
        code: code.into(),
        label: code.into(),
        extra_bp,
        when,
    };
    let mut rules = template(code, communes.clone()).unwrap();
    rules.employment.mode = CriterionMode::Advisory;
    rules.own_revenue.min_own_revenue_share_bp = Threshold::Any;
    rules.bonuses = Bonuses {
        max_extra_bp: 1000,
        items: vec![
            bonus("esus", 500, BonusCondition::EsusApproval {}),
            bonus(
                "communes_rive_gauche",
                200,
                BonusCondition::PremisesInCommunes { commune_codes: communes[..20].to_vec() },
            ),
            bonus(
                "qpv",
                400,
                BonusCondition::PremisesInDistricts {
                    district_codes: (0..10).map(|i| format!("QN076{:02}M", i * 2)).collect(),
                },
            ),
            bonus("label_ecologique", 600, BonusCondition::InstructorCondition {}),
        ],
    };
    rules
}

/// Panics unless each bonus applies to some dossiers and not to others, and the cap bites.
fn check_bonuses(rules: &[RulesParameters; 2], batch: &[Dossier]) {
    let mut applied = [0usize; 4];
    let mut capped = 0;
    for d in batch {
        let rules = &rules[d.scheme];
        let report = evaluate(rules, &d.applicant, &d.project, &d.ctx);
        for (i, bonus) in rules.bonuses.items.iter().enumerate() {
            if report.applied_bonuses(rules).any(|b| b.code == bonus.code) {
                applied[i] += 1;
            }
        }
        capped += usize::from(report.bonus_bp == rules.bonuses.max_extra_bp);
    }
    for (i, count) in applied.iter().enumerate() {
        assert!(*count > 0 && *count < batch.len(), "bonus {i} applies to {count} dossiers");
    }
    assert!(capped > 0, "the cap never bites");
}

fn bench(c: &mut Criterion) {
    let rules: [RulesParameters; 2] =
        [template("DI-ESS", territory()).unwrap(), template("DL-ESS", territory()).unwrap()];
    let bonified: [RulesParameters; 2] = [bonifications("DI-ESS"), bonifications("DL-ESS")];
    for r in rules.iter().chain(&bonified) {
        r.validate().expect("the benchmark's rules are valid");
    }
    let batch = dossiers(4096);
    check_mix(&rules, &batch);
    check_bonuses(&bonified, &batch);

    let mut group = c.benchmark_group("eligibility");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            for d in &batch {
                let report = evaluate(
                    black_box(&rules[d.scheme]),
                    black_box(&d.applicant),
                    black_box(&d.project),
                    black_box(&d.ctx),
                );
                black_box(report);
            }
        })
    });
    group.bench_function("evaluate_bonifications", |b| {
        b.iter(|| {
            for d in &batch {
                let report = evaluate(
                    black_box(&bonified[d.scheme]),
                    black_box(&d.applicant),
                    black_box(&d.project),
                    black_box(&d.ctx),
                );
                black_box(report);
            }
        })
    });
    // The same, plus rendering the six reasons and the JSON a client receives: what a
    // `GET /dossiers/{id}/eligibility` costs besides the database, in French (the default
    // language) and in English (`Accept-Language: en`).
    let small = &batch[..512];
    group.throughput(Throughput::Elements(small.len() as u64));
    for (name, lang) in [("evaluate_and_render_json", Lang::Fr), ("evaluate_and_render_json_en", Lang::En)] {
        group.bench_function(name, |b| {
            let mut buffer = Vec::with_capacity(8 * 1024);
            b.iter(|| {
                for d in small {
                    let report = evaluate(
                        black_box(&rules[d.scheme]),
                        black_box(&d.applicant),
                        black_box(&d.project),
                        black_box(&d.ctx),
                    );
                    buffer.clear();
                    serde_json::to_writer(&mut buffer, &Localized::new(report, lang)).unwrap();
                    black_box(&buffer);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
