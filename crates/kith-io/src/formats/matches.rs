//! The review file of proposed person ↔ profile links: `kith match` writes it with an
//! empty `decision` column, a person fills in `confirm` or `reject`, and
//! `kith match --review` reads it back.
//!
//! Reading goes through the same CSV plumbing as the importers — a spreadsheet may save
//! it with `;`, a byte-order mark or Windows-1252 — so errors name the file, the
//! physical line, the column and the value. Only `person_id`, `platform`, `handle` and
//! `decision` are read back; the other columns are there for the person deciding and may
//! be edited, reordered or removed.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use kith_core::identity::{Confirmation, Link};
use kith_core::{Handle, Person, Platform, Profile};

use crate::formats::csv_rows::CsvRows;
use crate::formats::{Input, LineError, OpenError, Position, RecordKind};

/// The review file's columns, in order.
pub const COLUMNS: [&str; 9] = [
    "person_id",
    "name",
    "platform",
    "handle",
    "profile_name",
    "followers",
    "confidence",
    "evidence",
    "decision",
];

/// One link waiting for a decision, as the review file shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedLink {
    pub person_id: String,
    /// The person's name, empty when unknown.
    pub name: String,
    pub platform: Platform,
    pub handle: Handle,
    /// The profile's display name, empty when it has none.
    pub profile_name: String,
    pub followers: Option<u64>,
    /// 0–1.
    pub confidence: f64,
    /// Why resolution proposed it, in words.
    pub evidence: String,
}

/// The review file's rows for `links` (a resolution's `to_review`, in its order), with
/// the names a person needs to decide. When several people are proposed for one
/// profile, the evidence says so: deciding one of them is deciding between them.
pub fn proposed(people: &[Person], profiles: &[Profile], links: &[Link]) -> Vec<ProposedLink> {
    let people: HashMap<&str, &Person> = people.iter().map(|p| (p.id.as_str(), p)).collect();
    let profiles: HashMap<(Platform, &Handle), &Profile> = profiles
        .iter()
        .map(|p| ((p.platform, &p.handle), p))
        .collect();
    let mut claims: HashMap<(Platform, &Handle), usize> = HashMap::new();
    for l in links {
        *claims.entry((l.platform, &l.handle)).or_default() += 1;
    }
    links
        .iter()
        .map(|l| {
            let person = people.get(l.person_id.as_str());
            let profile = profiles.get(&(l.platform, &l.handle));
            let others = claims.get(&(l.platform, &l.handle)).copied().unwrap_or(1) - 1;
            let mut evidence = l.reason.as_str().to_owned();
            match others {
                0 => {}
                1 => evidence.push_str("; also proposed for 1 other person"),
                n => evidence.push_str(&format!("; also proposed for {n} other people")),
            }
            ProposedLink {
                person_id: l.person_id.clone(),
                name: person.map(|p| display_name(p)).unwrap_or_default(),
                platform: l.platform,
                handle: l.handle.clone(),
                profile_name: profile
                    .and_then(|p| p.display_name.clone())
                    .unwrap_or_default(),
                followers: profile.and_then(|p| p.followers),
                confidence: l.confidence,
                evidence,
            }
        })
        .collect()
}

/// "First Last", either alone, or the email when the person has no name.
fn display_name(p: &Person) -> String {
    let name = [p.first_name.as_deref(), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        p.email.clone().unwrap_or_default()
    } else {
        name
    }
}

