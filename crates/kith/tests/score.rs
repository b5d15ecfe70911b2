use std::collections::BTreeSet;

use crate::support::{CONTRACT_HEADER, Kith, read_csv};

#[test]
fn score_needs_no_store_and_emits_the_contract_columns() {
    let kith = Kith::new();
    let dir = kith.demo(1_000);
    let out = kith.path("scored.csv");
    let mut people = std::fs::read_to_string(dir.join("customers.ndjson")).unwrap();
    people.push_str(&std::fs::read_to_string(dir.join("employees.ndjson")).unwrap());
    std::fs::write(kith.path("people.ndjson"), people).unwrap();
    let fresh = Kith::new();
    fresh.ok(&[
        "score",
        "--brand",
        dir.join("brand.toml").to_str().unwrap(),
        "--profiles",
        dir.join("profiles.ndjson").to_str().unwrap(),
        "--posts",
        dir.join("posts.ndjson").to_str().unwrap(),
        "--people",
        kith.path("people.ndjson").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        !fresh.path("data").exists(),
        "score must not create a store"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().next().unwrap(), CONTRACT_HEADER);
    // The same rows (person, platform, handle) as the store's candidates.
    let key = |r: &Vec<String>| (r[1].clone(), r[4].clone(), r[5].clone());
    let (_, scored) = read_csv(&out);
    let (_, stored) = read_csv(&dir.join("candidates.csv"));
    let a: BTreeSet<_> = scored.iter().map(key).collect();
    let b: BTreeSet<_> = stored.iter().map(key).collect();
    assert_eq!(a, b);
}

#[test]
fn score_writes_json_when_the_output_ends_in_json() {
    let kith = Kith::new();
    let dir = kith.demo(800);
    let out = kith.path("scored.json");
    kith.ok(&[
        "score",
        "--brand",
        dir.join("brand.toml").to_str().unwrap(),
        "--profiles",
        dir.join("profiles.ndjson").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["person_id"].is_null()),
        "no people given, so none matched"
    );
}

/// Scores the demo files with the given posts file and extra arguments; the CSV text.
fn score_with(
    kith: &Kith,
    dir: &std::path::Path,
    posts: &std::path::Path,
    extra: &[&str],
) -> (String, String) {
    let out = kith.path("scored.csv");
    let (brand, profiles) = (dir.join("brand.toml"), dir.join("profiles.ndjson"));
    let mut args = vec![
        "score",
        "--brand",
        brand.to_str().unwrap(),
        "--profiles",
        profiles.to_str().unwrap(),
        "--posts",
        posts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = kith.run(&args);
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    (std::fs::read_to_string(out).unwrap(), stderr)
}

#[test]
fn posts_in_any_order_spilled_to_disk_or_not_score_the_same() {
    let kith = Kith::new();
    let dir = kith.demo(1_000);
    // Four copies of every post under new ids, so the file outgrows a 1 MiB budget.
    let text = std::fs::read_to_string(dir.join("posts.ndjson")).unwrap();
    let mut lines = Vec::new();
    for copy in ["a", "b", "c", "d"] {
        for line in text.lines() {
            lines.push(line.replacen("\"post_id\":\"", &format!("\"post_id\":\"{copy}"), 1));
        }
    }
    let posts = kith.path("posts.ndjson");
    std::fs::write(&posts, lines.join("\n")).unwrap();
    let (held, _) = score_with(&kith, &dir, &posts, &[]);

    // Reversed, so each profile's posts arrive scattered and last-first; a 1 MiB budget
    // forces several sorted runs through temporary files.
    lines.reverse();
    let shuffled = kith.path("reversed.ndjson");
    std::fs::write(&shuffled, lines.join("\n")).unwrap();
    let (spilled, notice) = score_with(&kith, &dir, &shuffled, &["--memory-mb", "1"]);
    assert!(notice.contains("runs on disk"), "{notice}");
    assert_eq!(held, spilled);
}

#[test]
fn a_repeated_post_counts_once_with_its_last_line() {
    let kith = Kith::new();
    let dir = kith.demo(800);
    let posts = dir.join("posts.ndjson");
    let (before, _) = score_with(&kith, &dir, &posts, &[]);

    // Every post again, then every post a third time: the last lines are the originals.
    let text = std::fs::read_to_string(&posts).unwrap();
    let inflated: String = text
        .lines()
        .map(|l| l.replacen("\"likes\":", "\"likes\":9", 1) + "\n")
        .collect();
    let tripled = kith.path("tripled.ndjson");
    std::fs::write(&tripled, format!("{text}{inflated}{text}")).unwrap();
    let (after, _) = score_with(&kith, &dir, &tripled, &["--memory-mb", "1"]);
    assert_eq!(after, before);
}

#[test]
fn a_repeated_profile_counts_once_with_its_last_line() {
    let kith = Kith::new();
    let dir = kith.demo(800);
    let posts = dir.join("posts.ndjson");
    let (before, _) = score_with(&kith, &dir, &posts, &[]);

    // Every profile inflated first and reversed, then the originals: the last lines win,
    // wherever the earlier ones were.
    let profiles = dir.join("profiles.ndjson");
    let text = std::fs::read_to_string(&profiles).unwrap();
    let inflated: String = text
        .lines()
        .rev()
        .map(|l| l.replacen("\"followers\":", "\"followers\":9", 1) + "\n")
        .collect();
    std::fs::write(&profiles, format!("{inflated}{text}")).unwrap();
    let (after, _) = score_with(&kith, &dir, &posts, &[]);
    assert_eq!(after, before);

    // And the other way round: the inflated lines last change the scores.
    std::fs::write(&profiles, format!("{text}{inflated}")).unwrap();
    let (inflated_last, _) = score_with(&kith, &dir, &posts, &[]);
    assert_ne!(inflated_last, before);
}

#[test]
fn a_bad_post_line_names_the_file_and_line_and_writes_nothing() {
    let kith = Kith::new();
    let dir = kith.demo(800);
    let text = std::fs::read_to_string(dir.join("posts.ndjson")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[6] = r#"{"platform":"instagram","handle":"a","post_id":"x","likes":"lots"}"#;
    let broken = kith.path("broken.ndjson");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let out = kith.path("scored.csv");
    let result = kith.run(&[
        "score",
        "--brand",
        dir.join("brand.toml").to_str().unwrap(),
        "--profiles",
        dir.join("profiles.ndjson").to_str().unwrap(),
        "--posts",
        broken.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("broken.ndjson:7: field \"likes\""),
        "{stderr}"
    );
    assert!(!out.exists(), "no partial output");
}
