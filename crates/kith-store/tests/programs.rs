//! Programs and their members: names unique whatever their case, codes from first names
//! and unique whatever their case, statuses, links, and clicks written in durable
//! batches and counted by `status`.

use kith_core::program::code::ReferralCode;
use kith_core::program::commission::CommissionRule;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_core::{Money, Person, Record};
use kith_store::programs::{Enrolment, NewClick, NewProgram, ProgramError};
use kith_store::store_tests;
use kith_store::testing::TestStore;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{customer, import};

pub const T0: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

pub fn code(text: &str) -> ReferralCode {
    ReferralCode::parse(text).unwrap()
}

pub fn program(name: &str, kind: ProgramKind, commission: Option<&str>) -> NewProgram {
    NewProgram {
        name: name.into(),
        kind,
        commission: commission.map(|c| c.parse::<CommissionRule>().unwrap()),
        destination: Some("https://ridgeline.example/shop".into()),
        currency: "USD".into(),
        fee: Money::ZERO,
        hold_days: 30,
        window_days: 30,
        details: serde_json::json!({}),
        starts_at: T0,
    }
}

pub fn person(id: &str, first_name: &str, email: &str) -> Record {
    Record::Person(Person {
        first_name: Some(first_name.into()),
        ..customer(id, email)
    })
}

/// Maya (c-1), another Maya (c-2) and Leo (c-3), enrolled in an affiliate program at
/// 10 %; returns their codes.
pub fn affiliates(db: &TestStore) -> Vec<ReferralCode> {
    import(
        &**db,
        [
            person("c-1", "Maya", "maya@example.com"),
            person("c-2", "Maya", "maya2@example.com"),
            person("c-3", "Leo", "leo@example.com"),
        ],
    );
    let p = db.programs();
    p.create_program(&program("Affiliates", ProgramKind::Affiliate, Some("10%")))
        .unwrap();
    let people: Vec<Enrolment> = ["c-1", "c-2", "c-3"]
        .iter()
        .map(|id| Enrolment::new(id))
        .collect();
    p.enroll("Affiliates", &people, T0)
        .unwrap()
        .into_iter()
        .map(|m| m.code)
        .collect()
}

fn programs_are_unique_by_name_whatever_its_case(db: &TestStore) {
    let p = db.programs();
    let made = p
        .create_program(&program(
            "Spring Ambassadors",
            ProgramKind::Ambassador,
            None,
        ))
        .unwrap();
    assert_eq!(made.kind, ProgramKind::Ambassador);
    let again = p.create_program(&program(
        "spring ambassadors ",
        ProgramKind::Affiliate,
        None,
    ));
    assert!(
        matches!(again, Err(ProgramError::NameTaken(_))),
        "{again:?}"
    );
    assert_eq!(
        p.program("SPRING AMBASSADORS").unwrap().unwrap().id,
        made.id
    );
    assert_eq!(p.programs().unwrap().len(), 1);
}

fn members_get_codes_from_their_first_names_that_no_one_else_has(db: &TestStore) {
    let codes = affiliates(db);
    assert_eq!(
        codes.iter().map(ReferralCode::as_str).collect::<Vec<_>>(),
        ["MAYA10", "MAYA11", "LEO10"]
    );
    let p = db.programs();
    p.create_program(&program("Advocates", ProgramKind::Advocacy, None))
        .unwrap();
    let mut taken = Enrolment::new("c-3");
    taken.code = Some(code("maya10"));
    let refused = p.enroll("Advocates", &[taken], T0);
    assert!(
        matches!(refused, Err(ProgramError::CodeTaken(ref c)) if c == "MAYA10"),
        "codes are unique whatever their case: {refused:?}"
    );
}

fn enrolment_is_all_or_nothing_and_keeps_existing_members(db: &TestStore) {
    let codes = affiliates(db);
    let p = db.programs();
    let refused = p.enroll(
        "Affiliates",
        &[Enrolment::new("c-1"), Enrolment::new("nobody")],
        T0,
    );
    assert!(matches!(refused, Err(ProgramError::UnknownPerson(ref id)) if id == "nobody"));
    assert_eq!(p.members(Some("affiliates")).unwrap().len(), 3);
    let again = p
        .enroll("Affiliates", &[Enrolment::new("c-1")], T0)
        .unwrap();
    assert_eq!(
        again[0].code, codes[0],
        "an existing member keeps their code"
    );
    let maya = &p.members(None).unwrap()[1];
    assert_eq!(maya.name.as_deref(), Some("Maya"));
    assert_eq!(maya.email.as_deref(), Some("maya@example.com"));
}