/// Writes the review file: a header, then one row per link with `decision` empty.
pub fn write_proposed<W: Write>(out: W, links: &[ProposedLink]) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for l in links {
        w.write_record([
            l.person_id.as_str(),
            &l.name,
            l.platform.as_str(),
            l.handle.as_str(),
            &l.profile_name,
            &l.followers.map(|f| f.to_string()).unwrap_or_default(),
            &format!("{:.2}", l.confidence),
            &l.evidence,
            "",
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Which cell of a row a check of the caller's is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkField {
    PersonId,
    Handle,
}

/// The decisions of a review file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reviewed {
    /// One per link, in file order; a link decided twice the same way counts once.
    pub decisions: Vec<Confirmation>,
    /// Rows whose `decision` was left empty.
    pub undecided: u64,
}

/// What a `decision` cell says: `Some(true)` confirm, `Some(false)` reject, `None`
/// undecided. Case and surrounding spaces do not matter.
pub fn parse_decision(text: &str) -> Result<Option<bool>, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "confirm" => Ok(Some(true)),
        "reject" => Ok(Some(false)),
        _ => Err(format!(
            "{text:?} is not a decision (write confirm or reject, or leave it empty)"
        )),
    }
}

/// Reads a review file. `check` is asked about every decided link (does the person
/// exist? the profile?) and answers with the cell at fault and why. The first error
/// stops the reading: a review is stored whole or not at all.
pub fn read_reviewed(
    path: &Path,
    check: impl FnMut(&Confirmation) -> Result<(), (LinkField, String)>,
) -> Result<Reviewed, OpenError> {
    // Rows are about profiles; the kind only matters to import formats.
    read_input(Input::open(path, RecordKind::Profiles)?, check)
}

