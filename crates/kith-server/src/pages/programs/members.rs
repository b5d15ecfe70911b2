//! A manager's forms for one member of a program:
//! - `POST /programs/{id}/members/{code}/status` moves the member through the lifecycle
//!   kith-core allows (invited → active → paused ⇄ active; removal is final). A removed
//!   member's link stops at once on this server: the redirect's cache forgets the code
//!   instead of waiting out its few seconds.
//! - `POST /programs/{id}/members/{code}/leaked` reports the code as leaked (found on a
//!   coupon site, say): from then on its orders wait for review. The same as
//!   `kith program leaked`.
//! - `POST /programs/{id}/members/{code}/portal-link` makes a one-time sign-in link to the
//!   member's portal, shown once to the manager who asked, to send to the member (kith
//!   sends no mail). The same as `kith program portal-link`.
//!
//! The code must belong to the program in the path, so a form for one program can never
//! reach a member of another.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use kith_core::program::MemberStatus;
use kith_store::programs::{Member, Program, ProgramError};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{failure, member_label, member_of, program_by_id};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::Notice;
use crate::portal;

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
    let status = MemberStatus::parse(&form.status)
        .ok_or_else(|| Failure::BadRequest(format!("{:?} is not a status", form.status)))?;
    let back = format!("/programs/{}", program.id);
    let member = member_of(&state, &program, &code).await?;
    let code = member.code.clone();
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
                member_label(&m),
                m.status.as_str()
            ))
        }
        Err(e @ ProgramError::BadTransition { .. }) => {
            Notice::error(format!("{} was not changed: {e}.", member_label(&member)))
        }
        Err(e) => return Err(failure(e).into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

pub async fn report_leak(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    let member = member_of(&state, &program, &code).await?;
    let code = member.code.clone();
    let reported = state
        .blocking(move |s| Ok(s.programs().report_leak(&code, OffsetDateTime::now_utc())))
        .await?
        .map_err(failure)?;
    tracing::info!(who = %me.label(), program = program.id, code = %reported.code, "code reported leaked");
    let notice = Notice::ok(format!(
        "{}'s code is marked as leaked: its orders now wait for review.",
        member_label(&reported)
    ));
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

/// A one-time sign-in link to a member's portal, as made for a manager.
pub(crate) struct PortalLink {
    /// The whole URL: it signs the member in, once.
    pub url: String,
    pub expires_at: OffsetDateTime,
}

/// Makes a sign-in link for `member` of `program` (not for a removed member: their
/// portal is closed to them as a member of this program), and logs who asked — never
/// the link. The dashboard's form and the API both come here.
pub(crate) async fn make_portal_link(
    state: &AppState,
    me: &Principal,
    program: &Program,
    member: &Member,
    headers: &HeaderMap,
) -> Result<PortalLink, Failure> {
    if member.status == MemberStatus::Removed {
        return Err(Failure::Conflict(format!(
            "{} was removed from the program: no sign-in link",
            member_label(member)
        )));
    }
    let person = member.person_id.clone();
    let now = OffsetDateTime::now_utc();
    let token = state
        .blocking(move |s| Ok(portal::issue_link(s, &person, now)))
        .await??;
    tracing::info!(who = %me.label(), program = program.id, code = %member.code, "portal sign-in link made");
    Ok(PortalLink {
        url: format!("{}/portal/link/{token}", portal::link_base(headers)),
        expires_at: now + portal::LINK_LIFE,
    })
}

pub async fn portal_link(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    let member = member_of(&state, &program, &code).await?;
    let who = member_label(&member);
    let notice = match make_portal_link(&state, &me, &program, &member, &headers).await {
        Ok(link) => Notice {
            ok: Some(format!(
                "A sign-in link to {who}'s portal, shown this once. Send it to them: it works \
                 once, within {} hours.",
                portal::LINK_LIFE.whole_hours()
            )),
            link: Some(link.url),
            ..Notice::default()
        },
        Err(Failure::Conflict(why)) => Notice::error(format!("{why}.")),
        Err(e) => return Err(e.into()),
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
