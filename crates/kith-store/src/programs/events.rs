//! Field activations: the event code (one per activation, in the same space as every
//! other code), capacity at enrolment, inviting the people of the event's region,
//! check-ins (by a manager, or by the member with the event code) and the orders the
//! event code brings.

use kith_core::program::activation::Activation;
use kith_core::program::code::ReferralCode;
use kith_core::program::{MemberStatus, ProgramKind};
use time::OffsetDateTime;

use super::members::{at, code_is_free, enroll, read_member, require_program, rows};
use super::sql::ProgramSql;
use super::{Enrolment, Invitation, Program, ProgramError};
use crate::StoreError;
use crate::ops::{Session, query_int};
use crate::value::Value;

/// The activation settings of a program, `None` for other kinds.
pub(super) fn activation(program: &Program) -> Option<Activation> {
    (program.kind == ProgramKind::Activation).then(|| Activation::from_details(&program.details))
}

/// Registers a new activation's event code, refusing one any member, link or event has.
pub(super) fn register_event_code(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
) -> Result<(), ProgramError> {
    let Some(code) = activation(program).and_then(|a| a.event_code) else {
        return Ok(());
    };
    if !code_is_free(s, sql, &code)? {
        return Err(ProgramError::CodeTaken(code.to_string()));
    }
    s.execute(
        &sql.insert_event_code,
        &[Value::str(code.as_str()), Value::Int(program.id)],
    )?;
    Ok(())
}

/// Members who hold a place: everyone not removed.
pub(super) fn seated(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_id: i64,
) -> Result<u64, StoreError> {
    let n = query_int(s, &sql.seated_members, &[Value::Int(program_id)])?.unwrap_or(0);
    crate::convert::uint("seated members", n)
}

/// Refuses `more` new members when the activation has not the places for them.
pub(super) fn check_capacity(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &Program,
    more: u64,
) -> Result<(), ProgramError> {
    if let Some(a) = activation(program)
        && a.capacity.is_some()
    {
        a.admit(seated(s, sql, program.id)?, more)?;
    }
    Ok(())
}

pub(crate) fn invite_region(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: &str,
    now: OffsetDateTime,
) -> Result<Invitation, ProgramError> {
    let program = require_program(s, sql, program_name)?;
    let a = activation(&program)
        .ok_or_else(|| ProgramError::Invalid(format!("{} is not an activation", program.name)))?;
    let region = a.region.clone().ok_or_else(|| {
        ProgramError::Invalid(format!("{} has no region to invite", program.name))
    })?;
    let people: Vec<String> = rows(
        s,
        &sql.people_in_region,
        &[
            Value::Int(program.id),
            Value::owned(region.trim().to_ascii_lowercase()),
        ],
        |c| Ok((c.req_text("id")?, c.text()?, c.text()?)),
    )?
    .into_iter()
    .filter(|(_, region, city)| a.in_region(region.as_deref(), city.as_deref()))
    .map(|(id, _, _)| id)
    .collect();
    let in_region = people.len() as u64;
    let left = a.seats_left(seated(s, sql, program.id)?);
    let take = left.map_or(people.len(), |l| {
        people.len().min(usize::try_from(l).unwrap_or(usize::MAX))
    });
    let invites: Vec<Enrolment> = people[..take]
        .iter()
        .map(|id| Enrolment {
            status: MemberStatus::Invited,
            ..Enrolment::new(id)
        })
        .collect();
    let invited = if invites.is_empty() {
        Vec::new()
    } else {
        enroll(s, sql, &program.name, &invites, now)?
    };
    Ok(Invitation {
        invited,
        in_region,
        seats_left: a.seats_left(seated(s, sql, program.id)?),
    })
}

/// Members of the program who have checked in.
pub(crate) fn attendance(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: &str,
) -> Result<Vec<i64>, ProgramError> {
    let program = require_program(s, sql, program_name)?;
    Ok(rows(s, &sql.checkins, &[Value::Int(program.id)], |c| {
        c.req_int("member_id")
    })?)
}

/// A member checks themself in by typing the event's code: it must be the code of an
/// activation they are a member of (and not removed from). Returns the program's name
/// and whether this was their first check-in.
pub(crate) fn check_in_with_event_code(
    s: &mut dyn Session,
    sql: &ProgramSql,
    person_id: &str,
    event_code: &str,
    now: OffsetDateTime,
) -> Result<(String, bool), ProgramError> {
    let unknown = || ProgramError::UnknownEventCode(event_code.trim().to_owned());
    let code = ReferralCode::parse(event_code).map_err(|_| unknown())?;
    let program_id =
        query_int(s, &sql.event_program, &[Value::str(code.as_str())])?.ok_or_else(unknown)?;
    // The same answer whether the code exists or the person is not invited to it: a
    // member cannot learn other events' codes by trying them.
    let member = rows(
        s,
        &sql.member_by_person,
        &[Value::Int(program_id), Value::str(person_id)],
        read_member,
    )?
    .into_iter()
    .next()
    .filter(|m| m.status != MemberStatus::Removed)
    .ok_or_else(unknown)?;
    let first = s.execute(&sql.insert_checkin, &[Value::Int(member.id), at(now)])? > 0;
    Ok((member.program, first))
}
