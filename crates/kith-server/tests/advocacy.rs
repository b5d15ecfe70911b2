//! Employee advocacy through the app: a manager adds a post to the library (only to an
//! allowed domain), each advocate's share link redirects to the post and counts to it,
//! the leaderboard places them, and the portal shows each advocate only their own links.

use axum::http::StatusCode;
use kith_core::program::ProgramKind;
use kith_store::Role;
use kith_store::programs::Enrolment;
use time::OffsetDateTime;

use crate::lifecycle::program_id;
use crate::portal::{get, sign_in};
use crate::support::{App, new_program};
use crate::tracking::{BROWSER, app_for, click, done, stores, sync};

/// Maya (c-1) and Leo (c-2) advocate in "Team".
fn team(db: kith_store::testing::TestStore) -> App {
    let app = app_for(db);
    sync(|| {
        let p = app.store().programs();
        p.create_program(&new_program(
            "Team",
            ProgramKind::Advocacy,
            serde_json::json!({}),
        ))
        .unwrap();
        let mut maya = Enrolment::new("c-1");
        maya.code = Some(kith_core::program::code::ReferralCode::parse("MAYATEAM").unwrap());
        let mut leo = Enrolment::new("c-2");
        leo.code = Some(kith_core::program::code::ReferralCode::parse("LEOTEAM").unwrap());
        p.enroll("Team", &[maya, leo], OffsetDateTime::now_utc())
            .unwrap();
    });
    app
}

/// The share code of `member` for the post titled `title`.
fn share_code(app: &App, member: &str, title: &str) -> String {
    sync(|| {
        app.store()
            .programs()
            .shares("Team")
            .unwrap()
            .into_iter()
            .find(|l| l.member_code.as_str() == member && l.title == title)
            .unwrap()
            .code
            .as_str()
            .to_owned()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn each_advocates_share_link_goes_to_its_post_and_counts_to_it() {
    for db in stores() {
        let app = team(db);
        let id = program_id(&app, "Team");
        let manager = sync(|| app.session(Role::Manager));
        let refused = app
            .post_form(
                &manager,
                &format!("/programs/{id}/posts"),
                &[("title", "Elsewhere"), ("url", "https://evil.test/x")],
            )
            .await;
        let shown = app.follow(&manager, &refused).await;
        assert!(shown.body.contains("was not added"), "{}", shown.body);
        for (title, url) in [
            ("Cold brew", "https://ridgeline.example/cold-brew"),
            ("Tour", "https://ridgeline.example/tour"),
        ] {
            let reply = app
                .post_form(
                    &manager,
                    &format!("/programs/{id}/posts"),
                    &[("title", title), ("url", url), ("body", "Share it")],
                )
                .await;
            let shown = app.follow(&manager, &reply).await;
            assert!(shown.body.contains("is in the library"), "{}", shown.body);
        }

        let maya_tour = share_code(&app, "MAYATEAM", "Tour");
        let reply = app
            .send(click(&format!("/r/{maya_tour}"), Some(BROWSER)))
            .await;
        assert_eq!(reply.status, StatusCode::FOUND);
        let to = reply.location().unwrap();
        assert!(
            to.starts_with("https://ridgeline.example/tour?utm_source=kith")
                && to.contains(&format!("utm_content={maya_tour}")),
            "{to}"
        );
        let leo_brew = share_code(&app, "LEOTEAM", "Cold brew");
        for _ in 0..2 {
            app.send(click(&format!("/r/{leo_brew}"), Some(BROWSER)))
                .await;
        }
        // A link-preview bot is redirected but not counted.
        app.send(click(
            &format!("/r/{leo_brew}"),
            Some("Slackbot-LinkExpanding 1.0"),
        ))
        .await;

        let counts: Vec<(String, String, u64)> = sync(|| {
            app.store()
                .programs()
                .shares("Team")
                .unwrap()
                .into_iter()
                .map(|l| (l.member_code.as_str().to_owned(), l.title, l.clicks))
                .collect()
        });
        assert_eq!(
            counts,
            [
                ("LEOTEAM".into(), "Cold brew".into(), 2),
                ("MAYATEAM".into(), "Cold brew".into(), 0),
                ("LEOTEAM".into(), "Tour".into(), 0),
                ("MAYATEAM".into(), "Tour".into(), 1),
            ]
        );

        let page = app.get(&manager, &format!("/programs/{id}")).await;
        assert!(page.body.contains("Posts to share"), "{}", page.body);
        let board = app
            .get(&manager, &format!("/programs/{id}/leaderboard"))
            .await;
        assert_eq!(board.status, StatusCode::OK);
        let leo_at = board.body.find("LEOTEAM").unwrap();
        let maya_at = board.body.find("MAYATEAM").unwrap();
        assert!(leo_at < maya_at, "Leo (2 clicks) before Maya (1)");
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_shows_an_advocate_their_own_share_links_and_place_only() {
    let app = team(kith_store::testing::sqlite());
    sync(|| {
        app.store()
            .programs()
            .add_content(
                "Team",
                "post",
                "Cold brew",
                "",
                Some("https://ridgeline.example/cold-brew"),
                OffsetDateTime::now_utc(),
            )
            .unwrap();
    });
    let leo_brew = share_code(&app, "LEOTEAM", "Cold brew");
    let maya_brew = share_code(&app, "MAYATEAM", "Cold brew");
    app.send(click(&format!("/r/{leo_brew}"), Some(BROWSER)))
        .await;
    let cookie = sign_in(&app, "c-1").await;
    let page = app.send(get("/portal", &cookie)).await;
    assert!(page.body.contains(&maya_brew), "{}", page.body);
    assert!(!page.body.contains(&leo_brew), "{}", page.body);
    assert!(
        page.body
            .contains("place on the leaderboard: <strong>2</strong> of 2"),
        "{}",
        page.body
    );
    let json = app.send(get("/portal/api/me", &cookie)).await.json();
    let text = json.to_string();
    assert!(
        text.contains(&maya_brew) && !text.contains(&leo_brew),
        "{text}"
    );
    assert!(!text.contains("LEOTEAM"), "{text}");
    done(app);
}
