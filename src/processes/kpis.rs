//! Quality objectives and KPIs (ISO 9001 6.2, 9.1.1): targets, measurements
//! per period, whether the latest value meets the target, and which
//! measurements are overdue (computed by the scheduler).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub use super::kpi_model::{
    Frequency, Measurement, due_period, parse_period, period_of, period_start,
};
use super::kpi_sources::{self, FromRecords, KpiSource, RecordMeasure};
use super::service::row_by_code;
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{documents, kpi_measurements, kpis, process_members, processes};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::{new_id, now};
use crate::kit::choice::choice;
use crate::kit::due::{Deadline, Due, reconcile};
use crate::kit::number::{DecimalInput, decimal};
use crate::store::DocStore;

choice!(
    /// Which way is better.
    Direction, Code::InvalidDirection, "direction" {
        HigherIsBetter => "higher_is_better",
        LowerIsBetter => "lower_is_better",
    }
);
choice!(
    /// Whether the KPI predicts (leading) or reports (lagging) results.
    Indicator, Code::InvalidIndicator, "indicator" {
        Leading => "leading",
        Lagging => "lagging",
    }
);
/// Whether `value` meets `target` in `direction`.
pub fn meets(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::HigherIsBetter => value >= target,
        Direction::LowerIsBetter => value <= target,
    }
}

/// A KPI as the API shows it, with its latest value.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KpiView {
    /// The KPI's id.
    pub id: String,
    /// Code of the process it measures.
    pub process: String,
    /// What is measured.
    pub name: String,
    /// The unit of the values (`%`, `days`, ...).
    pub unit: String,
    /// The target, as a decimal text.
    pub target: String,
    /// Whether higher or lower values are better.
    pub direction: Direction,
    /// Whether it is a leading or a lagging indicator.
    pub indicator: Indicator,
    /// How often it is measured; decides the period format.
    pub frequency: Frequency,
    /// Where the numbers come from: `manual` entries, `internal_complaints`
    /// counted from the nonconformity records, or `records` counted from the
    /// records of a form template, `internal_ratings`, the share of the
    /// internal customers' ratings that were good, or `survey_followups`,
    /// the share of survey follow-ups done by their due day (no entries taken).
    #[schema(value_type = super::kpi_sources::KpiSource)]
    pub source: String,
    /// For `records`: the form template's number.
    pub source_template: Option<String>,
    /// For `records`: what is counted.
    pub source_measure: Option<RecordMeasure>,
    /// For `records`: the field averaged, summed or counted as yes.
    pub source_field: Option<String>,
    /// The latest period with a value.
    pub latest_period: Option<String>,
    /// The value of that period.
    pub latest_value: Option<String>,
    /// Whether the latest value meets the target.
    pub meets_target: Option<bool>,
    /// Whether the last complete period has no value past its grace days.
    pub measurement_overdue: bool,
    /// For a customer-experience measure: the key of the target experience
    /// of the value promise it measures; `null` for other KPIs.
    pub experience: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = kpis)]
pub(crate) struct KpiRow {
    pub(crate) id: String,
    process_id: String,
    pub(crate) name: String,
    unit: String,
    target: String,
    direction: String,
    indicator: String,
    frequency: String,
    source: String,
    measurement_overdue: bool,
    created_at: NaiveDateTime,
    source_template_id: Option<String>,
    source_measure: Option<String>,
    source_field: Option<String>,
    experience: Option<String>,
}

impl KpiRow {
    /// Which records it counts, for the source `records`.
    fn records_counted(&self) -> AppResult<Option<FromRecords>> {
        match (&self.source_template_id, &self.source_measure) {
            (Some(t), Some(m)) => Ok(Some(FromRecords {
                template_id: t.clone(),
                measure: RecordMeasure::parse(m)?,
                field: self.source_field.clone(),
            })),
            _ => Ok(None),
        }
    }
}

