//! `GET /programs` (every program with its figures), `POST /programs` (create one),
//! `GET /programs/{id}` (its members, their figures and a chart of clicks and orders by
//! day) and `POST /programs/enroll` (selected Discover rows become members).
//!
//! The figures are the ROI report's (`ProgramStore::roi`, what `kith report roi`
//! prints): this module only lays them out.
//!
//! # Layout
//! - this file: the list, creating, the program page, enrolment from Discover;
//! - [`members`]: a member's status changed from the program page;
//! - [`payouts`]: approved commission paid in batches, as PayPal Payouts files;
//! - [`advocacy`]: the library of posts to share and the leaderboard;
//! - [`activation`]: a field event's settings, region invitations, check-ins.

pub mod activation;
pub mod advocacy;
pub mod members;
pub mod payouts;
pub mod review;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::program::ProgramKind;
use kith_core::program::commission::CommissionRule;
use kith_core::program::emv::INDUSTRY_ROI;
use kith_core::{BrandConfig, Money};
use kith_store::Store;
use kith_store::programs::{
    DayActivity, Enrolment, Member, NewProgram, Program, ProgramError, RoiRow,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::flash::{Notice, NoticeParam};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};

/// The most people one enrolment form may carry (a Discover page holds at most 100).
pub const MAX_ENROL: usize = 500;

/// A program store's refusal as the dashboard answers it.
pub(crate) fn failure(e: ProgramError) -> Failure {
    match e {
        ProgramError::NameTaken(_) | ProgramError::CodeTaken(_) => Failure::Conflict(e.to_string()),
        ProgramError::UnknownProgram(name) => Failure::NotFound(format!("Program {name:?}")),
        ProgramError::UnknownCode(code) => Failure::NotFound(format!("Code {code}")),
        ProgramError::Store(inner) => Failure::Internal(inner.to_string()),
        other => Failure::BadRequest(other.to_string()),
    }
}

/// Runs a program-store call on the blocking pool.
pub(crate) async fn programs<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, ProgramError> + Send + 'static,
) -> Result<T, Failure> {
    state.blocking(move |s| Ok(f(s))).await?.map_err(failure)
}

/// Money in the program's currency, as the tables show it.
pub(crate) fn amount(m: Money, currency: &str) -> String {
    format!("{m} {currency}")
}

/// One row of figures, laid out for a table.
#[derive(Debug, Serialize)]
pub(crate) struct Figures {
    clicks: u64,
    unique_clicks: u64,
    orders: u64,
    revenue: String,
    commission: String,
    cost: String,
    /// `4.20×`, or empty when nothing was spent.
    roi: String,
    /// Whether ROI beats the industry's figure.
    roi_good: bool,
    emv: String,
    /// Orders counted but not in revenue for want of an exchange rate, one note per
    /// currency.
    unconverted: Vec<String>,
}

impl Figures {
    fn of(r: &RoiRow) -> Figures {
        Figures {
            clicks: r.clicks,
            unique_clicks: r.unique_clicks,
            orders: r.orders,
            revenue: amount(r.revenue, &r.currency),
            commission: amount(r.commission, &r.currency),
            cost: amount(r.cost, &r.currency),
            roi: r
                .roi
                .filter(|x| x.is_finite())
                .map(|x| format!("{x:.2}×"))
                .unwrap_or_default(),
            roi_good: r.roi.is_some_and(|x| x >= INDUSTRY_ROI),
            emv: amount(r.emv, &r.currency),
            unconverted: r.unconverted_notes(),
        }
    }
}

