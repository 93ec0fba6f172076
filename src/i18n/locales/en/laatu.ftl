app-name = Laatu
app-tagline = Quality management system
skip-to-content = Skip to content

nav-home = Home
nav-users = Users
nav-audit = Audit trail
nav-account = My account
nav-logout = Log out
nav-login = Log in
nav-main = Main navigation
language-label = Language
language-switch = Change
lang-en = English
lang-fi = Suomi

role-admin = Administrator
role-quality_manager = Quality manager
role-process_owner = Process owner
role-staff = Staff
role-auditor = Auditor

login-title = Log in
login-username = Username
login-password = Password
login-submit = Log in

home-title = Home
home-welcome = Welcome, { $name }.
home-your-roles = Your roles
home-what-next = What you can do here
home-admin = Manage user accounts, roles and expiry dates.
home-audit = Read the audit trail: who changed what, and when.
home-documents = Read the documents in force; draft, review and approve new revisions.
home-account = Set your language and password, and create API tokens for scripts.

account-title = My account
account-language = Language
account-language-hint = Pages use this language on every device you log in from.
account-language-save = Save language
account-password-title = Change password
account-current-password = Current password
account-new-password = New password (at least 10 characters)
account-password-submit = Change password
tokens-title = API tokens
tokens-intro = A token lets a script use the JSON API as you: send it as "Authorization: Bearer <token>".
tokens-name = Name
tokens-create = Create token
tokens-created-once = Copy this token now. It is not shown again.
tokens-none = No tokens yet.
tokens-created-at = Created
tokens-status = Status
tokens-active = Active
tokens-revoked = Revoked { $time }
tokens-revoke = Revoke

users-title = Users
users-new = New user
users-username = Username
users-display-name = Name
users-email = E-mail
users-roles = Roles
users-status = Status
users-active = Active
users-deactivated = Deactivated
users-expired = Expired
users-expires = Account expires
users-expires-hint = Date (UTC) from which the account no longer works; leave empty for no expiry. For external auditors.
users-locked = Locked until { $time }
users-unlock = Lift the lockout after failed logins
users-active-label = Account is active (uncheck to deactivate: sessions and tokens stop at once)
users-save = Save
users-create = Create user
users-password = Password (at least 10 characters)
users-password-title = Set password
users-password-hint = The user's sessions end; tell them the new password in person.
users-password-submit = Set password
users-tokens = API tokens of this user
users-created = Created
users-total = { $total ->
    [one] One user
   *[other] { $total } users
}

audit-title = Audit trail
audit-intro = Every change of data, in order. Each event carries the hash of the one before it, so an altered event is found by "laatu check".
audit-seq = #
audit-time = Time
audit-actor = Who
audit-action = What
audit-entity = Entity
audit-summary = Summary
audit-changes = Changes
audit-from = From (UTC)
audit-to = To (UTC)
audit-entity-type = Entity type
audit-entity-id = Entity id
audit-filter = Filter
audit-clear = Clear
audit-none = No events match.
audit-total = { $total ->
    [one] One event
   *[other] { $total } events
}

page-prev = Previous
page-next = Next
page-of = Page { $page } of { $pages }

notice-password-changed = Your password was changed. Your other sessions have ended.
notice-token-revoked = The token was revoked.
notice-user-created = The user was created.
notice-user-saved = The user was saved.
notice-password-set = The password was set and the user's sessions ended.

