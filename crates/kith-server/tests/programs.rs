//! Program pages: the list with the ROI report's figures, a program's members and
//! activity, creating a program, and adding people selected in Discover.

use axum::http::StatusCode;
use kith_core::{CandidateQuery, Money, Person, PersonSource, Record};
use kith_store::programs::{FactSource, Member, NewClick, OrderFact};
use kith_store::{InputError, Role, Store};
use time::OffsetDateTime;

use crate::support::{App, Who, seed_demo};

/// Creates a program through the dashboard's form; returns its id.
async fn create(app: &App, who: &Who, name: &str, commission: &str) -> i64 {
    let reply = app
        .post_form(
            who,
            "/programs",
            &[
                ("name", name),
                ("kind", "affiliate"),
                ("commission", commission),
                ("fee", "10.00"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let to = reply.location().unwrap();
    to.strip_prefix("/programs/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{to}"))
}

fn people(store: &dyn Store, names: &[(&str, &str)]) {
    let mut records = names.iter().map(|(id, first)| {
        Ok::<_, InputError>(Record::Person(Person {
            id: (*id).into(),
            source: Some(PersonSource::Customer),
            email: Some(format!("{id}@example.com")),
            first_name: Some((*first).into()),
            ..Person::default()
        }))
    });
    store.import(&mut records).unwrap();
}

async fn enroll(app: &App, who: &Who, program: i64, person_ids: &[&str]) -> crate::support::Reply {
    let mut fields = vec![("program", program.to_string())];
    fields.extend(person_ids.iter().map(|p| ("person_id", (*p).to_owned())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(who, "/programs/enroll", &fields).await
}

/// The people of Discover's first 100 candidates that have one, in its order.
fn matched_people(app: &App) -> impl Iterator<Item = String> {
    app.store()
        .candidates(&CandidateQuery {
            limit: 100,
            ..CandidateQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter_map(|c| c.person_id)
}

fn members_of(app: &App, program: &str) -> Vec<Member> {
    app.store().programs().members(Some(program)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn enrolling_people_selected_in_discover_makes_members_with_codes() {
    let app = App::sqlite();
    seed_demo(app.store(), 300);
    let manager = app.session(Role::Manager);
    let id = create(&app, &manager, "Summer affiliates", "10%").await;

    let discover = app.get(&manager, "/discover?limit=100").await;
    assert!(
        discover.body.contains("action=\"/programs/enroll\""),
        "the form is there"
    );
    assert!(discover.body.contains(&format!(
        "<option value=\"{id}\">Summer affiliates</option>"
    )));
    let picked: Vec<String> = matched_people(&app).take(3).collect();
    assert_eq!(picked.len(), 3);
    for p in &picked {
        assert!(
            discover
                .body
                .contains(&format!("name=\"person_id\" value=\"{p}\"")),
            "{p}"
        );
    }

    let ids: Vec<&str> = picked.iter().map(String::as_str).collect();
    let reply = enroll(&app, &manager, id, &ids).await;
    let page = app.follow(&manager, &reply).await;
    assert!(
        page.body.contains("Added 3 members to Summer affiliates"),
        "{}",
        page.body
    );
    let members = members_of(&app, "Summer affiliates");
    assert_eq!(members.len(), 3);
    for m in &members {
        assert!(picked.contains(&m.person_id));
        assert!(
            page.body
                .contains(&format!("<code>{}</code>", m.code.as_str())),
            "{}",
            m.code
        );
        assert!(
            page.body
                .contains(&format!("href=\"/r/{}\"", m.code.as_str()))
        );
    }

    // Again, with one new person: the others keep their membership and code.
    let more = matched_people(&app).find(|p| !picked.contains(p)).unwrap();
    let reply = enroll(&app, &manager, id, &[ids[0], &more]).await;
    let page = app.follow(&manager, &reply).await;
    assert!(
        page.body.contains("Added 1 member to Summer affiliates"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Already members, unchanged"));
    let again = members_of(&app, "Summer affiliates");
    assert_eq!(again.len(), 4);
    assert!(members.iter().all(|m| again.contains(m)), "codes kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_without_a_person_cannot_be_ticked_and_say_why() {
    let app = App::sqlite();
    seed_demo(app.store(), 300);
    let manager = app.session(Role::Manager);
    create(&app, &manager, "Ambassadors", "").await;
    let api = app
        .get(&manager, "/api/v1/candidates?limit=100&sort=followers")
        .await
        .json();
    let items = api["items"].as_array().unwrap();
    let unmatched = items.iter().filter(|c| c["person_id"].is_null()).count();
    let matched = items.len() - unmatched;
    assert!(unmatched > 0, "the demo has profiles no person matched");
    let page = app
        .get(&manager, "/discover?limit=100&sort=followers")
        .await;
    assert_eq!(
        page.body
            .matches("<input type=\"checkbox\" disabled")
            .count(),
        unmatched
    );
    assert_eq!(page.body.matches("name=\"person_id\"").count(), matched);
    assert!(page.body.contains("cannot be added"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_is_refused_enrolling_and_creating_and_sees_no_checkboxes() {
    let app = App::sqlite();
    people(app.store(), &[("c-1", "Maya")]);
    let manager = app.session(Role::Manager);
    let id = create(&app, &manager, "Ambassadors", "").await;
    let viewer = app.session(Role::Viewer);
    let reply = enroll(&app, &viewer, id, &["c-1"]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post_form(
            &viewer,
            "/programs",
            &[("name", "Mine"), ("kind", "affiliate")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(app.store().programs().members(None).unwrap().is_empty());
    assert_eq!(app.store().programs().programs().unwrap().len(), 1);
    let discover = app.get(&viewer, "/discover").await;
    assert!(!discover.body.contains("/programs/enroll"));
    let list = app.get(&viewer, "/programs").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Create a program"));
}

#[tokio::test(flavor = "multi_thread")]
async fn enrolment_is_all_or_nothing_and_names_who_is_missing() {
    let app = App::sqlite();
    people(app.store(), &[("c-1", "Maya")]);
    let manager = app.session(Role::Manager);
    let id = create(&app, &manager, "Ambassadors", "").await;
    let reply = enroll(&app, &manager, id, &["c-1", "ghost"]).await;
    let page = app.follow(&manager, &reply).await;
    assert!(page.body.contains("No one was added"), "{}", page.body);
    assert!(page.body.contains("ghost"));
    assert!(app.store().programs().members(None).unwrap().is_empty());
    let none = enroll(&app, &manager, id, &[]).await;
    let page = app.follow(&manager, &none).await;
    assert!(page.body.contains("tick at least one person"));
    let unknown = enroll(&app, &manager, 999, &["c-1"]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_program_name_is_unique_and_escaped() {
    let app = App::sqlite();
    let manager = app.session(Role::Manager);
    create(&app, &manager, "<b>Bold</b> & co", "").await;
    let reply = app
        .post_form(
            &manager,
            "/programs",
            &[("name", "<B>bold</b> & CO"), ("kind", "affiliate")],
        )
        .await;
    let page = app.follow(&manager, &reply).await;
    assert!(page.body.contains("already exists"), "{}", page.body);
    assert!(
        page.body.contains("&lt;b&gt;Bold&lt;&#x2f;b&gt; &amp; co")
            || page.body.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; co")
    );
    assert!(!page.body.contains("<b>Bold</b>"));
    let bad = app
        .post_form(
            &manager,
            "/programs",
            &[("name", "X"), ("kind", "affiliate"), ("commission", "lots")],
        )
        .await;
    let page = app.follow(&manager, &bad).await;
    assert!(
        page.body.contains("Not created: commission"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_program_pages_show_the_reports_figures() {
    let app = App::sqlite();
    people(app.store(), &[("c-1", "Maya"), ("c-2", "Leo")]);
    let manager = app.session(Role::Manager);
    let id = create(&app, &manager, "Affiliates", "10%").await;
    enroll(&app, &manager, id, &["c-1", "c-2"]).await;
    let p = app.store().programs();
    let maya = p
        .members(Some("Affiliates"))
        .unwrap()
        .into_iter()
        .find(|m| m.person_id == "c-1")
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let clicks: Vec<NewClick> = (0..3)
        .map(|i| NewClick {
            member_id: maya.id,
            visitor: format!("v{i}"),
            at: now,
            ip_hash: None,
            content_id: None,
            single_use_code: None,
        })
        .collect();
    p.click_log().unwrap().append(&clicks).unwrap();
    let order = OrderFact {
        order_id: "o-1".into(),
        source: FactSource::Webhook,
        placed_at: now,
        currency: "USD".into(),
        subtotal: Money::from_minor(12_000),
        email: Some("buyer@example.com".into()),
        customer_id: None,
        discount_codes: vec![maya.code.as_str().to_owned()],
        visitor: None,
        landing_code: None,
        ip_hash: None,
    };
    p.receive_order(None, &order, now).unwrap();
    let report = p
        .roi(Some("Affiliates"), true, OffsetDateTime::now_utc())
        .unwrap();
    // Revenue 120.00; commission 12.00 + fee 10.00 → ROI 120 / 22 = 5.45.
    assert_eq!(report[0].revenue, Money::from_minor(12_000));

    let viewer = app.session(Role::Viewer);
    let list = app.get(&viewer, "/programs").await;
    let row = list
        .body
        .split("<tr>")
        .find(|r| r.contains("Affiliates"))
        .unwrap();
    for figure in [
        "affiliate",
        ">2<",
        ">3<",
        ">1<",
        "120.00 USD",
        "12.00 USD",
        "5.45×",
        "0.00 USD",
    ] {
        assert!(row.contains(figure), "{figure} in {row}");
    }

    let page = app.get(&viewer, &format!("/programs/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let member = page
        .body
        .split("<tr>")
        .find(|r| r.contains(maya.code.as_str()))
        .unwrap();
    for figure in ["active", ">3<", ">1<", "120.00 USD", "12.00 USD"] {
        assert!(member.contains(figure), "{figure} in {member}");
    }
    assert!(
        page.body.contains("id=\"activity-data\""),
        "the chart has data"
    );
    assert!(page.body.contains("5.45×"));

    let json = app
        .get(&viewer, &format!("/api/v1/programs/{id}"))
        .await
        .json();
    assert_eq!(json["report"]["revenue"], "120.00");
    assert_eq!(json["report"]["roi"], 5.45);
    assert_eq!(json["report"]["clicks"], report[0].clicks);
    assert_eq!(json["activity"][0]["clicks"], 3);
    assert_eq!(json["activity"][0]["orders"], 1);
    let maya_json = json["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person_id"] == "c-1")
        .unwrap();
    assert_eq!(maya_json["link"], format!("/r/{}", maya.code.as_str()));
    let all = app.get(&viewer, "/api/v1/programs").await.json();
    assert_eq!(all[0]["members"], 2);
    assert_eq!(all[0]["report"]["orders"], 1);
    assert_eq!(
        app.get(&viewer, "/programs/999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&viewer, "/api/v1/programs/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_program_page_says_which_orders_wait_for_an_exchange_rate() {
    let app = App::sqlite();
    people(app.store(), &[("c-1", "Maya")]);
    let manager = app.session(Role::Manager);
    let id = create(&app, &manager, "Affiliates", "10%").await;
    enroll(&app, &manager, id, &["c-1"]).await;
    let p = app.store().programs();
    let maya = p.members(Some("Affiliates")).unwrap().remove(0);
    let now = OffsetDateTime::now_utc();
    let euros = OrderFact {
        order_id: "o-1".into(),
        source: FactSource::Webhook,
        placed_at: now,
        currency: "EUR".into(),
        subtotal: Money::from_minor(12_000),
        email: Some("buyer@example.com".into()),
        customer_id: None,
        discount_codes: vec![maya.code.as_str().to_owned()],
        visitor: None,
        landing_code: None,
        ip_hash: None,
    };
    p.receive_order(None, &euros, now).unwrap();

    let viewer = app.session(Role::Viewer);
    let page = app.get(&viewer, &format!("/programs/{id}")).await;
    let revenue = page
        .body
        .lines()
        .find(|l| l.contains("<li>Revenue"))
        .unwrap();
    assert!(
        revenue.contains("1 order in EUR not counted in revenue: add &quot;EUR&#x2f;USD&quot; to [exchange_rates] in brand.toml"),
        "{revenue}"
    );
    let json = app
        .get(&viewer, &format!("/api/v1/programs/{id}"))
        .await
        .json();
    assert_eq!(
        (
            &json["report"]["orders"],
            &json["report"]["revenue"],
            &json["report"]["unconverted_orders"]
        ),
        (&1.into(), &"0.00".into(), &1.into())
    );
}
