## "Read and understood" acknowledgements (ISO 9001 7.3, 7.5.3)
task-document_acknowledge = Read and acknowledge
ack-pending-banner = Revision { $rev } is in force and waits for your acknowledgement: read it, then confirm below.
ack-form-heading = Read and understood: revision { $rev }
ack-form-intro = You are a reader of this document. When you have read revision { $rev } above and understood what it asks of you, confirm it here.
ack-form-hint = Your acknowledgement is an electronic signature bound to exactly this content, commit
ack-submit = I have read and understood it
ack-mine-acknowledged = You acknowledged revision { $rev }.
ack-mine-carried = You acknowledged revision { $rev }; revision { $current } needed no retraining, so your acknowledgement carries over.
ack-mine-link = Everything you read
ack-mine-title = Documents I read
ack-mine-pending = { $n ->
    [0] Nothing waits for your acknowledgement.
    [one] One document waits for your acknowledgement.
   *[other] { $n } documents wait for your acknowledgement.
}
ack-mine-none = You are not a reader of any document in force.
ack-readers-heading = Readers
ack-readers-who-process = Readers are the members of process { $process }
ack-readers-who-no-process = This document has no process; its readers are the holders of the roles it names.
ack-readers-who-roles = and the holders of these roles:
ack-reader-roles = Reader roles
ack-reader-roles-edit = Change the reader roles
ack-reader-roles-hint = Holders of the roles ticked read the document and acknowledge each revision in force, besides the members of its process. Auditors and administrators are never readers.
ack-reader-roles-save = Save the reader roles
ack-counts = Revision { $rev }: { $acknowledged } acknowledged, { $carried } carried over, { $pending } not yet.
ack-reader = Reader
ack-state = Acknowledgement
ack-when = Acknowledged
ack-carried-note = (acknowledged in revision { $rev }; no retraining was needed since)
ack-no-readers = This document has no readers: it names no roles, and its process has no members.
ack-earlier = { $count ->
    [one] One acknowledgement of earlier revisions
   *[other] { $count } acknowledgements of earlier revisions
}
ack-no-retraining = No retraining needed (for example, a typo fix)
ack-no-retraining-hint = Acknowledgements of revision { $rev } then carry over to this revision, and its readers are not asked again.
ack-no-retraining-badge = no retraining needed
notice-document-acknowledged = Your acknowledgement was recorded.
notice-document-reader-roles-saved = The reader roles were saved.
error-already_acknowledged = You have acknowledged this revision already.
error-document_changed = The document changed since you read it. Read the revision in force and acknowledge it again.
error-no_retraining_not_final_approval = Only the signature that approves the revision can say no retraining is needed.
error-no_retraining_without_effective_revision = No retraining needed applies to a revision that replaces one in force; this document has none, so its readers acknowledge this revision.
error-not_a_reader = Only the readers of a document acknowledge it: the members of its process and the holders of the roles it names.
error-password_required = Give your password to acknowledge the document.
error-reader_role_not_allowed = Auditors and administrators do not work by documents; name quality managers, process owners or staff as readers.
