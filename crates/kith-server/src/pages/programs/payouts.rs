//! A program's payouts (owner and admin only): who is owed their approved commission, a
//! button that records a batch paying each of them, each batch's PayPal Payouts file,
//! and marking a batch paid once PayPal has paid it.
//!
//! The amounts come from the ledger (`ProgramStore::create_payout` pays each member's
//! approved balance, and only a positive one), and the file is `PayoutBatch::paypal_csv`,
//! the very code `kith program payout` writes — one implementation for both.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kith_store::programs::{PayoutBatch, Program};
use minijinja::context;
use serde::Serialize;
use time::OffsetDateTime;

use super::{amount, member_name, program_by_id, programs};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::{Notice, NoticeParam};

#[derive(Debug, Serialize)]
struct Owed {
    name: String,
    code: String,
    email: String,
    approved: String,
}

#[derive(Debug, Serialize)]
struct BatchRow {
    id: i64,
    created: String,
    paid: Option<String>,
    members: usize,
    total: String,
    /// Why the batch cannot be written as a PayPal file, if it cannot.
    problem: Option<String>,
}

fn day(t: OffsetDateTime) -> String {
    t.date().to_string()
}

async fn batch_of(
    state: &AppState,
    program: &Program,
    batch: &str,
) -> Result<PayoutBatch, Failure> {
    let not_found = || Failure::NotFound(format!("Payout batch {batch:?} of this program"));
    let id: i64 = batch.parse().map_err(|_| not_found())?;
    let name = program.name.clone();
    programs(state, move |s| s.programs().payout_batches(Some(&name)))
        .await?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or_else(not_found)
}

pub async fn page(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<NoticeParam>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let name = program.name.clone();
    let now = OffsetDateTime::now_utc();
    let (report, members, batches) = programs(&state, move |s| {
        let p = s.programs();
        Ok((
            p.roi(Some(&name), true, now)?,
            p.members(Some(&name))?,
            p.payout_batches(Some(&name))?,
        ))
    })
    .await?;
    let owed: Vec<Owed> = members
        .iter()
        .filter_map(|m| {
            let row = report.iter().find(|r| r.code.as_ref() == Some(&m.code))?;
            // Only a positive approved balance is owed: one that a clawback made
            // negative is settled by later earnings, never paid out.
            (row.approved.minor() > 0).then(|| Owed {
                name: member_name(m),
                code: m.code.as_str().to_owned(),
                email: m.email.clone().unwrap_or_default(),
                approved: amount(row.approved, &program.currency),
            })
        })
        .collect();
    let rows: Vec<BatchRow> = batches
        .iter()
        .rev()
        .map(|b| BatchRow {
            id: b.id,
            created: day(b.created_at),
            paid: b.paid_at.map(day),
            members: b.items.len(),
            total: amount(b.total(), &b.currency),
            problem: b.paypal_csv().err().map(|e| e.to_string()),
        })
        .collect();
    crate::pages::page_with_notice(
        &state,
        &me,
        "program_payouts.html",
        "programs",
        q.notice.as_deref(),
        context! {
            program => context! { id => program.id, name => program.name },
            owed => crate::pages::v(&owed),
            batches => crate::pages::v(&rows),
        },
    )
}

pub async fn create(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}/payouts", program.id);
    let name = program.name.clone();
    let made = programs(&state, move |s| {
        s.programs().create_payout(&name, OffsetDateTime::now_utc())
    })
    .await?;
    let notice = match made {
        None => Notice::error("No batch was made: no member has approved commission to pay."),
        Some(b) => {
            tracing::info!(who = %me.label(), program = program.id, batch = b.id, "payout batch created");
            Notice::ok(format!(
                "Batch {} pays {} members {}. Download its PayPal file, upload it to PayPal \
                 Payouts, then mark it paid.",
                b.id,
                b.items.len(),
                amount(b.total(), &b.currency)
            ))
        }
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

pub async fn download(
    State(state): State<AppState>,
    Path((id, batch)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let batch = batch_of(&state, &program, &batch).await?;
    let csv = batch.paypal_csv().map_err(|e| {
        Failure::Conflict(format!("Batch {} cannot be paid by PayPal: {e}", batch.id))
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"kith-payout-{}.csv\"", batch.id),
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn mark_paid(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, batch)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let batch = batch_of(&state, &program, &batch).await?;
    let back = format!("/programs/{}/payouts", program.id);
    let notice = if batch.paid_at.is_some() {
        Notice::error(format!("Batch {} was already marked paid.", batch.id))
    } else {
        let b = batch.id;
        programs(&state, move |s| {
            s.programs().mark_paid(b, OffsetDateTime::now_utc())
        })
        .await?;
        tracing::info!(who = %me.label(), program = program.id, batch = b, "payout batch paid");
        Notice::ok(format!("Batch {b} is marked paid."))
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}
