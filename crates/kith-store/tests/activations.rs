//! Field activations: capacity is enforced, the people of the region are invited (by
//! region or city, best customers first), members check in (by a manager, or themselves
//! with the event code), and an order using the event code is the event's.

use kith_core::program::code::ReferralCode;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_core::{Money, Person, Record};
use kith_store::programs::{Enrolment, FactSource, OrderFact, ProgramError, Receipt};
use kith_store::store_tests;
use kith_store::testing::TestStore;
use time::Duration;

use crate::fixtures::{customer, import};
use crate::programs::{T0, code, program};

fn local(id: &str, region: Option<&str>, city: Option<&str>, spent: i64) -> Record {
    Record::Person(Person {
        first_name: Some(format!("P{id}")),
        region: region.map(Into::into),
        city: city.map(Into::into),
        total_spent: Some(Money::from_minor(spent)),
        ..customer(id, &format!("{id}@example.com"))
    })
}

/// "Brew-Along" in CO for 3 people, event code BREWALONG; five people in or near CO.
pub fn brew_along(db: &TestStore) {
    import(
        &**db,
        [
            local("p-1", Some("CO"), Some("Boulder"), 10_000),
            local("p-2", Some("co"), None, 90_000),
            local("p-3", None, Some("CO"), 50_000),
            local("p-4", Some("CO "), Some("Denver"), 20_000),
            local("p-5", Some("CA"), Some("Oakland"), 99_000),
        ],
    );
    let mut new = program("Brew-Along", ProgramKind::Activation, None);
    new.details = serde_json::json!({
        "date": "2026-12-12T00:00:00Z", "place": "Ridgeline Roastery",
        "region": "CO", "capacity": 3, "event_code": "BREWALONG"
    });
    db.programs().create_program(&new).unwrap();
}

fn the_region_is_invited_best_customers_first_up_to_the_capacity(db: &TestStore) {
    brew_along(db);
    let p = db.programs();
    let first = p.invite_region("brew-along", T0).unwrap();
    let invited: Vec<&str> = first.invited.iter().map(|m| m.person_id.as_str()).collect();
    assert_eq!(invited, ["p-2", "p-3", "p-4"], "by spend, region or city");
    assert!(
        first
            .invited
            .iter()
            .all(|m| m.status == MemberStatus::Invited)
    );
    assert_eq!((first.in_region, first.seats_left), (4, Some(0)));

    // Full: no one more, by invitation or by enrolment.
    let again = p.invite_region("Brew-Along", T0).unwrap();
    assert!(again.invited.is_empty());
    let refused = p.enroll("Brew-Along", &[Enrolment::new("p-1")], T0);
    assert!(matches!(refused, Err(ProgramError::Full(_))), "{refused:?}");
    // A removed member frees a place.
    p.set_status(&first.invited[0].code, MemberStatus::Removed, T0)
        .unwrap();
    let last = p.invite_region("Brew-Along", T0).unwrap();
    assert_eq!(last.invited.len(), 1);
    assert_eq!(last.invited[0].person_id, "p-1");
    assert_eq!(p.members(Some("Brew-Along")).unwrap().len(), 4);
}

fn enrolment_beyond_the_capacity_seats_no_one(db: &TestStore) {
    brew_along(db);
    let p = db.programs();
    let four: Vec<Enrolment> = ["p-1", "p-2", "p-3", "p-4"]
        .iter()
        .map(|id| Enrolment::new(id))
        .collect();
    assert!(matches!(
        p.enroll("Brew-Along", &four, T0),
        Err(ProgramError::Full(_))
    ));
    assert!(
        p.members(Some("Brew-Along")).unwrap().is_empty(),
        "all or none"
    );
}

