//! Programs, their members and codes, the links the redirect follows, content, check-ins
//! and the store's own secrets.

use kith_core::Money;
use kith_core::program::code::ReferralCode;
use kith_core::program::{MemberStatus, ProgramKind};
use time::OffsetDateTime;

use super::sql::ProgramSql;
use super::{Content, Enrolment, Link, Member, NewProgram, Program, ProgramCounts, ProgramError};
use crate::StoreError;
use crate::convert;
use crate::ops::{Session, query_int};
use crate::value::{Columns, Cursor, Value};

/// Where code suggestions start: `MAYA10`, `MAYA11`, …
const FIRST_SUGGESTION: u32 = 10;
/// How many suggestions to try before giving up on a name.
const SUGGESTIONS: usize = 1_000;

pub(super) fn at(t: OffsetDateTime) -> Value<'static> {
    Value::Timestamp(convert::utc_micros(t))
}

pub(super) fn req_at(c: &mut Cursor<'_>, what: &str) -> Result<OffsetDateTime, StoreError> {
    c.timestamp()?
        .ok_or_else(|| StoreError::Corrupt(format!("{what} is null")))
}

/// Collects every row of a query through `read`.
pub(super) fn rows<T>(
    s: &mut dyn Session,
    sql: &str,
    params: &[Value<'_>],
    mut read: impl FnMut(&mut Cursor<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    s.each_row(sql, params, &mut |row: &dyn Columns| {
        out.push(read(&mut Cursor::new(row))?);
        Ok(())
    })?;
    Ok(out)
}

pub(super) fn money(minor: i64) -> Money {
    Money::from_minor(minor)
}

fn u32_col(c: &mut Cursor<'_>, what: &str) -> Result<u32, StoreError> {
    convert::u32_of(what, c.req_int(what)?)
}

fn read_program(c: &mut Cursor<'_>) -> Result<Program, StoreError> {
    let id = c.req_int("programs.id")?;
    let name = c.req_text("programs.name")?;
    let kind_text = c.req_text("programs.kind")?;
    let kind = ProgramKind::parse(&kind_text)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown program kind {kind_text:?}")))?;
    let commission = c
        .text()?
        .map(|t| {
            t.parse()
                .map_err(|e| StoreError::Corrupt(format!("programs.commission: {e}")))
        })
        .transpose()?;
    Ok(Program {
        id,
        name,
        kind,
        commission,
        destination: c.text()?,
        currency: c.req_text("programs.currency")?,
        fee: money(c.req_int("programs.fee_minor")?),
        hold_days: u32_col(c, "programs.hold_days")?,
        window_days: u32_col(c, "programs.window_days")?,
        details: convert::from_json("programs.details", &c.req_text("programs.details")?)?,
        starts_at: req_at(c, "programs.starts_at")?,
        created_at: req_at(c, "programs.created_at")?,
    })
}

pub(super) fn read_code(text: &str) -> Result<ReferralCode, StoreError> {
    ReferralCode::parse(text).map_err(|e| StoreError::Corrupt(format!("stored code: {e}")))
}

fn read_status(text: &str) -> Result<MemberStatus, StoreError> {
    MemberStatus::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown member status {text:?}")))
}

pub(super) fn read_member(c: &mut Cursor<'_>) -> Result<Member, StoreError> {
    let id = c.req_int("program_members.id")?;
    let program_id = c.req_int("program_members.program_id")?;
    let program = c.req_text("programs.name")?;
    let person_id = c.req_text("program_members.person_id")?;
    let code = read_code(&c.req_text("program_members.code")?)?;
    let status = read_status(&c.req_text("program_members.status")?)?;
    let destination = c.text()?;
    let seeding = money(c.req_int("program_members.seeding_minor")?);
    let leaked = c.timestamp()?.is_some();
    let joined_at = req_at(c, "program_members.joined_at")?;
    let first = c.text()?.unwrap_or_default();
    let last = c.text()?.unwrap_or_default();
    let name = format!("{} {}", first.trim(), last.trim())
        .trim()
        .to_owned();
    Ok(Member {
        id,
        program_id,
        program,
        person_id,
        code,
        status,
        destination,
        seeding,
        leaked,
        joined_at,
        name: (!name.is_empty()).then_some(name),
        email: c.text()?,
    })
}

/// A program's name as it is compared: trimmed and lower-cased.
pub(super) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(crate) fn create_program(
    s: &mut dyn Session,
    sql: &ProgramSql,
    new: &NewProgram,
    now: OffsetDateTime,
) -> Result<Program, ProgramError> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(ProgramError::Invalid("a program needs a name".into()));
    }
    let details = convert::to_json("details", &new.details)
        .map_err(|e| ProgramError::Invalid(e.to_string()))?;
    let commission = new.commission.as_ref().map(ToString::to_string);
    let params = [
        Value::str(name),
        Value::owned(name_key(name)),
        Value::str(new.kind.as_str()),
        Value::opt_str(commission.as_deref()),
        Value::opt_str(new.destination.as_deref()),
        Value::str(&new.currency),
        Value::Int(new.fee.minor()),
        Value::Int(i64::from(new.hold_days)),
        Value::Int(i64::from(new.window_days)),
        Value::owned(details),
        at(new.starts_at),
        at(now),
    ];
    let created = rows(s, &sql.insert_program, &params, read_program)?
        .into_iter()
        .next()
        .ok_or_else(|| ProgramError::NameTaken(name.to_owned()))?;
    super::events::register_event_code(s, sql, &created)?;
    Ok(created)
}

