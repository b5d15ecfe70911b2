//! The payouts page (owner and admin only): approved commission becomes a batch, the
//! batch downloads as the PayPal Payouts file `kith program payout` writes, and is marked
//! paid once; a balance a clawback made negative is never paid.

use axum::http::{StatusCode, header};
use kith_core::Money;
use kith_store::Role;
use kith_store::programs::RefundFact;
use time::OffsetDateTime;

use crate::lifecycle::program_id;
use crate::support::{App, new_program, order_with_code};
use crate::tracking::{app_for, done, stores, sync};

/// The seeded program with no hold, so commission is approved as soon as it is earned,
/// and an order of 120.00 by Maya's code (12.00 commission).
fn app_with_approved_commission(db: kith_store::testing::TestStore) -> App {
    let app = app_for(db);
    sync(|| {
        let p = app.store().programs();
        let mut new = kith_store::programs::NewProgram {
            commission: Some("10%".parse().unwrap()),
            hold_days: 0,
            ..new_program(
                "Paid Affiliates",
                kith_core::program::ProgramKind::Affiliate,
                serde_json::json!({}),
            )
        };
        p.create_program(&new).unwrap();
        new.name = "Unused".into();
        p.create_program(&new).unwrap();
        let mut maya = kith_store::programs::Enrolment::new("c-1");
        maya.code = Some(kith_core::program::code::ReferralCode::parse("MAYAPAY").unwrap());
        let mut leo = kith_store::programs::Enrolment::new("c-2");
        leo.code = Some(kith_core::program::code::ReferralCode::parse("LEOPAY").unwrap());
        p.enroll("Paid Affiliates", &[maya, leo], OffsetDateTime::now_utc())
            .unwrap();
        p.receive_order(
            None,
            &order_with_code("o-1", "MAYAPAY", 12_000),
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    });
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_pays_approved_commission_as_a_paypal_file_and_marks_it_paid() {
    for db in stores() {
        let app = app_with_approved_commission(db);
        let id = program_id(&app, "Paid Affiliates");
        let admin = sync(|| app.session(Role::Admin));
        let page = app.get(&admin, &format!("/programs/{id}/payouts")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("12.00 USD"), "{}", page.body);
        assert!(page.body.contains("MAYAPAY"));
        assert!(!page.body.contains("LEOPAY"), "Leo is owed nothing");

        let made = app
            .post_form(&admin, &format!("/programs/{id}/payouts"), &[])
            .await;
        let shown = app.follow(&admin, &made).await;
        assert!(
            shown.body.contains("pays 1 members 12.00 USD"),
            "{}",
            shown.body
        );
        let batch = sync(|| {
            app.store()
                .programs()
                .payout_batches(Some("Paid Affiliates"))
                .unwrap()
        })
        .pop()
        .unwrap();
        let csv_path = format!("/programs/{id}/payouts/{}/paypal.csv", batch.id);
        assert!(shown.body.contains(&csv_path));

        let file = app.get(&admin, &csv_path).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(
            file.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert_eq!(
            file.body,
            batch.paypal_csv().unwrap(),
            "the CLI's file, byte for byte"
        );
        let member = batch.items[0].member_id;
        assert_eq!(
            file.body,
            format!(
                "maya@example.com,12.00,USD,kith-{}-{member},Paid Affiliates commission (MAYAPAY),PAYPAL\n",
                batch.id
            )
        );

        // Nothing more is owed: a second batch is refused.
        let again = app
            .post_form(&admin, &format!("/programs/{id}/payouts"), &[])
            .await;
        let shown = app.follow(&admin, &again).await;
        assert!(shown.body.contains("No batch was made"), "{}", shown.body);

        let paid = app
            .post_form(
                &admin,
                &format!("/programs/{id}/payouts/{}/paid", batch.id),
                &[],
            )
            .await;
        let shown = app.follow(&admin, &paid).await;
        assert!(shown.body.contains("is marked paid"), "{}", shown.body);
        let twice = app
            .post_form(
                &admin,
                &format!("/programs/{id}/payouts/{}/paid", batch.id),
                &[],
            )
            .await;
        let shown = app.follow(&admin, &twice).await;
        assert!(shown.body.contains("already marked paid"), "{}", shown.body);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clawback_after_a_payout_is_never_paid_as_a_negative_amount() {
    let app = app_with_approved_commission(kith_store::testing::sqlite());
    let id = program_id(&app, "Paid Affiliates");
    let admin = sync(|| app.session(Role::Admin));
    app.post_form(&admin, &format!("/programs/{id}/payouts"), &[])
        .await;
    sync(|| {
        app.store()
            .programs()
            .receive_refund(
                None,
                &RefundFact {
                    refund_id: "r-1".into(),
                    order_id: "o-1".into(),
                    subtotal: Money::from_minor(12_000),
                    refunded_at: OffsetDateTime::now_utc(),
                },
                OffsetDateTime::now_utc(),
            )
            .unwrap();
    });
    let again = app
        .post_form(&admin, &format!("/programs/{id}/payouts"), &[])
        .await;
    let shown = app.follow(&admin, &again).await;
    assert!(shown.body.contains("No batch was made"), "{}", shown.body);
    assert!(!shown.body.contains("-12.00"), "{}", shown.body);
    let batches = sync(|| app.store().programs().payout_batches(None).unwrap());
    assert_eq!(batches.len(), 1);
    assert!(
        batches
            .iter()
            .flat_map(|b| &b.items)
            .all(|i| i.amount.minor() > 0)
    );
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn payouts_are_for_owners_and_admins_and_batches_stay_in_their_program() {
    let app = app_with_approved_commission(kith_store::testing::sqlite());
    let id = program_id(&app, "Paid Affiliates");
    let manager = sync(|| app.session(Role::Manager));
    let refused = app.get(&manager, &format!("/programs/{id}/payouts")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = app
        .post_form(&manager, &format!("/programs/{id}/payouts"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let program = app.get(&manager, &format!("/programs/{id}")).await;
    assert!(
        !program.body.contains("/payouts\""),
        "no link for a manager"
    );

    let owner = sync(|| app.session(Role::Owner));
    app.post_form(&owner, &format!("/programs/{id}/payouts"), &[])
        .await;
    let batch = sync(|| app.store().programs().payout_batches(None).unwrap())
        .pop()
        .unwrap();
    let other = program_id(&app, "Unused");
    let wrong = app
        .get(
            &owner,
            &format!("/programs/{other}/payouts/{}/paypal.csv", batch.id),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    done(app);
}
