//! How fast a large social file reads. Ignored by default; run with
//! `cargo test -p kith-io --release --test social -- --ignored --nocapture`.

use std::time::Instant;

use kith_io::social::SocialFormat;

#[test]
#[ignore = "a measurement, not a check"]
fn reading_speed_of_a_large_instagram_ndjson_file() {
    let one = std::fs::read_to_string(crate::support::fixture("instagram-two.ndjson")).unwrap();
    let copies = 20_000;
    let text = one.repeat(copies);
    let started = Instant::now();
    let mut records = 0usize;
    for r in SocialFormat::InstagramGraph.reader(text.as_bytes(), "big.ndjson", Default::default())
    {
        r.unwrap();
        records += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(records, copies * 22);
    println!(
        "{records} records from {:.1} MB in {secs:.2} s: {:.0} records/s, {:.1} MB/s",
        text.len() as f64 / 1e6,
        records as f64 / secs,
        text.len() as f64 / 1e6 / secs
    );
}