error-title = Something went wrong
error-back = Back to the home page
error-not_authenticated = Log in first.
error-forbidden = Your roles do not allow this.
error-not_found = Not found.
error-page_not_found = There is no such page.
error-route_not_found = There is no such API route.
error-method_not_allowed = That action is not possible here.
error-bad_request = The request was not understood.
error-csrf_token_invalid = The form has expired or did not come from this site. Reload the page and try again.
error-invalid_credentials = Wrong username or password.
error-account_locked = Too many failed logins. The account is locked for a while; try again later or ask an administrator.
error-account_disabled = This account is deactivated or has expired.
error-invalid_token = The API token is unknown or revoked.
error-invalid_username = A username is 2-64 characters: lower-case letters, digits, ".", "_" or "-".
error-weak_password = A password needs at least 10 characters.
error-invalid_display_name = A name is 1-200 characters.
error-invalid_email = That is not an e-mail address.
error-unknown_role = Unknown role.
error-roles_required = Give the user at least one role.
error-username_taken = That username is taken.
error-user_not_found = No such user.
error-version_conflict = Someone else changed this user while you were editing. Your changes were not saved; review the current values and try again.
error-cannot_remove_last_admin = This is the last active administrator. Make someone else an administrator first.
error-current_password_mismatch = The current password is not right.
error-invalid_token_name = A token name is 1-100 characters.
error-token_not_found = No such token.
error-invalid_time = Give a date (2026-11-01) or a UTC time (2026-11-01T08:00:00).
error-unknown_language = Unknown language.
error-malformed_form = The form could not be read.
error-invalid_form = The form has a missing or invalid field.
error-payload_too_large = The request is too large.
error-invalid_query = The address has an invalid parameter.
error-already_exists = That already exists.
error-concurrent_update = Someone else changed this at the same time. Try again.
error-internal_error = An internal error occurred. It has been logged.
error-database_unavailable = The database is not reachable right now.
error-repository_unavailable = The document repository is not usable right now.

error-invalid_json = A field of the request is missing or has the wrong type.
error-malformed_json = The request body is not valid JSON.
error-unsupported_content_type = Send the request body as application/json.

nav-documents = Documents

docs-title = Documents
docs-new = New document
docs-search = Search
docs-status = Status
docs-status-current = In force and in preparation
docs-any = Any
docs-kind = Kind
docs-owner = Owner
docs-review-overdue = Review overdue
docs-total = { $total ->
    [one] One document
   *[other] { $total } documents
}
docs-number = Number
docs-doc-title = Title
docs-revision = Revision
docs-next-review = Next review
docs-number-hint = Leave empty to get the next number for the kind (QP-001, WI-001, ...). Numbers are never reused.
docs-process = Process
docs-review-interval = Review interval (months)
docs-create = Create document
docs-edit = Edit draft
docs-draft-heading = Revision { $rev } in preparation
docs-read-draft = Read the draft
docs-redline = Redline
docs-change-reason = Reason for change
docs-last-saved-by = Last saved by { $name }
docs-effective-from = Effective from
docs-submit = Submit for approval
docs-route = Approval route
docs-step-n-of-role = { $n } signatures from:
docs-step-all-users = { $count ->
    [one] The named person signs
   *[other] All { $count } named people sign
}
docs-signatures = Signatures
docs-signer = Signer
docs-meaning = Meaning
docs-comment = Comment
docs-commit = Commit
docs-voided = Void
docs-sign = Sign
docs-sign-password = Your password
docs-sign-hint = Your signature is bound to exactly this content. If the draft changes, the signature becomes void.
docs-reject-comment = Why is it rejected?
docs-reject = Reject to draft
docs-effective-banner = Revision { $rev } is in force.
docs-attachments = Attachments
docs-not-yet-effective = No revision of this document is in force yet.
docs-revisions = Revisions
docs-author = Author
docs-approved-at = Approved
docs-draft-banner = DRAFT: not approved, not for use.
docs-superseded-banner = NOT IN FORCE: superseded or withdrawn, not for use.
docs-go-current = Read revision { $rev }, in force
docs-download = Download
docs-redline-stats = { $added } words added, { $removed } words removed.
docs-back = Back to the document
docs-content = Content (Markdown)
docs-markdown-hint = Markdown: # headings, *emphasis*, lists, tables. Scripts and unsafe links are removed when shown.
docs-save = Save draft
docs-preview = Preview
docs-preview-banner = Preview: not saved.

