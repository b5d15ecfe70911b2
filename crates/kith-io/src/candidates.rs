//! Candidate rows out, in the contract's columns and order: CSV (lists `;`-separated),
//! a JSON array, or NDJSON.

use std::io::Write;

use kith_core::{CANDIDATE_COLUMNS, Candidate};
use serde_json::{Map, Value, json};

/// Output format for candidate lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateFormat {
    Csv,
    Json,
    Ndjson,
}

impl CandidateFormat {
    /// From a file name's extension; CSV unless it ends in `.json` or `.ndjson`.
    pub fn from_path(path: &std::path::Path) -> CandidateFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => CandidateFormat::Json,
            Some("ndjson" | "jsonl") => CandidateFormat::Ndjson,
            _ => CandidateFormat::Csv,
        }
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The CSV cells of one candidate, in column order.
pub fn csv_cells(c: &Candidate) -> [String; 18] {
    [
        c.rank.to_string(),
        c.person_id.clone().unwrap_or_default(),
        opt(c.source.map(|s| s.as_str())),
        c.name.clone(),
        c.platform.to_string(),
        c.handle.to_string(),
        opt(c.followers),
        opt(c.tier),
        opt(c.engagement_rate),
        opt(c.er_index),
        opt(c.authenticity),
        c.authenticity_flags.join(";"),
        c.categories.join(";"),
        c.brand_mentions.to_string(),
        opt(c.brand_sentiment),
        opt(c.customer_value),
        c.fit_score.to_string(),
        c.explanation.clone(),
    ]
}

/// Writes the record [`csv_cells`] makes, each cell formatted into one reused buffer
/// instead of a string of its own (18 allocations a row, 50,000 rows a run).
fn write_row(w: &mut csv::Writer<Vec<u8>>, c: &Candidate, cell: &mut String) -> csv::Result<()> {
    fn shown(
        w: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        value: Option<&dyn std::fmt::Display>,
    ) -> csv::Result<()> {
        use std::fmt::Write as _;
        cell.clear();
        if let Some(v) = value {
            // Writing to a String cannot fail.
            let _ = write!(cell, "{v}");
        }
        w.write_field(cell.as_bytes())
    }
    fn joined(
        w: &mut csv::Writer<Vec<u8>>,
        cell: &mut String,
        parts: &[String],
    ) -> csv::Result<()> {
        cell.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                cell.push(';');
            }
            cell.push_str(part);
        }
        w.write_field(cell.as_bytes())
    }
    shown(w, cell, Some(&c.rank))?;
    w.write_field(c.person_id.as_deref().unwrap_or_default())?;
    w.write_field(c.source.map(|s| s.as_str()).unwrap_or_default())?;
    w.write_field(&c.name)?;
    shown(w, cell, Some(&c.platform))?;
    shown(w, cell, Some(&c.handle))?;
    shown(w, cell, c.followers.as_ref().map(|v| v as _))?;
    shown(w, cell, c.tier.as_ref().map(|v| v as _))?;
    shown(w, cell, c.engagement_rate.as_ref().map(|v| v as _))?;
    shown(w, cell, c.er_index.as_ref().map(|v| v as _))?;
    shown(w, cell, c.authenticity.as_ref().map(|v| v as _))?;
    joined(w, cell, &c.authenticity_flags)?;
    joined(w, cell, &c.categories)?;
    shown(w, cell, Some(&c.brand_mentions))?;
    shown(w, cell, c.brand_sentiment.as_ref().map(|v| v as _))?;
    shown(w, cell, c.customer_value.as_ref().map(|v| v as _))?;
    shown(w, cell, Some(&c.fit_score))?;
    w.write_field(&c.explanation)?;
    w.write_record(None::<&[u8]>)
}

/// One candidate as a JSON object with the contract's keys in order; lists are arrays and
/// missing metrics are `null`.
pub fn json_object(c: &Candidate) -> Value {
    let values = [
        json!(c.rank),
        json!(c.person_id),
        json!(c.source.map(|s| s.as_str())),
        json!(c.name),
        json!(c.platform),
        json!(c.handle),
        json!(c.followers),
        json!(c.tier),
        json!(c.engagement_rate),
        json!(c.er_index),
        json!(c.authenticity),
        json!(c.authenticity_flags),
        json!(c.categories),
        json!(c.brand_mentions),
        json!(c.brand_sentiment),
        json!(c.customer_value),
        json!(c.fit_score),
        json!(c.explanation),
    ];
    let map: Map<String, Value> = CANDIDATE_COLUMNS
        .iter()
        .map(|k| (*k).to_owned())
        .zip(values)
        .collect();
    Value::Object(map)
}