#[derive(Debug, Serialize)]
struct ListRow {
    id: i64,
    name: String,
    kind: &'static str,
    members: usize,
    /// Orders the fraud rules hold for review.
    to_review: usize,
    f: Figures,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Query(q): Query<NoticeParam>,
) -> Result<Response, PageError> {
    let now = OffsetDateTime::now_utc();
    let (all, report, members, waiting) = programs(&state, move |s| {
        let p = s.programs();
        Ok((
            p.programs()?,
            p.roi(None, false, now)?,
            p.members(None)?,
            p.conversions(None, Some(kith_store::programs::ReviewState::Pending))?,
        ))
    })
    .await?;
    let mut count: HashMap<i64, usize> = HashMap::new();
    for m in &members {
        *count.entry(m.program_id).or_default() += 1;
    }
    let mut to_review: HashMap<&str, usize> = HashMap::new();
    for c in &waiting {
        *to_review.entry(c.program.as_str()).or_default() += 1;
    }
    let rows: Vec<ListRow> = all
        .iter()
        .filter_map(|p| {
            let r = report.iter().find(|r| r.program == p.name)?;
            Some(ListRow {
                id: p.id,
                name: p.name.clone(),
                kind: p.kind.as_str(),
                members: count.get(&p.id).copied().unwrap_or(0),
                to_review: to_review.get(p.name.as_str()).copied().unwrap_or(0),
                f: Figures::of(r),
            })
        })
        .collect();
    super::page_with_notice(
        &state,
        &me,
        "programs.html",
        "programs",
        q.notice.as_deref(),
        context! {
            rows => super::v(&rows),
            kinds => ProgramKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            industry_roi => format!("{INDUSTRY_ROI:.2}"),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct NewProgramForm {
    name: String,
    kind: String,
    #[serde(default)]
    commission: String,
    #[serde(default)]
    fee: String,
    #[serde(default)]
    hold_days: String,
    #[serde(default)]
    window_days: String,
    // An activation's event.
    #[serde(default)]
    date: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    event_code: String,
    /// A checkbox: `on` when ticked.
    #[serde(default)]
    single_use_codes: String,
}

/// A whole number of days from a form field, `default` when empty.
fn days(what: &str, text: &str, default: u32) -> Result<u32, Failure> {
    match text.trim() {
        "" => Ok(default),
        t => t
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 3_650)
            .ok_or_else(|| {
                Failure::BadRequest(format!("{what} must be a number of days (0–3650)"))
            }),
    }
}

/// The program the form describes, checked as `kith program create` checks it.
fn new_program(
    f: &NewProgramForm,
    brand: &BrandConfig,
    now: OffsetDateTime,
) -> Result<NewProgram, Failure> {
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Failure::BadRequest(
            "a program needs a name of 1 to 100 characters".into(),
        ));
    }
    let kind = ProgramKind::parse(&f.kind)
        .ok_or_else(|| Failure::BadRequest(format!("{:?} is not a kind of program", f.kind)))?;
    let commission = match f.commission.trim() {
        "" => None,
        c => Some(c.parse::<CommissionRule>().map_err(|e| {
            Failure::BadRequest(format!("commission {c:?}: {e} (write 10% or 5.00)"))
        })?),
    };
    let fee = match f.fee.trim() {
        "" => Money::ZERO,
        t => t
            .parse::<Money>()
            .ok()
            .filter(|m| m.minor() >= 0)
            .ok_or_else(|| {
                Failure::BadRequest(format!("fee {t:?} must be an amount such as 250.00"))
            })?,
    };
    let event = activation::settings(&activation::EventFields {
        date: &f.date,
        place: &f.place,
        region: &f.region,
        capacity: &f.capacity,
        event_code: &f.event_code,
    })
    .map_err(Failure::BadRequest)?;
    let mut details = if kind == ProgramKind::Activation {
        event.to_details()
    } else {
        // The event fields are for activations; the form hides them for other kinds.
        serde_json::json!({})
    };
    if !f.single_use_codes.trim().is_empty() {
        details["single_use_codes"] = true.into();
    }
    Ok(NewProgram {
        name: name.to_owned(),
        kind,
        commission,
        destination: None,
        currency: brand.currency.clone().unwrap_or_else(|| "USD".into()),
        fee,
        hold_days: days("the hold", &f.hold_days, 30)?,
        window_days: days("the attribution window", &f.window_days, 30)?,
        details,
        starts_at: now,
    })
}