docstatus-draft = In preparation
docstatus-effective = In force
docstatus-obsolete = Obsolete

revstatus-draft = Draft
revstatus-in_review = In review
revstatus-approved = Approved, not yet in force
revstatus-effective = In force
revstatus-superseded = Superseded
revstatus-obsolete = Obsolete

kind-policy = Policy
kind-scope = Scope
kind-manual = Manual
kind-procedure = Procedure
kind-work_instruction = Work instruction
kind-form = Form
kind-external = External document

meaning-reviewed = Reviewed
meaning-approved = Approved
meaning-rejected = Rejected

notice-document-created = The document was created. Write its first draft.
notice-draft-saved = The draft was saved.
notice-document-submitted = The draft was submitted for approval.
notice-document-signed = Your signature was recorded.
notice-document-rejected = The revision was returned to draft.

error-document_not_found = No such document.
error-unknown_document_kind = Unknown document kind.
error-invalid_document_number = A document number is capital letters, a hyphen and digits, such as QP-001.
error-invalid_title = A title is 1-300 characters.
error-invalid_review_interval = The review interval is 1-120 months.
error-owner_cannot_own = The owner must be a process owner or a quality manager.
error-document_number_taken = That number is taken. Numbers are never reused.
error-content_too_large = The text is too large; attach large files instead.
error-document_obsolete = The document is obsolete and cannot change.
error-change_reason_required = A new revision needs a reason for change.
error-draft_conflict = Someone else saved this draft after you started editing. Your text is below; compare it with the current draft and save again.
error-invalid_route = The approval route is not valid.
error-no_draft = There is no draft or revision in review.
error-already_in_review = The revision is already in review.
error-draft_empty = Save the draft before submitting it.
error-invalid_effective_date = The effective date is today or later.
error-signature_password_mismatch = The password does not match. The signature was not recorded.
error-not_in_review = The revision is not in review.
error-draft_changed = The draft changed after you read it. Read it again before signing.
error-author_cannot_sign = The author of a revision cannot sign it.
error-not_a_signer = You are not a signer of the current step.
error-already_signed = You have already signed this step.
error-final_step_needs_approval = The last step is signed as approved.
error-comment_required = Write a comment.
error-revision_not_found = No such revision.
error-revision_has_no_content = The revision has not been saved yet.
error-invalid_meaning = A signature means reviewed or approved.

docs-review-no-change = Record a periodic review: no change needed
docs-review-comment = What did the review look at?
docs-review-submit = Sign the review
docs-withdraw = Withdraw the document
docs-withdraw-reason = Why is it withdrawn?
notice-document-reviewed = The review was recorded and the next review date moved on.
notice-document-withdrawn = The document was withdrawn. It stays retrievable but is no longer in force.
error-not_effective = The document has no revision in force.
error-reason_required = Give a reason.

docs-attach = Attach
docs-attach-file = File (Word, PDF, image, ...)
docs-attach-after-save = Save the text first; then you can attach files.
docs-remove = Remove
notice-attachment-added = The file was attached to the draft.
notice-attachment-removed = The file was removed from the draft.
error-no_file = Choose a file to attach.
error-invalid_attachment_name = That file name cannot be used: no slashes, no leading dot, no "..", at most 200 bytes.
error-attachment_not_found = No such attachment.
error-malformed_body = The request body could not be read.

docs-route-own = Approval route of this document
docs-route-steps = Steps, one a line
docs-route-hint = Write "all: ann, bob" (everyone named signs) or "2 of quality_manager" (two holders of the role sign). Empty: the kind's route applies. Revisions already submitted keep their route.
docs-route-kinds = Approval routes by kind
docs-route-default = Without a route, one quality manager approves.
docs-route-save = Save route
notice-route-saved = The approval route was saved.

docs-compare-from = From
docs-compare-to = to