fn view(conn: &mut DbConn, k: KpiRow, process: &str) -> AppResult<KpiView> {
    let direction = Direction::parse(&k.direction)?;
    let source = KpiSource::parse(&k.source)?;
    let latest: Option<(String, String)> = if source.is_manual() {
        kpi_measurements::table
            .filter(kpi_measurements::kpi_id.eq(&k.id))
            .order((
                kpi_measurements::period.desc(),
                kpi_measurements::recorded_at.desc(),
            ))
            .select((kpi_measurements::period, kpi_measurements::value))
            .first(conn)
            .optional()?
    } else {
        counted(conn, &k, 1)?.pop().map(|m| (m.period, m.value))
    };
    let target: f64 = k.target.parse().unwrap_or(f64::NAN);
    let source_template: Option<String> = match &k.source_template_id {
        Some(id) => documents::table
            .find(id)
            .select(documents::number)
            .first(conn)
            .optional()?,
        None => None,
    };
    let source_measure = k
        .source_measure
        .as_deref()
        .map(RecordMeasure::parse)
        .transpose()?;
    let meets_target = latest
        .as_ref()
        .and_then(|(_, v)| v.parse::<f64>().ok())
        .map(|v| meets(direction, v, target));
    Ok(KpiView {
        id: k.id,
        process: process.to_string(),
        name: k.name,
        unit: k.unit,
        target: k.target,
        direction,
        indicator: Indicator::parse(&k.indicator)?,
        frequency: Frequency::parse(&k.frequency)?,
        source: k.source,
        source_template,
        source_measure,
        source_field: k.source_field,
        latest_period: latest.as_ref().map(|(p, _)| p.clone()),
        latest_value: latest.map(|(_, v)| v),
        meets_target,
        measurement_overdue: k.measurement_overdue,
        experience: k.experience,
    })
}

/// The last `periods` measurements of a KPI counted from records, as of now.
fn counted(conn: &mut DbConn, k: &KpiRow, periods: usize) -> AppResult<Vec<Measurement>> {
    kpi_sources::counted(
        conn,
        KpiSource::parse(&k.source)?,
        k.records_counted()?.as_ref(),
        &k.id,
        &k.process_id,
        Frequency::parse(&k.frequency)?,
        now(),
        periods,
    )
}

/// One KPI with its latest value.
///
/// # Errors
/// `kpi_not_found`; a database fault.
pub fn view_by_id(conn: &mut DbConn, id: &str) -> AppResult<KpiView> {
    let (k, code, _) = kpi_row(conn, id)?;
    view(conn, k, &code)
}

/// The KPIs of a process.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn list(conn: &mut DbConn, code: &str) -> AppResult<Vec<KpiView>> {
    let process = row_by_code(conn, code)?;
    let rows: Vec<KpiRow> = kpis::table
        .filter(kpis::process_id.eq(&process.id))
        .order(kpis::created_at.asc())
        .select(KpiRow::as_select())
        .load(conn)?;
    rows.into_iter().map(|k| view(conn, k, code)).collect()
}

/// A KPI as a caller defines it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewKpi {
    /// What is measured.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The unit of the values (`%`, `days`, ...).
    #[schema(max_length = 30)]
    pub unit: String,
    /// A number: `95`, `2.5` (a string such as `"2,5"` is taken too).
    #[schema(value_type = f64)]
    pub target: DecimalInput,
    /// `higher_is_better` or `lower_is_better`.
    #[schema(value_type = Direction)]
    pub direction: String,
    /// `leading` or `lagging`.
    #[schema(value_type = Indicator)]
    pub indicator: String,
    /// `weekly`, `monthly`, `quarterly` or `yearly`.
    #[schema(value_type = Frequency)]
    pub frequency: String,
    /// `manual` (default): people record the values; `internal_complaints`:
    /// counted each period from the internal complaints the process received;
    /// `records`: counted each period from the records of `source_template`
    /// filled for the process; `internal_ratings`: the share (percent) of the
    /// ratings of what the process supplied that came on time and were of
    /// quality 3 or more; `survey_followups`: the share (percent) of the
    /// follow-ups of detractors and low CSAT answers to the process's
    /// surveys, due in the period, that were recorded by their due day.
    #[serde(default)]
    #[schema(value_type = Option<super::kpi_sources::KpiSource>)]
    pub source: Option<String>,
    /// For `records`: the number of the form template (in force) counted.
    #[serde(default)]
    pub source_template: Option<String>,
    /// For `records`: `count`, `average`, `sum`, `share_yes` or
    /// `share_deviation` (shares in percent).
    #[serde(default)]
    #[schema(value_type = Option<RecordMeasure>)]
    pub source_measure: Option<String>,
    /// For `average` and `sum`: the key of a number field; for `share_yes`:
    /// of a yes/no field.
    #[serde(default)]
    pub source_field: Option<String>,
    /// Makes it a customer-experience measure: the key of the target
    /// experience of the value promise in force that it measures.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub experience: Option<String>,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks what a KPI of source `records` counts against the template in
