//! Every error code the server can answer, as one closed set. An
//! [`AppError`](super::AppError) is built from a [`Code`], so a code that is
//! not listed here does not compile, and a test checks that each one has a
//! message (`error-<code>`) in every catalog.
//!
//! The list is kept in order of the codes' texts, each documented with its
//! English catalog message. Branches written before the list existed pass
//! codes as string literals; a conversion script kept outside the
//! repository (`codes.py`) turns them into variants and adds the codes it
//! does not find here.

/// Declares [`Code`] from `Variant => "text"` pairs, with `ALL` and `as_str`.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// A stable, machine-readable error code; the JSON `code` field and
        /// the catalog key `error-<code>` are its text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in order of its text.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as the JSON body and the catalogs write it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

codes! {
    /// This account is deactivated or has expired.
    AccountDisabled => "account_disabled",
    /// No such corrective action on this nonconformity.
    ActionNotFound => "action_not_found",
    /// The corrective action is no longer open.
    ActionNotOpen => "action_not_open",
    /// An action owner is staff, a process owner or a quality manager: an
    /// auditor or an administrator-only account cannot carry out an action.
    ActionOwnerCannotAct => "action_owner_cannot_act",
    /// That person cannot log in; choose someone who can.
    ActionOwnerInactive => "action_owner_inactive",
    /// No such user.
    ActionOwnerNotFound => "action_owner_not_found",
    /// Corrective actions are still open; complete or cancel them first.
    ActionsOpen => "actions_open",
    /// You have acknowledged this revision already.
    AlreadyAcknowledged => "already_acknowledged",
    /// That already exists.
    AlreadyExists => "already_exists",
    /// The revision is already in review.
    AlreadyInReview => "already_in_review",
    /// You have already signed this step.
    AlreadySigned => "already_signed",
    /// The certification is already verified.
    AlreadyVerified => "already_verified",
    /// Analyse the root cause before planning corrective actions.
    AnalysisRequired => "analysis_required",
    /// That person does not fill in records; choose someone who works in the processes.
    AssigneeCannotFill => "assignee_cannot_fill",
    /// No such attachment.
    AttachmentNotFound => "attachment_not_found",
    /// The person who filled in the record cannot also sign it as reviewed.
    AuthorCannotReview => "author_cannot_review",
    /// The author of a revision cannot sign it.
    AuthorCannotSign => "author_cannot_sign",
    /// The request was not understood.
    BadRequest => "bad_request",
    /// The text contains a character that reverses the reading direction (such as U+202E). Remove it and try again.
    BidiControl => "bidi_control",
    /// This is the last active administrator. Make someone else an administrator first.
    CannotRemoveLastAdmin => "cannot_remove_last_admin",
    /// Another quality manager verifies your own certification.
    CannotVerifyOwn => "cannot_verify_own",
    /// This entry was corrected by a later one; work on the later entry.
    CertificationCorrected => "certification_corrected",
    /// There is no such certification.
    CertificationNotFound => "certification_not_found",
    /// A new revision needs a reason for change.
    ChangeReasonRequired => "change_reason_required",
    /// A table's columns cannot be tables, files or photos.
    ColumnTypeNotAllowed => "column_type_not_allowed",
    /// Columns belong to tables.
    ColumnsOnOtherType => "columns_on_other_type",
    /// A table needs at least one column.
    ColumnsRequired => "columns_required",
    /// Write a comment.
    CommentRequired => "comment_required",
    /// That competence code is taken.
    CompetenceCodeTaken => "competence_code_taken",
    /// This competence has no levels; leave the level out.
    CompetenceHasNoLevels => "competence_has_no_levels",
    /// There is no such competence.
    CompetenceNotFound => "competence_not_found",
    /// Name the competence.
    CompetenceRequired => "competence_required",
    /// This competence is retired; nothing more is recorded of it.
    CompetenceRetired => "competence_retired",
    /// A concession needs a note of who authorised it.
    ConcessionNeedsAuthorisation => "concession_needs_authorisation",
    /// Someone else changed this at the same time. Try again.
    ConcurrentUpdate => "concurrent_update",
    /// A contact's name, e-mail, company or reference is too long.
    ContactFieldTooLong => "contact_field_too_long",
    /// Every contact needs a name.
    ContactNameRequired => "contact_name_required",
    /// The text is too large; attach large files instead.
    ContentTooLarge => "content_too_large",
    /// The text contains an invisible control character (such as NUL). Remove it and try again; line breaks are allowed only in longer texts.
    ControlCharacter => "control_character",
    /// The request came from another site and was refused. Use Laatu's own pages.
    CrossSiteRequest => "cross_site_request",
    /// The form has expired or did not come from this site. Reload the page and try again.
    CsrfTokenInvalid => "csrf_token_invalid",
    /// The CSV of contacts cannot be read.
    CsvUnreadable => "csv_unreadable",
    /// The current password is not right.
    CurrentPasswordMismatch => "current_password_mismatch",
    /// The database is busy right now. Try again in a moment; nothing was saved.
    DatabaseBusy => "database_busy",
    /// The database is not reachable right now.
    DatabaseUnavailable => "database_unavailable",
    /// The date cannot be before today.
    DateInPast => "date_in_past",
    /// Describe the action.
    DescriptionRequired => "description_required",
    /// A nonconformity cannot be detected in the future.
    DetectedInFuture => "detected_in_future",
    /// Describe the containment or choose a disposition.
    DispositionEmpty => "disposition_empty",
    /// The document changed since you read it. Read the revision in force and acknowledge it again.
    DocumentChanged => "document_changed",
    /// No such document.
    DocumentNotFound => "document_not_found",
    /// That number is taken. Numbers are never reused.
    DocumentNumberTaken => "document_number_taken",
    /// The document is obsolete and cannot change.
    DocumentObsolete => "document_obsolete",
    /// No revision of the document has been approved since the action was planned; get the changed document approved first.
    DocumentRevisionMissing => "document_revision_missing",
    /// That revision of the document is not approved.
    DocumentRevisionNotApproved => "document_revision_not_approved",
    /// The draft changed after you read it. Read it again before signing.
    DraftChanged => "draft_changed",
    /// Someone else saved this draft after you started editing. Your text is below; compare it with the current draft and save again.
    DraftConflict => "draft_conflict",
    /// Save the draft before submitting it.
    DraftEmpty => "draft_empty",
    /// Give the due date.
    DueDateRequired => "due_date_required",
    /// Two target experiences of the promise have the same key.
    DuplicateExperienceKey => "duplicate_experience_key",
    /// Two fields or options have the same key.
    DuplicateFieldKey => "duplicate_field_key",
    /// An option is chosen twice.
    DuplicateOption => "duplicate_option",
    /// Two questions of the survey have the same key.
    DuplicateQuestionKey => "duplicate_question_key",
    /// A survey asks NPS, CSAT and effort once each.
    DuplicateScaleQuestion => "duplicate_scale_question",
    /// Each signature is asked for once.
    DuplicateSignOff => "duplicate_sign_off",
    /// The effectiveness of the corrective actions has not been verified.
    EffectivenessNotVerified => "effectiveness_not_verified",
    /// Say whether the training worked.
    EffectivenessRequired => "effectiveness_required",
    /// The file is empty.
    EmptyFile => "empty_file",
    /// Describe how the effectiveness was judged.
    EvaluationRequired => "evaluation_required",
    /// This competence needs an evidence file: attach it first.
    EvidenceMissing => "evidence_missing",
    /// The last valid day cannot be before the day of issue.
    ExpiryBeforeIssue => "expiry_before_issue",
    /// A form needs at least one field.
    FieldsRequired => "fields_required",
    /// A photo is an image file.
    FileNotAnImage => "file_not_an_image",
    /// There is no such file.
    FileNotFound => "file_not_found",
    /// The last step is signed as approved.
    FinalStepNeedsApproval => "final_step_needs_approval",
    /// This follow-up was recorded already.
    FollowupDoneAlready => "followup_done_already",
    /// No such follow-up.
    FollowupNotFound => "followup_not_found",
    /// Your roles do not allow this.
    Forbidden => "forbidden",
    /// Give the field a label in English or Finnish.
    FormLabelRequired => "form_label_required",
    /// This text of the form is too long.
    FormLabelTooLong => "form_label_too_long",
    /// The form template has no revision in force yet; records are filled on an approved revision.
    FormNotEffective => "form_not_effective",
    /// Only documents of kind form have fields.
    FormOnlyForFormDocuments => "form_only_for_form_documents",
    /// No such input.
    InputNotFound => "input_not_found",
    /// An internal error occurred. It has been logged.
    InternalError => "internal_error",
    /// An acknowledgement is acknowledged, carried over or pending.
    InvalidAckState => "invalid_ack_state",
    /// Unknown state of a corrective action.
    InvalidActionStatus => "invalid_action_status",
    /// That file name cannot be used: not blank, no slashes, no leading dot, no "..", no control or direction characters, at most 200 bytes.
    InvalidAttachmentName => "invalid_attachment_name",
    /// Unknown cause category.
    InvalidCauseCategory => "invalid_cause_category",
    /// Unknown state of a matrix cell.
    InvalidCellState => "invalid_cell_state",
    /// A certification is valid, expiring or expired.
    InvalidCertificationState => "invalid_certification_state",
    /// That is not a clause of ISO 9001 such as 8.6 or 7.1.5.1.
    InvalidClause => "invalid_clause",
    /// A competence code is 2 to 20 capitals, digits, - or _, such as WELD-135.
    InvalidCompetenceCode => "invalid_competence_code",
    /// Give the competence a name of at most 200 characters.
    InvalidCompetenceName => "invalid_competence_name",
    /// A competence is active or retired.
    InvalidCompetenceStatus => "invalid_competence_status",
    /// A contact's language is en or fi.
    InvalidContactLanguage => "invalid_contact_language",
    /// Some contacts have mistakes; nothing was saved.
    InvalidContacts => "invalid_contacts",
    /// Wrong username or password.
    InvalidCredentials => "invalid_credentials",
    /// A customer-experience status is none, lagging_only or leading.
    InvalidCxStatus => "invalid_cx_status",
    /// Give the date as 2026-11-23 or 23.11.2026.
    InvalidDate => "invalid_date",
    /// A number has at most 6 decimals.
    InvalidDecimals => "invalid_decimals",
    /// A deviation is "no" or "yes" for a yes/no field, outside the limits for a number with limits, or some options of a choice.
    InvalidDeviation => "invalid_deviation",
    /// The direction is higher_is_better or lower_is_better.
    InvalidDirection => "invalid_direction",
    /// A name is 1-200 characters.
    InvalidDisplayName => "invalid_display_name",
    /// Unknown decision.
    InvalidDisposition => "invalid_disposition",
    /// A document number is capital letters, a hyphen and digits, such as QP-001.
    InvalidDocumentNumber => "invalid_document_number",
    /// Unknown document status.
    InvalidDocumentStatus => "invalid_document_status",
    /// The effective date is today or later.
    InvalidEffectiveDate => "invalid_effective_date",
    /// Choose effective or not effective.
    InvalidEffectivenessResult => "invalid_effectiveness_result",
    /// That is not an e-mail address.
    InvalidEmail => "invalid_email",
    /// A target experience's key is lower-case letters, digits and _, starting with a letter.
    InvalidExperienceKey => "invalid_experience_key",
    /// An invitation stays open 1 to 365 days.
    InvalidExpiryDays => "invalid_expiry_days",
    /// A key is lower-case letters, digits and _, starting with a letter, at most 40 characters.
    InvalidFieldKey => "invalid_field_key",
    /// The form has a missing or invalid field.
    InvalidForm => "invalid_form",
    /// The frequency is weekly, monthly, quarterly or yearly.
    InvalidFrequency => "invalid_frequency",
    /// The indicator is leading or lagging.
    InvalidIndicator => "invalid_indicator",
    /// An input has a name and an external supplier.
    InvalidInput => "invalid_input",
    /// The issuer is one line of at most 200 characters.
    InvalidIssuer => "invalid_issuer",
    /// A field of the request is missing or has the wrong type.
    InvalidJson => "invalid_json",
    /// What is counted from records is count, average, sum, share_yes or share_deviation.
    InvalidKpiMeasure => "invalid_kpi_measure",
    /// A KPI name is 1-200 characters.
    InvalidKpiName => "invalid_kpi_name",
    /// Unknown source of values.
    InvalidKpiSource => "invalid_kpi_source",
    /// Mail is `immediate`, `digest` or `off`.
    InvalidMailChoice => "invalid_mail_choice",
    /// Unknown state of a queued mail.
    InvalidMailState => "invalid_mail_state",
    /// A signature means reviewed or approved.
    InvalidMeaning => "invalid_meaning",
    /// Unknown kind of nonconformity.
    InvalidNcKind => "invalid_nc_kind",
    /// Unknown state of a nonconformity.
    InvalidNcStatus => "invalid_nc_status",
    /// An output has a name and goes to at least one other active process or an external customer.
    InvalidOutput => "invalid_output",
    /// That period is not written the way the KPI's frequency needs (2026-10, 2026-Q3, 2026, 2026-W41).
    InvalidPeriod => "invalid_period",
    /// A process code is 2-16 capital letters, digits, "_" or "-", starting with a letter (SALES, PROD-2).
    InvalidProcessCode => "invalid_process_code",
    /// A process name is 1-200 characters.
    InvalidProcessName => "invalid_process_name",
    /// A process is active or retired.
    InvalidProcessStatus => "invalid_process_status",
    /// The value promise is not complete; see the marked fields.
    InvalidPromise => "invalid_promise",
    /// The address has an invalid parameter.
    InvalidQuery => "invalid_query",
    /// A question or option key is a-z, 0-9 and _, starting with a letter.
    InvalidQuestionKey => "invalid_question_key",
    /// The end date is before the start date.
    InvalidRange => "invalid_range",
    /// A rating is on time yes or no and quality 1 to 5, with a comment of at most 500 characters.
    InvalidRating => "invalid_rating",
    /// Some answers cannot be accepted; see each field.
    InvalidRecord => "invalid_record",
    /// A filter of field values is key:value, key>=number or key<=number, on a field of the form.
    InvalidRecordFilter => "invalid_record_filter",
    /// A signature on a record means reviewed or released.
    InvalidRecordMeaning => "invalid_record_meaning",
    /// A requirement is for a process, a role, a person or a document.
    InvalidRequirementScope => "invalid_requirement_scope",
    /// The review interval is 1-120 months.
    InvalidReviewInterval => "invalid_review_interval",
    /// A revision is a number such as 3.
    InvalidRevision => "invalid_revision",
    /// Unknown revision status.
    InvalidRevisionStatus => "invalid_revision_status",
    /// The approval route is not valid.
    InvalidRoute => "invalid_route",
    /// The level scale is none, iluo or one_to_five.
    InvalidScale => "invalid_scale",
    /// A schedule is daily, weekly, monthly, quarterly or yearly.
    InvalidScheduleFrequency => "invalid_schedule_frequency",
    /// The severity is minor, major or critical.
    InvalidSeverity => "invalid_severity",
    /// Unknown purpose of a signature.
    InvalidSignaturePurpose => "invalid_signature_purpose",
    /// A review span is a quarter (2026-Q3) or a year (2026).
    InvalidSpan => "invalid_span",
    /// The survey has mistakes; see the fields.
    InvalidSurvey => "invalid_survey",
    /// Some answers need a look.
    InvalidSurveyAnswer => "invalid_survey_answer",
    /// Give a date (2026-11-01) or a UTC time (2026-11-01T08:00:00).
    InvalidTime => "invalid_time",
    /// A title is 1-300 characters, and not blank.
    InvalidTitle => "invalid_title",
    /// The API token is unknown or revoked.
    InvalidToken => "invalid_token",
    /// A token name is 1-100 characters.
    InvalidTokenName => "invalid_token_name",
    /// A touchpoint is order_delivered, project_finished or service_case_closed.
    InvalidTouchpoint => "invalid_touchpoint",
    /// A training is planned, completed or cancelled.
    InvalidTrainingStatus => "invalid_training_status",
    /// That step does not apply to the nonconformity in its current state.
    InvalidTransition => "invalid_transition",
    /// A unit is at most 30 characters.
    InvalidUnit => "invalid_unit",
    /// A username is 2-64 characters: lower-case letters, digits, ".", "_" or "-".
    InvalidUsername => "invalid_username",
    /// The validity is 1 to 600 months, or none.
    InvalidValidity => "invalid_validity",
    /// Give a number, such as 12.5.
    InvalidValue => "invalid_value",
    /// Give at most five whys of at most 1,000 characters each.
    InvalidWhys => "invalid_whys",
    /// No such invitation.
    InvitationNotFound => "invitation_not_found",
    /// The day of issue cannot be after today.
    IssuedInFuture => "issued_in_future",
    /// Give the day of issue.
    IssuedOnRequired => "issued_on_required",
    /// This KPI is counted from Laatu's records; it takes no entries.
    KpiCounted => "kpi_counted",
    /// No such KPI.
    KpiNotFound => "kpi_not_found",
    /// An average or a sum is taken of a number field of the form.
    KpiSourceFieldNotNumber => "kpi_source_field_not_number",
    /// A count or a share of deviations takes no field.
    KpiSourceFieldNotUsed => "kpi_source_field_not_used",
    /// A share of yes is taken of a yes/no field of the form.
    KpiSourceFieldNotYesNo => "kpi_source_field_not_yes_no",
    /// Name the field of the form that is averaged, summed or counted as yes.
    KpiSourceFieldRequired => "kpi_source_field_required",
    /// The form in force has no such field.
    KpiSourceFieldUnknown => "kpi_source_field_unknown",
    /// A form template, a measure and a field belong to a KPI counted from records.
    KpiSourceNotRecords => "kpi_source_not_records",
    /// Name the form template whose records are counted, and what is counted.
    KpiSourceTemplateRequired => "kpi_source_template_required",
    /// The level is not on the competence's scale.
    LevelNotOnScale => "level_not_on_scale",
    /// This competence is recorded with a level on its scale.
    LevelRequired => "level_required",
    /// Too many failed logins for this name from your computer. Wait a moment and try again.
    LoginThrottled => "login_throttled",
    /// The request body could not be read.
    MalformedBody => "malformed_body",
    /// The form could not be read.
    MalformedForm => "malformed_form",
    /// The request body is not valid JSON.
    MalformedJson => "malformed_json",
    /// That action is not possible here.
    MethodNotAllowed => "method_not_allowed",
    /// The minimum is above the maximum.
    MinAboveMax => "min_above_max",
    /// Give the file's name.
    NameRequired => "name_required",
    /// There is no draft or revision in review.
    NoDraft => "no_draft",
    /// Choose a file to attach.
    NoFile => "no_file",
    /// Only the signature that approves the revision can say no retraining is needed.
    NoRetrainingNotFinalApproval => "no_retraining_not_final_approval",
    /// No retraining needed applies to a revision that replaces one in force; this document has none, so its readers acknowledge this revision.
    NoRetrainingWithoutEffectiveRevision => "no_retraining_without_effective_revision",
    /// No value promise is in force yet; approve one first.
    NoValuePromise => "no_value_promise",
    /// The nonconformity is closed or rejected; its record takes no more changes.
    NonconformityFinal => "nonconformity_final",
    /// No such nonconformity.
    NonconformityNotFound => "nonconformity_not_found",
    /// That document is not a form template.
    NotAFormTemplate => "not_a_form_template",
    /// Only the readers of a document acknowledge it: the members of its process and the holders of the roles it names.
    NotAReader => "not_a_reader",
    /// You are not a signer of the current step.
    NotASigner => "not_a_signer",
    /// Only the action's owner or the responsible process's owner marks it done.
    NotActionOwner => "not_action_owner",
    /// Log in first.
    NotAuthenticated => "not_authenticated",
    /// Only the owner of the responsible process or a quality manager handles this nonconformity.
    NotCaseHandler => "not_case_handler",
    /// The document has no revision in force.
    NotEffective => "not_effective",
    /// Not found.
    NotFound => "not_found",
    /// The revision is not in review.
    NotInReview => "not_in_review",
    /// Only those who take part in the nonconformity add evidence to it.
    NotInvolved => "not_involved",
    /// Only the person who filled in the record or a quality manager corrects it.
    NotRecordAuthor => "not_record_author",
    /// Only the owner of the responsible process accepts or rejects a nonconformity.
    NotResponsibleOwner => "not_responsible_owner",
    /// The trainer or the trainee's process owner completes and evaluates a training.
    NotTheTrainer => "not_the_trainer",
    /// You record and plan for yourself and for the people of the processes you own.
    NotYourPerson => "not_your_person",
    /// Say what was done.
    NoteRequired => "note_required",
    /// The number is above the highest value allowed.
    NumberAboveMax => "number_above_max",
    /// The number is below the lowest value allowed.
    NumberBelowMin => "number_below_min",
    /// Unit, minimum, maximum and decimals belong to number fields.
    NumberSettingsOnOtherType => "number_settings_on_other_type",
    /// Options belong to choice fields.
    OptionsOnOtherType => "options_on_other_type",
    /// A choice needs at least one option.
    OptionsRequired => "options_required",
    /// No such output.
    OutputNotFound => "output_not_found",
    /// The owner must be a process owner or a quality manager.
    OwnerCannotOwn => "owner_cannot_own",
    /// Name the process owner.
    OwnerRequired => "owner_required",
    /// There is no such page.
    PageNotFound => "page_not_found",
    /// Give your password to acknowledge the document.
    PasswordRequired => "password_required",
    /// The request is too large.
    PayloadTooLarge => "payload_too_large",
    /// That period has not begun yet.
    PeriodInFuture => "period_in_future",
    /// That process code is taken.
    ProcessCodeTaken => "process_code_taken",
    /// The process has documents or links. Retire it instead of deleting it.
    ProcessInUse => "process_in_use",
    /// No such process.
    ProcessNotFound => "process_not_found",
    /// That process is retired; choose an active one.
    ProcessRetired => "process_retired",
    /// A value promise states three to seven target customer experiences.
    PromiseExperienceCount => "promise_experience_count",
    /// The draft holds no value promise yet; write the promise before submitting it.
    PromiseMissing => "promise_missing",
    /// Only a document of kind value promise holds a promise.
    PromiseOnlyForValuePromise => "promise_only_for_value_promise",
    /// Write this in both English and Finnish.
    PromiseTextRequired => "promise_text_required",
    /// This text of the promise is too long.
    PromiseTextTooLong => "promise_text_too_long",
    /// The range is too long; ask for at most 50 years at a time.
    RangeTooLong => "range_too_long",
    /// You have rated this already; correct your rating instead.
    RatingAlreadyGiven => "rating_already_given",
    /// There is no rating to correct yet; rate it first.
    RatingNotGiven => "rating_not_given",
    /// No such rating request.
    RatingRequestNotFound => "rating_request_not_found",
    /// Auditors and administrators do not work by documents; name quality managers, process owners or staff as readers.
    ReaderRoleNotAllowed => "reader_role_not_allowed",
    /// Give a reason.
    ReasonRequired => "reason_required",
    /// No such file on this record.
    RecordFileNotFound => "record_file_not_found",
    /// No such record.
    RecordNotFound => "record_not_found",
    /// The document repository is not usable right now.
    RepositoryUnavailable => "repository_unavailable",
    /// This competence is already required here; remove the requirement first to change its level.
    RequirementExists => "requirement_exists",
    /// There is no such requirement.
    RequirementNotFound => "requirement_not_found",
    /// Name exactly one of a process, a role, a person or a document.
    RequirementTargetRequired => "requirement_target_required",
    /// The revision has not been saved yet.
    RevisionHasNoContent => "revision_has_no_content",
    /// No such revision.
    RevisionNotFound => "revision_not_found",
    /// Auditors and administrators do not work in the processes; require competences of the roles that do.
    RoleCannotBeRequired => "role_cannot_be_required",
    /// Give the user at least one role.
    RolesRequired => "roles_required",
    /// Write down the root cause.
    RootCauseRequired => "root_cause_required",
    /// There is no such API route.
    RouteNotFound => "route_not_found",
    /// An approval route may only name people who sign documents (quality managers, process owners, staff), never auditors or administrators.
    RouteSignerNotAllowed => "route_signer_not_allowed",
    /// The case is that process's already.
    SameProcess => "same_process",
    /// Levels are already recorded on this scale; catalogue a new competence instead.
    ScaleInUse => "scale_in_use",
    /// This form is already scheduled for that process; stop that schedule first.
    ScheduleExists => "schedule_exists",
    /// No such schedule for this form.
    ScheduleNotFound => "schedule_not_found",
    /// This schedule is already stopped.
    ScheduleStopped => "schedule_stopped",
    /// The form asks its signer for a competence that is not in the catalogue.
    SignOffCompetenceNotFound => "sign_off_competence_not_found",
    /// This form does not ask for that signature.
    SignatureNotAsked => "signature_not_asked",
    /// The password does not match. The signature was not recorded.
    SignaturePasswordMismatch => "signature_password_mismatch",
    /// You do not hold a valid certification of the competence this signature needs.
    SignerLacksCompetence => "signer_lacks_competence",
    /// Your roles do not sign documents: auditors and administrators never sign. Nothing was recorded.
    SignerNotAllowed => "signer_not_allowed",
    /// Other records still refer to this, so it cannot be removed or changed this way. Nothing was changed.
    StillReferenced => "still_referenced",
    /// No such survey answer.
    SurveyAnswerNotFound => "survey_answer_not_found",
    /// A score is a whole number on the question's scale.
    SurveyAnswerOutOfScale => "survey_answer_out_of_scale",
    /// Please answer this question.
    SurveyAnswerRequired => "survey_answer_required",
    /// An answer is at most 2000 characters.
    SurveyAnswerTooLong => "survey_answer_too_long",
    /// Choose one of the options.
    SurveyAnswerUnknownOption => "survey_answer_unknown_option",
    /// This survey link cannot be used.
    SurveyLinkUnavailable => "survey_link_unavailable",
    /// No such survey.
    SurveyNotFound => "survey_not_found",
    /// A choice question has 2 to 20 options; other questions have none.
    SurveyOptionCount => "survey_option_count",
    /// A survey has 1 to 20 questions.
    SurveyQuestionCount => "survey_question_count",
    /// Too many requests from your address; wait a minute and try again.
    SurveyRateLimited => "survey_rate_limited",
    /// Write it in English and Finnish.
    SurveyTextRequired => "survey_text_required",
    /// The text is too long.
    SurveyTextTooLong => "survey_text_too_long",
    /// The text is too long (at most 10,000 characters).
    TextTooLong => "text_too_long",
    /// No such token.
    TokenNotFound => "token_not_found",
    /// Too many contacts at once.
    TooManyContacts => "too_many_contacts",
    /// The number has too many decimals.
    TooManyDecimals => "too_many_decimals",
    /// The form has too many fields or columns.
    TooManyFields => "too_many_fields",
    /// Name at most 100 clauses and 100 processes.
    TooManyItems => "too_many_items",
    /// A choice has at most 50 options.
    TooManyOptions => "too_many_options",
    /// The table has too many rows.
    TooManyRows => "too_many_rows",
    /// Name the people to train, or a process whose people are trained.
    TraineesRequired => "trainees_required",
    /// Name the trainer.
    TrainerRequired => "trainer_required",
    /// The training is already completed or cancelled.
    TrainingClosed => "training_closed",
    /// There is no such training.
    TrainingNotFound => "training_not_found",
    /// Laatu keeps no evidence under that clause; pick one from the list.
    UnknownClause => "unknown_clause",
    /// No such document.
    UnknownDocument => "unknown_document",
    /// Unknown document kind.
    UnknownDocumentKind => "unknown_document_kind",
    /// No such target experience in the value promise in force.
    UnknownExperience => "unknown_experience",
    /// The form has no such field.
    UnknownField => "unknown_field",
    /// A field's type is text, long_text, number, date, yes_no, choice, multi_choice, person, process, document, file, photo or table.
    UnknownFieldType => "unknown_field_type",
    /// No uploaded file that this record may name.
    UnknownFile => "unknown_file",
    /// Unknown language.
    UnknownLanguage => "unknown_language",
    /// Choose one of the options.
    UnknownOption => "unknown_option",
    /// No active person by that name.
    UnknownPerson => "unknown_person",
    /// No such process.
    UnknownProcess => "unknown_process",
    /// A question is nps, csat, effort, choice, text or idea.
    UnknownQuestionType => "unknown_question_type",
    /// Unknown role.
    UnknownRole => "unknown_role",
    /// Send the request body as application/json.
    UnsupportedContentType => "unsupported_content_type",
    /// That person cannot take part in training (inactive, or an auditor).
    UserCannotTrain => "user_cannot_train",
    /// That person is not an active user.
    UserInactive => "user_inactive",
    /// No such user.
    UserNotFound => "user_not_found",
    /// Name the person.
    UserRequired => "user_required",
    /// That username is taken.
    UsernameTaken => "username_taken",
    /// This answer is a list of options.
    ValueNotAList => "value_not_a_list",
    /// This answer is a list of rows.
    ValueNotATable => "value_not_a_table",
    /// This answer is a date such as 2026-11-30.
    ValueNotDate => "value_not_date",
    /// This answer is a number such as 12.5.
    ValueNotNumber => "value_not_number",
    /// This answer is a text.
    ValueNotText => "value_not_text",
    /// Answer yes or no.
    ValueNotYesNo => "value_not_yes_no",
    /// There is already a value promise; revise that document instead of creating another.
    ValuePromiseExists => "value_promise_exists",
    /// An answer is needed.
    ValueRequired => "value_required",
    /// The answer is too long.
    ValueTooLong => "value_too_long",
    /// You carried out corrective actions of this nonconformity; another quality manager verifies them.
    VerifierDidActions => "verifier_did_actions",
    /// Someone else changed this user while you were editing. Your changes were not saved; review the current values and try again.
    VersionConflict => "version_conflict",
    /// A password needs at least 10 characters.
    WeakPassword => "weak_password",
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn texts_are_snake_case_unique_and_in_order() {
        let texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(texts.len() > 100, "only {} codes", texts.len());
        for t in &texts {
            assert!(
                t.split('_').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{t} is not snake_case"
            );
        }
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(texts, sorted, "codes are unique and listed in order");
        assert_eq!(
            serde_json::to_string(&Code::InvalidRoute).unwrap(),
            "\"invalid_route\""
        );
        assert!(Code::InvalidRoute == "invalid_route");
    }
}