pub async fn create(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Form(f): Form<NewProgramForm>,
) -> Result<Response, PageError> {
    let brand = state
        .blocking(|s| {
            Ok(s.brand()?
                .and_then(|t| BrandConfig::from_toml(&t).ok())
                .unwrap_or_else(|| BrandConfig::named("Your brand")))
        })
        .await?;
    let new = match new_program(&f, &brand, OffsetDateTime::now_utc()) {
        Ok(new) => new,
        Err(Failure::BadRequest(why)) => {
            return Ok(state.flashes.redirect(
                &me,
                "/programs",
                Notice::error(format!("Not created: {why}")),
            )?);
        }
        Err(other) => return Err(other.into()),
    };
    let made = state
        .blocking(move |s| Ok(s.programs().create_program(&new)))
        .await?;
    let program = match made {
        Ok(p) => p,
        Err(e @ (ProgramError::NameTaken(_) | ProgramError::CodeTaken(_))) => {
            return Ok(state.flashes.redirect(
                &me,
                "/programs",
                Notice::error(format!("Not created: {e}.")),
            )?);
        }
        Err(e) => return Err(failure(e).into()),
    };
    tracing::info!(who = %me.label(), program = program.id, "program created");
    Ok(state.flashes.redirect(
        &me,
        &format!("/programs/{}", program.id),
        Notice::ok(format!(
            "{} is ready. Add members from Discover: tick the people and choose this program.",
            program.name
        )),
    )?)
}

/// A member's row on the program page.
#[derive(Debug, Serialize)]
struct MemberRow {
    person_id: String,
    name: String,
    status: &'static str,
    /// The statuses the member may be moved to from here.
    next: Vec<&'static str>,
    code: String,
    /// The brand reported the code as leaked: its orders wait for review.
    leaked: bool,
    f: Figures,
}

pub(crate) async fn program_by_id(state: &AppState, id: &str) -> Result<Program, Failure> {
    let not_found = || Failure::NotFound(format!("Program {id:?}"));
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let all = programs(state, |s| Ok(s.programs().programs()?)).await?;
    all.into_iter().find(|p| p.id == id).ok_or_else(not_found)
}

/// The member of `program` whose code is `raw` (from a form's path). A code of another
/// program is not found, so a form for one program never reaches another's member.
pub(crate) async fn member_of(
    state: &AppState,
    program: &Program,
    raw: &str,
) -> Result<Member, Failure> {
    let not_member = || Failure::NotFound(format!("Member {raw:?} of this program"));
    let code = kith_core::program::code::ReferralCode::parse(raw).map_err(|_| not_member())?;
    let name = program.name.clone();
    programs(state, move |s| {
        Ok(s.programs()
            .members(Some(&name))?
            .into_iter()
            .find(|m| m.code == code))
    })
    .await?
    .ok_or_else(not_member)
}

/// The least span the chart shows, so a young program's first days are not stretched
/// across the whole width.
const CHART_DAYS: i64 = 14;

/// The chart's data, as uPlot takes it: x in Unix seconds, then clicks, then orders —
/// one point per day from the first (at least [`CHART_DAYS`] before `today`) to `today`,
/// days without activity as zero.
fn chart(days: &[DayActivity], today: time::Date) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let counts: HashMap<time::Date, (u64, u64)> = days
        .iter()
        .filter_map(|d| {
            Some((
                time::Date::parse(&d.day, format).ok()?,
                (d.clicks, d.orders),
            ))
        })
        .collect();
    let first = *counts.keys().min()?;
    let last = counts.keys().max().copied().unwrap_or(today).max(today);
    let mut day = first.min(last - time::Duration::days(CHART_DAYS - 1));
    let (mut xs, mut clicks, mut orders) = (Vec::new(), Vec::new(), Vec::new());
    while day <= last {
        let (c, o) = counts.get(&day).copied().unwrap_or_default();
        xs.push(day.midnight().assume_utc().unix_timestamp());
        clicks.push(c);
        orders.push(o);
        day = day.next_day()?;
    }
    // Inside a <script> element: `</` must not end it.
    serde_json::to_string(&(xs, clicks, orders))
        .ok()
        .map(|j| j.replace("</", "<\\/"))
}

/// One program as its page and `GET /api/v1/programs/{id}` show it: its own row of the
/// ROI report, its members with theirs, and clicks and orders by day.
pub(crate) struct ProgramDetail {
    pub total: RoiRow,
    member_rows: Vec<RoiRow>,
    pub members: Vec<Member>,
    pub days: Vec<DayActivity>,
}

