//! The member portal's reads and sign-in: a person sees their own memberships — codes,
//! links, briefs, clicks, orders, earnings, payouts — and nothing of anyone else's.
//!
//! Every read here is keyed by the signed-in person's id, taken from their session, never
//! from a request parameter; the server has no other way into these figures.

use kith_core::program::ProgramKind;
use kith_core::program::leaderboard::rank_of;
use time::OffsetDateTime;

use super::books::load;
use super::ingest::conversions;
use super::members::{at, program_content, read_member, rows};
use super::sql::ProgramSql;
use super::{EventInfo, Membership, PortalView, ProgramError};
use crate::StoreError;
use crate::ops::Session;
use crate::value::Value;

pub(crate) fn portal_view(
    s: &mut dyn Session,
    sql: &ProgramSql,
    person_id: &str,
    now: OffsetDateTime,
) -> Result<Option<PortalView>, ProgramError> {
    let own = rows(
        s,
        &sql.members_of_person,
        &[Value::str(person_id)],
        read_member,
    )?;
    let Some(first) = own.first() else {
        return Ok(None);
    };
    let name = first.name.clone();
    let mut memberships = Vec::with_capacity(own.len());
    for member in own {
        let program = super::members::require_program(s, sql, &member.program)?;
        let books = load(s, sql, program.clone(), now, true)?;
        let figures = books
            .rows(true)
            .into_iter()
            .find(|r| r.code.as_ref() == Some(&member.code))
            .ok_or_else(|| StoreError::Corrupt(format!("member {} has no figures", member.id)))?;
        let mine = conversions(s, sql, Some(&program.name), None)?
            .into_iter()
            .filter(|c| c.member_id == member.id)
            .collect();
        let payouts = super::books::payout_batches(s, sql, Some(&program.name))?
            .into_iter()
            .filter_map(|b| {
                b.items
                    .iter()
                    .find(|i| i.member_id == member.id)
                    .map(|i| (b.id, i.amount, b.paid_at.is_some()))
            })
            .collect();
        let (shares, rank) = if program.kind == ProgramKind::Advocacy {
            // Only the member's own links; the board is read for their place alone.
            let own = super::shares::shares(s, sql, program.id)?
                .into_iter()
                .filter(|l| l.member_id == member.id)
                .collect();
            (own, rank_of(&books.leaderboard(), &member.id))
        } else {
            (Vec::new(), None)
        };
        let checked_in = program.kind == ProgramKind::Activation
            && super::events::attendance(s, sql, &program.name)?.contains(&member.id);
        let event = super::events::activation(&program).map(|a| EventInfo {
            date: a.date,
            place: a.place,
            region: a.region,
        });
        memberships.push(Membership {
            event,
            shares,
            rank,
            checked_in,
            kind: program.kind,
            commission: program.commission.as_ref().map(ToString::to_string),
            content: program_content(s, sql, program.id)?,
            figures,
            conversions: mine,
            payouts,
            member,
        });
    }
    Ok(Some(PortalView {
        person_id: person_id.to_owned(),
        name,
        memberships,
    }))
}

pub(crate) fn create_portal_token(
    s: &mut dyn Session,
    sql: &ProgramSql,
    token_hash: &str,
    person_id: &str,
    purpose: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    s.execute(
        &sql.insert_token,
        &[
            Value::str(token_hash),
            Value::str(person_id),
            Value::str(purpose),
            at(now),
            at(expires_at),
        ],
    )?;
    Ok(())
}

/// A magic link works once: the `UPDATE … WHERE used_at IS NULL` admits exactly one use
/// even when two requests race.
pub(crate) fn use_portal_token(
    s: &mut dyn Session,
    sql: &ProgramSql,
    token_hash: &str,
    purpose: &str,
    now: OffsetDateTime,
) -> Result<Option<String>, StoreError> {
    let found = rows(
        s,
        &sql.token,
        &[Value::str(token_hash), Value::str(purpose), at(now)],
        |c| Ok((c.req_text("person_id")?, c.timestamp()?.is_some())),
    )?;
    let Some((person, used)) = found.into_iter().next() else {
        return Ok(None);
    };
    if purpose != "link" {
        return Ok(Some(person));
    }
    if used || s.execute(&sql.use_token, &[Value::str(token_hash), at(now)])? == 0 {
        return Ok(None);
    }
    Ok(Some(person))
}

pub(crate) fn end_portal_token(
    s: &mut dyn Session,
    sql: &ProgramSql,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    s.execute(&sql.end_token, &[Value::str(token_hash), at(now)])?;
    Ok(())
}

pub(crate) fn set_portal_password(
    s: &mut dyn Session,
    sql: &ProgramSql,
    person_id: &str,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    s.execute(
        &sql.set_password,
        &[Value::str(person_id), Value::str(password_hash), at(now)],
    )?;
    Ok(())
}

pub(crate) fn portal_password(
    s: &mut dyn Session,
    sql: &ProgramSql,
    email: &str,
) -> Result<Option<(String, Option<String>)>, StoreError> {
    let email = email.trim().to_lowercase();
    Ok(
        rows(s, &sql.password_by_email, &[Value::owned(email)], |c| {
            Ok((c.req_text("people.id")?, c.text()?))
        })?
        .into_iter()
        .next(),
    )
}
