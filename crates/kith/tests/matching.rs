//! `kith match`: listing the links kith is unsure of, deciding them in a file, and
//! seeing `kith discover` follow the decisions.

use crate::support::{Kith, STATUS_KEYS, read_csv};

/// Maya and Sam match a profile by name only (left for review); Ana declared her handle
/// (linked without review); nobody would link Sam to @sammy_eats on X.
const PEOPLE: &str = r#"{"id":"c-1","email":"maya@example.com","first_name":"Maya","last_name":"Chen","city":"Denver"}
{"id":"c-2","email":"sam@example.com","first_name":"Sam","last_name":"Lee","city":"Austin"}
{"id":"c-3","email":"ana@example.com","first_name":"Ana","last_name":"Ruiz","handles":{"instagram":"ana.ruiz"}}
"#;
const PROFILES: &str = r#"{"platform":"instagram","handle":"maya.chen_92","bio":"coffee nerd","followers":4200}
{"platform":"tiktok","handle":"samlee","display_name":"Sam Lee","bio":"tacos","followers":2100}
{"platform":"instagram","handle":"ana.ruiz","bio":"bakes","followers":3100}
{"platform":"x","handle":"sammy_eats","bio":"food","followers":1900}
"#;

fn brand_with_people_and_profiles() -> Kith {
    let kith = Kith::new();
    std::fs::write(kith.path("people.ndjson"), PEOPLE).unwrap();
    std::fs::write(kith.path("profiles.ndjson"), PROFILES).unwrap();
    for (kind, file) in [
        ("customers", "people.ndjson"),
        ("profiles", "profiles.ndjson"),
    ] {
        kith.ok(&["import", kind, kith.path(file).to_str().unwrap()]);
    }
    kith
}

/// `platform/handle` → `person_id` of every candidate row.
fn owners(kith: &Kith) -> Vec<(String, String)> {
    let out = kith.path("candidates.csv");
    kith.ok(&[
        "discover",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (header, rows) = read_csv(&out);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut owners: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                format!("{}/{}", r[at("platform")], r[at("handle")]),
                r[at("person_id")].clone(),
            )
        })
        .collect();
    owners.sort();
    owners
}

fn owner_of<'a>(owners: &'a [(String, String)], profile: &str) -> &'a str {
    &owners.iter().find(|(p, _)| p == profile).unwrap().1
}

fn write_review(kith: &Kith) -> (Vec<String>, Vec<Vec<String>>) {
    let file = kith.path("review.csv");
    kith.ok(&["match", "--out", file.to_str().unwrap()]);
    read_csv(&file)
}

/// `kith match --review` over the saved review file.
fn apply_review(kith: &Kith) -> std::process::Output {
    let file = kith.path("review.csv");
    kith.run(&["match", "--review", file.to_str().unwrap()])
}

fn save_review(kith: &Kith, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(kith.path("review.csv")).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn the_review_file_lists_uncertain_links_with_their_evidence_and_an_empty_decision() {
    let kith = brand_with_people_and_profiles();
    let (header, rows) = write_review(&kith);
    assert_eq!(
        header.join(","),
        "person_id,name,platform,handle,profile_name,followers,confidence,evidence,decision"
    );
    let listed: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}/{} {} {} [{}]", r[0], r[2], r[3], r[6], r[7], r[8]))
        .collect();
    assert_eq!(
        listed,
        [
            "c-1 instagram/maya.chen_92 0.50 same name only []",
            "c-2 tiktok/samlee 0.50 same name only []",
        ],
        "Ana's declared handle needs no review"
    );
    let table = kith.ok(&["match"]);
    assert!(table.contains("instagram @maya.chen_92"), "{table}");
    assert!(table.contains("2 links to review"), "{table}");
}