/// force: (template id, measure, field).
fn records_source(
    conn: &mut DbConn,
    store: Option<&DocStore>,
    new: &NewKpi,
) -> AppResult<(String, RecordMeasure, Option<String>)> {
    let (Some(number), Some(measure)) = (given(&new.source_template), given(&new.source_measure))
    else {
        return Err(AppError::invalid(
            Code::KpiSourceTemplateRequired,
            "a KPI counted from records names source_template and source_measure",
        ));
    };
    let measure = RecordMeasure::parse(measure)?;
    let store = store.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "a KPI from records is checked against its form"
        ))
    })?;
    let template = crate::records::service::template(conn, store, number)?;
    let field = given(&new.source_field);
    if !measure.needs_field() {
        if field.is_some() {
            return Err(AppError::invalid(
                Code::KpiSourceFieldNotUsed,
                format!("{} takes no source_field", measure.as_str()),
            ));
        }
        return Ok((template.id, measure, None));
    }
    let Some(key) = field else {
        return Err(AppError::invalid(
            Code::KpiSourceFieldRequired,
            format!("{} needs source_field", measure.as_str()),
        ));
    };
    let Some(f) = template.form.field(key) else {
        return Err(AppError::invalid(
            Code::KpiSourceFieldUnknown,
            format!("{number} has no field `{key}`"),
        ));
    };
    use crate::records::form::FieldType;
    match (measure, f.kind) {
        (RecordMeasure::ShareYes, FieldType::YesNo)
        | (RecordMeasure::Average | RecordMeasure::Sum, FieldType::Number) => {}
        (RecordMeasure::ShareYes, _) => {
            return Err(AppError::invalid(
                Code::KpiSourceFieldNotYesNo,
                format!("`{key}` of {number} is not a yes/no field"),
            ));
        }
        _ => {
            return Err(AppError::invalid(
                Code::KpiSourceFieldNotNumber,
                format!("`{key}` of {number} is not a number field"),
            ));
        }
    }
    Ok((template.id, measure, Some(key.to_string())))
}

/// Defines a KPI for a process (its owner or a quality manager); one
/// counted from records cannot be defined here (see [`create_with_forms`]).
///
/// # Errors
/// `forbidden`, `process_not_found`, validation codes.
pub fn create(conn: &mut DbConn, by: &User, code: &str, new: NewKpi) -> AppResult<KpiView> {
    create_with_forms(conn, None, by, code, new)
}

