//! Reads one file through `kith_io::formats` and throws the records away, timing it:
//! how fast parsing alone is, without the store. Usage: kith-reader-bench KIND FILE

use std::path::Path;
use std::time::Instant;

use kith_io::formats::{RecordKind, open_path};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let kind = args
        .next()
        .and_then(|k| RecordKind::parse(&k))
        .ok_or("usage: KIND FILE")?;
    let file = args.next().ok_or("usage: KIND FILE")?;
    let start = Instant::now();
    let opened = open_path(Path::new(&file), kind, None, None)?;
    let (mut ok, mut bad) = (0u64, 0u64);
    for result in opened.records {
        match result {
            Ok(_) => ok += 1,
            Err(_) => bad += 1,
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{ok} records, {bad} errors in {seconds:.2} s ({:.0} records/s)",
        ok as f64 / seconds
    );
    Ok(())
}
