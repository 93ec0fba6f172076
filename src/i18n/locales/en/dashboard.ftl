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
dash-task-document_sign = { $count ->
    [one] revision to sign
   *[other] revisions to sign
}
dash-task-document_review = { $count ->
    [one] periodic review to make
   *[other] periodic reviews to make
}
dash-task-document_acknowledge = { $count ->
    [one] document to read
   *[other] documents to read
}
dash-task-kpi_measure = { $count ->
    [one] measurement to record
   *[other] measurements to record
}
dash-task-nc_accept = { $count ->
    [one] case to accept or reject
   *[other] cases to accept or reject
}
dash-task-nc_analyse = { $count ->
    [one] root cause to find
   *[other] root causes to find
}
dash-task-nc_plan_actions = { $count ->
    [one] case needs actions planned
   *[other] cases need actions planned
}
dash-task-nc_action = { $count ->
    [one] action to carry out
   *[other] actions to carry out
}
dash-task-nc_verify = { $count ->
    [one] effectiveness check
   *[other] effectiveness checks
}
dash-task-nc_close = { $count ->
    [one] case to close
   *[other] cases to close
}
dash-task-certification_expiring = { $count ->
    [one] certification to renew
   *[other] certifications to renew
}
dash-task-certification_expired = { $count ->
    [one] certification expired
   *[other] certifications expired
}
dash-task-training_due = { $count ->
    [one] training due
   *[other] trainings due
}
dash-task-record_due = { $count ->
    [one] record to fill in
   *[other] records to fill in
}