/// Defines a KPI for a process (its owner or a quality manager); one
/// counted from records has its template and field checked against the
/// form in force, read from `store`.
///
/// # Errors
/// `forbidden`, `process_not_found`, validation codes, and for a KPI from
/// records `kpi_source_template_required`, `invalid_kpi_measure`, the
/// template's refusals, `kpi_source_field_required`,
/// `kpi_source_field_unknown`, `kpi_source_field_not_number`,
/// `kpi_source_field_not_yes_no`, `kpi_source_field_not_used`; for any
/// other source `kpi_source_not_records`.
pub fn create_with_forms(
    conn: &mut DbConn,
    store: Option<&DocStore>,
    by: &User,
    code: &str,
    new: NewKpi,
) -> AppResult<KpiView> {
    let process = row_by_code(conn, code)?;
    if !(by.has_role(Role::QualityManager) || process.owner_id == by.id.0) {
        return Err(AppError::forbidden());
    }
    let name = crate::kit::text::short_text("a KPI name", Code::InvalidKpiName, &new.name)?;
    let unit = crate::kit::text::optional_line("a unit", Code::InvalidUnit, &new.unit, 30)?;
    let (target, _) = decimal("target", new.target.as_str())?;
    let source = match new.source.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => KpiSource::parse(s)?,
        _ => KpiSource::Manual,
    };
    let (template, measure, field) = if source == KpiSource::Records {
        let (t, m, f) = records_source(conn, store, &new)?;
        (Some(t), Some(m.as_str().to_string()), f)
    } else {
        if [&new.source_template, &new.source_measure, &new.source_field]
            .into_iter()
            .any(|s| given(s).is_some())
        {
            return Err(AppError::invalid(
                Code::KpiSourceNotRecords,
                "source_template, source_measure and source_field belong to a KPI from records",
            ));
        }
        (None, None, None)
    };
    let experience = match given(&new.experience) {
        Some(key) => {
            let store = store.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "a customer-experience KPI is checked against the promise in force"
                ))
            })?;
            Some(crate::experience::service::check_experience(
                conn, store, key,
            )?)
        }
        None => None,
    };
    let row = KpiRow {
        id: new_id(),
        process_id: process.id,
        name,
        unit,
        target,
        direction: Direction::parse(&new.direction)?.as_str().into(),
        indicator: Indicator::parse(&new.indicator)?.as_str().into(),
        frequency: Frequency::parse(&new.frequency)?.as_str().into(),
        source: source.as_str().into(),
        measurement_overdue: false,
        created_at: now(),
        source_template_id: template,
        source_measure: measure,
        source_field: field,
        experience,
    };
    write_tx(conn, |conn| {
        diesel::insert_into(kpis::table)
            .values((
                kpis::id.eq(&row.id),
                kpis::process_id.eq(&row.process_id),
                kpis::name.eq(&row.name),
                kpis::unit.eq(&row.unit),
                kpis::target.eq(&row.target),
                kpis::direction.eq(&row.direction),
                kpis::indicator.eq(&row.indicator),
                kpis::frequency.eq(&row.frequency),
                kpis::source.eq(&row.source),
                kpis::measurement_overdue.eq(false),
                kpis::created_at.eq(row.created_at),
                kpis::source_template_id.eq(&row.source_template_id),
                kpis::source_measure.eq(&row.source_measure),
                kpis::source_field.eq(&row.source_field),
                kpis::experience.eq(&row.experience),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "kpi.created",
                entity_type: "kpi",
                entity_id: &row.id,
                summary: format!(
                    "{code}: KPI {} (target {} {})",
                    row.name, row.target, row.unit
                ),
                changes: Diff::new()
                    .created("name", &row.name)
                    .created("source", &row.source)
                    .created("source_template", &new.source_template)
                    .created("source_measure", &row.source_measure)
                    .created("source_field", &row.source_field)
                    .created("target", &row.target)
                    .created("direction", &row.direction)
                    .created("frequency", &row.frequency)
                    .created("indicator", &row.indicator)
                    .created("experience", &row.experience)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    view(conn, row, code)
}

pub(crate) fn kpi_row(conn: &mut DbConn, id: &str) -> AppResult<(KpiRow, String, String)> {
    kpis::table
        .inner_join(processes::table)
        .filter(kpis::id.eq(id))
        .select((KpiRow::as_select(), processes::code, processes::owner_id))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Code::KpiNotFound, format!("no KPI {id}")))
}

/// Records a measurement (a record under ISO 9001 9.1.1). The process's
/// owner, its members and quality managers may. A second measurement for the
/// same period is a correction: both are kept, the latest counts.
///
/// # Errors
/// `forbidden`, `kpi_not_found`, `invalid_value`, `invalid_period`, `period_in_future`.
pub fn record(
    conn: &mut DbConn,
    by: &User,
    kpi_id: &str,
    value: &str,
    period: &str,
    comment: &str,
) -> AppResult<Measurement> {
    let (k, code, owner) = kpi_row(conn, kpi_id)?;
    let member: i64 = process_members::table
        .filter(process_members::process_id.eq(&k.process_id))
        .filter(process_members::user_id.eq(by.id.as_str()))
        .count()
        .get_result(conn)?;
    if !(by.has_role(Role::QualityManager) || owner == by.id.0 || member > 0) {
        return Err(AppError::forbidden());
    }
    if !KpiSource::parse(&k.source)?.is_manual() {
        return Err(AppError::conflict(
            Code::KpiCounted,
            format!(
                "{} is counted from Laatu's records; it takes no entries",
                k.name
            ),
        ));
    }
    let frequency = Frequency::parse(&k.frequency)?;
    let (value, _) = decimal("value", value)?;
    let (period, start) = parse_period(frequency, period)?;
    if start > now().date() {
        return Err(AppError::invalid(
            Code::PeriodInFuture,
            format!("{period} has not begun yet"),
        ));
    }
    let comment = crate::kit::text::long_text("the comment", comment)?;
    let m = Measurement {
        id: new_id(),
        kpi_id: k.id.clone(),
        period,
        value,
        comment,
        recorded_by: by.id.0.clone(),
        recorded_by_name: by.username.clone(),
        recorded_at: now(),
    };
    write_tx(conn, |conn| {
        let earlier: Option<String> = kpi_measurements::table
            .filter(kpi_measurements::kpi_id.eq(&k.id))
            .filter(kpi_measurements::period.eq(&m.period))
            .order(kpi_measurements::recorded_at.desc())
            .select(kpi_measurements::value)
            .first(conn)
            .optional()?;
        diesel::insert_into(kpi_measurements::table)
            .values((
                kpi_measurements::id.eq(&m.id),
                kpi_measurements::kpi_id.eq(&m.kpi_id),
                kpi_measurements::period.eq(&m.period),
                kpi_measurements::value.eq(&m.value),
                kpi_measurements::comment.eq(&m.comment),
                kpi_measurements::recorded_by.eq(&m.recorded_by),
                kpi_measurements::recorded_by_name.eq(&m.recorded_by_name),
                kpi_measurements::recorded_at.eq(m.recorded_at),
            ))
            .execute(conn)?;
        let (due, _, _) = due_period(frequency, m.recorded_at);
        if k.measurement_overdue && m.period >= due {
            diesel::update(kpis::table.find(&k.id))
                .set(kpis::measurement_overdue.eq(false))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: if earlier.is_some() {
                    "kpi.measurement_corrected"
                } else {
                    "kpi.measured"
                },
                entity_type: "kpi",
                entity_id: &k.id,
                summary: format!(
                    "{code}: {} = {} {} for {}",
                    k.name, m.value, k.unit, m.period
                ),
                changes: serde_json::json!({
                    "period": m.period,
                    "value": { "before": earlier, "after": m.value },
                    "comment": m.comment,
                }),
            },
        )?;
        Ok(())
    })?;
    Ok(m)
}