pub fn write_candidates(
    out: impl Write,
    candidates: &[Candidate],
    format: CandidateFormat,
) -> std::io::Result<()> {
    match format {
        CandidateFormat::Csv => write_csv(out, candidates),
        CandidateFormat::Json => {
            let mut out = out;
            let all: Vec<Value> = candidates.iter().map(json_object).collect();
            serde_json::to_writer_pretty(&mut out, &all)?;
            writeln!(out)
        }
        CandidateFormat::Ndjson => {
            let mut out = out;
            for c in candidates {
                serde_json::to_writer(&mut out, &json_object(c))?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

fn write_csv(mut out: impl Write, candidates: &[Candidate]) -> std::io::Result<()> {
    use rayon::prelude::*;
    // Rows are formatted on all cores, a block at a time, and written in order: each
    // record is quoted on its own, so the blocks join into the file a single writer
    // would make.
    let csv = |rows: &[Candidate]| -> std::io::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut cell = String::new();
        for row in rows {
            write_row(&mut w, row, &mut cell)?;
        }
        w.into_inner().map_err(|e| e.into_error())
    };
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(CANDIDATE_COLUMNS)?;
    out.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
    let blocks: Vec<std::io::Result<Vec<u8>>> = candidates.par_chunks(4096).map(csv).collect();
    for block in blocks {
        out.write_all(&block?)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::{Handle, Platform, Tier};

    fn candidate() -> Candidate {
        Candidate {
            rank: 1,
            person_id: None,
            source: None,
            name: "Maya, Eats".into(),
            platform: Platform::Instagram,
            handle: Handle::parse("maya.eats").unwrap(),
            followers: Some(24_000),
            tier: Some(Tier::Micro),
            engagement_rate: Some(0.034),
            er_index: Some(1.43),
            authenticity: Some(91.0),
            authenticity_flags: vec!["dormant".into(), "follow_ratio".into()],
            categories: vec!["food & drink".into()],
            brand_mentions: 0,
            brand_sentiment: None,
            customer_value: None,
            fit_score: 72.5,
            explanation: "micro 24k".into(),
        }
    }

    #[test]
    fn csv_has_the_contract_header_and_empty_cells_for_missing_metrics() {
        let mut out = Vec::new();
        write_candidates(&mut out, &[candidate()], CandidateFormat::Csv).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), CANDIDATE_COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "1,,,\"Maya, Eats\",instagram,maya.eats,24000,micro,0.034,1.43,91,dormant;follow_ratio,food & drink,0,,,72.5,micro 24k"
        );
    }

    #[test]
    fn many_rows_written_in_blocks_read_back_in_order_as_one_writer_writes_them() {
        let many: Vec<Candidate> = (0..10_000)
            .map(|i| {
                let every_other = i % 2 == 0;
                Candidate {
                    rank: i + 1,
                    name: format!("Maya \"{i}\", Eats"),
                    person_id: every_other.then(|| format!("c{i}")),
                    source: every_other.then_some(kith_core::PersonSource::Employee),
                    followers: every_other.then_some(u64::from(i)),
                    tier: (!every_other).then_some(Tier::Nano),
                    engagement_rate: every_other.then_some(f64::from(i) / 7.0),
                    authenticity_flags: if every_other {
                        Vec::new()
                    } else {
                        candidate().authenticity_flags
                    },
                    brand_sentiment: (!every_other).then_some(-12.25),
                    customer_value: every_other.then_some(0.1 + f64::from(i)),
                    fit_score: f64::from(i) / 3.0,
                    explanation: format!("line one\nline \"{i}\""),
                    ..candidate()
                }
            })
            .collect();
        let mut blocks = Vec::new();
        write_candidates(&mut blocks, &many, CandidateFormat::Csv).unwrap();
        let mut one = csv::Writer::from_writer(Vec::new());
        one.write_record(CANDIDATE_COLUMNS).unwrap();
        for c in &many {
            one.write_record(csv_cells(c)).unwrap();
        }
        assert_eq!(blocks, one.into_inner().unwrap());
    }

    #[test]
    fn json_keys_follow_the_contract_order() {
        let v = json_object(&candidate());
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, CANDIDATE_COLUMNS);
    }
}