fn members_check_in_by_hand_or_with_the_event_code(db: &TestStore) {
    brew_along(db);
    let p = db.programs();
    let invited = p.invite_region("Brew-Along", T0).unwrap().invited;
    // The event code cannot be anyone's code.
    let mut clash = Enrolment::new("p-5");
    clash.code = Some(code("brewalong"));
    p.create_program(&program("Other", ProgramKind::Affiliate, Some("5%")))
        .unwrap();
    assert!(matches!(
        p.enroll("Other", &[clash], T0),
        Err(ProgramError::CodeTaken(_))
    ));

    assert!(p.check_in(&invited[0].code, T0).unwrap(), "by a manager");
    let (program, first) = p
        .check_in_with_event_code("p-3", " brewalong ", T0)
        .unwrap();
    assert_eq!((program.as_str(), first), ("Brew-Along", true));
    assert!(
        !p.check_in_with_event_code("p-3", "BREWALONG", T0)
            .unwrap()
            .1
    );
    for (person, typed) in [("p-3", "WRONG1"), ("p-5", "BREWALONG"), ("p-4", "x")] {
        assert!(
            matches!(
                p.check_in_with_event_code(person, typed, T0),
                Err(ProgramError::UnknownEventCode(_))
            ),
            "{person} {typed}"
        );
    }
    let attended = p.attendance("Brew-Along").unwrap();
    assert_eq!(attended.len(), 2);
    let view = p.portal_view("p-3", T0).unwrap().unwrap();
    assert!(view.memberships[0].checked_in);
    assert_eq!(
        view.memberships[0].event.as_ref().unwrap().place.as_deref(),
        Some("Ridgeline Roastery")
    );
    assert!(
        !serde_json::to_string(&view).unwrap().contains("BREWALONG"),
        "members learn the code at the event, not from the portal"
    );
}

pub fn order(id: &str, codes: &[&str]) -> OrderFact {
    OrderFact {
        order_id: id.into(),
        source: FactSource::Webhook,
        placed_at: T0 + Duration::hours(2),
        currency: "USD".into(),
        subtotal: Money::from_minor(3_000),
        email: None,
        customer_id: None,
        discount_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        visitor: None,
        landing_code: None,
        ip_hash: None,
    }
}

fn an_event_code_attributes_orders_to_the_event_like_a_discount_code(db: &TestStore) {
    brew_along(db);
    let p = db.programs();
    p.create_program(&program("Affiliates", ProgramKind::Affiliate, Some("10%")))
        .unwrap();
    let mut maya = Enrolment::new("p-5");
    maya.code = Some(ReferralCode::parse("P5CODE").unwrap());
    p.enroll("Affiliates", &[maya], T0).unwrap();
    let now = T0 + Duration::hours(3);
    let by_event = p
        .receive_order(None, &order("o-1", &["brewalong"]), now)
        .unwrap();
    assert!(
        matches!(&by_event, Receipt::Attributed { code, by, .. } if code.as_str() == "BREWALONG" && by == "event_code"),
        "{by_event:?}"
    );
    assert_eq!(
        p.receive_order(None, &order("o-1", &["BREWALONG"]), now)
            .unwrap(),
        Receipt::Duplicate
    );
    // A member's own code wins over the event's.
    let both = p
        .receive_order(None, &order("o-2", &["BREWALONG", "P5CODE"]), now)
        .unwrap();
    assert!(matches!(&both, Receipt::Attributed { code, .. } if code.as_str() == "P5CODE"));
    let event = &p.roi(Some("Brew-Along"), false, now).unwrap()[0];
    assert_eq!((event.orders, event.revenue), (1, Money::from_minor(3_000)));
    assert_eq!(event.commission, Money::ZERO);
    let days = p.activity("Brew-Along", now).unwrap();
    assert_eq!(days.iter().map(|d| d.orders).sum::<u64>(), 1);
    // `kith status` counts both: the member's order and the event's.
    assert_eq!(db.status().unwrap().conversions, 2);
}

store_tests!(
    the_region_is_invited_best_customers_first_up_to_the_capacity,
    enrolment_beyond_the_capacity_seats_no_one,
    members_check_in_by_hand_or_with_the_event_code,
    an_event_code_attributes_orders_to_the_event_like_a_discount_code,
);
