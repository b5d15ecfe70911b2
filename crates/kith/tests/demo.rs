use crate::support::{CONTRACT_HEADER, Kith, read_csv};

#[test]
fn demo_prints_top_candidates_and_writes_contract_csv_with_many_micro_rows() {
    let kith = Kith::new();
    let out_dir = kith.path("demo");
    let stdout = kith.ok(&["demo", "--no-serve", "--out", out_dir.to_str().unwrap()]);
    assert!(stdout.contains("Top candidates"), "{stdout}");
    let portal = stdout
        .lines()
        .find(|l| l.starts_with("Member portal, as "))
        .unwrap_or_else(|| panic!("no portal link: {stdout}"));
    let token = portal
        .split("/portal/link/")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap();
    assert!(
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{portal}"
    );
    let csv_text = std::fs::read_to_string(out_dir.join("candidates.csv")).unwrap();
    assert_eq!(csv_text.lines().next().unwrap(), CONTRACT_HEADER);
    let (_, rows) = read_csv(&out_dir.join("candidates.csv"));
    let micro = rows.iter().filter(|r| r[7] == "micro").count();
    assert!(micro >= 50, "only {micro} micro rows");
    // Ranks run 1..=n in order, and fit never rises down the list.
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
    }
    let fits: Vec<f64> = rows.iter().map(|r| r[16].parse().unwrap()).collect();
    assert!(fits.windows(2).all(|w| w[0] >= w[1]));
    let status = kith.status();
    assert_eq!(status["customers"], 20_000);
    assert_eq!(status["candidates"].as_u64().unwrap(), rows.len() as u64);

    // The simulated traffic went through the real redirect: every click it sent is
    // stored, and returning visitors' clicks count as clicks but not as unique clicks.
    let sent = |what: &str| -> u64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Programs: "))
            .unwrap();
        let at = line.find(what).unwrap_or_else(|| panic!("{what}: {line}"));
        let digits: String = line[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    };
    let (clicks, returning) = (sent(" clicks ("), sent(" of them by returning"));
    assert!(returning > 0 && returning < clicks, "{clicks} {returning}");
    let roi: serde_json::Value =
        serde_json::from_str(&kith.ok(&["report", "roi", "--format", "json"])).unwrap();
    let total = |key: &str| -> u64 {
        roi.as_array()
            .unwrap()
            .iter()
            .map(|r| r[key].as_u64().unwrap())
            .sum()
    };
    assert_eq!(total("clicks"), clicks);
    assert_eq!(total("unique_clicks"), clicks - returning);
}

#[test]
fn the_same_seed_gives_the_same_candidates() {
    let a = Kith::new();
    let b = Kith::new();
    let ca = std::fs::read(a.demo(1_500).join("candidates.csv")).unwrap();
    let cb = std::fs::read(b.demo(1_500).join("candidates.csv")).unwrap();
    assert!(ca == cb, "two runs with the default seed differ");
}

#[test]
fn unmatched_profiles_appear_with_an_empty_person_id() {
    let kith = Kith::new();
    let dir = kith.demo(1_500);
    let (_, rows) = read_csv(&dir.join("candidates.csv"));
    assert!(rows.iter().any(|r| r[1].is_empty() && r[2].is_empty()));
    assert!(rows.iter().any(|r| r[2] == "customer"));
    assert!(rows.iter().any(|r| r[2] == "employee"));
}
