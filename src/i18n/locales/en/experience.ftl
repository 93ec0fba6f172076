# Customer experience: the value promise, the experiences processes serve, CX measures.

nav-promise = Promise
home-promise = Our value promise and the customer experiences we aim at
kind-value_promise = Value promise

promise-title = Value promise
promise-in-force = In force: { $number } revision { $rev }, approved by top management.
promise-basic_task = Our basic task
promise-promise = Our value promise
promise-experiences = Target customer experiences
promise-experience = Target experience
promise-measured-by = How it is measured
promise-served-by = Processes that serve it
promise-served-by-none = no process yet
promise-none = No value promise is in force yet. Top management states the basic task, the value promise and three to seven target customer experiences in a controlled document of kind value promise.
promise-create = Write the value promise
promise-edit = Edit the promise
promise-edit-title = Value promise
promise-back-to-document = Back to the document
promise-edit-hint = The promise is saved in the draft and takes effect when the revision is approved. Write every text in English and Finnish. Empty the texts of a row to leave it out.
promise-lang-en = English
promise-lang-fi = Finnish
promise-experiences-hint = Three to seven experiences, each one short sentence and how it is measured. The key names the experience for processes and KPIs and stays the same from revision to revision; it is made from the English sentence when left empty.
promise-key = Key
promise-sentence = Experience
promise-measured = How it is measured
promise-save = Save the promise in the draft

notice-promise-saved = The promise was saved in the draft. It takes effect when the revision is approved.
notice-experiences-saved = The target experiences of the process were saved.
notice-kpi-experience-saved = What the KPI measures was saved.

cx-serves = Target customer experiences it serves
cx-serves-pick = The experiences of the value promise this process serves
cx-save-experiences = Save the experiences
cx-serves-none = This process serves no target experience yet.
cx-no-promise = No value promise is in force yet.
cx-measures = Customer-experience measures
cx-status-none = no CX measure
cx-status-lagging_only = only lagging
cx-status-leading = leading
cx-counts = { $leading } leading, { $lagging } lagging
cx-measure = CX measure
cx-filter-none = Active processes without a customer-experience measure.
cx-filter-lagging_only = Active processes whose customer-experience measures are all lagging.
cx-filter-leading = Active processes with at least one leading customer-experience measure.
cx-filter-clear = Show all processes

kpi-experience = Customer experience measured
kpi-experience-none = none (not a CX measure)
kpi-experience-save = Save
kpi-experience-hint = Tie the KPI to a target experience of the value promise to make it a customer-experience measure.

map-experiences = The customer experiences each process serves
map-experiences-hint = From the value promise in force.
map-flow-process = Process

dash-card-cx = Customer experience
dash-cx-none = { $count ->
    [one] process without a CX measure
   *[other] processes without a CX measure
}
dash-cx-lagging-only = { $count ->
    [one] process with only lagging CX measures
   *[other] processes with only lagging CX measures
}

error-duplicate_experience_key = Two target experiences of the promise have the same key.
error-invalid_experience_key = A target experience's key is lower-case letters, digits and _, starting with a letter.
error-invalid_promise = The value promise is not complete; see the marked fields.
error-no_value_promise = No value promise is in force yet; approve one first.
error-promise_experience_count = A value promise states three to seven target customer experiences.
error-promise_missing = The draft holds no value promise yet; write the promise before submitting it.
error-promise_only_for_value_promise = Only a document of kind value promise holds a promise.
error-promise_text_required = Write this in both English and Finnish.
error-promise_text_too_long = This text of the promise is too long.
error-unknown_experience = No such target experience in the value promise in force.
error-value_promise_exists = There is already a value promise; revise that document instead of creating another.
error-invalid_cx_status = A customer-experience status is none, lagging_only or leading.
