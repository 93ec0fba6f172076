# Scorecards: per process and span, how each customer-experience KPI did.
score-title = Customer-experience scorecards
score-span = Review span
score-show = Show
score-download-csv = Download CSV
score-download-xlsx = Download Excel
score-intro = Every customer-experience measure of every active process from { $from } to { $to }: each period's value against its target, and how the same measure did in { $previous }.
score-team-level = These are the figures of processes and teams, not of persons. Use them to talk about what the team can change; tied to one person's pay they get gamed.
score-without = { $count ->
    [one] One active process has no customer-experience measure.
   *[other] { $count } active processes have no customer-experience measure.
}
score-without-link = See them
score-owner = Owner: { $name }
score-no-measures = No customer-experience measure: this process does not yet measure what its customers experience.
score-col-process = Process
score-col-owner = Owner
score-col-kpi = Measure
score-col-experience = Target experience
score-col-indicator = Indicator
score-col-target = Target
score-col-values = Values by period
score-col-periods = Periods
score-col-measured = Measured
score-col-on-target = On target
score-col-verdict = Verdict
score-col-previous = Span before
score-col-previous-measured = Measured, span before
score-col-previous-on-target = On target, span before
score-target-at-least = at least { $value }
score-target-at-most = at most { $value }
score-periods-on-target = { $on } / { $of } periods on target
score-previous = { $on } / { $measured } measured periods on target
score-previous-none = not measured
score-not-measured = not measured
score-meets = (on target)
score-misses = (off target)
score-verdict-met = on target
score-verdict-partly = partly on target
score-verdict-missed = off target
score-verdict-no_data = not measured
score-verdict-not_due = no period of this measure ends in the span
promise-scorecards = Scorecards
