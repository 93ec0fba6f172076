//! The one portable schema for SQLite and PostgreSQL. Keep it in step with
//! both `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        email -> Text,
        password_hash -> Text,
        language -> Nullable<Text>,
        active -> Bool,
        expires_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttles (username, client) {
        username -> Text,
        client -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_name -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        summary -> Text,
        changes -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    number_sequences (prefix) {
        prefix -> Text,
        next_value -> Integer,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        number -> Text,
        title -> Text,
        kind -> Text,
        process -> Nullable<Text>,
        owner_id -> Text,
        review_interval_months -> Integer,
        status -> Text,
        effective_revision -> Nullable<Integer>,
        effective_commit -> Nullable<Text>,
        next_review_at -> Nullable<Timestamp>,
        review_overdue -> Bool,
        search_text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    revisions (id) {
        id -> Text,
        document_id -> Text,
        rev -> Integer,
        status -> Text,
        title -> Text,
        commit_id -> Nullable<Text>,
        change_reason -> Text,
        author_id -> Text,
        effective_from -> Nullable<Timestamp>,
        created_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        effective_at -> Nullable<Timestamp>,
        superseded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    draft_saves (id) {
        id -> Text,
        revision_id -> Text,
        commit_id -> Text,
        parent_commit -> Nullable<Text>,
        saved_by -> Text,
        saved_by_name -> Text,
        saved_at -> Timestamp,
    }
}

diesel::table! {
    approval_steps (id) {
        id -> Text,
        scope_kind -> Text,
        scope -> Text,
        step -> Integer,
        rule -> Text,
        role -> Nullable<Text>,
        required -> Integer,
        users -> Text,
    }
}

diesel::table! {
    revision_steps (revision_id, step) {
        revision_id -> Text,
        step -> Integer,
        rule -> Text,
        role -> Nullable<Text>,
        required -> Integer,
        users -> Text,
    }
}

diesel::table! {
    signatures (id) {
        id -> Text,
        revision_id -> Text,
        step -> Nullable<Integer>,
        purpose -> Text,
        meaning -> Text,
        signer_id -> Text,
        signer_name -> Text,
        comment -> Text,
        commit_id -> Text,
        signed_at -> Timestamp,
        voided_at -> Nullable<Timestamp>,
        void_reason -> Nullable<Text>,
    }
}

diesel::table! {
    processes (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        purpose -> Text,
        owner_id -> Text,
        criteria -> Text,
        resources -> Text,
        risks -> Text,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    process_members (process_id, user_id) {
        process_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    process_outputs (id) {
        id -> Text,
        process_id -> Text,
        name -> Text,
        external_customer -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    output_recipients (output_id, customer_id) {
        output_id -> Text,
        customer_id -> Text,
    }
}

diesel::table! {
    process_external_inputs (id) {
        id -> Text,
        process_id -> Text,
        name -> Text,
        external_supplier -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kpis (id) {
        id -> Text,
        process_id -> Text,
        name -> Text,
        unit -> Text,
        target -> Text,
        direction -> Text,
        indicator -> Text,
        frequency -> Text,
        source -> Text,
        measurement_overdue -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kpi_measurements (id) {
        id -> Text,
        kpi_id -> Text,
        period -> Text,
        value -> Text,
        comment -> Text,
        recorded_by -> Text,
        recorded_by_name -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    nonconformities (id) {
        id -> Text,
        number -> Text,
        year -> Integer,
        seq -> Integer,
        kind -> Text,
        title -> Text,
        description -> Text,
        detected_on -> Timestamp,
        detected_in_id -> Nullable<Text>,
        responsible_id -> Text,
        reporter_id -> Text,
        severity -> Text,
        refs -> Text,
        status -> Text,
        accept_due_at -> Timestamp,
        accepted_by -> Nullable<Text>,
        accepted_at -> Nullable<Timestamp>,
        rejection_reason -> Nullable<Text>,
        effectiveness_due_on -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        closing_comment -> Text,
        overdue -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    nc_dispositions (id) {
        id -> Text,
        nc_id -> Text,
        containment -> Text,
        disposition -> Nullable<Text>,
        note -> Text,
        decided_by -> Text,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    nc_analyses (id) {
        id -> Text,
        nc_id -> Text,
        whys -> Text,
        root_cause -> Text,
        cause_category -> Text,
        analysed_by -> Text,
        analysed_at -> Timestamp,
    }
}

diesel::table! {
    corrective_actions (id) {
        id -> Text,
        nc_id -> Text,
        description -> Text,
        owner_id -> Text,
        due_on -> Timestamp,
        status -> Text,
        document_id -> Nullable<Text>,
        document_revision -> Nullable<Integer>,
        completion_note -> Text,
        completed_by -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        overdue -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    effectiveness_checks (id) {
        id -> Text,
        nc_id -> Text,
        result -> Text,
        comment -> Text,
        verified_by -> Text,
        verified_at -> Timestamp,
    }
}

diesel::table! {
    nc_attachments (id) {
        id -> Text,
        nc_id -> Text,
        action_id -> Nullable<Text>,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        content -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    nc_documents (nc_id, document_id) {
        nc_id -> Text,
        document_id -> Text,
        linked_by -> Text,
        linked_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(documents -> users (owner_id));
diesel::joinable!(revisions -> documents (document_id));
diesel::joinable!(draft_saves -> revisions (revision_id));
diesel::joinable!(revision_steps -> revisions (revision_id));
diesel::joinable!(signatures -> revisions (revision_id));
diesel::joinable!(processes -> users (owner_id));
diesel::joinable!(process_members -> processes (process_id));
diesel::joinable!(process_members -> users (user_id));
diesel::joinable!(process_outputs -> processes (process_id));
diesel::joinable!(output_recipients -> process_outputs (output_id));
diesel::joinable!(output_recipients -> processes (customer_id));
diesel::joinable!(process_external_inputs -> processes (process_id));
diesel::joinable!(kpis -> processes (process_id));
diesel::joinable!(kpi_measurements -> kpis (kpi_id));
diesel::joinable!(nc_dispositions -> nonconformities (nc_id));
diesel::joinable!(nc_analyses -> nonconformities (nc_id));
diesel::joinable!(corrective_actions -> nonconformities (nc_id));
diesel::joinable!(corrective_actions -> documents (document_id));
diesel::joinable!(effectiveness_checks -> nonconformities (nc_id));
diesel::joinable!(nc_attachments -> nonconformities (nc_id));
diesel::joinable!(nc_documents -> nonconformities (nc_id));
diesel::joinable!(nc_documents -> documents (document_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_roles,
    sessions,
    api_tokens,
    login_throttles,
    audit_events,
    settings,
    number_sequences,
    documents,
    revisions,
    draft_saves,
    approval_steps,
    revision_steps,
    signatures,
    processes,
    process_members,
    process_outputs,
    output_recipients,
    process_external_inputs,
    kpis,
    kpi_measurements,
    nonconformities,
    nc_dispositions,
    nc_analyses,
    corrective_actions,
    effectiveness_checks,
    nc_attachments,
    nc_documents,
);
