# External customer surveys (src/feedback).
nav-surveys = Surveys
survey-list-title = Customer surveys
survey-list-intro = Ask external customers at a touchpoint how it went. Each customer gets a personal link that works once.
survey-list-empty = No surveys yet.
survey-new = New survey
survey-create = Create survey
survey-col-title = Survey
survey-col-process = Process
survey-col-touchpoint = Touchpoint
survey-col-invited = Invited
survey-col-answers = Answers
survey-col-name = Name
survey-col-email = E-mail
survey-col-company = Company
survey-col-reference = Reference
survey-col-language = Language
survey-col-link = Personal link
survey-col-invited-on = Invited
survey-col-expires = Link open until
survey-col-answered = Answered
survey-touchpoint-order_delivered = Order delivered
survey-touchpoint-project_finished = Project finished
survey-touchpoint-service_case_closed = Service case closed
survey-title-en = Title in English
survey-title-fi = Title in Finnish
survey-choose-process = Choose a process
survey-expiry-days = Days a link stays open
survey-questions = Questions
survey-questions-help = Tick the questions to ask and check their wording in both languages. Up to three choice questions can be added below; leave a row empty to skip it.
survey-label-en = In English
survey-label-fi = In Finnish
survey-question-type-nps = Recommendation (NPS, 0–10)
survey-question-type-csat = Satisfaction (CSAT, 1–5)
survey-question-type-effort = Effort (1–5, 5 = very easy)
survey-question-type-choice = Choice
survey-question-type-text = Open answer
survey-question-type-idea = Idea for us
survey-default-nps = How likely are you to recommend us to a colleague?
survey-default-csat = How satisfied are you with what we delivered?
survey-default-effort = How easy was it to deal with us?
survey-default-text = What should we do better?
survey-default-idea = Do you have an idea for us? We read every one.
survey-expires-after = links stay open { $days } days
survey-results = Results
survey-from = From
survey-to = Before
survey-show = Show
survey-n = { $n ->
    [one] 1 answer
   *[other] { $n } answers
}
survey-nps-split = { $promoters } promoters, { $passives } passives, { $detractors } detractors
survey-nps-interval = With { $n } answers, the true NPS is likely (95 %) anywhere between { $low } and { $high }.
survey-csat-interval = With { $n } answers, the true average is likely (95 %) between { $low } and { $high }.
survey-response-rate = Response rate
survey-response-words = { $answered } of { $invited } invited in the period answered
survey-few-answers = Fewer than 30 answers: read the figures as a rough sign, not a measurement. A change of a few points says nothing yet.
survey-chart-answers = Answers per month
survey-chart-csat = Average satisfaction per month
survey-download-csv = Answers as CSV
survey-download-xlsx = Answers as XLSX
survey-by-company = By company
survey-company-unknown = (not given)
survey-answers = Answers
survey-idea = Idea:
survey-no-answers = No answers in this period.
survey-invitations = Invitations
survey-invite-one = Invite one customer
survey-invite = Make link
survey-invite-csv = Invite from a CSV
survey-csv-help = One customer a line: name, e-mail, company, reference, language (en or fi). A first line naming the columns is allowed. Up to 500 lines; if any line has a mistake, nothing is saved.
survey-csv-paste = Paste the lines
survey-csv-file = or choose a file
survey-invite-all = Make links
survey-csv-line = line
survey-no-invitations = Nobody has been invited yet.
survey-links-title = New personal links
survey-links-once = Copy the links now and send them to the customers: they are shown only this once.
survey-erase = Erase contact details
survey-erased = Erased on request
notice-survey-created = The survey was created. Invite customers below.
notice-survey-contact-erased = The contact details were erased; the answer's scores stay.
survey-public-heading = Customer survey
survey-public-intro = Thank you for taking a moment. Your answers go to the people who did the work.
survey-public-send = Send
survey-required = required
survey-public-thanks = Thank you!
survey-public-thanks-text = Your answer has reached us. We read every answer and act on what you told us.
survey-public-unavailable = This survey link cannot be used: it may have been answered already, it may have expired, or it may be incomplete. If you want to tell us something, please contact us directly.
survey-scale-nps-low = 0 = not at all likely
survey-scale-nps-high = 10 = extremely likely
survey-scale-csat-low = 1 = very dissatisfied
survey-scale-csat-high = 5 = very satisfied
survey-scale-effort-low = 1 = very difficult
survey-scale-effort-high = 5 = very easy
audit-action-survey-created = Survey created
audit-sentence-survey-created = { $actor } created the customer survey { $entity }
audit-action-survey-invited = Customers invited to a survey
audit-sentence-survey-invited = { $actor } invited customers to the survey { $entity }
audit-action-survey-answered = Survey answered
audit-sentence-survey-answered = A customer answered the survey { $entity }
audit-action-survey-contact_erased = Respondent's contact details erased
audit-sentence-survey-contact_erased = { $actor } erased a respondent's contact details in the survey { $entity } on their request
error-contact_field_too_long = A contact's name, e-mail, company or reference is too long.
error-contact_name_required = Every contact needs a name.
error-csv_unreadable = The CSV of contacts cannot be read.
error-duplicate_question_key = Two questions of the survey have the same key.
error-duplicate_scale_question = A survey asks NPS, CSAT and effort once each.
error-invalid_contact_language = A contact's language is en or fi.
error-invalid_contacts = Some contacts have mistakes; nothing was saved.
error-invalid_expiry_days = A link stays open 1 to 365 days.
error-invalid_question_key = A question or option key is a-z, 0-9 and _, starting with a letter.
error-invalid_survey = The survey has mistakes; see the fields.
error-invalid_survey_answer = Some answers need a look; see the questions marked below.
error-invalid_touchpoint = A touchpoint is an order delivered, a project finished or a service case closed.
error-invitation_not_found = No such invitation.
error-survey_answer_out_of_scale = Choose a number on the scale.
error-survey_answer_required = Please answer this question.
error-survey_answer_too_long = An answer is at most 2000 characters.
error-survey_answer_unknown_option = Choose one of the options.
error-survey_link_unavailable = This survey link cannot be used.
error-survey_not_found = No such survey.
error-survey_answer_not_found = No such survey answer.
error-survey_option_count = A choice question has 2 to 20 options; other questions have none.
error-survey_question_count = A survey has 1 to 20 questions.
error-survey_rate_limited = Too many requests from your address. Wait a minute and try again.
error-survey_text_required = Write it in English and in Finnish.
error-survey_text_too_long = The text is too long.
error-too_many_contacts = Invite 1 to 500 customers at once.
error-unknown_question_type = A question is NPS, CSAT, effort, choice, open answer or idea.
task-survey_followup = Follow up a customer's answer
dash-task-survey_followup = { $count ->
    [one] customer answer to follow up
   *[other] customer answers to follow up
}
survey-followups = Follow-ups
survey-followups-help = A detractor (NPS 0–6) or low satisfaction (CSAT 1–2) asks the process owner to contact the customer within the set working days.
survey-no-followups = Nothing to follow up.
survey-followup-reason-detractor = Detractor
survey-followup-reason-low_csat = Low satisfaction
survey-followup-due = due { $due }
survey-followup-late = late
survey-followup-done-by = Done by { $who } on { $when }
survey-followup-told = the customer was told
survey-followup-not-told = the customer was not told
survey-followup-action = What was done
survey-followup-told-box = The customer was told what we did
survey-followup-record = Record the follow-up
notice-survey-followup-done = The follow-up was recorded.
audit-action-survey-followup_done = Survey answer followed up
audit-sentence-survey-followup_done = { $actor } recorded the follow-up of an answer to the survey { $entity }
error-followup_done_already = This follow-up was recorded already.
error-followup_not_found = No such follow-up.
audit-system-survey = Laatu (a customer answering a survey link)
audit-area-survey = Customer surveys
answer-case-a-customer = a customer
answer-case-complaint-title = Customer feedback from { $from }: { $scores }
answer-case-complaint-from = Opened from the answer of { $from } to the survey "{ $survey }" ({ $scores }).
answer-case-idea-title = Customer's idea: { $idea }
answer-case-idea-from = An idea from { $from } in the survey "{ $survey }", taken forward.
survey-open-complaint = Open a customer complaint
survey-take-idea-forward = Take the idea forward
survey-cases-from-answer = Opened from this answer:
survey-mail-subject = { $survey }
survey-mail-body =
    Hello { $name },

    we would like to hear how it went: { $survey }

    Answering takes a minute. This link is yours alone and opens until { $until }:
    { $link }

    Thank you for your time.
survey-send-mail = E-mail each contact with an address their link
survey-no-smtp = E-mail is not set up on this site (no SMTP settings): copy the links instead.
survey-col-mail = E-mail
survey-mail-state-queued = Queued
survey-mail-state-sent = Sent
survey-mail-state-failed = Failed
survey-mail-state-dropped = Not sent (erased)
audit-action-survey-invitations_mailed = Survey invitations e-mailed
audit-sentence-survey-invitations_mailed = { $actor } sent the queued survey invitations
survey-choice-row = Choice question { $n }
survey-choice-options = Options, one per line: English | Finnish
survey-choice-options-example = On time | Ajallaan
audit-field-action_taken = What was done
audit-field-customer_told = Customer told
audit-field-survey_answer = Survey answer
audit-field-mailed = E-mailed
audit-field-invitations = Invitations
audit-field-invitation = Invitation
audit-field-answer = Answer
audit-field-followup = Follow-up