#[test]
fn decisions_read_back_from_the_review_file_change_what_discover_links() {
    let kith = brand_with_people_and_profiles();
    let before = owners(&kith);
    assert_eq!(owner_of(&before, "instagram/maya.chen_92"), "");
    assert_eq!(owner_of(&before, "instagram/ana.ruiz"), "c-3");

    let (header, mut rows) = write_review(&kith);
    rows[0][8] = "confirm".into(); // Maya is @maya.chen_92.
    rows[1][8] = "reject".into(); // Sam is not @samlee…
    // …but he is @sammy_eats, which resolution alone would never propose,
    let mut sammy = rows[1].clone();
    sammy[2] = "x".into();
    sammy[3] = "@Sammy_Eats".into();
    sammy[8] = "Confirm".into();
    rows.push(sammy);
    // and Ana's declared handle turns out to be someone else's.
    rows.push(
        ["c-3", "", "instagram", "ana.ruiz", "", "", "", "", "reject"]
            .map(String::from)
            .to_vec(),
    );
    save_review(&kith, &header, &rows);
    let said = kith.ok(&[
        "match",
        "--review",
        kith.path("review.csv").to_str().unwrap(),
    ]);
    assert!(
        said.contains("2 confirmed, 2 rejected, 0 left undecided"),
        "{said}"
    );

    let after = owners(&kith);
    assert_eq!(owner_of(&after, "instagram/maya.chen_92"), "c-1");
    assert_eq!(owner_of(&after, "tiktok/samlee"), "");
    assert_eq!(owner_of(&after, "x/sammy_eats"), "c-2");
    assert_eq!(owner_of(&after, "instagram/ana.ruiz"), "");
    assert_eq!(
        kith.ok(&["match"]).trim(),
        "No links are waiting for review."
    );
}

#[test]
fn a_bad_decision_names_its_line_and_column_and_stores_nothing() {
    let kith = brand_with_people_and_profiles();
    let before = owners(&kith);
    let (header, mut rows) = write_review(&kith);
    rows[0][8] = "confirm".into();
    rows[1][8] = "yes".into();
    save_review(&kith, &header, &rows);

    let out = apply_review(&kith);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("review.csv:3: field \"decision\": \"yes\" is not a decision"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    assert_eq!(owners(&kith), before, "Maya's confirmation was not kept");
    assert_eq!(write_review(&kith).1.len(), 2, "both links still wait");
}

#[test]
fn a_decision_about_an_unknown_person_or_profile_is_refused() {
    let kith = brand_with_people_and_profiles();
    let (header, _) = write_review(&kith);
    let row = |person: &str, handle: &str| {
        vec![
            person.to_owned(),
            String::new(),
            "instagram".to_owned(),
            handle.to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "confirm".to_owned(),
        ]
    };
    save_review(&kith, &header, &[row("c-9", "ana.ruiz")]);
    let out = apply_review(&kith);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("review.csv:2: field \"person_id\": \"c-9\" is not a person kith knows"),
        "{stderr}"
    );
    save_review(&kith, &header, &[row("c-1", "ana.ruis")]);
    let out = apply_review(&kith);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("review.csv:2: field \"handle\": no instagram profile @ana.ruis"),
        "{stderr}"
    );
}

/// The status line for `label`, its words squeezed to single spaces.
fn status_line(kith: &Kith, label: &str) -> String {
    let table = kith.ok(&["status"]);
    let line = table
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} in\n{table}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_status_table_counts_matched_people_and_links_to_review_but_its_json_does_not() {
    let kith = brand_with_people_and_profiles();
    assert!(status_line(&kith, "matched customers").starts_with("matched customers 1 "));
    assert_eq!(
        status_line(&kith, "matched employees"),
        "matched employees 0"
    );
    assert!(status_line(&kith, "links to review").starts_with("links to review 2 "));

    let (header, mut rows) = write_review(&kith);
    rows[0][8] = "confirm".into();
    save_review(&kith, &header, &rows);
    kith.ok(&[
        "match",
        "--review",
        kith.path("review.csv").to_str().unwrap(),
    ]);
    assert!(status_line(&kith, "matched customers").starts_with("matched customers 2 "));
    assert!(status_line(&kith, "links to review").starts_with("links to review 1 "));

    assert_eq!(
        kith.status_keys(),
        STATUS_KEYS,
        "the JSON keys are a contract"
    );
}
