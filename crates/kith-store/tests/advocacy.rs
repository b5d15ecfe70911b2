//! Employee advocacy: every advocate has a share link per library post, each link counts
//! its clicks to its own post and member, and the leaderboard places advocates by
//! clicks, then orders.

use kith_core::Money;
use kith_core::program::code::ReferralCode;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_store::programs::{Enrolment, FactSource, NewClick, OrderFact, Receipt};
use kith_store::store_tests;
use kith_store::testing::TestStore;
use time::Duration;

use crate::fixtures::import;
use crate::programs::{T0, code, person, program};

/// Ana (a-1) and Ben (a-2) advocate; two posts in the library. Returns the share codes
/// as (member code, post title) → share code.
fn advocates(db: &TestStore) -> Vec<(String, String, ReferralCode)> {
    import(
        &**db,
        [
            person("a-1", "Ana", "ana@example.com"),
            person("a-2", "Ben", "ben@example.com"),
            person("a-3", "Cy", "cy@example.com"),
        ],
    );
    let p = db.programs();
    p.create_program(&program("Team", ProgramKind::Advocacy, None))
        .unwrap();
    p.enroll("Team", &[Enrolment::new("a-1"), Enrolment::new("a-2")], T0)
        .unwrap();
    for (title, url) in [
        ("Cold brew", "https://ridgeline.example/cold-brew"),
        ("Roastery tour", "https://ridgeline.example/tour"),
    ] {
        p.add_content("Team", "post", title, "", Some(url), T0)
            .unwrap();
    }
    p.add_content("Team", "brief", "Tone of voice", "Be kind", None, T0)
        .unwrap();
    p.shares("Team")
        .unwrap()
        .into_iter()
        .map(|l| (l.member_code.as_str().to_owned(), l.title, l.code))
        .collect()
}

fn share(links: &[(String, String, ReferralCode)], member: &str, title: &str) -> ReferralCode {
    links
        .iter()
        .find(|(m, t, _)| m == member && t == title)
        .map(|(_, _, c)| c.clone())
        .unwrap_or_else(|| panic!("no link for {member} and {title}: {links:?}"))
}

fn every_advocate_gets_a_share_link_per_post_even_when_they_join_later(db: &TestStore) {
    let links = advocates(db);
    assert_eq!(links.len(), 4, "2 advocates × 2 posts, no link for a brief");
    let mut codes: Vec<&str> = links.iter().map(|(_, _, c)| c.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 4, "every share code is its own");
    let p = db.programs();
    let ana_tour = share(&links, "ANA10", "Roastery tour");
    let link = p.link(&ana_tour).unwrap().unwrap();
    assert_eq!(
        link.destination.as_deref(),
        Some("https://ridgeline.example/tour")
    );
    assert_eq!(link.campaign, "Team");
    assert!(link.content_id.is_some());
    assert_eq!(
        link.member_id,
        p.link(&code("ANA10")).unwrap().unwrap().member_id
    );

    p.enroll("Team", &[Enrolment::new("a-3")], T0).unwrap();
    let later = p.shares("Team").unwrap();
    assert_eq!(later.len(), 6, "Cy got a link to both posts");
    // A share code is taken: no one can be given it as their own code.
    let mut clash = Enrolment::new("a-3");
    clash.code = Some(ana_tour.clone());
    p.create_program(&program("Other", ProgramKind::Affiliate, Some("5%")))
        .unwrap();
    assert!(p.enroll("Other", &[clash], T0).is_err());

    p.set_status(&code("ANA10"), MemberStatus::Removed, T0)
        .unwrap();
    assert!(
        p.link(&ana_tour).unwrap().is_none(),
        "a removed advocate's share links are dead too"
    );
}

fn each_share_link_counts_to_its_own_post_and_member(db: &TestStore) {
    let links = advocates(db);
    let p = db.programs();
    let mut log = p.click_log().unwrap();
    let mut clicks = Vec::new();
    for (member, title, n) in [
        ("ANA10", "Cold brew", 3),
        ("ANA10", "Roastery tour", 1),
        ("BEN10", "Roastery tour", 2),
    ] {
        let link = p.link(&share(&links, member, title)).unwrap().unwrap();
        for i in 0..n {
            clicks.push(NewClick {
                member_id: link.member_id,
                visitor: format!("{member}-{title}-{i}"),
                at: T0 + Duration::minutes(i),
                ip_hash: None,
                content_id: link.content_id,
                single_use_code: None,
            });
        }
    }
    log.append(&clicks).unwrap();
    let counted: Vec<(String, String, u64)> = p
        .shares("Team")
        .unwrap()
        .into_iter()
        .map(|l| (l.member_code.as_str().to_owned(), l.title, l.clicks))
        .collect();
    assert_eq!(
        counted,
        [
            ("ANA10".to_owned(), "Cold brew".to_owned(), 3),
            ("BEN10".to_owned(), "Cold brew".to_owned(), 0),
            ("ANA10".to_owned(), "Roastery tour".to_owned(), 1),
            ("BEN10".to_owned(), "Roastery tour".to_owned(), 2),
        ]
    );

    // An order that landed through Ben's share link is Ben's.
    let receipt = p
        .receive_order(
            None,
            &OrderFact {
                order_id: "o-1".into(),
                source: FactSource::Webhook,
                placed_at: T0 + Duration::hours(1),
                currency: "USD".into(),
                subtotal: Money::from_minor(4_000),
                email: None,
                customer_id: None,
                discount_codes: vec![],
                visitor: None,
                landing_code: Some(share(&links, "BEN10", "Cold brew")),
                ip_hash: None,
            },
            T0 + Duration::hours(1),
        )
        .unwrap();
    assert!(matches!(receipt, Receipt::Attributed { .. }), "{receipt:?}");
    assert_eq!(
        p.conversions(Some("Team"), None).unwrap()[0].code.as_str(),
        "BEN10"
    );

    // Ana: 4 clicks, 0 orders; Ben: 2 clicks, 1 order. Clicks come first.
    let board = p.leaderboard("Team", T0 + Duration::days(1)).unwrap();
    let members = p.members(Some("Team")).unwrap();
    let placed: Vec<(&str, u32, u64, u64)> = board
        .iter()
        .map(|b| {
            let m = members.iter().find(|m| m.id == b.standing.key).unwrap();
            (
                m.code.as_str(),
                b.place,
                b.standing.clicks,
                b.standing.orders,
            )
        })
        .collect();
    assert_eq!(placed, [("ANA10", 1, 4, 0), ("BEN10", 2, 2, 1)]);

    // The portal shows Ben his own links and place, none of Ana's.
    let view = p
        .portal_view("a-2", T0 + Duration::days(1))
        .unwrap()
        .unwrap();
    let team = &view.memberships[0];
    assert_eq!(team.shares.len(), 2);
    assert!(
        team.shares
            .iter()
            .all(|l| l.member_code.as_str() == "BEN10")
    );
    let rank = team.rank.unwrap();
    assert_eq!((rank.place, rank.of), (2, 2));
}

store_tests!(
    every_advocate_gets_a_share_link_per_post_even_when_they_join_later,
    each_share_link_counts_to_its_own_post_and_member,
);