impl ProgramDetail {
    pub(crate) async fn read(
        state: &AppState,
        program: &Program,
        now: OffsetDateTime,
    ) -> Result<ProgramDetail, Failure> {
        let name = program.name.clone();
        let (report, members, days) = programs(state, move |s| {
            let p = s.programs();
            Ok((
                p.roi(Some(&name), true, now)?,
                p.members(Some(&name))?,
                p.activity(&name, now)?,
            ))
        })
        .await?;
        let (mut totals, member_rows): (Vec<RoiRow>, Vec<RoiRow>) =
            report.into_iter().partition(|r| r.code.is_none());
        if totals.is_empty() {
            return Err(Failure::Internal(format!(
                "no report row for program {}",
                program.id
            )));
        }
        Ok(ProgramDetail {
            total: totals.swap_remove(0),
            member_rows,
            members,
            days,
        })
    }

    /// Each member with their row of the report, in the members' order; a member the
    /// report has no row for is left out.
    pub(crate) fn members_with_figures(&self) -> impl Iterator<Item = (&Member, &RoiRow)> {
        let by_code: HashMap<&str, &RoiRow> = self
            .member_rows
            .iter()
            .filter_map(|r| r.code.as_ref().map(|c| (c.as_str(), r)))
            .collect();
        self.members
            .iter()
            .filter_map(move |m| Some((m, *by_code.get(m.code.as_str())?)))
    }
}

pub(crate) fn member_name(m: &Member) -> String {
    m.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| m.person_id.clone())
}

/// A member as notices name them: their name and, in brackets, their code.
pub(crate) fn member_label(m: &Member) -> String {
    format!("{} ({})", member_name(m), m.code.as_str())
}

pub async fn detail(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<NoticeParam>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let now = OffsetDateTime::now_utc();
    let detail = ProgramDetail::read(&state, &program, now).await?;
    let rows: Vec<MemberRow> = detail
        .members_with_figures()
        .map(|(m, r)| MemberRow {
            person_id: m.person_id.clone(),
            name: member_name(m),
            status: m.status.as_str(),
            next: members::next_statuses(m.status),
            code: m.code.as_str().to_owned(),
            leaked: m.leaked,
            f: Figures::of(r),
        })
        .collect();
    let (total, members, days) = (&detail.total, &detail.members, &detail.days);
    let event = activation::event_view(&state, &program, members).await?;
    let reviews = review::waiting(&state, &program, members).await?;
    let library = if program.kind == ProgramKind::Advocacy {
        Some(advocacy::library(&state, &program).await?)
    } else {
        None
    };
    super::page_with_notice(
        &state,
        &me,
        "program.html",
        "programs",
        q.notice.as_deref(),
        context! {
            program => context! {
                id => program.id,
                name => program.name,
                kind => program.kind.as_str(),
                commission => program.commission.as_ref().map(ToString::to_string),
                fee => amount(program.fee, &program.currency),
                hold_days => program.hold_days,
                window_days => program.window_days,
                starts => program.starts_at.date().to_string(),
                single_use => program.details.get("single_use_codes").and_then(serde_json::Value::as_bool).unwrap_or(false),
            },
            f => super::v(Figures::of(total)),
            pending => amount(total.pending, &total.currency),
            approved => amount(total.approved, &total.currency),
            paid => amount(total.paid, &total.currency),
            industry_roi => format!("{INDUSTRY_ROI:.2}"),
            members => super::v(&rows),
            chart => chart(days, now.date()),
            days => super::v(days),
            library => super::v(&library),
            event => super::v(&event),
            reviews => super::v(&reviews),
        },
    )
}

/// The Discover form: `program` (an id) and any number of `person_id`.
#[derive(Debug, Default)]
struct EnrolForm {
    program: String,
    people: Vec<String>,
}

impl EnrolForm {
    /// Repeated keys (`person_id=a&person_id=b`), which serde's form reader does not take.
    fn parse(body: &str) -> EnrolForm {
        let mut form = EnrolForm::default();
        for pair in body.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let value = super::url_decode(v).trim().to_owned();
            match k {
                "program" => form.program = value,
                "person_id" if !value.is_empty() && !form.people.contains(&value) => {
                    form.people.push(value);
                }
                _ => {}
            }
        }
        form
    }
}