pub(crate) fn programs(s: &mut dyn Session, sql: &ProgramSql) -> Result<Vec<Program>, StoreError> {
    rows(s, &sql.programs, &[], read_program)
}

pub(crate) fn program(
    s: &mut dyn Session,
    sql: &ProgramSql,
    name: &str,
) -> Result<Option<Program>, StoreError> {
    let found = rows(
        s,
        &sql.program_by_key,
        &[Value::owned(name_key(name))],
        read_program,
    )?;
    Ok(found.into_iter().next())
}

/// The program named `name`, or the error that says there is none.
pub(super) fn require_program(
    s: &mut dyn Session,
    sql: &ProgramSql,
    name: &str,
) -> Result<Program, ProgramError> {
    program(s, sql, name)?.ok_or_else(|| ProgramError::UnknownProgram(name.to_owned()))
}

pub(super) fn code_is_free(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
) -> Result<bool, StoreError> {
    Ok(query_int(s, &sql.code_taken, &[Value::str(code.as_str())])?.unwrap_or(0) == 0)
}

pub(super) fn member_by_code(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
) -> Result<Member, ProgramError> {
    rows(
        s,
        &sql.member_by_code,
        &[Value::str(code.as_str())],
        read_member,
    )?
    .into_iter()
    .next()
    .ok_or_else(|| ProgramError::UnknownCode(code.to_string()))
}

pub(crate) fn enroll(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: &str,
    people: &[Enrolment],
    now: OffsetDateTime,
) -> Result<Vec<Member>, ProgramError> {
    let program = require_program(s, sql, program_name)?;
    let mut out = Vec::with_capacity(people.len());
    for e in people {
        let existing = rows(
            s,
            &sql.member_by_person,
            &[Value::Int(program.id), Value::str(&e.person_id)],
            read_member,
        )?;
        if let Some(member) = existing.into_iter().next() {
            out.push(member);
            continue;
        }
        // An activation takes as many as it has places: all or none, like enrolment.
        super::events::check_capacity(s, sql, &program, 1)?;
        let first_name = rows(s, &sql.person, &[Value::str(&e.person_id)], |c| {
            c.req_text("people.id")?;
            c.text()
        })?
        .into_iter()
        .next()
        .ok_or_else(|| ProgramError::UnknownPerson(e.person_id.clone()))?
        .unwrap_or_default();
        let code = match &e.code {
            Some(code) if code_is_free(s, sql, code)? => code.clone(),
            Some(code) => return Err(ProgramError::CodeTaken(code.to_string())),
            None => {
                let mut found = None;
                for candidate in
                    ReferralCode::suggestions(&first_name, FIRST_SUGGESTION).take(SUGGESTIONS)
                {
                    if code_is_free(s, sql, &candidate)? {
                        found = Some(candidate);
                        break;
                    }
                }
                found.ok_or_else(|| {
                    ProgramError::Invalid(format!("no free code left for {first_name:?}"))
                })?
            }
        };
        let params = [
            Value::Int(program.id),
            Value::str(&e.person_id),
            Value::str(code.as_str()),
            Value::str(e.status.as_str()),
            Value::opt_str(e.destination.as_deref()),
            Value::Int(e.seeding.minor()),
            at(now),
        ];
        query_int(s, &sql.insert_member, &params)?;
        out.push(member_by_code(s, sql, &code)?);
    }
    if program.kind == ProgramKind::Advocacy {
        super::shares::ensure_shares(s, sql, program.id, now)?;
    }
    Ok(out)
}

pub(crate) fn set_status(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
    status: MemberStatus,
    now: OffsetDateTime,
) -> Result<Member, ProgramError> {
    let member = member_by_code(s, sql, code)?;
    if member.status == status {
        return Ok(member);
    }
    if !member.status.can_become(status) {
        return Err(ProgramError::BadTransition {
            from: member.status.as_str(),
            to: status.as_str(),
        });
    }
    s.execute(
        &sql.set_status,
        &[Value::Int(member.id), Value::str(status.as_str()), at(now)],
    )?;
    member_by_code(s, sql, code)
}

pub(crate) fn report_leak(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
    now: OffsetDateTime,
) -> Result<Member, ProgramError> {
    let member = member_by_code(s, sql, code)?;
    s.execute(&sql.set_leaked, &[Value::Int(member.id), at(now)])?;
    member_by_code(s, sql, code)
}

