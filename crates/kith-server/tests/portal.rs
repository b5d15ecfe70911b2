//! The member portal: a member signs in with a magic link (once) or a password they set,
//! and sees their own codes, links, orders and earnings — never another member's,
//! through any route of the app or any parameter.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kith_core::program::code::ReferralCode;
use kith_core::program::{MemberStatus, ProgramKind};
use kith_server::portal::issue_link;
use kith_server::routes::table;
use kith_store::programs::Enrolment;
use time::OffsetDateTime;

use crate::support::{App, Reply, new_program, order_with_code, urlencode};
use crate::tracking::{BROWSER, app_for, click, done, stores, sync};

/// Maya's and Leo's data: what one must never see of the other (their advocacy codes
/// begin each of their share codes).
const MAYA: &[&str] = &["MAYA10", "maya-order-1", "maya@example.com", "MAYAADV"];
const LEO: &[&str] = &["LEO10", "leo-order-1", "leo@example.com", "LEOADV"];

/// Maya and Leo with a click and an order each, both advocates with a share link to a
/// post, and both invited to an activation (event code MEETUP).
async fn members_app(db: kith_store::testing::TestStore) -> App {
    let app = app_for(db);
    sync(|| {
        let p = app.store().programs();
        let now = OffsetDateTime::now_utc();
        p.create_program(&new_program(
            "Team",
            ProgramKind::Advocacy,
            serde_json::json!({}),
        ))
        .unwrap();
        let advocate = |person: &str, code: &str| Enrolment {
            code: Some(ReferralCode::parse(code).unwrap()),
            ..Enrolment::new(person)
        };
        p.enroll(
            "Team",
            &[advocate("c-1", "MAYAADV"), advocate("c-2", "LEOADV")],
            now,
        )
        .unwrap();
        p.add_content(
            "Team",
            "post",
            "Launch",
            "",
            Some("https://ridgeline.example/new"),
            now,
        )
        .unwrap();
        p.create_program(&new_program(
            "Meetup",
            ProgramKind::Activation,
            serde_json::json!({"region": "CO", "capacity": 10, "event_code": "MEETUP"}),
        ))
        .unwrap();
        let invited = |person: &str, code: &str| Enrolment {
            status: MemberStatus::Invited,
            ..advocate(person, code)
        };
        p.enroll(
            "Meetup",
            &[invited("c-1", "MAYAMEET"), invited("c-2", "LEOMEET")],
            now,
        )
        .unwrap();
    });
    app.send(click("/r/MAYA10", Some(BROWSER))).await;
    app.send(click("/r/LEO10", Some(BROWSER))).await;
    sync(|| {
        let p = app.store().programs();
        let now = OffsetDateTime::now_utc();
        p.receive_order(
            None,
            &order_with_code("maya-order-1", "MAYA10", 12_000),
            now,
        )
        .unwrap();
        p.receive_order(None, &order_with_code("leo-order-1", "LEO10", 34_500), now)
            .unwrap();
    });
    app
}

/// A customer `id` named `first_name` (email `first_name@example.com`, lower-case).
pub fn add_person(store: &dyn kith_store::Store, id: &str, first_name: &str) {
    let mut records = std::iter::once(Ok::<_, kith_store::InputError>(kith_core::Record::Person(
        kith_core::Person {
            id: id.into(),
            source: Some(kith_core::PersonSource::Customer),
            email: Some(format!("{}@example.com", first_name.to_lowercase())),
            first_name: Some(first_name.into()),
            ..kith_core::Person::default()
        },
    )));
    store.import(&mut records).unwrap();
}

fn with_cookie(mut req: Request<Body>, cookie: &str) -> Request<Body> {
    req.headers_mut().insert(
        header::COOKIE,
        format!("kith_portal={cookie}").parse().unwrap(),
    );
    req
}

pub fn get(path: &str, cookie: &str) -> Request<Body> {
    with_cookie(Request::get(path).body(Body::empty()).unwrap(), cookie)
}