pub async fn enroll(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    body: String,
) -> Result<Response, PageError> {
    let form = EnrolForm::parse(&body);
    let program = program_by_id(&state, &form.program).await?;
    let back = format!("/programs/{}", program.id);
    if form.people.is_empty() {
        return Ok(state.flashes.redirect(
            &me,
            &back,
            Notice::error("No one was added: tick at least one person in Discover."),
        )?);
    }
    if form.people.len() > MAX_ENROL {
        return Err(Failure::BadRequest(format!("at most {MAX_ENROL} people at once")).into());
    }
    let before: Vec<String> = {
        let name = program.name.clone();
        programs(&state, move |s| s.programs().members(Some(&name)))
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect()
    };
    let people: Vec<Enrolment> = form.people.iter().map(|p| Enrolment::new(p)).collect();
    let name = program.name.clone();
    let outcome = state
        .blocking(move |s| {
            Ok(s.programs()
                .enroll(&name, &people, OffsetDateTime::now_utc()))
        })
        .await?;
    let notice = match outcome {
        Ok(members) => {
            let (new, kept): (Vec<&Member>, Vec<&Member>) =
                members.iter().partition(|m| !before.contains(&m.person_id));
            tracing::info!(who = %me.label(), program = program.id, added = new.len(), "members enrolled");
            let list = |ms: &[&Member]| {
                ms.iter()
                    .map(|m| format!("{} ({})", member_name(m), m.code.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut text = format!(
                "Added {} to {}: {}.",
                plural(new.len(), "member"),
                program.name,
                if new.is_empty() {
                    "no one new".to_owned()
                } else {
                    list(&new)
                }
            );
            if !kept.is_empty() {
                text.push_str(&format!(" Already members, unchanged: {}.", list(&kept)));
            }
            Notice::ok(text)
        }
        // Enrolment is all or none: name who could not be enrolled, and why.
        Err(
            e @ (ProgramError::UnknownPerson(_)
            | ProgramError::CodeTaken(_)
            | ProgramError::Full(_)
            | ProgramError::Invalid(_)),
        ) => Notice::error(format!("No one was added: {e}.")),
        Err(e) => return Err(failure(e).into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The programs a Discover page offers to add people to.
pub(crate) async fn choices(state: &AppState) -> Result<Vec<(i64, String)>, Failure> {
    let all = programs(state, |s| Ok(s.programs().programs()?)).await?;
    Ok(all.into_iter().map(|p| (p.id, p.name)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_spans_two_weeks_at_least_with_quiet_days_as_zero() {
        let day = |d: &str, clicks, orders| DayActivity {
            day: d.into(),
            clicks,
            orders,
        };
        let today = time::macros::date!(2026 - 06 - 10);
        let json = chart(&[day("2026-06-08", 3, 1)], today).unwrap();
        let (xs, clicks, orders): (Vec<i64>, Vec<u64>, Vec<u64>) =
            serde_json::from_str(&json).unwrap();
        assert_eq!(xs.len(), 14);
        assert_eq!(xs[13] - xs[0], 13 * 86_400);
        assert_eq!(clicks[11..], [3, 0, 0]);
        assert_eq!(orders.iter().sum::<u64>(), 1);
        assert!(chart(&[], today).is_none());
        let long = chart(&[day("2026-01-01", 1, 0)], today).unwrap();
        let (xs, _, _): (Vec<i64>, Vec<u64>, Vec<u64>) = serde_json::from_str(&long).unwrap();
        assert_eq!(xs.len(), 161, "every day from the first to today");
    }

    #[test]
    fn the_enrolment_form_keeps_every_person_once() {
        let f = EnrolForm::parse(
            "csrf=x&program=3&person_id=c-1&person_id=a%26b&person_id=c-1&person_id=",
        );
        assert_eq!(f.program, "3");
        assert_eq!(f.people, ["c-1", "a&b"]);
    }

    #[test]
    fn a_program_form_is_checked_as_the_cli_checks_it() {
        let brand = BrandConfig::named("B");
        let form = |commission: &str, fee: &str| NewProgramForm {
            name: " Summer ".into(),
            kind: "affiliate".into(),
            commission: commission.into(),
            fee: fee.into(),
            hold_days: String::new(),
            window_days: "14".into(),
            ..NewProgramForm::default()
        };
        let p = new_program(&form("10%", "250"), &brand, OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_eq!(
            (p.name.as_str(), p.window_days, p.hold_days),
            ("Summer", 14, 30)
        );
        assert_eq!(p.fee, Money::from_minor(25_000));
        assert!(new_program(&form("lots", ""), &brand, OffsetDateTime::UNIX_EPOCH).is_err());
        assert!(new_program(&form("", "-5"), &brand, OffsetDateTime::UNIX_EPOCH).is_err());
    }
}
