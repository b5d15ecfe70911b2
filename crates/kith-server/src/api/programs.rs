//! `GET /api/v1/programs` and `GET /api/v1/programs/{id}`: every program's figures, one
//! program's members with theirs and its activity by day. The figures are the ROI
//! report's, in the keys and order of `kith report roi --format json`.
//!
//! `POST /api/v1/programs/{id}/members/{code}/portal-link`: a one-time sign-in link to the
//! member's portal, for a script that sends it (kith sends no mail).
//!
//! `POST /api/v1/programs/{id}/conversions/{order}/review`: approves or rejects an order
//! the fraud rules hold; the program's JSON lists those waiting (`waiting_for_review`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use kith_core::program::attribution::FraudFlag;
use kith_store::programs::{Conversion, DayActivity};
use kith_store::report::ReportRow;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::pages::programs::members::make_portal_link;
use crate::pages::programs::review;
use crate::pages::programs::{ProgramDetail, member_of, program_by_id, programs};

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

/// An order the fraud rules hold for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewJson {
    pub order_id: String,
    /// The member's code it was attributed to.
    pub code: String,
    pub person_id: String,
    /// In the order's currency.
    pub subtotal: String,
    pub currency: String,
    /// RFC 3339.
    pub placed_at: String,
    /// `discount_code`, `click`, …
    pub attributed_by: String,
    /// The rules that flagged it: `self_referral`, `many_orders_from_one_address`,
    /// `click_burst`, `leaked_code`.
    pub flags: Vec<String>,
    /// The same in words, with their figures.
    pub reasons: Vec<String>,
}

impl From<Conversion> for ReviewJson {
    fn from(c: Conversion) -> Self {
        ReviewJson {
            flags: c.flags.iter().map(|f| f.key().to_owned()).collect(),
            reasons: c.flags.iter().map(FraudFlag::explain).collect(),
            order_id: c.order_id,
            code: c.code.to_string(),
            person_id: c.person_id,
            subtotal: c.subtotal.to_string(),
            currency: c.currency,
            placed_at: rfc3339(c.placed_at),
            attributed_by: c.attributed_by,
        }
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
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
    /// Orders the fraud rules hold, oldest first: they earn nothing until approved.
    pub waiting_for_review: Vec<ReviewJson>,
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
    let detail = ProgramDetail::read(&state, &program, OffsetDateTime::now_utc()).await?;
    let waiting = review::pending(&state, &program).await?;
    let members = detail
        .members_with_figures()
        .map(|(m, r)| MemberJson {
            person_id: m.person_id.clone(),
            name: m.name.clone(),
            status: m.status.as_str(),
            code: m.code.as_str().to_owned(),
            link: format!("/r/{}", m.code.as_str()),
            report: r.into(),
        })
        .collect();
    Ok(Json(ProgramJson {
        id: program.id,
        name: program.name.clone(),
        kind: program.kind.as_str(),
        commission: program.commission.as_ref().map(ToString::to_string),
        report: (&detail.total).into(),
        members,
        activity: detail.days.into_iter().map(DayJson::from).collect(),
        waiting_for_review: waiting.into_iter().map(ReviewJson::from).collect(),
    }))
}

/// A one-time sign-in link to a member's portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalLinkJson {
    pub person_id: String,
    pub code: String,
    /// Signs the member in once; starts with `KITH_PUBLIC_URL` when set.
    pub link: String,
    /// RFC 3339; the link stops working then if unused.
    pub expires_at: String,
}

/// Makes a one-time sign-in link to a member's portal (valid 72 hours).
#[utoipa::path(post, path = "/api/v1/programs/{id}/members/{code}/portal-link", tag = "programs",
    params(
        ("id" = i64, Path, description = "The program's id"),
        ("code" = String, Path, description = "The member's code in that program"),
    ),
    responses(
        (status = 201, description = "The link, shown this once", body = PortalLinkJson),
        (status = 404, description = "No such program, or no such member in it", body = crate::error::ErrorBody),
        (status = 409, description = "The member was removed from the program", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn portal_link(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<PortalLinkJson>), ApiError> {
    let program = program_by_id(&state, &id).await?;
    let member = member_of(&state, &program, &code).await?;
    let link = make_portal_link(&state, &me, &program, &member, &headers).await?;
    Ok((
        StatusCode::CREATED,
        Json(PortalLinkJson {
            person_id: member.person_id,
            code: member.code.to_string(),
            link: link.url,
            expires_at: rfc3339(link.expires_at),
        }),
    ))
}

/// A reviewer's decision on a flagged order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionJson {
    /// `approve` or `reject`.
    pub decision: String,
}

/// A flagged order once decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedJson {
    pub order_id: String,
    /// `approved` or `rejected`.
    pub review: &'static str,
}

/// Approves (its commission counts from now) or rejects a flagged order of the program.
#[utoipa::path(post, path = "/api/v1/programs/{id}/conversions/{order}/review", tag = "programs",
    params(
        ("id" = i64, Path, description = "The program's id"),
        ("order" = String, Path, description = "The order's id"),
    ),
    request_body(content = DecisionJson, content_type = "application/json"),
    responses(
        (status = 200, description = "Decided", body = ReviewedJson),
        (status = 400, description = "Neither approve nor reject", body = crate::error::ErrorBody),
        (status = 404, description = "No such program, or no such order of it", body = crate::error::ErrorBody),
        (status = 409, description = "The order is not waiting for review", body = crate::error::ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn review_order(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, order)): Path<(String, String)>,
    Json(body): Json<DecisionJson>,
) -> Result<Json<ReviewedJson>, ApiError> {
    let program = program_by_id(&state, &id).await?;
    let approve = review::approves(&body.decision)?;
    let c = review::decide_order(&state, &me, &program, &order, approve).await?;
    Ok(Json(ReviewedJson {
        order_id: c.order_id,
        review: c.review.as_str(),
    }))
}
