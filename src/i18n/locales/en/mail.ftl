## E-mail for what waits (src/mail): the mails, the account setting, the admin's page.

mail-subject-document_sign = Signature needed: { $reference } { $title }
mail-body-document_sign = { $title } ({ $reference }) waits for your signature.
mail-subject-nc_accept = Nonconformity to accept: { $reference } { $title }
mail-body-nc_accept = { $reference } “{ $title }” was reported against { $process }, a process you own. Accept or reject it.
mail-subject-nc_action = Corrective action for you: { $reference }
mail-body-nc_action =
    You were given a corrective action on { $reference } “{ $title }”:
    { $action }
    It is due on { $due }.
mail-subject-document_acknowledge = Document to read: { $reference } { $title }
mail-body-document_acknowledge = Revision { $rev } of { $reference } “{ $title }” is in force. Read it and acknowledge it as read and understood.
mail-subject-certification_expiring = Certification expiring: { $title }
mail-body-certification_expiring = Your certification { $title } ({ $reference }) is valid until { $due }. Renew it in time.

mail-open = Open it in Laatu:
mail-footer = You get these mails because your mail setting in Laatu is “{ $choice }”. You can change it on your account page: { $account }
mail-digest-subject-one = One thing waits for you in Laatu
mail-digest-subject-other = { $count } things wait for you in Laatu
mail-digest-intro-one = This is what came in since yesterday's mail:
mail-digest-intro-other = These { $count } things came in since yesterday's mail:

mail-choice-immediate = A mail for each task
mail-choice-digest = One mail a day
mail-choice-off = No mail

mail-account-title = E-mail
mail-account-save = Save mail setting
mail-account-hint = Mail goes to { $email }. The daily mail comes at { $hour }:00.
mail-account-no-address = Your account has no e-mail address, so no mail is sent to you. An admin can add one.
notice-mail-saved = Your mail setting was saved.

mail-admin-title = Mail
mail-admin-configured = Mail is sent through { $server } as { $from }.
mail-admin-not-configured = No mail server is set up (smtp_url and mail_from): nothing is sent. Mails are kept in the queue and go out once a server is set up.
mail-admin-how = Mails are sent by the scheduler, never during a request. A daily mail goes out at { $hour }:00 ({ $timezone }). A mail that cannot be sent is tried { $attempts } times, with longer waits in between, and then given up on.
mail-admin-queued = Waiting
mail-admin-sent = Sent
mail-admin-failed = Could not be sent
mail-admin-failed-title = Mails that could not be sent
mail-admin-queued-title = Mails waiting
mail-admin-recipient = To
mail-admin-subject = Subject
mail-admin-queued-at = Queued
mail-admin-next-attempt = Goes out
mail-admin-attempts = Tries
mail-admin-error = Last error
mail-admin-with-digest = With the next daily mail
mail-admin-none-failed = Every mail so far could be sent.
mail-admin-none-queued = No mail waits.

error-invalid_mail_choice = Mail is “immediate”, “digest” or “off”.
error-invalid_mail_state = Unknown state of a mail.