pub(crate) fn members(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: Option<&str>,
) -> Result<Vec<Member>, ProgramError> {
    match program_name {
        None => Ok(rows(s, &sql.members, &[], read_member)?),
        Some(name) => {
            let program = require_program(s, sql, name)?;
            Ok(rows(
                s,
                &sql.members_of_program,
                &[Value::Int(program.id)],
                read_member,
            )?)
        }
    }
}

pub(crate) fn link(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
) -> Result<Option<Link>, StoreError> {
    let found = rows(s, &sql.link, &[Value::str(code.as_str())], |c| {
        Ok(Link {
            member_id: c.req_int("program_members.id")?,
            code: read_code(&c.req_text("program_members.code")?)?,
            status: read_status(&c.req_text("program_members.status")?)?,
            destination: c.text()?,
            campaign: c.req_text("programs.name")?,
            window_days: u32_col(c, "programs.window_days")?,
            single_use: single_use(&c.req_text("programs.details")?)?,
            content_id: None,
        })
    })?;
    let found = match found.into_iter().next() {
        Some(link) => Some(link),
        None => super::shares::share_link(s, sql, code)?,
    };
    // A removed member's code is dead: the link answers as if it never existed.
    Ok(found.filter(|l| l.status != MemberStatus::Removed))
}

/// Whether a program's `details` ask for a single-use code per click.
pub(super) fn single_use(details: &str) -> Result<bool, StoreError> {
    let details: serde_json::Value = convert::from_json("programs.details", details)?;
    Ok(details
        .get("single_use_codes")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false))
}

fn read_content(c: &mut Cursor<'_>) -> Result<Content, StoreError> {
    Ok(Content {
        id: c.req_int("program_content.id")?,
        program_id: c.req_int("program_content.program_id")?,
        kind: c.req_text("program_content.kind")?,
        title: c.req_text("program_content.title")?,
        body: c.req_text("program_content.body")?,
        url: c.text()?,
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn add_content(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: &str,
    kind: &str,
    title: &str,
    body: &str,
    url: Option<&str>,
    now: OffsetDateTime,
) -> Result<Content, ProgramError> {
    let program = require_program(s, sql, program_name)?;
    let params = [
        Value::Int(program.id),
        Value::str(kind),
        Value::str(title),
        Value::str(body),
        Value::opt_str(url),
        at(now),
    ];
    let id = query_int(s, &sql.insert_content, &params)?
        .ok_or_else(|| StoreError::Corrupt("no id for new content".into()))?;
    if program.kind == ProgramKind::Advocacy {
        super::shares::ensure_shares(s, sql, program.id, now)?;
    }
    Ok(Content {
        id,
        program_id: program.id,
        kind: kind.to_owned(),
        title: title.to_owned(),
        body: body.to_owned(),
        url: url.map(str::to_owned),
    })
}

pub(crate) fn content(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_name: &str,
) -> Result<Vec<Content>, ProgramError> {
    let program = require_program(s, sql, program_name)?;
    Ok(program_content(s, sql, program.id)?)
}

pub(super) fn program_content(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_id: i64,
) -> Result<Vec<Content>, StoreError> {
    rows(s, &sql.content, &[Value::Int(program_id)], read_content)
}

pub(crate) fn check_in(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
    now: OffsetDateTime,
) -> Result<bool, ProgramError> {
    let member = member_by_code(s, sql, code)?;
    if member.status == MemberStatus::Removed {
        return Err(ProgramError::Invalid(format!(
            "{} was removed from {} and cannot check in",
            member.code, member.program
        )));
    }
    Ok(s.execute(&sql.insert_checkin, &[Value::Int(member.id), at(now)])? > 0)
}

pub(crate) fn secret(
    s: &mut dyn Session,
    sql: &ProgramSql,
    name: &str,
    fresh: &str,
) -> Result<String, StoreError> {
    s.execute(&sql.insert_secret, &[Value::str(name), Value::str(fresh)])?;
    rows(s, &sql.secret, &[Value::str(name)], |c| c.req_text("value"))?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt(format!("secret {name:?} vanished")))
}

/// The counts `kith status` shows: programs, members, counted clicks, conversions.
pub(crate) fn program_counts(s: &mut dyn Session) -> Result<ProgramCounts, StoreError> {
    // The same text in both dialects: it has no parameters.
    let sql = super::sql::statements(crate::sql::Dialect::Sqlite);
    let mut counts = [0u64; 4];
    s.each_row(&sql.counts, &[], &mut |row| {
        for (i, count) in counts.iter_mut().enumerate() {
            *count = convert::uint("a count", row.int(i)?.unwrap_or(0))?;
        }
        Ok(())
    })?;
    let [programs, members, clicks, conversions] = counts;
    Ok(ProgramCounts {
        programs,
        members,
        clicks,
        conversions,
    })
}