/// The last of each period of `all`, ordered by period and then by when
/// recorded: a later entry for a period corrects the earlier ones.
fn latest_per_period(all: Vec<Measurement>) -> Vec<Measurement> {
    let mut latest: Vec<Measurement> = Vec::new();
    for m in all {
        match latest.last_mut() {
            Some(last) if last.period == m.period => *last = m,
            _ => latest.push(m),
        }
    }
    latest
}

/// A KPI's measurements, oldest period first; only the latest of each period.
///
/// # Errors
/// `kpi_not_found`; a database fault.
pub fn measurements(conn: &mut DbConn, kpi_id: &str) -> AppResult<Vec<Measurement>> {
    let (k, _, _) = kpi_row(conn, kpi_id)?;
    if !KpiSource::parse(&k.source)?.is_manual() {
        return counted(conn, &k, kpi_sources::HISTORY);
    }
    let all: Vec<Measurement> = kpi_measurements::table
        .filter(kpi_measurements::kpi_id.eq(kpi_id))
        .order((
            kpi_measurements::period.asc(),
            kpi_measurements::recorded_at.asc(),
        ))
        .select(Measurement::as_select())
        .load(conn)?;
    Ok(latest_per_period(all))
}

/// The periods of `frequency` that start on or after `from`, before `to`,
/// and are over by `today`: (period, first day, first day of the next).
pub fn periods_between(
    frequency: Frequency,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Vec<(String, chrono::NaiveDate, chrono::NaiveDate)> {
    let next = |start: chrono::NaiveDate| {
        let step = match frequency {
            Frequency::Weekly => 7,
            Frequency::Monthly => 32,
            Frequency::Quarterly => 93,
            Frequency::Yearly => 366,
        };
        period_start(frequency, start + chrono::TimeDelta::days(step))
    };
    let mut start = period_start(frequency, from);
    if start < from {
        start = next(start);
    }
    let mut out = Vec::new();
    while start < to {
        let end = next(start);
        if end > today {
            break;
        }
        out.push((period_of(frequency, start), start, end));
        start = end;
    }
    out
}

/// A KPI's value for each period [`periods_between`] gives, oldest first,
/// only the latest of each period, at `now`; a period without a value is
/// absent. Counted KPIs are counted for those periods.
///
/// # Errors
/// `kpi_not_found`; a database fault.
pub fn measurements_between(
    conn: &mut DbConn,
    kpi_id: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(Vec<String>, Vec<Measurement>)> {
    let (k, _, _) = kpi_row(conn, kpi_id)?;
    let frequency = Frequency::parse(&k.frequency)?;
    let periods = periods_between(frequency, from, to, now.date());
    let names: Vec<String> = periods.iter().map(|(p, _, _)| p.clone()).collect();
    let Some((_, _, last_end)) = periods.last() else {
        return Ok((names, Vec::new()));
    };
    let source = KpiSource::parse(&k.source)?;
    if !source.is_manual() {
        let at = crate::kit::date::midnight(*last_end);
        let got = kpi_sources::counted(
            conn,
            source,
            k.records_counted()?.as_ref(),
            &k.id,
            &k.process_id,
            frequency,
            at,
            periods.len(),
        )?;
        let got = got
            .into_iter()
            .filter(|m| names.contains(&m.period))
            .collect();
        return Ok((names, got));
    }
    let all: Vec<Measurement> = kpi_measurements::table
        .filter(kpi_measurements::kpi_id.eq(kpi_id))
        .filter(kpi_measurements::period.eq_any(&names))
        .order((
            kpi_measurements::period.asc(),
            kpi_measurements::recorded_at.asc(),
        ))
        .select(Measurement::as_select())
        .load(conn)?;
    Ok((names, latest_per_period(all)))
}

/// A manual KPI of an active process and its measurement due last period.
struct MeasurementDue {
    kpi: KpiRow,
    code: String,
    /// The last complete period.
    period: String,
    /// When a missing measurement for it is late, if it is missing.
    late_from: Option<NaiveDateTime>,
}

impl Due for MeasurementDue {
    fn deadlines(&self) -> Vec<Deadline> {
        self.late_from.map(Deadline::From).into_iter().collect()
    }

    fn marked(&self) -> bool {
        self.kpi.measurement_overdue
    }

    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize> {
        Ok(diesel::update(kpis::table.find(&self.kpi.id))
            .filter(kpis::measurement_overdue.eq(self.kpi.measurement_overdue))
            .set(kpis::measurement_overdue.eq(overdue))
            .execute(conn)?)
    }

    const ACTIONS: (&'static str, &'static str) =
        ("kpi.measurement_overdue", "kpi.measurement_on_time");
    const FIELD: &'static str = "measurement_overdue";

    fn entity(&self) -> (&str, &str) {
        ("kpi", &self.kpi.id)
    }

    fn summary(&self, overdue: bool) -> String {
        format!(
            "{}: {} measurement for {} {}",
            self.code,
            self.kpi.name,
            self.period,
            if overdue { "is overdue" } else { "is in" }
        )
    }
}

/// Marks KPIs whose last complete period has no measurement a while into
/// the next one, and clears the mark once measured. Run by the scheduler.
///
/// # Errors
/// A database fault.
pub fn mark_overdue(conn: &mut DbConn, t: NaiveDateTime) -> AppResult<usize> {
    let rows: Vec<(KpiRow, String)> = kpis::table
        .inner_join(processes::table)
        .filter(processes::status.eq("active"))
        .filter(kpis::source.eq(KpiSource::Manual.as_str()))
        .select((KpiRow::as_select(), processes::code))
        .load(conn)?;
    let mut due = Vec::with_capacity(rows.len());
    for (kpi, code) in rows {
        let frequency = Frequency::parse(&kpi.frequency)?;
        let (period, current_start, late_from) = due_period(frequency, t);
        let measured: i64 = kpi_measurements::table
            .filter(kpi_measurements::kpi_id.eq(&kpi.id))
            .filter(kpi_measurements::period.eq(&period))
            .count()
            .get_result(conn)?;
        // A KPI defined after the due period ended is not late for it.
        let existed = kpi.created_at.date() < current_start;
        due.push(MeasurementDue {
            late_from: (measured == 0 && existed).then_some(late_from),
            kpi,
            code,
            period,
        });
    }
    reconcile(conn, &Actor::system("scheduler"), t, t.date(), due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_in_both_directions() {
        assert!(meets(Direction::HigherIsBetter, 95.0, 95.0));
        assert!(meets(Direction::HigherIsBetter, 96.5, 95.0));
        assert!(!meets(Direction::HigherIsBetter, 94.9, 95.0));
        assert!(meets(Direction::LowerIsBetter, 2.0, 2.0));
        assert!(meets(Direction::LowerIsBetter, 1.0, 2.0));
        assert!(!meets(Direction::LowerIsBetter, 2.1, 2.0));
    }
}