/// [`read_reviewed`] over an [`Input`] (bytes in tests).
pub fn read_input(
    input: Input,
    mut check: impl FnMut(&Confirmation) -> Result<(), (LinkField, String)>,
) -> Result<Reviewed, OpenError> {
    let mut rows = CsvRows::open(input)?;
    let header = rows.header.clone();
    let column = |name: &str| {
        let normalized = name.replace('_', " ");
        header
            .find(&[normalized.as_str()])
            .ok_or_else(|| LineError {
                file: rows.file.clone(),
                position: Position::Line(1),
                field: None,
                message: format!(
                    "has no {name:?} column; the review file's columns are {}",
                    COLUMNS.join(", ")
                ),
            })
    };
    let person_col = column("person_id")?;
    let platform_col = column("platform")?;
    let handle_col = column("handle")?;
    let decision_col = column("decision")?;

    let mut reviewed = Reviewed::default();
    // Where each link was decided, and how: a second, different decision is an error.
    let mut seen: HashMap<(String, Platform, Handle), (u64, bool)> = HashMap::new();
    while let Some(row) = rows.next_row() {
        let row = row.map_err(|e| e.error)?;
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let decision =
            parse_decision(row.get(Some(decision_col))).map_err(|m| row.error(decision_col, m))?;
        let Some(accepted) = decision else {
            reviewed.undecided += 1;
            continue;
        };
        let person_id = row
            .code(Some(person_col))
            .ok_or_else(|| row.error(person_col, "is empty; which person is this about?"))?;
        let platform_text = row.get(Some(platform_col));
        let platform = Platform::parse(platform_text).ok_or_else(|| {
            row.error(
                platform_col,
                format!("{platform_text:?} is not a platform (instagram, tiktok, youtube or x)"),
            )
        })?;
        let handle_text = row.get(Some(handle_col));
        let handle = Handle::parse(handle_text)
            .map_err(|e| row.error(handle_col, format!("{handle_text:?}: {e}")))?;
        let confirmation = Confirmation {
            person_id,
            platform,
            handle,
            accepted,
        };
        let key = (
            confirmation.person_id.clone(),
            confirmation.platform,
            confirmation.handle.clone(),
        );
        match seen.get(&key) {
            Some(&(_, same)) if same == accepted => continue,
            Some(&(line, _)) => {
                return Err(row
                    .error(
                        decision_col,
                        format!("this link was decided the other way on line {line}"),
                    )
                    .into());
            }
            None => {}
        }
        check(&confirmation).map_err(|(field, message)| {
            let c = match field {
                LinkField::PersonId => person_col,
                LinkField::Handle => handle_col,
            };
            row.error(c, message)
        })?;
        seen.insert(key, (row.line, accepted));
        reviewed.decisions.push(confirmation);
    }
    Ok(reviewed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Reviewed, String> {
        let input = Input::from_bytes(text.as_bytes().to_vec(), "review.csv", RecordKind::Profiles);
        read_input(input, |c| {
            if c.person_id == "ghost" {
                Err((LinkField::PersonId, "is not a known person".into()))
            } else {
                Ok(())
            }
        })
        .map_err(|e| e.to_string())
    }

    const HEADER: &str =
        "person_id,name,platform,handle,profile_name,followers,confidence,evidence,decision\n";

    #[test]
    fn what_it_writes_reads_back_with_every_decision_empty() {
        let link = ProposedLink {
            person_id: "c-1".into(),
            name: "Maya Chen".into(),
            platform: Platform::Instagram,
            handle: Handle::parse("maya.chen_92").unwrap(),
            profile_name: "Maya, cooks".into(),
            followers: Some(1200),
            confidence: 0.5,
            evidence: "same name only".into(),
        };
        let mut out = Vec::new();
        write_proposed(&mut out, &[link]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "{HEADER}c-1,Maya Chen,instagram,maya.chen_92,\"Maya, cooks\",1200,0.50,same name only,\n"
            )
        );
        let reviewed = read(&text).unwrap();
        assert_eq!(reviewed.decisions, []);
        assert_eq!(reviewed.undecided, 1);
    }

    #[test]
    fn confirm_and_reject_are_read_whatever_their_case_and_columns_may_move() {
        let text = "decision;handle;platform;person_id\n Confirm ;@Maya.Eats;instagram;c-1\nREJECT;mayacooks;tiktok;c-1\n;x;x;c-2\n";
        let reviewed = read(text).unwrap();
        let got: Vec<(String, bool)> = reviewed
            .decisions
            .iter()
            .map(|c| (format!("{}/{}", c.platform, c.handle), c.accepted))
            .collect();
        assert_eq!(
            got,
            [
                ("instagram/maya.eats".to_string(), true),
                ("tiktok/mayacooks".to_string(), false)
            ]
        );
        assert_eq!(reviewed.undecided, 1);
    }

    #[test]
    fn a_decision_that_is_neither_confirm_nor_reject_names_its_line_and_column() {
        let text = format!("{HEADER}c-1,,instagram,a,,,0.50,,confirm\nc-1,,tiktok,b,,,0.50,,yes\n");
        assert_eq!(
            read(&text).unwrap_err(),
            "review.csv:3: field \"decision\": \"yes\" is not a decision (write confirm or reject, or leave it empty)"
        );
    }

    #[test]
    fn the_callers_check_points_at_the_cell_at_fault() {
        let text = format!("{HEADER}ghost,,instagram,a,,,0.50,,reject\n");
        assert_eq!(
            read(&text).unwrap_err(),
            "review.csv:2: field \"person_id\": is not a known person"
        );
    }

    #[test]
    fn a_link_decided_both_ways_is_refused() {
        let text =
            format!("{HEADER}c-1,,x,a,,,,,confirm\nc-1,,x,a,,,,,confirm\nc-1,,x,@A,,,,,reject\n");
        assert_eq!(
            read(&text).unwrap_err(),
            "review.csv:4: field \"decision\": this link was decided the other way on line 2"
        );
    }

    #[test]
    fn a_file_without_a_decision_column_is_refused_with_the_columns_expected() {
        let err = read("person_id,platform,handle\nc-1,x,a\n").unwrap_err();
        assert!(
            err.starts_with("review.csv:1: has no \"decision\" column"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_platform_or_handle_names_its_column() {
        let text = format!("{HEADER}c-1,,myspace,a,,,,,confirm\n");
        assert!(
            read(&text)
                .unwrap_err()
                .starts_with("review.csv:2: field \"platform\": \"myspace\"")
        );
        let text = format!("{HEADER}c-1,,x,,,,,,confirm\n");
        assert!(
            read(&text)
                .unwrap_err()
                .starts_with("review.csv:2: field \"handle\"")
        );
    }
}
