# The home page's cards.
dash-card-tasks = What waits for you
dash-card-nc = Nonconformities
dash-card-documents = Documents
dash-card-kpis = Process performance
dash-card-competence = Competence
dash-card-records = Records
dash-card-audit = Where to start
dash-scope-own = The figures are of your processes: { $processes }.
dash-tasks-all = { $count ->
    [one] task in all
   *[other] tasks in all
}
dash-tasks-late = late
dash-nc-open = open
dash-nc-overdue = overdue
dash-docs-in-review = { $count ->
    [one] revision waits for approval
   *[other] revisions wait for approval
}
dash-docs-review-late = { $count ->
    [one] periodic review is late
   *[other] periodic reviews are late
}
dash-kpi-off-target = { $count ->
    [one] KPI off target
   *[other] KPIs off target
}
dash-kpi-late = { $count ->
    [one] measurement late
   *[other] measurements late
}
dash-cert-expiring = { $count ->
    [one] certification expiring soon
   *[other] certifications expiring soon
}
dash-cert-expired = expired
dash-records-overdue = { $count ->
    [one] scheduled record overdue
   *[other] scheduled records overdue
}
dash-records-deviation = { $count ->
    [one] record with a deviation in 30 days
   *[other] records with a deviation in 30 days
}
dash-audit-documents = Controlled documents and their revisions (7.5)
dash-audit-processes = The processes and their interactions (4.4)
dash-audit-records = Records, by form template (7.5.3)
dash-audit-ncs = Nonconformities and corrective actions (10.2)
dash-audit-competence = Competence and its evidence (7.2)
dash-audit-trail = The audit trail
dash-task-document_sign = to sign
dash-task-document_review = periodic reviews to make
dash-task-document_acknowledge = documents to read
dash-task-kpi_measure = measurements to record
dash-task-nc_accept = cases to accept or reject
dash-task-nc_analyse = root causes to find
dash-task-nc_plan_actions = actions to plan
dash-task-nc_action = actions to carry out
dash-task-nc_verify = effectiveness checks
dash-task-nc_close = cases to close
dash-task-certification_expiring = certifications to renew
dash-task-certification_expired = certifications expired
dash-task-training_due = trainings due
dash-task-record_due = records to fill in
