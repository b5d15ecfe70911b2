//! Single-use codes: in a program that asks for them, each person's click on a link gets
//! a discount code of its own on the landing URL (`kith_code`), stored with the click
//! before the 302; the first order using it is attributed by it, and no later one.

use axum::http::StatusCode;
use kith_core::program::ProgramKind;
use kith_core::program::code::ReferralCode;
use kith_store::programs::{Enrolment, NewProgram, Receipt};
use time::OffsetDateTime;

use crate::support::{App, new_program, order_with_code};
use crate::tracking::{BROWSER, app_for, click, done, stores, sync};

/// Maya (c-1) in "One-time", a program with single-use codes, code MAYAONE.
fn one_time(db: kith_store::testing::TestStore) -> App {
    let app = app_for(db);
    sync(|| {
        let p = app.store().programs();
        p.create_program(&NewProgram {
            commission: Some("10%".parse().unwrap()),
            destination: Some("https://ridgeline.example/shop".into()),
            ..new_program(
                "One-time",
                ProgramKind::Affiliate,
                serde_json::json!({"single_use_codes": true}),
            )
        })
        .unwrap();
        let maya = Enrolment {
            code: Some(ReferralCode::parse("MAYAONE").unwrap()),
            ..Enrolment::new("c-1")
        };
        p.enroll("One-time", &[maya], OffsetDateTime::now_utc())
            .unwrap();
    });
    app
}

/// The `kith_code` a redirect put on the landing URL, if any.
fn issued(location: &str) -> Option<String> {
    location
        .split(['?', '&', '#'])
        .find_map(|p| p.strip_prefix("kith_code="))
        .map(str::to_owned)
}

fn receive(app: &App, order: &str, code: &str) -> Receipt {
    sync(|| {
        app.store()
            .programs()
            .receive_order(
                None,
                &order_with_code(order, code, 6_000),
                OffsetDateTime::now_utc(),
            )
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn each_click_gets_its_own_code_which_attributes_one_order_only() {
    for db in stores() {
        let app = one_time(db);
        let first = app.send(click("/r/MAYAONE", Some(BROWSER))).await;
        let second = app.send(click("/r/mayaone", Some(BROWSER))).await;
        assert_eq!(first.status, StatusCode::FOUND);
        let one = issued(first.location().unwrap()).expect("a code on the landing URL");
        let two = issued(second.location().unwrap()).unwrap();
        assert_ne!(one, two, "one code per click");
        assert!(one.starts_with("MAYAONE-"), "{one}");
        assert!(ReferralCode::parse(&one).is_ok());

        // Stored before the 302: an order right after redeems it.
        let receipt = receive(&app, "o-1", &one.to_lowercase());
        assert!(
            matches!(&receipt, Receipt::Attributed { code, by, .. } if code.as_str() == one && by == "discount_code"),
            "{receipt:?}"
        );
        let conversions = sync(|| {
            app.store()
                .programs()
                .conversions(Some("One-time"), None)
                .unwrap()
        });
        assert_eq!(conversions[0].code.as_str(), "MAYAONE");
        // Used once: a second order with it earns nothing by it.
        assert_eq!(receive(&app, "o-2", &one), Receipt::Stored);
        // The other click's code is still good.
        assert!(matches!(
            receive(&app, "o-3", &two),
            Receipt::Attributed { .. }
        ));

        // A program without the setting puts no code on its links.
        let plain = app.send(click("/r/MAYA10", Some(BROWSER))).await;
        assert_eq!(issued(plain.location().unwrap()), None);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bots_get_no_code_and_a_made_up_code_attributes_nothing() {
    let app = one_time(kith_store::testing::sqlite());
    let bot = app
        .send(click("/r/MAYAONE", Some("facebookexternalhit/1.1")))
        .await;
    assert_eq!(bot.status, StatusCode::FOUND);
    assert_eq!(
        issued(bot.location().unwrap()),
        None,
        "a bot's visit is not a click"
    );
    assert_eq!(
        receive(&app, "o-9", "MAYAONE-0A1B2C3D4E5F"),
        Receipt::Stored
    );
    done(app);
}
