//! Orders the fraud rules flagged, waiting for someone to look: the program page lists
//! them with their reasons in words, and `POST /programs/{id}/conversions/{order}/review`
//! (manager+) approves one — its commission counts from then on — or rejects it, for good.
//! The same decision as `kith program review`.
//!
//! The order must be attributed to a member of the program in the path, so a form for
//! one program can never decide another's.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_store::programs::{Conversion, Member, Program, ProgramError, ReviewState};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{amount, failure, member_label, program_by_id, programs};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::Notice;

/// A flagged order as the program page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewRow {
    order_id: String,
    member: String,
    person_id: String,
    subtotal: String,
    /// `YYYY-MM-DD`, UTC.
    placed: String,
    /// How the order came to the member: `discount_code`, `click`, …
    by: String,
    reasons: Vec<String>,
}

/// The program's orders waiting for review, oldest first.
pub(crate) async fn pending(
    state: &AppState,
    program: &Program,
) -> Result<Vec<Conversion>, Failure> {
    let name = program.name.clone();
    programs(state, move |s| {
        s.programs()
            .conversions(Some(&name), Some(ReviewState::Pending))
    })
    .await
}

/// The same, as the program page lists them.
pub(crate) async fn waiting(
    state: &AppState,
    program: &Program,
    members: &[Member],
) -> Result<Vec<ReviewRow>, Failure> {
    Ok(pending(state, program)
        .await?
        .into_iter()
        .map(|c| {
            let member = members
                .iter()
                .find(|m| m.code == c.code)
                .map_or_else(|| c.code.to_string(), member_label);
            ReviewRow {
                subtotal: amount(c.subtotal, &c.currency),
                placed: c.placed_at.date().to_string(),
                reasons: c.flags.iter().map(|f| f.explain()).collect(),
                order_id: c.order_id,
                member,
                person_id: c.person_id,
                by: c.attributed_by,
            }
        })
        .collect())
}

/// Approves or rejects the flagged `order` of `program` and logs who did. An order of
/// another program is not found; one not waiting for review (clean, or decided
/// already) is a conflict. The dashboard's form and the API both come here.
pub(crate) async fn decide_order(
    state: &AppState,
    me: &Principal,
    program: &Program,
    order: &str,
    approve: bool,
) -> Result<Conversion, Failure> {
    let conversion = conversion_of(state, program, order).await?;
    let decided = state
        .blocking(move |s| {
            Ok(s.programs()
                .review(&conversion.order_id, approve, OffsetDateTime::now_utc()))
        })
        .await?;
    match decided {
        Ok(c) => {
            tracing::info!(who = %me.label(), program = program.id, order = %c.order_id, review = c.review.as_str(), "order reviewed");
            Ok(c)
        }
        Err(e @ ProgramError::Invalid(_)) => Err(Failure::Conflict(e.to_string())),
        Err(e) => Err(failure(e)),
    }
}

/// `approve` or `reject`, as a form or the API sends it.
pub(crate) fn approves(decision: &str) -> Result<bool, Failure> {
    match decision {
        "approve" => Ok(true),
        "reject" => Ok(false),
        other => Err(Failure::BadRequest(format!(
            "{other:?} is not a decision: approve or reject"
        ))),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    /// `approve` or `reject`.
    decision: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, order)): Path<(String, String)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    let approve = approves(&form.decision)?;
    let notice = match decide_order(&state, &me, &program, &order, approve).await {
        Ok(c) if c.review == ReviewState::Approved => Notice::ok(format!(
            "Order {} is approved: its commission counts from now.",
            c.order_id
        )),
        Ok(c) => Notice::ok(format!(
            "Order {} is rejected: it earns no commission.",
            c.order_id
        )),
        Err(Failure::Conflict(why)) => Notice::error(format!("Not changed: {why}.")),
        Err(e) => return Err(e.into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

/// The conversion of `order` if a member of `program` earned it.
async fn conversion_of(
    state: &AppState,
    program: &Program,
    order: &str,
) -> Result<Conversion, Failure> {
    let name = program.name.clone();
    let wanted = order.to_owned();
    programs(state, move |s| {
        Ok(s.programs()
            .conversions(Some(&name), None)?
            .into_iter()
            .find(|c| c.order_id == wanted))
    })
    .await?
    .ok_or_else(|| Failure::NotFound(format!("Order {order:?} of this program")))
}
