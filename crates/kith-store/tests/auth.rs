//! What the server's sign-in keeps: users and roles, sessions, API tokens and failed
//! sign-ins. Secrets arrive hashed; the store keeps and compares nothing secret itself.

use kith_store::testing::TestStore;
use kith_store::{ApiToken, Role, store_tests};
use time::{Duration, OffsetDateTime};

fn a_user_is_created_once_per_email(db: &TestStore) {
    let ana = db
        .create_user("ana@example.com", "$argon2id$hash", Role::Admin)
        .unwrap()
        .expect("a new email creates a user");
    assert_eq!(ana.email, "ana@example.com");
    assert_eq!(ana.role, Role::Admin);
    assert!(
        db.create_user("ana@example.com", "other", Role::Viewer)
            .unwrap()
            .is_none(),
        "the same email again creates nothing"
    );
    let (user, hash) = db.user_credentials("ana@example.com").unwrap().unwrap();
    assert_eq!(user, ana);
    assert_eq!(hash, "$argon2id$hash", "the first password stays");
    assert!(db.user_credentials("bo@example.com").unwrap().is_none());
}

fn roles_and_passwords_change_and_users_go(db: &TestStore) {
    let bo = db
        .create_user("bo@example.com", "h1", Role::Viewer)
        .unwrap()
        .unwrap();
    db.create_user("al@example.com", "h2", Role::Owner).unwrap();
    assert!(db.set_user_role(bo.id, Role::Manager).unwrap());
    assert!(db.set_user_password(bo.id, "h3").unwrap());
    let listed: Vec<(String, Role)> = db
        .users()
        .unwrap()
        .into_iter()
        .map(|u| (u.email, u.role))
        .collect();
    assert_eq!(
        listed,
        [
            ("al@example.com".to_owned(), Role::Owner),
            ("bo@example.com".to_owned(), Role::Manager)
        ],
        "listed by email"
    );
    assert_eq!(
        db.user_credentials("bo@example.com").unwrap().unwrap().1,
        "h3"
    );
    assert!(db.delete_user(bo.id).unwrap());
    assert!(!db.delete_user(bo.id).unwrap(), "already gone");
    assert!(!db.set_user_role(bo.id, Role::Owner).unwrap());
}

fn a_session_names_its_user_until_it_expires_or_ends(db: &TestStore) {
    let cy = db
        .create_user("cy@example.com", "h", Role::Manager)
        .unwrap()
        .unwrap();
    let later = OffsetDateTime::now_utc() + Duration::hours(1);
    db.create_session("live-hash", cy.id, "csrf-1", later)
        .unwrap();
    let earlier = OffsetDateTime::now_utc() - Duration::seconds(1);
    db.create_session("old-hash", cy.id, "csrf-2", earlier)
        .unwrap();

    let live = db.session("live-hash").unwrap().expect("a live session");
    assert_eq!(live.user, cy);
    assert_eq!(live.csrf_token, "csrf-1");
    assert!(db.session("old-hash").unwrap().is_none(), "expired");
    assert!(db.session("unknown").unwrap().is_none());

    db.delete_session("live-hash").unwrap();
    assert!(db.session("live-hash").unwrap().is_none(), "signed out");
}

fn removing_a_user_ends_their_sessions(db: &TestStore) {
    let di = db
        .create_user("di@example.com", "h", Role::Viewer)
        .unwrap()
        .unwrap();
    let later = OffsetDateTime::now_utc() + Duration::hours(1);
    db.create_session("di-hash", di.id, "csrf", later).unwrap();
    db.delete_user(di.id).unwrap();
    assert!(db.session("di-hash").unwrap().is_none());
}

fn api_tokens_keep_their_hash_and_can_be_revoked(db: &TestStore) {
    let token = ApiToken {
        id: "t0k3n1d".into(),
        name: "nightly export".into(),
        role: Role::Viewer,
        created_at: OffsetDateTime::now_utc(),
        revoked: false,
    };
    db.create_api_token(&token, "secret-hash").unwrap();
    let (found, hash) = db.api_token("t0k3n1d").unwrap().unwrap();
    assert_eq!(
        (found.name.as_str(), found.role, hash.as_str()),
        ("nightly export", Role::Viewer, "secret-hash")
    );
    assert!(!found.revoked);
    assert!(db.revoke_api_token("t0k3n1d").unwrap());
    assert!(!db.revoke_api_token("t0k3n1d").unwrap(), "revoked once");
    assert!(db.api_token("t0k3n1d").unwrap().unwrap().0.revoked);
    assert_eq!(db.api_tokens().unwrap().len(), 1);
    assert!(db.api_token("nope").unwrap().is_none());
}

fn failed_sign_ins_are_counted_per_key_within_a_window(db: &TestStore) {
    let long_ago = OffsetDateTime::now_utc() - Duration::hours(1);
    let window = OffsetDateTime::now_utc() - Duration::minutes(15);
    for _ in 0..3 {
        db.record_login_failure(&["email:ana@example.com", "ip:127.0.0.1"], long_ago)
            .unwrap();
    }
    assert_eq!(
        db.login_failures_since("email:ana@example.com", window)
            .unwrap(),
        3
    );
    assert_eq!(db.login_failures_since("ip:127.0.0.1", window).unwrap(), 3);
    assert_eq!(
        db.login_failures_since("email:ana@example.com", OffsetDateTime::now_utc())
            .unwrap(),
        0,
        "none after now"
    );
    db.clear_login_failures("email:ana@example.com").unwrap();
    assert_eq!(
        db.login_failures_since("email:ana@example.com", window)
            .unwrap(),
        0
    );
    assert_eq!(db.login_failures_since("ip:127.0.0.1", window).unwrap(), 3);
}

store_tests!(
    a_user_is_created_once_per_email,
    roles_and_passwords_change_and_users_go,
    a_session_names_its_user_until_it_expires_or_ends,
    removing_a_user_ends_their_sessions,
    api_tokens_keep_their_hash_and_can_be_revoked,
    failed_sign_ins_are_counted_per_key_within_a_window,
);
