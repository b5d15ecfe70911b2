//! `POST /programs/{id}/members/{code}/status`: a manager moves a member through the
//! lifecycle kith-core allows (invited → active → paused ⇄ active; removal is final).
//!
//! The code must belong to the program in the path, so a form for one program can never
//! change a member of another. A removed member's link stops at once on this server: the
//! redirect's cache forgets the code instead of waiting out its few seconds.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::program::MemberStatus;
use kith_core::program::code::ReferralCode;
use kith_store::programs::ProgramError;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{failure, program_by_id, programs};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::Notice;

/// The statuses a member in `status` may be moved to, in the order the page offers them.
pub(crate) fn next_statuses(status: MemberStatus) -> Vec<&'static str> {
    [
        MemberStatus::Active,
        MemberStatus::Paused,
        MemberStatus::Removed,
    ]
    .into_iter()
    .filter(|next| status.can_become(*next))
    .map(MemberStatus::as_str)
    .collect()
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, code)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let not_member = || Failure::NotFound(format!("Member {code:?} of this program"));
    let code = ReferralCode::parse(&code).map_err(|_| not_member())?;
    let status = MemberStatus::parse(&form.status)
        .ok_or_else(|| Failure::BadRequest(format!("{:?} is not a status", form.status)))?;
    let back = format!("/programs/{}", program.id);
    let (name, lookup) = (program.name.clone(), code.clone());
    let member = programs(&state, move |s| {
        Ok(s.programs()
            .members(Some(&name))?
            .into_iter()
            .find(|m| m.code == lookup))
    })
    .await?
    .ok_or_else(not_member)?;
    let changed = {
        let code = code.clone();
        state
            .blocking(move |s| {
                Ok(s.programs()
                    .set_status(&code, status, OffsetDateTime::now_utc()))
            })
            .await?
    };
    let notice = match changed {
        Ok(m) => {
            // Paused and removed links must stop now, not when the cache expires.
            state.tracking.forget(&code);
            tracing::info!(who = %me.label(), program = program.id, code = %code, status = m.status.as_str(), "member status changed");
            Notice::ok(format!(
                "{} is now {}.",
                super::member_label(&m),
                m.status.as_str()
            ))
        }
        Err(e @ ProgramError::BadTransition { .. }) => Notice::error(format!(
            "{} was not changed: {e}.",
            super::member_label(&member)
        )),
        Err(e) => return Err(failure(e).into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_offers_only_the_moves_the_core_allows() {
        assert_eq!(next_statuses(MemberStatus::Invited), ["active", "removed"]);
        assert_eq!(next_statuses(MemberStatus::Active), ["paused", "removed"]);
        assert_eq!(next_statuses(MemberStatus::Paused), ["active", "removed"]);
        assert!(next_statuses(MemberStatus::Removed).is_empty());
    }
}
