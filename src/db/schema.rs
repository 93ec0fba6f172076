//! The one portable schema for SQLite and PostgreSQL. Keep it in step with
//! both `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    /// People who log in.
    users (id) {
        /// The user's id (UUID v7).
        id -> Text,
        /// The login name, unique and lower-case.
        username -> Text,
        /// The name shown to others.
        display_name -> Text,
        /// An e-mail address, or empty.
        email -> Text,
        /// The argon2id hash of the password (PHC string).
        password_hash -> Text,
        /// The chosen language (`en`, `fi`); null for the browser's.
        language -> Nullable<Text>,
        /// What the person wants by e-mail: `immediate`, `digest` or `off`.
        mail -> Text,
        /// Whether the account may be used.
        active -> Bool,
        /// When the account stops working, for external auditors.
        expires_at -> Nullable<Timestamp>,
        /// Optimistic-concurrency version.
        version -> Integer,
        /// When the account was created.
        created_at -> Timestamp,
        /// When the account last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The roles each user holds, one row a role.
    user_roles (user_id, role) {
        /// The user.
        user_id -> Text,
        /// The role's text (`quality_manager`).
        role -> Text,
    }
}

diesel::table! {
    /// Live login sessions; the cookie holds the token, this table its hash.
    sessions (id) {
        /// The session's id.
        id -> Text,
        /// SHA-256 of the cookie's token, hex.
        token_hash -> Text,
        /// Whose session it is.
        user_id -> Text,
        /// When it began.
        created_at -> Timestamp,
        /// When it ends.
        expires_at -> Timestamp,
    }
}

