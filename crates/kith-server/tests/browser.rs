//! The browser suite: starts the app on port 0 with the demo brand and runs
//! `e2e/dashboard.mjs` (Playwright driving Debian's Chromium) against it: the pages as a
//! community manager uses them, an axe-core accessibility audit of each, and the OpenAPI
//! document checked against the OpenAPI 3.1 schema.
//!
//! Skipped, with a notice, when `/usr/bin/chromium` or `e2e/node_modules` is missing —
//! unless `CI=true`, where it fails instead.
//!
//! Screenshots go to a temporary folder, so a test run leaves the work tree as it was;
//! `KITH_SCREENSHOTS=1` writes them over `docs/screenshots/` instead (see
//! `docs/DASHBOARD.md`).

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use kith_server::AppState;
use kith_store::Role;

use crate::support::{App, PASSWORD, new_program, order_with_code, password_hash, seed_demo};

const CHROMIUM: &str = "/usr/bin/chromium";

fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// Whether this run refreshes the screenshots the documentation shows.
fn refresh_screenshots() -> bool {
    std::env::var("KITH_SCREENSHOTS").is_ok_and(|v| v == "1" || v == "true")
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Why the suite cannot run here, if it cannot.
fn missing() -> Option<String> {
    if !std::path::Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install chromium)"));
    }
    for package in [
        "playwright-core",
        "axe-core",
        "@seriousme/openapi-schema-validator",
    ] {
        if !e2e_dir().join("node_modules").join(package).exists() {
            return Some(format!(
                "e2e/node_modules/{package} is missing (cd e2e && npm ci)"
            ));
        }
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

/// A program, "Spring affiliates", with eight members whose links got traffic through the
/// real redirect and webhook (`tracking::simulate`, as `kith demo` sends it), so its page
/// has figures to show; its first member, SELFE2E10, also bought with her own code: an
/// order the fraud rules hold for review (`e2e-self-1`).
fn spring_affiliates(store: &std::sync::Arc<dyn kith_store::Store>) {
    use kith_server::tracking::Tracking;
    use kith_server::tracking::simulate::{DemoMember, Traffic, serve_and_drive};

    let (people, _) = store
        .people(Some(kith_core::PersonSource::Customer), 200, 0)
        .unwrap();
    let people: Vec<_> = people
        .into_iter()
        .filter(|p| p.email.is_some())
        .take(8)
        .collect();
    let p = store.programs();
    let now = time::OffsetDateTime::now_utc();
    p.create_program(&kith_store::programs::NewProgram {
        commission: Some("10%".parse().unwrap()),
        destination: Some("https://ridgelinecoffee.example/shop".into()),
        ..new_program(
            "Spring affiliates",
            kith_core::program::ProgramKind::Affiliate,
            serde_json::json!({}),
        )
    })
    .unwrap();
    let enrolments: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, person)| kith_store::programs::Enrolment {
            code: (i == 0)
                .then(|| kith_core::program::code::ReferralCode::parse("SELFE2E10").unwrap()),
            ..kith_store::programs::Enrolment::new(&person.id)
        })
        .collect();
    let members = p.enroll("Spring affiliates", &enrolments, now).unwrap();
    let secret = "browser-suite-webhook-secret".to_owned();
    let traffic = Traffic {
        seed: 11,
        secret: secret.clone(),
        members: members
            .iter()
            .enumerate()
            .map(|(i, m)| DemoMember {
                code: m.code.to_string(),
                // No email: the simulated buyers are never the member.
                email: None,
                reach: 2_000 * (i as u64 + 1),
            })
            .collect(),
        prices: vec![1_800, 2_400, 3_600, 4_800],
    };
    let mut state = AppState::new(std::sync::Arc::clone(store));
    state.tracking = Tracking::with_secret(std::sync::Arc::clone(store), Some(secret));
    serve_and_drive(state, &traffic).unwrap();
    let mut order = order_with_code("e2e-self-1", "SELFE2E10", 5_400);
    order.email = people[0].email.clone();
    p.receive_order(None, &order, now).unwrap();
}

#[test]
fn the_dashboard_works_in_a_real_browser() {
    if let Some(why) = missing() {
        assert!(
            !required(),
            "browser suite required under CI=true, but {why}"
        );
        let _ = writeln!(std::io::stderr(), "browser suite skipped: {why}");
        return;
    }
    let app = App::sqlite();
    seed_demo(app.store(), 1_500);
    for (email, role) in [
        ("owner@example.com", Role::Owner),
        ("viewer@example.com", Role::Viewer),
    ] {
        app.store()
            .create_user(email, password_hash(), role)
            .unwrap();
    }
    spring_affiliates(&app.shared_store());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(kith_server::run(
        listener,
        AppState::new(app.shared_store()),
        async {
            let _ = stopped.await;
        },
    ));

    let scratch = tempfile::tempdir().unwrap();
    let screenshots = if refresh_screenshots() {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else {
        scratch.path().to_path_buf()
    };
    let output = Command::new("node")
        .arg(e2e_dir().join("dashboard.mjs"))
        .env("KITH_URL", format!("http://{address}"))
        .env("KITH_PASSWORD", PASSWORD)
        .env("KITH_SCREENSHOT_DIR", &screenshots)
        .env("CHROMIUM", CHROMIUM)
        .output()
        .unwrap();
    let _ = stop.send(());
    let _ = runtime.block_on(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser suite failed\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("passed"), "{stdout}");
    if std::env::var_os("KITH_E2E_VERBOSE").is_some() {
        let _ = writeln!(std::io::stderr(), "{stdout}");
    }
}
