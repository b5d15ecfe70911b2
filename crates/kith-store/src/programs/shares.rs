//! Advocacy share links: one code per (member, library post), made when a post is added
//! or a member joins, so every advocate always has a link to every post. `/r/{code}`
//! sends the visitor to the post; the click counts to the member and to the post.
//!
//! A share code is the member's code and the post's id, `MAYA10-7`, shortened to fit the
//! 32 characters a code may have, and made unique against every other kind of code.

use kith_core::program::code::ReferralCode;
use time::OffsetDateTime;

use super::members::{at, code_is_free, read_code, require_program, rows};
use super::sql::ProgramSql;
use super::{Link, ProgramError, ShareLink};
use crate::StoreError;
use crate::convert;
use crate::ops::Session;
use crate::value::Value;

/// The longest a code may be.
const MAX_CODE: usize = 32;

/// Candidate share codes for a member's code and a post, best first.
fn candidates(member_code: &str, content_id: i64) -> impl Iterator<Item = ReferralCode> {
    let member_code = member_code.to_owned();
    (0u32..100).filter_map(move |n| {
        let suffix = if n == 0 {
            format!("-{content_id}")
        } else {
            format!("-{content_id}-{n}")
        };
        let room = MAX_CODE.saturating_sub(suffix.len());
        let stem: String = member_code.chars().take(room).collect();
        ReferralCode::parse(&format!("{stem}{suffix}")).ok()
    })
}

/// Makes the share links the program's members are missing (every member × every post
/// with a URL). Removed members get them too: their links answer 404 all the same, and
/// the set stays complete if history is ever read back.
pub(super) fn ensure_shares(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_id: i64,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let missing = rows(s, &sql.missing_shares, &[Value::Int(program_id)], |c| {
        Ok((
            c.req_int("member")?,
            c.req_text("code")?,
            c.req_int("content")?,
        ))
    })?;
    for (member, member_code, content) in missing {
        let mut made = false;
        for code in candidates(&member_code, content) {
            if code_is_free(s, sql, &code)? {
                s.execute(
                    &sql.insert_share,
                    &[
                        Value::str(code.as_str()),
                        Value::Int(member),
                        Value::Int(content),
                        at(now),
                    ],
                )?;
                made = true;
                break;
            }
        }
        if !made {
            return Err(StoreError::Unstorable(format!(
                "no free share code for {member_code} and post {content}"
            )));
        }
    }
    Ok(())
}

/// The link behind a share code, with the post as its destination.
pub(super) fn share_link(
    s: &mut dyn Session,
    sql: &ProgramSql,
    code: &ReferralCode,
) -> Result<Option<Link>, StoreError> {
    let found = rows(s, &sql.share_link, &[Value::str(code.as_str())], |c| {
        let member_id = c.req_int("member_id")?;
        let code = read_code(&c.req_text("code")?)?;
        let status_text = c.req_text("status")?;
        let status = kith_core::program::MemberStatus::parse(&status_text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown member status {status_text:?}")))?;
        Ok(Link {
            member_id,
            code,
            status,
            destination: c.text()?,
            campaign: c.req_text("programs.name")?,
            window_days: convert::u32_of("window_days", c.req_int("window_days")?)?,
            single_use: super::members::single_use(&c.req_text("details")?)?,
            content_id: Some(c.req_int("content_id")?),
        })
    })?;
    Ok(found.into_iter().next())
}

/// Every share link of the program named `program`, by post then member code.
pub(crate) fn shares_of(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &str,
) -> Result<Vec<ShareLink>, ProgramError> {
    let found = require_program(s, sql, program)?;
    Ok(shares(s, sql, found.id)?)
}

/// Every share link of a program, by post then member code.
pub(crate) fn shares(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program_id: i64,
) -> Result<Vec<ShareLink>, StoreError> {
    rows(s, &sql.shares, &[Value::Int(program_id)], |c| {
        Ok(ShareLink {
            code: read_code(&c.req_text("code")?)?,
            member_id: c.req_int("member_id")?,
            member_code: read_code(&c.req_text("member_code")?)?,
            person_id: c.req_text("person_id")?,
            content_id: c.req_int("content_id")?,
            title: c.req_text("title")?,
            url: c.text()?,
            clicks: convert::uint("clicks", c.req_int("clicks")?)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_codes_join_the_members_code_and_the_post_within_32_characters() {
        let first: Vec<String> = candidates("MAYA10", 7)
            .take(2)
            .map(|c| c.as_str().to_owned())
            .collect();
        assert_eq!(first, ["MAYA10-7", "MAYA10-7-1"]);
        let long = "A".repeat(32);
        let code = candidates(&long, 12345).next().unwrap();
        assert_eq!(code.as_str().len(), 32);
        assert!(code.as_str().ends_with("-12345"));
    }
}