diesel::table! {
    /// API tokens; only their hashes are kept.
    api_tokens (id) {
        /// The token's id.
        id -> Text,
        /// Whose token it is.
        user_id -> Text,
        /// What the token is for.
        name -> Text,
        /// SHA-256 of the token, hex.
        token_hash -> Text,
        /// When it was made.
        created_at -> Timestamp,
        /// When it was revoked, if it was.
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Failed logins counted per name as typed and client address.
    login_throttles (username, client) {
        /// The name as typed, normalised.
        username -> Text,
        /// The client's address.
        client -> Text,
        /// Failures since the last success.
        failures -> Integer,
        /// When the last one failed.
        last_failure_at -> Timestamp,
        /// Until when the pair's attempts are refused.
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The hash-chained audit trail; triggers refuse UPDATE and DELETE.
    audit_events (seq) {
        /// Position in the chain, from 1.
        seq -> BigInt,
        /// When the change happened.
        occurred_at -> Timestamp,
        /// The user who acted; null for the system.
        actor_id -> Nullable<Text>,
        /// The actor's name at the time.
        actor_name -> Text,
        /// What happened (`document.signed`).
        action -> Text,
        /// What kind of thing changed.
        entity_type -> Text,
        /// Which one: its number, code or id.
        entity_id -> Text,
        /// One line for readers.
        summary -> Text,
        /// JSON detail, usually before and after of each field.
        changes -> Text,
        /// The previous event's hash.
        prev_hash -> Text,
        /// `sha256(prev_hash || canonical event)`, hex.
        hash -> Text,
    }
}

diesel::table! {
    /// Site-wide values kept by the server, by key.
    settings (key) {
        /// The setting's name (`git_main_commit`).
        key -> Text,
        /// Its value.
        value -> Text,
    }
}

diesel::table! {
    /// The next document number of each prefix, taken under a lock.
    number_sequences (prefix) {
        /// The prefix (`QP`).
        prefix -> Text,
        /// The number the next document of the prefix gets.
        next_value -> Integer,
    }
}

diesel::table! {
    /// Controlled documents.
    documents (id) {
        /// The document's id (UUID v7).
        id -> Text,
        /// Its number (`QP-001`), unique.
        number -> Text,
        /// The title of its latest revision.
        title -> Text,
        /// Its kind (`procedure`).
        kind -> Text,
        /// Code of the owning process.
        process -> Nullable<Text>,
        /// Its owner.
        owner_id -> Text,
        /// Months between periodic reviews.
        review_interval_months -> Integer,
        /// `draft`, `effective` or `obsolete`.
        status -> Text,
        /// The revision in force.
        effective_revision -> Nullable<Integer>,
        /// The commit of the revision in force.
        effective_commit -> Nullable<Text>,
        /// When the next periodic review is due.
        next_review_at -> Nullable<Timestamp>,
        /// Whether that review is overdue.
        review_overdue -> Bool,
        /// Number, title and effective text, as the full-text index reads them.
        search_text -> Text,
        /// When it was created.
        created_at -> Timestamp,
        /// When it last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Revisions of documents, from draft to superseded.
    revisions (id) {
        /// The revision's id.
        id -> Text,
        /// Its document.
        document_id -> Text,
        /// Its number, from 1.
        rev -> Integer,
        /// Where it stands (`in_review`).
        status -> Text,
        /// The title as of this revision.
        title -> Text,
        /// The commit holding its content; null until saved.
        commit_id -> Nullable<Text>,
        /// Why the document changes.
        change_reason -> Text,
        /// Who wrote it.
        author_id -> Text,
        /// From when it is to be in force once approved.
        effective_from -> Nullable<Timestamp>,
        /// When it was started.
        created_at -> Timestamp,
        /// When it was submitted.
        submitted_at -> Nullable<Timestamp>,
        /// When it was approved.
        approved_at -> Nullable<Timestamp>,
        /// When it came into force.
        effective_at -> Nullable<Timestamp>,
        /// When it stopped being in force.
        superseded_at -> Nullable<Timestamp>,
        /// False when its approver said no retraining is needed: the
        /// acknowledgements of the revision before carry over.
        retraining -> Bool,
    }
}

diesel::table! {
    /// Every save of a draft, one git commit each.
    draft_saves (id) {
        /// The save's id.
        id -> Text,
        /// The revision saved.
        revision_id -> Text,
        /// The commit made.
        commit_id -> Text,
        /// The commit it followed.
        parent_commit -> Nullable<Text>,
        /// Who saved.
        saved_by -> Text,
        /// Their username at the time.
        saved_by_name -> Text,
        /// When.
        saved_at -> Timestamp,
    }
}

diesel::table! {
    /// Approval routes in force: a document's own or a kind's, step by step.
    approval_steps (id) {
        /// The step's id.
        id -> Text,
        /// `document` or `kind`.
        scope_kind -> Text,
        /// The document's id, or the kind's text.
        scope -> Text,
        /// The step's position, from 1.
        step -> Integer,
        /// `all_users` or `n_of_role`.
        rule -> Text,
        /// The role of an `n_of_role` step.
        role -> Nullable<Text>,
        /// Signatures the step needs.
        required -> Integer,
        /// JSON list of the user ids of an `all_users` step.
        users -> Text,
    }
}

diesel::table! {
    /// The route a revision was submitted with, copied so later changes do not rewrite it.
    revision_steps (revision_id, step) {
        /// The revision.
        revision_id -> Text,
        /// The step's position, from 1.
        step -> Integer,
        /// `all_users` or `n_of_role`.
        rule -> Text,
        /// The role of an `n_of_role` step.
        role -> Nullable<Text>,
        /// Signatures the step needs.
        required -> Integer,
        /// JSON list of the user ids of an `all_users` step.
        users -> Text,
    }
}

diesel::table! {
    /// Electronic signatures, each bound to the commit signed.
    signatures (id) {
        /// The signature's id.
        id -> Text,
        /// The revision signed.
        revision_id -> Text,
        /// The route step, for an approval.
        step -> Nullable<Integer>,
        /// `approval`, `withdrawal` or `periodic_review`.
        purpose -> Text,
        /// `reviewed`, `approved` or `rejected`.
        meaning -> Text,
        /// Who signed.
        signer_id -> Text,
        /// Their username at the time.
        signer_name -> Text,
        /// What they wrote with it.
        comment -> Text,
        /// The commit signed.
        commit_id -> Text,
        /// When.
        signed_at -> Timestamp,
        /// When an edit voided it.
        voided_at -> Nullable<Timestamp>,
        /// Why it was voided.
        void_reason -> Nullable<Text>,
    }
}

diesel::table! {
    /// The processes of the quality management system.
    processes (id) {
        /// The process's id.
        id -> Text,
        /// Its code, unique (`SALES`).
        code -> Text,
        /// Its name.
        name -> Text,
        /// What it is for.
        purpose -> Text,
        /// Its owner.
        owner_id -> Text,
        /// How its results are judged.
        criteria -> Text,
        /// What it needs to run.
        resources -> Text,
        /// Its risks and opportunities.
        risks -> Text,
        /// `active` or `retired`.
        status -> Text,
        /// Optimistic-concurrency version.
        version -> Integer,
        /// When it was created.
        created_at -> Timestamp,
        /// When it last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The people who work in each process.
    process_members (process_id, user_id) {
        /// The process.
        process_id -> Text,
        /// The member.
        user_id -> Text,
    }
}

diesel::table! {
    /// What processes deliver.
    process_outputs (id) {
        /// The output's id.
        id -> Text,
        /// The supplier process.
        process_id -> Text,
        /// What flows.
        name -> Text,
        /// An external customer that takes it.
        external_customer -> Nullable<Text>,
        /// When it was added.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Which processes take each output (its internal customers).
    output_recipients (output_id, customer_id) {
        /// The output.
        output_id -> Text,
        /// The process that takes it.
        customer_id -> Text,
    }
}

diesel::table! {
    /// What processes take from external suppliers.
    process_external_inputs (id) {
        /// The input's id.
        id -> Text,
        /// The process that takes it.
        process_id -> Text,
        /// What flows in.
        name -> Text,
        /// Who supplies it.
        external_supplier -> Text,
        /// When it was added.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Key performance indicators of processes.
    kpis (id) {
        /// The KPI's id.
        id -> Text,
        /// The process it measures.
        process_id -> Text,
        /// What is measured.
        name -> Text,
        /// The unit of the values.
        unit -> Text,
        /// The target, as a decimal text.
        target -> Text,
        /// `higher_is_better` or `lower_is_better`.
        direction -> Text,
        /// `leading` or `lagging`.
        indicator -> Text,
        /// `weekly`, `monthly`, `quarterly` or `yearly`.
        frequency -> Text,
        /// Where the values come from (`manual`, `internal_complaints`).
        source -> Text,
        /// Whether the last complete period lacks a value past its grace days.
        measurement_overdue -> Bool,
        /// When it was defined.
        created_at -> Timestamp,
        /// For a KPI counted from records: the form template counted.
        source_template_id -> Nullable<Text>,
        /// For a KPI counted from records: what is counted (`count`, `average`, ...).
        source_measure -> Nullable<Text>,
        /// For a KPI counted from records: the field counted, when the measure needs one.
        source_field -> Nullable<Text>,
        /// For a customer-experience measure: the key of the target experience it measures.
        experience -> Nullable<Text>,
    }
}

diesel::table! {
    /// Which target experiences of the value promise each process serves.
    process_experiences (process_id, experience) {
        /// The process.
        process_id -> Text,
        /// The target experience's stable key.
        experience -> Text,
    }
}

diesel::table! {
    /// Recorded KPI values; a later one for the same period corrects the earlier.
    kpi_measurements (id) {
        /// The measurement's id.
        id -> Text,
        /// The KPI measured.
        kpi_id -> Text,
        /// The period (`2026-10`, `2026-Q3`).
        period -> Text,
        /// The value, as a decimal text.
        value -> Text,
        /// A note on the value.
        comment -> Text,
        /// Who recorded it.
        recorded_by -> Text,
        /// Their username at the time.
        recorded_by_name -> Text,
        /// When.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// The next nonconformity number of each year, taken under a lock.
    nc_sequences (year) {
        /// The year.
        year -> Integer,
        /// The sequence number the next case of the year gets.
        next_value -> Integer,
    }
}

diesel::table! {
    /// Nonconformities and complaints.
    nonconformities (id) {
        /// The case's id.
        id -> Text,
        /// Its number, `NC-<year>-<seq>`.
        number -> Text,
        /// The year of the number.
        year -> Integer,
        /// The sequence within the year.
        seq -> Integer,
        /// What kind (`deviation`).
        kind -> Text,
        /// A short title.
        title -> Text,
        /// What was found.
        description -> Text,
        /// When it was detected (midnight of the date).
        detected_on -> Timestamp,
        /// The process where it was detected.
        detected_in_id -> Nullable<Text>,
        /// The process that handles it.
        responsible_id -> Text,
        /// Who reported it.
        reporter_id -> Text,
        /// `minor`, `major` or `critical`.
        severity -> Text,
        /// References the reporter gave.
        refs -> Text,
        /// Where it stands (`analysed`).
        status -> Text,
        /// By when it is to be accepted or rejected.
        accept_due_at -> Timestamp,
        /// Who accepted it.
        accepted_by -> Nullable<Text>,
        /// When.
        accepted_at -> Nullable<Timestamp>,
        /// Why it was rejected.
        rejection_reason -> Nullable<Text>,
        /// When the actions' effectiveness is to be checked.
        effectiveness_due_on -> Nullable<Timestamp>,
        /// Who closed it.
        closed_by -> Nullable<Text>,
        /// When.
        closed_at -> Nullable<Timestamp>,
        /// A closing note.
        closing_comment -> Text,
        /// Whether something on it is late.
        overdue -> Bool,
        /// Optimistic-concurrency version.
        version -> Integer,
        /// When it was reported.
        created_at -> Timestamp,
        /// When it last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Containment and disposition decisions on cases; the latest counts.
    nc_dispositions (id) {
        /// The decision's id.
        id -> Text,
        /// The case.
        nc_id -> Text,
        /// What was done at once.
        containment -> Text,
        /// What was decided about the output (`rework`).
        disposition -> Nullable<Text>,
        /// A note, such as who authorised a concession.
        note -> Text,
        /// Who decided.
        decided_by -> Text,
        /// When.
        decided_at -> Timestamp,
    }
}

diesel::table! {
    /// Root-cause analyses of cases; the latest counts.
    nc_analyses (id) {
        /// The analysis's id.
        id -> Text,
        /// The case.
        nc_id -> Text,
        /// The five whys, a JSON list.
        whys -> Text,
        /// The root cause found.
        root_cause -> Text,
        /// Where the cause lies (`method`).
        cause_category -> Text,
        /// Who analysed.
        analysed_by -> Text,
        /// When.
        analysed_at -> Timestamp,
    }
}

diesel::table! {
    /// Corrective actions planned on cases.
    corrective_actions (id) {
        /// The action's id.
        id -> Text,
        /// The case.
        nc_id -> Text,
        /// What is to be done.
        description -> Text,
        /// Who does it.
        owner_id -> Text,
        /// By when (midnight of the date).
        due_on -> Timestamp,
        /// `open`, `done` or `cancelled`.
        status -> Text,
        /// A document the action changes.
        document_id -> Nullable<Text>,
        /// The approved revision that completed it.
        document_revision -> Nullable<Integer>,
        /// What was done, or why it was cancelled.
        completion_note -> Text,
        /// Who finished or cancelled it.
        completed_by -> Nullable<Text>,
        /// When.
        completed_at -> Nullable<Timestamp>,
        /// Whether it is late while open.
        overdue -> Bool,
        /// Who planned it.
        created_by -> Text,
        /// When.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Effectiveness checks of cases' actions; the latest counts.
    effectiveness_checks (id) {
        /// The check's id.
        id -> Text,
        /// The case.
        nc_id -> Text,
        /// `effective` or `not_effective`.
        result -> Text,
        /// What was checked and found.
        comment -> Text,
        /// The quality manager who checked.
        verified_by -> Text,
        /// When.
        verified_at -> Timestamp,
    }
}

diesel::table! {
    /// Evidence files of cases, kept in the database; never replaced or removed.
    nc_attachments (id) {
        /// The file's id.
        id -> Text,
        /// The case.
        nc_id -> Text,
        /// The action it is evidence for.
        action_id -> Nullable<Text>,
        /// The name as uploaded.
        filename -> Text,
        /// Its media type.
        content_type -> Text,
        /// Its size in bytes.
        size -> BigInt,
        /// SHA-256 of the content, hex.
        sha256 -> Text,
        /// The content.
        content -> Binary,
        /// Who added it.
        uploaded_by -> Text,
        /// When.
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    /// Controlled documents that cases refer to.
    nc_documents (nc_id, document_id) {
        /// The case.
        nc_id -> Text,
        /// The document.
        document_id -> Text,
        /// Who linked it.
        linked_by -> Text,
        /// When.
        linked_at -> Timestamp,
    }
}

diesel::table! {
    /// The catalogue of competences (ISO 9001 7.2).
    competences (id) {
        /// The competence's id.
        id -> Text,
        /// Its code (`WELD-135`).
        code -> Text,
        /// Its name in English.
        name_en -> Text,
        /// Its name in Finnish.
        name_fi -> Text,
        /// What it is, in English.
        description_en -> Text,
        /// What it is, in Finnish.
        description_fi -> Text,
        /// How long a certification is valid; null: for good.
        validity_months -> Nullable<Integer>,
        /// Whether a certification must come with an evidence file.
        evidence_required -> Bool,
        /// Its level scale (`none`, `iluo`, `one_to_five`).
        scale -> Text,
        /// `active` or `retired`.
        status -> Text,
        /// Optimistic-concurrency version.
        version -> Integer,
        /// When it was catalogued.
        created_at -> Timestamp,
        /// When it last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Who must hold a competence, and at what level.
    competence_requirements (id) {
        /// The requirement's id.
        id -> Text,
        /// The competence.
        competence_id -> Text,
        /// `process`, `role`, `user` or `document`.
        scope -> Text,
        /// The process, user or document id, or the role.
        target -> Text,
        /// The least level required, on the competence's scale.
        level -> Nullable<Integer>,
        /// Who set it.
        created_by -> Text,
        /// When.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Training planned for one person (a group is several rows with one `group_id`).
    trainings (id) {
        /// The training's id.
        id -> Text,
        /// The competence trained.
        competence_id -> Text,
        /// The person trained.
        user_id -> Text,
        /// Who trains and evaluates.
        trainer_id -> Text,
        /// The rows planned together.
        group_id -> Text,
        /// When it is due (midnight of the day).
        due_on -> Timestamp,
        /// The level aimed at.
        level -> Nullable<Integer>,
        /// What the planner noted.
        note -> Text,
        /// `planned`, `completed` or `cancelled`.
        status -> Text,
        /// Marked by the scheduler once its day has passed.
        overdue -> Bool,
        /// Who planned it.
        planned_by -> Text,
        /// When.
        planned_at -> Timestamp,
        /// Who completed or cancelled it.
        closed_by -> Nullable<Text>,
        /// When.
        closed_at -> Nullable<Timestamp>,
        /// Whether it worked (7.2 c), once completed.
        effective -> Nullable<Bool>,
        /// The evaluation of its effectiveness, or why it was cancelled.
        evaluation -> Text,
        /// Optimistic-concurrency version.
        version -> Integer,
    }
}

diesel::table! {
    /// Certifications people hold: never rewritten, corrected by a new row.
    certifications (id) {
        /// The certification's id.
        id -> Text,
        /// Who holds it.
        user_id -> Text,
        /// The competence.
        competence_id -> Text,
        /// The level, on the competence's scale.
        level -> Nullable<Integer>,
        /// The day it was issued (midnight).
        issued_on -> Timestamp,
        /// The last day it is valid (midnight); null: for good.
        expires_on -> Nullable<Timestamp>,
        /// Who issued it.
        issuer -> Text,
        /// Kept by the scheduler: within the expiry window.
        expiring -> Bool,
        /// Kept by the scheduler: past its last day.
        expired -> Bool,
        /// The training it came from.
        training_id -> Nullable<Text>,
        /// The certification this one corrects.
        corrects_id -> Nullable<Text>,
        /// Why it was corrected.
        correction_reason -> Text,
        /// Set when a later entry corrects it.
        corrected -> Bool,
        /// The quality manager who verified it.
        verified_by -> Nullable<Text>,
        /// When.
        verified_at -> Nullable<Timestamp>,
        /// Who recorded it.
        recorded_by -> Text,
        /// When.
        recorded_at -> Timestamp,
        /// Optimistic-concurrency version.
        version -> Integer,
    }
}

diesel::table! {
    /// Evidence files of certifications, kept in the database.
    certification_files (id) {
        /// The file's id.
        id -> Text,
        /// The certification.
        certification_id -> Text,
        /// The name as uploaded.
        filename -> Text,
        /// Its media type.
        content_type -> Text,
        /// Its size in bytes.
        size -> BigInt,
        /// SHA-256 of the content, hex.
        sha256 -> Text,
        /// The content.
        content -> Binary,
        /// Who added it.
        uploaded_by -> Text,
        /// When.
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    /// The roles a document names as its readers.
    document_reader_roles (document_id, role) {
        /// The document.
        document_id -> Text,
        /// The role.
        role -> Text,
    }
}

diesel::table! {
    /// "Read and understood" signatures, bound to a revision's commit.
    acknowledgements (id) {
        /// The acknowledgement's id.
        id -> Text,
        /// The document.
        document_id -> Text,
        /// The revision read.
        revision_id -> Text,
        /// Its number.
        rev -> Integer,
        /// Its commit.
        commit_id -> Text,
        /// Who read it.
        user_id -> Text,
        /// Their username then.
        user_name -> Text,
        /// `read_and_understood`.
        meaning -> Text,
        /// Whether the password was asked again.
        password_confirmed -> Bool,
        /// When.
        acknowledged_at -> Timestamp,
    }
}

diesel::table! {
    /// Who must fill in a form template's records for a process, how often.
    record_schedules (id) {
        /// The schedule's id.
        id -> Text,
        /// The form template (a document of kind `form`).
        template_id -> Text,
        /// The process the records are for.
        process_id -> Text,
        /// `daily`, `weekly`, `monthly`, `quarterly` or `yearly`.
        frequency -> Text,
        /// The person who fills them in; null for every member of the process.
        assignee_id -> Nullable<Text>,
        /// Whether the schedule is in use.
        active -> Bool,
        /// Whether the last complete period went without a record.
        overdue -> Bool,
        /// Who set it up.
        created_by -> Text,
        /// When.
        created_at -> Timestamp,
        /// Optimistic-concurrency version.
        version -> Integer,
        /// When it last changed.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Records filled from form templates; never deleted, corrected by new versions.
    records (id) {
        /// The record's id.
        id -> Text,
        /// `FORM-003-0017`: the template's number and the record's sequence.
        number -> Text,
        /// The form template.
        template_id -> Text,
        /// Its number among the template's records, gapless from 1.
        seq -> Integer,
        /// The process it was filled for.
        process_id -> Nullable<Text>,
        /// Who filled it in.
        created_by -> Text,
        /// Their username then.
        created_by_name -> Text,
        /// When it was submitted.
        created_at -> Timestamp,
        /// The version in force (1 until corrected).
        version -> Integer,
        /// The row of that version.
        current_version_id -> Text,
        /// Whether the version in force holds a deviation.
        has_deviation -> Bool,
        /// Whether the version in force has every signature its template asks for.
        signed -> Bool,
        /// When it last got a version or signature.
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Each version of a record, as filled in; append-only.
    record_versions (id) {
        /// The version's id.
        id -> Text,
        /// The record.
        record_id -> Text,
        /// 1, 2, ...
        version -> Integer,
        /// The template's revision it was filled on.
        template_rev -> Integer,
        /// That revision's commit.
        template_commit -> Text,
        /// The answers, JSON `{field: value}`.
        answers -> Text,
        /// The keys of the fields whose answers are deviations, JSON.
        deviations -> Text,
        /// Why it was corrected; empty for the first version.
        reason -> Text,
        /// Who filled it in or corrected it.
        author_id -> Text,
        /// Their username then.
        author_name -> Text,
        /// When.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The single values of each version, for filtering; append-only.
    record_values (version_id, field, text_value) {
        /// The version.
        version_id -> Text,
        /// The field's key.
        field -> Text,
        /// The value as text (`yes`, an option's key, a date, a number).
        text_value -> Text,
        /// The value as a number, for number fields.
        num_value -> Nullable<Double>,
    }
}

diesel::table! {
    /// Review and release signatures on a record's versions; append-only.
    record_signatures (id) {
        /// The signature's id.
        id -> Text,
        /// The record.
        record_id -> Text,
        /// The version signed.
        version -> Integer,
        /// `reviewed` or `released`.
        meaning -> Text,
        /// Who signed.
        signer_id -> Text,
        /// Their username then.
        signer_name -> Text,
        /// The competence the template required of the signer.
        competence_code -> Nullable<Text>,
        /// The signer's certification of it.
        certification_id -> Nullable<Text>,
        /// When.
        signed_at -> Timestamp,
    }
}

diesel::table! {
    /// Files of file and photo fields; bound to a record when it is submitted.
    record_files (id) {
        /// The file's id.
        id -> Text,
        /// The template it was uploaded for.
        template_id -> Text,
        /// The record that names it, once submitted.
        record_id -> Nullable<Text>,
        /// The name as uploaded.
        filename -> Text,
        /// Its media type.
        content_type -> Text,
        /// Its size in bytes.
        size -> BigInt,
        /// SHA-256 of the content, hex.
        sha256 -> Text,
        /// The content.
        content -> Binary,
        /// Who uploaded it.
        uploaded_by -> Text,
        /// When.
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    /// Nonconformities reported from records.
    record_nonconformities (record_id, nc_id) {
        /// The record.
        record_id -> Text,
        /// The nonconformity.
        nc_id -> Text,
        /// Who linked them.
        linked_by -> Text,
        /// When.
        linked_at -> Timestamp,
    }
}

diesel::table! {
    /// Mails waiting to be sent, sent, or given up on.
    mail_queue (id) {
        /// The mail's id (UUID v7).
        id -> Text,
        /// Whom it is for.
        user_id -> Text,
        /// The address it goes to (the person's at the time it was queued).
        address -> Text,
        /// The language it is written in (`en`, `fi`).
        language -> Text,
        /// What it is about, as a task kind (`document_sign`, `nc_accept`, ...).
        kind -> Text,
        /// The record it is about (`QP-003 r2`, `NC-2026-004`).
        reference -> Text,
        /// Its subject line.
        subject -> Text,
        /// Its text, without the link.
        body -> Text,
        /// The path of the task's page (`/documents/QP-003`).
        link -> Text,
        /// Whether it waits for the person's daily digest.
        digest -> Bool,
        /// `queued`, `sent`, `failed` (given up) or `dropped` (no longer wanted).
        state -> Text,
        /// When it was queued.
        created_at -> Timestamp,
        /// How many times sending it was tried.
        attempts -> Integer,
        /// When it may be tried (next).
        next_attempt_at -> Timestamp,
        /// When it was sent.
        sent_at -> Nullable<Timestamp>,
        /// Why the last try failed.
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    /// Who is asked to rate one link of the process map for one period: an
    /// output of the supplier addressed to the customer, asked of one of the
    /// customer's people.
    internal_rating_requests (id) {
        /// The request's id.
        id -> Text,
        /// The output (`process_outputs.id`) as it was when asked; kept when
        /// the output is removed later.
        output_id -> Text,
        /// The output's name when asked.
        output_name -> Text,
        /// The supplying process.
        supplier_id -> Text,
        /// The receiving process.
        customer_id -> Text,
        /// The person asked.
        user_id -> Text,
        /// The period, as people write it (`2026-Q2`).
        period -> Text,
        /// The period's first day (`2026-04-01`).
        period_start -> Text,
        /// The period's last day, by which the rating is due (`2026-06-30`).
        due_on -> Text,
        /// The last day of the next period: after it, an unanswered request
        /// is no longer a task.
        lapses_on -> Text,
        /// When the scheduler asked.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Ratings of requests; never edited or deleted, a correction is a new
    /// rating that names the one it replaces.
    internal_ratings (id) {
        /// The rating's id.
        id -> Text,
        /// The request it answers.
        request_id -> Text,
        /// Whether it came on time.
        on_time -> Bool,
        /// Its quality, 1 (poor) to 5 (excellent).
        quality -> Integer,
        /// One comment, or empty.
        comment -> Text,
        /// The rating this one corrects.
        corrects_id -> Nullable<Text>,
        /// Why it was corrected (empty for a first rating).
        reason -> Text,
        /// Who rated.
        rated_by -> Text,
        /// When.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// External customer surveys: a touchpoint, a process, questions in both languages.
    surveys (id) {
        /// The survey's id (UUID v7).
        id -> Text,
        /// Its title in English.
        title_en -> Text,
        /// Its title in Finnish.
        title_fi -> Text,
        /// `order_delivered`, `project_finished` or `service_case_closed`.
        touchpoint -> Text,
        /// The process it asks about.
        process_id -> Text,
        /// Its questions (JSON, checked).
        questions -> Text,
        /// Days an invitation stays open.
        expiry_days -> Integer,
        /// Who created it.
        created_by -> Text,
        /// When.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Personal invitations to a survey; only the SHA-256 of the link's token is kept.
    survey_invitations (id) {
        /// The invitation's id (UUID v7).
        id -> Text,
        /// Its survey.
        survey_id -> Text,
        /// SHA-256 (hex) of the token in the link.
        token_hash -> Text,
        /// The customer's name (none once erased).
        name -> Nullable<Text>,
        /// Their e-mail address.
        email -> Nullable<Text>,
        /// Their company.
        company -> Nullable<Text>,
        /// A reference of ours (order, project, case).
        reference -> Nullable<Text>,
        /// The language the customer reads (`en`, `fi`).
        language -> Text,
        /// Who invited.
        created_by -> Text,
        /// When.
        created_at -> Timestamp,
        /// From when the link no longer opens.
        expires_at -> Timestamp,
        /// When it was answered.
        answered_at -> Nullable<Timestamp>,
        /// When the contact details were erased on request.
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// One answer per invitation.
    survey_answers (id) {
        /// The answer's id (UUID v7).
        id -> Text,
        /// The invitation answered.
        invitation_id -> Text,
        /// Its survey.
        survey_id -> Text,
        /// When.
        answered_at -> Timestamp,
        /// The NPS score (0-10), if the survey asks it and it was given.
        nps -> Nullable<Integer>,
        /// The CSAT score (1-5).
        csat -> Nullable<Integer>,
        /// The effort score (1-5).
        effort -> Nullable<Integer>,
        /// Every answer by question key (JSON).
        answers -> Text,
        /// The customer's idea for us, if any.
        idea -> Nullable<Text>,
    }
}

diesel::table! {
    /// Survey invitations sent by e-mail; the body (with the link) is wiped once sent or given up.
    survey_invitation_mail (invitation_id) {
        /// The invitation.
        invitation_id -> Text,
        /// Where it goes; wiped when the contact is erased.
        address -> Text,
        /// `en` or `fi`.
        language -> Text,
        /// The subject line.
        subject -> Text,
        /// The text with the personal link; wiped once sent or given up.
        body -> Text,
        /// `queued`, `sent`, `failed` or `dropped`.
        state -> Text,
        /// When it was queued (UTC).
        created_at -> Timestamp,
        /// Tries so far.
        attempts -> Integer,
        /// When it is tried next (UTC).
        next_attempt_at -> Timestamp,
        /// When it went (UTC).
        sent_at -> Nullable<Timestamp>,
        /// Why the last try failed.
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    /// Cases opened from survey answers (a customer complaint or an improvement).
    survey_answer_nonconformities (answer_id, nc_id) {
        /// The answer.
        answer_id -> Text,
        /// The case.
        nc_id -> Text,
        /// Who opened the case from the answer.
        linked_by -> Text,
        /// When (UTC).
        linked_at -> Timestamp,
    }
}

diesel::table! {
    /// Follow-ups of detractors and low CSAT answers, for the owner of the survey's process.
    survey_followups (id) {
        /// The follow-up's id (UUID v7).
        id -> Text,
        /// The answer followed up.
        answer_id -> Text,
        /// Its survey.
        survey_id -> Text,
        /// Who follows up: the process's owner when the answer came.
        owner_id -> Text,
        /// `detractor` or `low_csat`.
        reason -> Text,
        /// The last working day it is due on (midnight UTC).
        due_on -> Timestamp,
        /// When it was made.
        created_at -> Timestamp,
        /// When it was done.
        done_at -> Nullable<Timestamp>,
        /// Who did it.
        done_by -> Nullable<Text>,
        /// What was done.
        action_taken -> Nullable<Text>,
        /// Whether the customer was told.
        customer_told -> Nullable<Bool>,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(mail_queue -> users (user_id));
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
diesel::joinable!(process_experiences -> processes (process_id));
diesel::joinable!(kpi_measurements -> kpis (kpi_id));
diesel::joinable!(nc_dispositions -> nonconformities (nc_id));
diesel::joinable!(nc_analyses -> nonconformities (nc_id));
diesel::joinable!(corrective_actions -> nonconformities (nc_id));
diesel::joinable!(corrective_actions -> documents (document_id));
diesel::joinable!(effectiveness_checks -> nonconformities (nc_id));
diesel::joinable!(nc_attachments -> nonconformities (nc_id));
diesel::joinable!(nc_documents -> nonconformities (nc_id));
diesel::joinable!(nc_documents -> documents (document_id));
diesel::joinable!(competence_requirements -> competences (competence_id));
diesel::joinable!(trainings -> competences (competence_id));
diesel::joinable!(certifications -> competences (competence_id));
diesel::joinable!(certification_files -> certifications (certification_id));
diesel::joinable!(document_reader_roles -> documents (document_id));
diesel::joinable!(acknowledgements -> documents (document_id));
diesel::joinable!(records -> documents (template_id));
diesel::joinable!(records -> processes (process_id));
diesel::joinable!(record_values -> record_versions (version_id));
diesel::joinable!(record_versions -> records (record_id));
diesel::joinable!(record_signatures -> records (record_id));
diesel::joinable!(record_nonconformities -> records (record_id));
diesel::joinable!(record_nonconformities -> nonconformities (nc_id));
diesel::joinable!(record_schedules -> processes (process_id));
diesel::joinable!(internal_ratings -> internal_rating_requests (request_id));
diesel::joinable!(internal_rating_requests -> users (user_id));
diesel::joinable!(surveys -> processes (process_id));
diesel::joinable!(survey_invitations -> surveys (survey_id));
diesel::joinable!(survey_answers -> survey_invitations (invitation_id));
diesel::joinable!(survey_followups -> survey_answers (answer_id));
diesel::joinable!(survey_answer_nonconformities -> survey_answers (answer_id));
diesel::joinable!(survey_invitation_mail -> survey_invitations (invitation_id));
diesel::joinable!(survey_answer_nonconformities -> nonconformities (nc_id));
diesel::joinable!(survey_followups -> surveys (survey_id));

diesel::table! {
    /// Every evidence export: who, when, what was asked, the root hash.
    evidence_exports (id) {
        /// The export's id (UUID v7).
        id -> Text,
        /// Who exported it; null for the system (the CLI without `--as`).
        exported_by_id -> Nullable<Text>,
        /// Their username then, or `system:<what>`.
        exported_by_name -> Text,
        /// When the bundle was finished.
        exported_at -> Timestamp,
        /// The parameters, JSON as the manifest writes them.
        parameters -> Text,
        /// The manifest's root hash.
        root_hash -> Text,
        /// The bundle's size in bytes.
        size_bytes -> BigInt,
        /// How many files it holds besides the manifest.
        files -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    internal_rating_requests,
    internal_ratings,
    process_experiences,
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
    competences,
    competence_requirements,
    trainings,
    certifications,
    certification_files,
    document_reader_roles,
    acknowledgements,
    record_schedules,
    records,
    record_versions,
    record_values,
    record_signatures,
    record_files,
    record_nonconformities,
    mail_queue,
    surveys,
    survey_invitation_mail,
    survey_invitations,
    survey_answer_nonconformities,
    survey_answers,
    survey_followups,
    evidence_exports,
);
