//! Field activations through the app: a manager creates one with its event, invites the
//! people of its region up to the capacity, marks attendance; a member checks in from
//! the portal with the event code.

use axum::http::{StatusCode, header};
use kith_core::Money;
use kith_store::Role;
use kith_store::programs::Receipt;
use time::OffsetDateTime;

use crate::lifecycle::program_id;
use crate::portal::{get, sign_in};
use crate::support::{App, order_with_code};
use crate::tracking::{app_for, done, stores, sync};

/// Three people in Boulder (c-1 Maya and c-2 Leo from the seed, moved there, and Zoe),
/// one in Denver.
fn locals(app: &App) {
    sync(|| {
        let store = app.store();
        for (id, name, city) in [
            ("c-1", "Maya", "Boulder"),
            ("c-2", "Leo", "Boulder"),
            ("c-3", "Zoe", "boulder"),
            ("c-4", "Ann", "Denver"),
        ] {
            let mut records = std::iter::once(Ok::<_, kith_store::InputError>(
                kith_core::Record::Person(kith_core::Person {
                    id: id.into(),
                    source: Some(kith_core::PersonSource::Customer),
                    email: Some(format!("{}@example.com", name.to_lowercase())),
                    first_name: Some(name.into()),
                    city: Some(city.into()),
                    ..kith_core::Person::default()
                }),
            ));
            store.import(&mut records).unwrap();
        }
    });
}

fn portal_post(path: &str, cookie: &str, form: &str) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form.to_owned()))
        .unwrap();
    req.headers_mut().insert(
        header::COOKIE,
        format!("kith_portal={cookie}").parse().unwrap(),
    );
    req
}

#[tokio::test(flavor = "multi_thread")]
async fn an_activation_invites_its_region_up_to_capacity_and_members_check_in() {
    for db in stores() {
        let app = app_for(db);
        locals(&app);
        let manager = sync(|| app.session(Role::Manager));
        let made = app
            .post_form(
                &manager,
                "/programs",
                &[
                    ("name", "Brew-Along"),
                    ("kind", "activation"),
                    ("fee", "300.00"),
                    ("date", "2026-12-12"),
                    ("place", "Ridgeline Roastery"),
                    ("region", "Boulder"),
                    ("capacity", "2"),
                    ("event_code", "brewalong"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let id = program_id(&app, "Brew-Along");
        let page = app.get(&manager, &format!("/programs/{id}")).await;
        assert!(page.body.contains("Ridgeline Roastery"), "{}", page.body);
        assert!(page.body.contains("<code>BREWALONG</code>"));
        assert!(page.body.contains("0 of 2 taken"));

        let invited = app
            .post_form(&manager, &format!("/programs/{id}/invite"), &[])
            .await;
        let shown = app.follow(&manager, &invited).await;
        assert!(
            shown
                .body
                .contains("Invited 2 of the 3 people of the region")
                && shown.body.contains("0 places left"),
            "{}",
            shown.body
        );
        let members = sync(|| app.store().programs().members(Some("Brew-Along")).unwrap());
        assert_eq!(members.len(), 2, "the capacity");
        assert!(
            members.iter().all(|m| m.person_id != "c-4"),
            "Denver is not invited"
        );

        // Discover cannot seat a third either.
        let third = ["c-1", "c-2", "c-3"]
            .into_iter()
            .find(|p| members.iter().all(|m| m.person_id != *p))
            .unwrap();
        let refused = app
            .post_form(
                &manager,
                "/programs/enroll",
                &[("program", &id.to_string()), ("person_id", third)],
            )
            .await;
        let shown = app.follow(&manager, &refused).await;
        assert!(
            shown
                .body
                .contains("No one was added: the activation takes 2"),
            "{}",
            shown.body
        );

        // A manager marks the first attended; the second checks in from the portal.
        let (first, second) = (&members[0], &members[1]);
        let marked = app
            .post_form(
                &manager,
                &format!("/programs/{id}/members/{}/checkin", first.code),
                &[],
            )
            .await;
        let shown = app.follow(&manager, &marked).await;
        assert!(shown.body.contains("is checked in"), "{}", shown.body);

        let cookie = sign_in(&app, &second.person_id).await;
        let portal = app.send(get("/portal", &cookie)).await;
        assert!(
            portal.body.contains("Ridgeline Roastery"),
            "{}",
            portal.body
        );
        assert!(
            !portal.body.contains("BREWALONG"),
            "the code is given at the event"
        );
        let wrong = app
            .send(portal_post("/portal/checkin", &cookie, "event_code=NOPE99"))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        let right = app
            .send(portal_post(
                "/portal/checkin",
                &cookie,
                "event_code=brewalong",
            ))
            .await;
        assert_eq!(right.status, StatusCode::SEE_OTHER);
        let portal = app.send(get("/portal", &cookie)).await;
        assert!(
            portal.body.contains("You are checked in"),
            "{}",
            portal.body
        );
        let attended = sync(|| app.store().programs().attendance("Brew-Along").unwrap());
        assert_eq!(attended.len(), 2);

        // The event code brings an order to the event.
        let receipt = sync(|| {
            app.store()
                .programs()
                .receive_order(
                    None,
                    &order_with_code("event-order", "BREWALONG", 4_500),
                    OffsetDateTime::now_utc(),
                )
                .unwrap()
        });
        assert!(matches!(receipt, Receipt::Attributed { .. }), "{receipt:?}");
        let row = sync(|| {
            app.store()
                .programs()
                .roi(Some("Brew-Along"), false, OffsetDateTime::now_utc())
                .unwrap()
                .remove(0)
        });
        assert_eq!((row.orders, row.revenue), (1, Money::from_minor(4_500)));
        assert_eq!(row.cost, Money::from_minor(30_000));
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_code_cannot_clash_with_a_members_code_and_bad_fields_are_named() {
    let app = app_for(kith_store::testing::sqlite());
    let manager = app.session(Role::Manager);
    for (fields, says) in [
        (
            vec![("event_code", "maya10")],
            "the code MAYA10 is already taken",
        ),
        (vec![("capacity", "many")], "must be a whole number"),
        (vec![("date", "12/12/2026")], "YYYY-MM-DD"),
    ] {
        let mut form = vec![("name", "Event"), ("kind", "activation")];
        form.extend(fields);
        let reply = app.post_form(&manager, "/programs", &form).await;
        let shown = app.follow(&manager, &reply).await;
        assert!(shown.body.contains(says), "{says}: {}", shown.body);
    }
    assert!(app.store().programs().program("Event").unwrap().is_none());
    done(app);
}
