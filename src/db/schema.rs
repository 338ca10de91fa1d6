// Hand-written to match migrations/{postgres,sqlite}: one schema for both backends.

diesel::table! {
    territories (code) {
        code -> Text,
        name -> Text,
        siret -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    schemes (id) {
        id -> Text,
        territory -> Text,
        code -> Text,
        name -> Text,
        description -> Text,
        template -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rules_versions (id) {
        id -> Text,
        scheme_id -> Text,
        effective_from -> Date,
        parameters -> Text,
        comment -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        territory -> Text,
        siret -> Text,
        name -> Text,
        legal_form -> Text,
        esus_approved_on -> Nullable<Date>,
        rna -> Nullable<Text>,
        address_line -> Text,
        postal_code -> Text,
        city -> Text,
        commune_code -> Text,
        market_activity -> Nullable<Text>,
        salaried_staff_fte -> Double,
        accounts_year -> Nullable<Integer>,
        operating_revenue_cents -> Nullable<BigInt>,
        sales_revenue_cents -> Nullable<BigInt>,
        operating_costs_cents -> Nullable<BigInt>,
        de_minimis_aids -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossiers (id) {
        id -> Text,
        territory -> Text,
        scheme_id -> Text,
        organisation_id -> Text,
        status -> Text,
        title -> Text,
        project_kind -> Text,
        eligible_expenses_cents -> Nullable<BigInt>,
        monthly_rent_cents -> Nullable<BigInt>,
        rent_months -> Nullable<Integer>,
        premises_address -> Nullable<Text>,
        premises_commune_code -> Nullable<Text>,
        requested_cents -> Nullable<BigInt>,
        planned_start_on -> Nullable<Date>,
        jobs_created_fte -> Nullable<Double>,
        jobs_kept_fte -> Nullable<Double>,
        description -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        year -> Integer,
        assigned_instructor -> Nullable<Text>,
        rules_version_id -> Nullable<Text>,
        granted_cents -> Nullable<BigInt>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        decided_on -> Nullable<Date>,
        decision_reference -> Nullable<Text>,
        convention_signed_on -> Nullable<Date>,
        envelope_id -> Nullable<Text>,
        paid_cents -> BigInt,
        pending_disbursement_cents -> BigInt,
    }
}

diesel::table! {
    dossier_history (id) {
        id -> Text,
        dossier_id -> Text,
        seq -> Integer,
        actor -> Text,
        actor_role -> Text,
        at -> Timestamp,
        from_status -> Nullable<Text>,
        to_status -> Text,
        comment -> Nullable<Text>,
        internal_note -> Nullable<Text>,
    }
}

diesel::table! {
    eligibility_snapshots (id) {
        id -> Text,
        dossier_id -> Text,
        rules_version_id -> Text,
        evaluated_on -> Date,
        overall -> Text,
        max_grant_cents -> BigInt,
        report -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        dossier_id -> Text,
        instructor -> Text,
        rules_version_id -> Text,
        scores -> Text,
        comments -> Nullable<Text>,
        recommendation -> Text,
        weighted_total -> Double,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    envelopes (id) {
        id -> Text,
        territory -> Text,
        scheme_id -> Text,
        year -> Integer,
        label -> Nullable<Text>,
        amount_cents -> BigInt,
        reserved_cents -> BigInt,
        committed_cents -> BigInt,
        disbursed_cents -> BigInt,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reservations (id) {
        id -> Text,
        envelope_id -> Text,
        dossier_id -> Text,
        amount_cents -> BigInt,
        comment -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    envelope_movements (id) {
        id -> Text,
        envelope_id -> Text,
        kind -> Text,
        dossier_id -> Nullable<Text>,
        amount_cents -> BigInt,
        at -> Timestamp,
        actor -> Text,
        reference -> Nullable<Text>,
    }
}

diesel::table! {
    disbursements (id) {
        id -> Text,
        territory -> Text,
        dossier_id -> Text,
        envelope_id -> Text,
        kind -> Text,
        amount_cents -> BigInt,
        status -> Text,
        certified_on -> Date,
        comment -> Nullable<Text>,
        requested_by -> Text,
        requested_at -> Timestamp,
        paid_on -> Nullable<Date>,
        payment_reference -> Nullable<Text>,
        refusal_comment -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    idempotency_keys (scope, idempotency_key) {
        scope -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        etag -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(schemes -> territories (territory));
diesel::joinable!(envelopes -> schemes (scheme_id));
diesel::joinable!(reservations -> envelopes (envelope_id));
diesel::joinable!(envelope_movements -> envelopes (envelope_id));
diesel::joinable!(disbursements -> dossiers (dossier_id));
diesel::joinable!(eligibility_snapshots -> dossiers (dossier_id));
diesel::joinable!(assessments -> dossiers (dossier_id));
diesel::joinable!(rules_versions -> schemes (scheme_id));
diesel::joinable!(dossiers -> schemes (scheme_id));
diesel::joinable!(dossiers -> rules_versions (rules_version_id));
diesel::joinable!(dossiers -> organisations (organisation_id));
diesel::joinable!(dossier_history -> dossiers (dossier_id));

diesel::allow_tables_to_appear_in_same_query!(
    territories,
    schemes,
    rules_versions,
    organisations,
    dossiers,
    dossier_history,
    eligibility_snapshots,
    assessments,
    envelopes,
    reservations,
    envelope_movements,
    disbursements,
    idempotency_keys,
);