fn post(path: &str, cookie: Option<&str>, form: &str) -> Request<Body> {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    match cookie {
        Some(c) => with_cookie(req, c),
        None => req,
    }
}

fn portal_cookie(reply: &Reply) -> String {
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    let value = set.split(';').next().unwrap();
    value.strip_prefix("kith_portal=").unwrap().to_owned()
}

/// Signs `person` in with a fresh magic link; the session cookie.
pub async fn sign_in(app: &App, person: &str) -> String {
    let token = sync(|| issue_link(app.store(), person, OffsetDateTime::now_utc()).unwrap());
    let reply = app
        .send(
            Request::get(format!("/portal/link/{token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/portal"));
    let again = app
        .send(
            Request::get(format!("/portal/link/{token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");
    portal_cookie(&reply)
}

/// Nothing of `theirs` in the answer — except what the request itself named (a 404
/// page repeats the path it was asked for).
fn assert_none_of(reply: &Reply, theirs: &[&str], what: &str) {
    for secret in theirs.iter().filter(|s| !what.contains(*s)) {
        assert!(
            !reply.body.contains(secret),
            "{what} shows {secret}: {}",
            reply.body
        );
        if let Some(l) = reply.location() {
            assert!(
                !l.contains(secret) || what.starts_with("GET /r/"),
                "{what} → {l}"
            );
        }
    }
}

/// Every route of the app, filled in with the other member's identifiers.
fn every_route_as(theirs: &str) -> Vec<(String, String)> {
    table()
        .iter()
        .map(|r| {
            let path = r
                .path
                .replace("{code}", theirs)
                .replace("{token}", "0000")
                .replace("{*path}", "kith.css")
                .replace("{id}", "c-2");
            (r.method.to_string(), path)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_sees_their_own_figures_and_never_anothers_through_any_route() {
    for db in stores() {
        let app = members_app(db).await;
        for (me, mine, theirs, their_code, their_id) in [
            ("c-1", MAYA, LEO, "LEO10", "c-2"),
            ("c-2", LEO, MAYA, "MAYA10", "c-1"),
        ] {
            let cookie = sign_in(&app, me).await;
            let page = app.send(get("/portal", &cookie)).await;
            assert_eq!(page.status, StatusCode::OK);
            for item in &mine[..2] {
                assert!(page.body.contains(item), "{me} sees {item}");
            }
            let json = app.send(get("/portal/api/me", &cookie)).await.json();
            assert_eq!(json["person_id"], me);
            let spring = json["memberships"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["member"]["program"] == "Spring Affiliates")
                .unwrap();
            assert_eq!(spring["figures"]["clicks"], 1);
            assert_eq!(spring["figures"]["orders"], 1);
            let team = json["memberships"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["member"]["program"] == "Team")
                .unwrap();
            assert_eq!(
                team["shares"].as_array().unwrap().len(),
                1,
                "their own share link"
            );
            // Parameters naming the other member change nothing.
            let probes = [
                format!("/portal?person_id={their_id}&code={their_code}"),
                format!("/portal/api/me?person_id={their_id}"),
                format!("/portal/api/me?member={their_code}&person={their_id}"),
                format!(
                    "/portal/api/me?person_id[]={their_id}&me={}",
                    urlencode(their_id)
                ),
                format!("/portal/{their_id}"),
                format!("/portal/api/{their_id}"),
                format!("/portal/api/me/{their_code}"),
            ];
            for path in &probes {
                let reply = app.send(get(path, &cookie)).await;
                assert_none_of(&reply, theirs, &format!("GET {path}"));
            }
            // Checking in names an event, never a person: only the session's member is
            // checked in, whatever else the form says.
            let checkin = post(
                "/portal/checkin",
                Some(&cookie),
                &format!("event_code=MEETUP&person_id={their_id}&code={their_code}"),
            );
            let reply = app.send(checkin).await;
            assert_eq!(reply.location(), Some("/portal?checkin=done"));
            let attended = sync(|| app.store().programs().attendance("Meetup").unwrap());
            let members = sync(|| app.store().programs().members(Some("Meetup")).unwrap());
            let mut ids: Vec<&str> = members
                .iter()
                .filter(|m| attended.contains(&m.id))
                .map(|m| m.person_id.as_str())
                .collect();
            ids.sort_unstable();
            let expected: &[&str] = if me == "c-1" {
                &["c-1"]
            } else {
                &["c-1", "c-2"]
            };
            assert_eq!(ids, expected, "{me} checked in only themself");
            // Every route of the app, with the other member's ids in its parameters.
            for (method, path) in every_route_as(their_code) {
                let req = if method == "POST" {
                    post(&path, Some(&cookie), &format!("person_id={their_id}"))
                } else {
                    get(&path, &cookie)
                };
                let reply = app.send(req).await;
                assert_none_of(&reply, theirs, &format!("{method} {path}"));
            }
        }
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_session_the_portal_shows_nothing() {
    let app = members_app(kith_store::testing::sqlite()).await;
    let page = app
        .send(Request::get("/portal").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/portal/login"));
    let api = app.send(get("/portal/api/me", "forged-cookie")).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    // A dashboard session is not a portal session, and a portal session no dashboard one.
    let cookie = sign_in(&app, "c-1").await;
    let dashboard = app.send(get("/api/v1/candidates", &cookie)).await;
    assert_eq!(dashboard.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_sets_a_password_signs_in_with_it_and_signs_out() {
    let app = members_app(kith_store::testing::sqlite()).await;
    let cookie = sign_in(&app, "c-1").await;
    let short = app
        .send(post("/portal/password", Some(&cookie), "password=short"))
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let set = app
        .send(post(
            "/portal/password",
            Some(&cookie),
            "password=correct+horse+battery",
        ))
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let wrong = app
        .send(post(
            "/portal/login",
            None,
            "email=maya%40example.com&password=wrong+horse+battery",
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let no_password = app
        .send(post(
            "/portal/login",
            None,
            "email=leo%40example.com&password=correct+horse+battery",
        ))
        .await;
    assert_eq!(no_password.status, StatusCode::UNAUTHORIZED);
    let mut cross_site = post(
        "/portal/login",
        None,
        "email=MAYA%40example.com&password=correct+horse+battery",
    );
    cross_site
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.test".parse().unwrap());
    cross_site
        .headers_mut()
        .insert(header::HOST, "kith.example".parse().unwrap());
    assert_eq!(app.send(cross_site).await.status, StatusCode::FORBIDDEN);
    let signed_in = app
        .send(post(
            "/portal/login",
            None,
            "email=MAYA%40example.com&password=correct+horse+battery",
        ))
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let session = portal_cookie(&signed_in);
    assert_eq!(
        app.send(get("/portal", &session)).await.status,
        StatusCode::OK
    );
    let out = app.send(post("/portal/logout", Some(&session), "")).await;
    assert_eq!(out.location(), Some("/portal/login"));
    let after = app.send(get("/portal", &session)).await;
    assert_eq!(after.location(), Some("/portal/login"), "the session ended");
}

/// The link a program page shows after its "Sign-in link" form, path only.
fn shown_link(page: &Reply) -> String {
    let start = page
        .body
        .find("<code id=\"portal-link\">")
        .unwrap_or_else(|| panic!("no link shown: {}", page.body));
    let link = &page.body[start + "<code id=\"portal-link\">".len()..];
    // The template escapes `/` as HTML does.
    let link = link[..link.find("</code>").unwrap()].replace("&#x2f;", "/");
    link[link.find("/portal/link/").unwrap()..].to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_makes_a_members_sign_in_link_on_the_program_page() {
    let app = members_app(kith_store::testing::sqlite()).await;
    let id = crate::lifecycle::program_id(&app, "Spring Affiliates");
    let manager = sync(|| app.session(kith_store::Role::Manager));
    let form = format!("/programs/{id}/members/MAYA10/portal-link");
    let page = app.get(&manager, &format!("/programs/{id}")).await;
    assert!(
        page.body.contains(&format!("action=\"{form}\"")),
        "{}",
        page.body
    );

    let reply = app.post_form(&manager, &form, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let shown = app.follow(&manager, &reply).await;
    assert!(shown.body.contains("Maya"), "{}", shown.body);
    let link = shown_link(&shown);
    assert!(
        !app.follow(&manager, &reply).await.body.contains(&link),
        "shown once"
    );

    // The link signs Maya in, once, and her portal shows her, not Leo.
    let signed = app
        .send(Request::get(&link).body(Body::empty()).unwrap())
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let cookie = portal_cookie(&signed);
    let portal = app.send(get("/portal", &cookie)).await;
    assert!(portal.body.contains("MAYA10"), "{}", portal.body);
    assert_none_of(&portal, LEO, "Maya's portal");
    let again = app
        .send(Request::get(&link).body(Body::empty()).unwrap())
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_sign_in_link_for_a_viewer_another_programs_member_or_a_removed_member() {
    let app = members_app(kith_store::testing::sqlite()).await;
    let id = crate::lifecycle::program_id(&app, "Spring Affiliates");
    let team = crate::lifecycle::program_id(&app, "Team");
    let viewer = sync(|| app.session(kith_store::Role::Viewer));
    let page = app.get(&viewer, &format!("/programs/{id}")).await;
    assert!(
        !page.body.contains("/portal-link\""),
        "no form for a viewer"
    );
    let refused = app
        .post_form(
            &viewer,
            &format!("/programs/{id}/members/MAYA10/portal-link"),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let manager = sync(|| app.session(kith_store::Role::Manager));
    let elsewhere = app
        .post_form(
            &manager,
            &format!("/programs/{team}/members/MAYA10/portal-link"),
            &[],
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "MAYA10 is not in Team"
    );

    crate::lifecycle::remove(&app, &manager, id, "LEO10").await;
    let reply = app
        .post_form(
            &manager,
            &format!("/programs/{id}/members/LEO10/portal-link"),
            &[],
        )
        .await;
    let shown = app.follow(&manager, &reply).await;
    assert!(shown.body.contains("no sign-in link"), "{}", shown.body);
    assert!(!shown.body.contains("/portal/link/"), "{}", shown.body);
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_makes_a_sign_in_link_through_the_api() {
    let app = members_app(kith_store::testing::sqlite()).await;
    let id = crate::lifecycle::program_id(&app, "Spring Affiliates");
    let path = format!("/api/v1/programs/{id}/members/maya10/portal-link");
    let manager = sync(|| app.token(kith_store::Role::Manager));
    let reply = app.post_form(&manager, &path, &[]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["person_id"], "c-1");
    assert_eq!(json["code"], "MAYA10", "codes are case-insensitive");
    assert!(json["expires_at"].as_str().unwrap().starts_with("20"));
    let link = json["link"].as_str().unwrap();
    let path_only = &link[link.find("/portal/link/").unwrap()..];
    let signed = app
        .send(Request::get(path_only).body(Body::empty()).unwrap())
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let me = app
        .send(get("/portal/api/me", &portal_cookie(&signed)))
        .await
        .json();
    assert_eq!(me["person_id"], "c-1");

    let viewer = sync(|| app.token(kith_store::Role::Viewer));
    assert_eq!(
        app.post_form(&viewer, &path, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let team = crate::lifecycle::program_id(&app, "Team");
    let elsewhere = format!("/api/v1/programs/{team}/members/MAYA10/portal-link");
    assert_eq!(
        app.post_form(&manager, &elsewhere, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let session = sync(|| app.session(kith_store::Role::Manager));
    crate::lifecycle::remove(&app, &session, id, "LEO10").await;
    let leo = format!("/api/v1/programs/{id}/members/LEO10/portal-link");
    assert_eq!(
        app.post_form(&manager, &leo, &[]).await.status,
        StatusCode::CONFLICT
    );
    done(app);
}
