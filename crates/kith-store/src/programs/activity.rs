//! A program's activity day by day — clicks on its members' links and the orders they
//! brought — for the dashboard's chart. Orders are counted as the ROI report counts
//! them (those that earn, once they earn), on the UTC day they were placed.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::books::earning_sales;
use super::members::{require_program, rows};
use super::sql::ProgramSql;
use super::{DayActivity, ProgramError};
use crate::convert;
use crate::ops::Session;
use crate::value::Value;

pub(crate) fn activity(
    s: &mut dyn Session,
    sql: &ProgramSql,
    program: &str,
    now: OffsetDateTime,
) -> Result<Vec<DayActivity>, ProgramError> {
    let program = require_program(s, sql, program)?;
    let id = Value::Int(program.id);
    // Keyed by `YYYY-MM-DD`, which sorts as the days do.
    let mut days: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (day, clicks) in rows(s, &sql.program_click_days, std::slice::from_ref(&id), |c| {
        Ok((c.req_text("day")?, c.req_int("clicks")?))
    })? {
        days.entry(day).or_default().0 = convert::uint("clicks", clicks)?;
    }
    for sale in earning_sales(s, sql, &program)? {
        if sale.at <= now {
            let day = sale.placed_at.to_offset(time::UtcOffset::UTC).date();
            days.entry(day.to_string()).or_default().1 += 1;
        }
    }
    // An activation's orders by its event code count on the program's chart too.
    if program.kind == kith_core::program::ProgramKind::Activation {
        for sale in super::books::event_sales(s, sql, &program, now)? {
            days.entry(sale.day.to_string()).or_default().1 += 1;
        }
    }
    Ok(days
        .into_iter()
        .map(|(day, (clicks, orders))| DayActivity {
            day,
            clicks,
            orders,
        })
        .collect())
}
