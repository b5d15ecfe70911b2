//! `GET /api/v1/programs` and `GET /api/v1/programs/{id}`: every program's figures, one
//! program's members with theirs and its activity by day. The figures are the ROI
//! report's, in the keys and order of `kith report roi --format json`.

use axum::Json;
use axum::extract::{Path, State};
use kith_core::program::emv::INDUSTRY_ROI;
use kith_store::programs::{DayActivity, RoiRow};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Failure};
use crate::pages::programs::programs;

/// A program's (or a member's) figures. Money is a decimal string in `currency`; `roi`
/// is revenue per 1 of cost with two decimals, null when nothing was spent; `emv` is
/// reported beside revenue, never in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRow {
    pub program: String,
    pub clicks: u64,
    pub unique_clicks: u64,
    pub orders: u64,
    pub revenue: String,
    pub commission: String,
    pub cost: String,
    pub roi: Option<f64>,
    pub emv: String,
    pub currency: String,
    /// `ambassador`, `affiliate`, `advocacy` or `activation`.
    pub kind: &'static str,
    pub industry_roi: f64,
    pub pending: String,
    pub approved: String,
    pub paid: String,
    /// A member's row: their referral code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A member's row: the person they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
}

impl From<&RoiRow> for ReportRow {
    fn from(r: &RoiRow) -> Self {
        ReportRow {
            program: r.program.clone(),
            clicks: r.clicks,
            unique_clicks: r.unique_clicks,
            orders: r.orders,
            revenue: r.revenue.to_string(),
            commission: r.commission.to_string(),
            cost: r.cost.to_string(),
            roi: r
                .roi
                .filter(|x| x.is_finite())
                .map(|x| (x * 100.0).round() / 100.0),
            emv: r.emv.to_string(),
            currency: r.currency.clone(),
            kind: r.kind.as_str(),
            industry_roi: INDUSTRY_ROI,
            pending: r.pending.to_string(),
            approved: r.approved.to_string(),
            paid: r.paid.to_string(),
            code: r.code.as_ref().map(|c| c.as_str().to_owned()),
            person_id: r.person_id.clone(),
        }
    }
}

/// A program in the list: its id and figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramSummary {
    pub id: i64,
    pub members: u64,
    pub report: ReportRow,
}

/// A member as the program's page lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberJson {
    pub person_id: String,
    pub name: Option<String>,
    /// `invited`, `active`, `paused` or `removed`.
    pub status: &'static str,
    pub code: String,
    /// The referral link's path on this server: `/r/{code}`.
    pub link: String,
    pub report: ReportRow,
}

/// One UTC day: clicks on members' links and the orders they brought.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayJson {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub clicks: u64,
    pub orders: u64,
}

impl From<DayActivity> for DayJson {
    fn from(d: DayActivity) -> Self {
        DayJson {
            day: d.day,
            clicks: d.clicks,
            orders: d.orders,
        }
    }
}

/// One program: its figures, members and activity by day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramJson {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    /// As `kith program create --commission` takes it (`10%`, `5.00`); null for none.
    pub commission: Option<String>,
    pub report: ReportRow,
    pub members: Vec<MemberJson>,
    pub activity: Vec<DayJson>,
}

/// Every program with its figures, by name.
#[utoipa::path(get, path = "/api/v1/programs", tag = "programs",
    responses((status = 200, description = "Programs and their figures", body = Vec<ProgramSummary>)),
    security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<ProgramSummary>>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let (all, report, members) = programs(&state, move |s| {
        let p = s.programs();
        Ok((p.programs()?, p.roi(None, false, now)?, p.members(None)?))
    })
    .await?;
    Ok(Json(
        all.iter()
            .filter_map(|p| {
                let r = report.iter().find(|r| r.program == p.name)?;
                Some(ProgramSummary {
                    id: p.id,
                    members: members.iter().filter(|m| m.program_id == p.id).count() as u64,
                    report: r.into(),
                })
            })
            .collect(),
    ))
}

/// One program: figures, members with theirs, and clicks and orders by day.
#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "programs",
    params(("id" = i64, Path, description = "The program's id")),
    responses(
        (status = 200, description = "The program", body = ProgramJson),
        (status = 404, description = "No such program", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProgramJson>, ApiError> {
    let program = crate::pages::programs::program_by_id(&state, &id).await?;
    let now = OffsetDateTime::now_utc();
    let name = program.name.clone();
    let (report, members, days) = programs(&state, move |s| {
        let p = s.programs();
        Ok((
            p.roi(Some(&name), true, now)?,
            p.members(Some(&name))?,
            p.activity(&name, now)?,
        ))
    })
    .await?;
    let total = report
        .iter()
        .find(|r| r.code.is_none())
        .ok_or_else(|| Failure::Internal(format!("no report row for program {}", program.id)))?;
    let by_code: std::collections::HashMap<&str, &RoiRow> = report
        .iter()
        .filter_map(|r| r.code.as_ref().map(|c| (c.as_str(), r)))
        .collect();
    let members = members
        .iter()
        .filter_map(|m| {
            let r = *by_code.get(m.code.as_str())?;
            Some(MemberJson {
                person_id: m.person_id.clone(),
                name: m.name.clone(),
                status: m.status.as_str(),
                code: m.code.as_str().to_owned(),
                link: format!("/r/{}", m.code.as_str()),
                report: r.into(),
            })
        })
        .collect();
    Ok(Json(ProgramJson {
        id: program.id,
        name: program.name.clone(),
        kind: program.kind.as_str(),
        commission: program.commission.as_ref().map(ToString::to_string),
        report: total.into(),
        members,
        activity: days.into_iter().map(DayJson::from).collect(),
    }))
}