fn members_move_through_statuses_and_removed_links_are_dead(db: &TestStore) {
    let codes = affiliates(db);
    let p = db.programs();
    let link = p.link(&code("maya10")).unwrap().expect("an active link");
    assert_eq!(link.campaign, "Affiliates");
    assert_eq!(
        link.destination.as_deref(),
        Some("https://ridgeline.example/shop")
    );
    let paused = p.set_status(&codes[0], MemberStatus::Paused, T0).unwrap();
    assert_eq!(paused.status, MemberStatus::Paused);
    assert!(
        p.link(&codes[0]).unwrap().is_some(),
        "a paused link still works"
    );
    p.set_status(&codes[0], MemberStatus::Removed, T0).unwrap();
    assert!(
        p.link(&codes[0]).unwrap().is_none(),
        "a removed code is dead"
    );
    let back = p.set_status(&codes[0], MemberStatus::Active, T0);
    assert!(matches!(back, Err(ProgramError::BadTransition { .. })));
    assert!(p.link(&code("NOBODY1")).unwrap().is_none());
}

fn clicks_are_written_in_batches_and_counted(db: &TestStore) {
    affiliates(db);
    let p = db.programs();
    let member = p.link(&code("LEO10")).unwrap().unwrap().member_id;
    let mut log = p.click_log().unwrap();
    let click = |visitor: &str, minutes: i64| NewClick {
        member_id: member,
        visitor: visitor.into(),
        at: T0 + Duration::minutes(minutes),
        ip_hash: Some("h".into()),
        content_id: None,
        single_use_code: None,
    };
    log.append(&[click("v1", 0), click("v1", 5), click("v2", 6)])
        .unwrap();
    // The same visitor the next day is a new unique click.
    log.append(&[click("v1", 24 * 60)]).unwrap();
    log.append(&[]).unwrap();
    let status = db.status().unwrap();
    assert_eq!(
        (
            status.programs,
            status.members,
            status.clicks,
            status.conversions
        ),
        (1, 3, 4, 0)
    );
    let rows = p
        .roi(Some("Affiliates"), true, T0 + Duration::days(2))
        .unwrap();
    let leo = rows
        .iter()
        .find(|r| r.code.as_ref().is_some_and(|c| c.as_str() == "LEO10"))
        .unwrap();
    assert_eq!((leo.clicks, leo.unique_clicks), (4, 3));
    assert_eq!((rows[0].clicks, rows[0].unique_clicks), (4, 3));
}

fn a_secret_is_made_once_and_kept(db: &TestStore) {
    let p = db.programs();
    assert_eq!(p.secret("ip_salt", "first").unwrap(), "first");
    assert_eq!(p.secret("ip_salt", "second").unwrap(), "first");
    assert_eq!(
        db.reopen().programs().secret("ip_salt", "x").unwrap(),
        "first"
    );
}

fn content_and_check_ins_belong_to_a_program(db: &TestStore) {
    let codes = affiliates(db);
    let p = db.programs();
    let post = p
        .add_content(
            "Affiliates",
            "post",
            "Summer launch",
            "Our new cold brew",
            Some("https://ridgeline.example/cold-brew"),
            T0,
        )
        .unwrap();
    assert_eq!(p.content("affiliates").unwrap(), [post]);
    assert!(p.check_in(&codes[1], T0).unwrap());
    assert!(!p.check_in(&codes[1], T0).unwrap(), "checked in once");
}

store_tests!(
    programs_are_unique_by_name_whatever_its_case,
    members_get_codes_from_their_first_names_that_no_one_else_has,
    enrolment_is_all_or_nothing_and_keeps_existing_members,
    members_move_through_statuses_and_removed_links_are_dead,
    clicks_are_written_in_batches_and_counted,
    a_secret_is_made_once_and_kept,
    content_and_check_ins_belong_to_a_program,
);