error-process_not_found = No such process.
error-invalid_process_code = A process code is 2-16 capital letters, digits, "_" or "-", starting with a letter (SALES, PROD-2).
error-invalid_process_status = A process is active or retired.
error-invalid_process_name = A process name is 1-200 characters.
error-process_code_taken = That process code is taken.
error-process_in_use = The process has documents or links. Retire it instead of deleting it.
error-owner_required = Name the process owner.
error-invalid_output = An output has a name and goes to at least one other active process or an external customer.
error-output_not_found = No such output.
error-invalid_input = An input has a name and an external supplier.
error-input_not_found = No such input.
error-text_too_long = The text is too long (at most 10,000 characters).

error-kpi_not_found = No such KPI.
error-invalid_value = Give a number, such as 12.5.
error-invalid_unit = A unit is at most 30 characters.
error-invalid_period = That period is not written the way the KPI's frequency needs (2026-10, 2026-Q3, 2026, 2026-W41).
error-period_in_future = That period has not begun yet.
error-invalid_direction = The direction is higher_is_better or lower_is_better.
error-invalid_indicator = The indicator is leading or lagging.
error-invalid_frequency = The frequency is weekly, monthly, quarterly or yearly.
error-invalid_kpi_name = A KPI name is 1-200 characters.

nav-processes = Processes
home-processes = See every process, its inputs, outputs, internal customers and measures.
processes-title = Processes
processes-map = Process map
processes-map-title = Process map
processes-map-hint = Each box is a process; each arrow is what one process supplies to its customer. Grey boxes are external customers and suppliers.
processes-map-download = Open the map as SVG
processes-code = Code
processes-name = Name
processes-owner = Owner
processes-status = Status
processes-members = Members (usernames)
processes-purpose = Purpose
processes-criteria = Criteria and methods
processes-risks = Risks and opportunities
processes-new = New process
processes-create = Create process
processes-edit = Edit the process
processes-add-output = Add an output
processes-add-input = Add an input from an external supplier
processes-what-flows = What flows
processes-internal-customers = Internal customers
processes-external-customer = External customer
processes-external-supplier = External supplier
pstatus-active = Active
pstatus-retired = Retired
turtle-inputs = Inputs
turtle-outputs = Outputs
turtle-with-what = With what (resources)
turtle-with-whom = With whom
turtle-how = How (documents)
turtle-measures = Measures (KPIs)
kpi-target = Target
kpi-unit = Unit
kpi-direction = Direction
kpi-indicator = Indicator
kpi-frequency = Measured
kpi-higher_is_better = higher is better
kpi-lower_is_better = lower is better
kpi-leading = leading
kpi-lagging = lagging
kpi-weekly = weekly
kpi-monthly = monthly
kpi-quarterly = quarterly
kpi-yearly = yearly
kpi-latest = Latest
kpi-met = target met
kpi-missed = target missed
kpi-no-values = No measurements yet.
kpi-overdue = measurement overdue
kpi-trend = Trend
kpi-period = Period
kpi-value = Value
kpi-record = Record
kpi-none = No KPIs yet.
kpi-add = Add a KPI
notice-process-created = The process was created.
notice-process-saved = The process was saved.
notice-output-added = The output was added; its customers see it as an input.
notice-input-added = The input was added.
notice-kpi-added = The KPI was added.
notice-measurement-recorded = The measurement was recorded.

notice-output-removed = The output was removed; its customers no longer list it as an input.
notice-input-removed = The input was removed.

error-nonconformity_not_found = No such nonconformity.
error-invalid_nc_kind = Unknown kind of nonconformity.
error-invalid_severity = The severity is minor, major or critical.
error-invalid_nc_status = Unknown state of a nonconformity.
error-not_responsible_owner = Only the owner of the responsible process accepts or rejects a nonconformity.
error-invalid_transition = That step does not apply to the nonconformity in its current state.
error-detected_in_future = A nonconformity cannot be detected in the future.

footer-text = Laatu, quality management system
