
## Errors
error-competence_has_no_levels = This competence has no levels; leave the level out.
error-invalid_ack_state = An acknowledgement is acknowledged, carried over or pending.
error-invalid_cell_state = Unknown state of a matrix cell.
error-invalid_certification_state = A certification is valid, expiring or expired.
error-invalid_competence_status = A competence is active or retired.
error-invalid_requirement_scope = A requirement is for a process, a role, a person or a document.
error-invalid_scale = The level scale is none, iluo or one_to_five.
error-invalid_training_status = A training is planned, completed or cancelled.
error-level_not_on_scale = The level is not on the competence's scale.
