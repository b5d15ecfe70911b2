//! Field activations on the dashboard: the event's settings in the create form, inviting
//! the people of its region (`POST /programs/{id}/invite`, manager+), and marking a
//! member attended (`POST /programs/{id}/members/{code}/checkin`, manager+). Members
//! check themselves in from the portal with the event code.
//!
//! Capacity is the store's rule (kith-core's `Activation::admit`): enrolment and
//! invitations never seat more members than the event takes.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use kith_core::program::ProgramKind;
use kith_core::program::activation::Activation;
use kith_core::program::code::ReferralCode;
use kith_store::programs::{Member, Program, ProgramError};
use serde::Serialize;
use time::OffsetDateTime;

use super::{failure, member_label, member_of, program_by_id, programs};
use crate::AppState;
use crate::auth::Principal;
use crate::error::{Failure, PageError};
use crate::pages::flash::Notice;

/// The activation fields of the create form, as text.
#[derive(Debug, Default)]
pub(crate) struct EventFields<'a> {
    pub date: &'a str,
    pub place: &'a str,
    pub region: &'a str,
    pub capacity: &'a str,
    pub event_code: &'a str,
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The settings the form describes, checked as `kith program create` checks them.
pub(crate) fn settings(f: &EventFields<'_>) -> Result<Activation, String> {
    let date = match some(f.date) {
        None => None,
        Some(d) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let day = time::Date::parse(&d, format)
                .map_err(|_| format!("the date {d:?} must be written YYYY-MM-DD"))?;
            Some(format!("{day}T00:00:00Z"))
        }
    };
    let capacity = match some(f.capacity) {
        None => None,
        Some(c) => Some(
            c.parse::<u32>()
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| format!("the capacity {c:?} must be a whole number of people"))?,
        ),
    };
    let event_code = match some(f.event_code) {
        None => None,
        Some(c) => Some(ReferralCode::parse(&c).map_err(|e| format!("the event code: {e}"))?),
    };
    Ok(Activation {
        date,
        place: some(f.place),
        region: some(f.region),
        capacity,
        event_code,
    })
}

/// What the program page shows of an activation.
#[derive(Debug, Serialize)]
pub(crate) struct EventView {
    date: Option<String>,
    place: Option<String>,
    region: Option<String>,
    capacity: Option<u32>,
    /// Members holding a place (not removed).
    seated: usize,
    attended: usize,
    event_code: Option<String>,
    /// Codes of the members who checked in.
    pub attended_codes: Vec<String>,
}

pub(crate) async fn event_view(
    state: &AppState,
    program: &Program,
    members: &[Member],
) -> Result<Option<EventView>, Failure> {
    if program.kind != ProgramKind::Activation {
        return Ok(None);
    }
    let a = Activation::from_details(&program.details);
    let name = program.name.clone();
    let attended = programs(state, move |s| s.programs().attendance(&name)).await?;
    let attended_codes: Vec<String> = members
        .iter()
        .filter(|m| attended.contains(&m.id))
        .map(|m| m.code.as_str().to_owned())
        .collect();
    Ok(Some(EventView {
        date: a.date.map(|d| d.chars().take(10).collect()),
        place: a.place,
        region: a.region,
        capacity: a.capacity,
        seated: members
            .iter()
            .filter(|m| m.status != kith_core::program::MemberStatus::Removed)
            .count(),
        attended: attended_codes.len(),
        event_code: a.event_code.map(|c| c.as_str().to_owned()),
        attended_codes,
    }))
}

pub async fn invite(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    let name = program.name.clone();
    let outcome = state
        .blocking(move |s| Ok(s.programs().invite_region(&name, OffsetDateTime::now_utc())))
        .await?;
    let notice = match outcome {
        Ok(done) => {
            tracing::info!(who = %me.label(), program = program.id, invited = done.invited.len(), "region invited");
            let mut text = format!(
                "Invited {} of the {} people of the region who were not members yet.",
                done.invited.len(),
                done.in_region
            );
            if let Some(left) = done.seats_left {
                text.push_str(&format!(" {left} places left."));
            }
            Notice::ok(text)
        }
        Err(e @ (ProgramError::Invalid(_) | ProgramError::Full(_))) => {
            Notice::error(format!("No one was invited: {e}."))
        }
        Err(e) => return Err(failure(e).into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

pub async fn check_in(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let program = program_by_id(&state, &id).await?;
    let back = format!("/programs/{}", program.id);
    let member = member_of(&state, &program, &code).await?;
    let code = member.code.clone();
    let outcome = state
        .blocking(move |s| Ok(s.programs().check_in(&code, OffsetDateTime::now_utc())))
        .await?;
    let who = member_label(&member);
    let notice = match outcome {
        Ok(true) => Notice::ok(format!("{who} is checked in.")),
        Ok(false) => Notice::ok(format!("{who} was already checked in.")),
        Err(e @ ProgramError::Invalid(_)) => Notice::error(format!("Not checked in: {e}.")),
        Err(e) => return Err(failure(e).into()),
    };
    Ok(state.flashes.redirect(&me, &back, notice)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_writes_the_event_as_the_cli_does() {
        let a = settings(&EventFields {
            date: "2026-12-12",
            place: " Ridgeline Roastery ",
            region: "CO",
            capacity: "40",
            event_code: "brewalong",
        })
        .unwrap();
        assert_eq!(a.date.as_deref(), Some("2026-12-12T00:00:00Z"));
        assert_eq!(a.place.as_deref(), Some("Ridgeline Roastery"));
        assert_eq!(a.event_code.unwrap().as_str(), "BREWALONG");
        for bad in [
            EventFields {
                date: "12/12/2026",
                ..EventFields::default()
            },
            EventFields {
                capacity: "-3",
                ..EventFields::default()
            },
            EventFields {
                capacity: "0",
                ..EventFields::default()
            },
            EventFields {
                event_code: "no spaces",
                ..EventFields::default()
            },
        ] {
            assert!(settings(&bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            settings(&EventFields::default()).unwrap(),
            Activation::default()
        );
    }
}
