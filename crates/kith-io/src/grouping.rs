//! Grouping a stream by key in bounded memory: an external sort.
//!
//! Posts arrive in any order, but a profile is measured from all of its posts at once.
//! [`Grouper`] holds items in memory up to a budget; past it, it sorts what it holds by
//! (key, arrival) and spills that run to an anonymous temporary file. [`Grouper::finish`]
//! then merges the runs and yields each key's items together, keys ascending, items in
//! arrival order — the same groups whether or not anything was spilled.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// One held item: its group key, its arrival number and the item.
type Entry<T> = (u32, u64, T);

/// Collects items by key, spilling sorted runs to disk past `budget` bytes.
#[derive(Debug)]
pub struct Grouper<T> {
    budget: usize,
    held_bytes: usize,
    held: Vec<Entry<T>>,
    runs: Vec<File>,
    arrivals: u64,
}

impl<T: Serialize + DeserializeOwned> Grouper<T> {
    /// `budget` is compared with the sum of the sizes passed to [`Grouper::push`].
    pub fn new(budget: usize) -> Self {
        Grouper {
            budget,
            held_bytes: 0,
            held: Vec::new(),
            runs: Vec::new(),
            arrivals: 0,
        }
    }

    /// Adds an item; `size` is its approximate size in memory.
    pub fn push(&mut self, key: u32, item: T, size: usize) -> io::Result<()> {
        self.held.push((key, self.arrivals, item));
        self.arrivals += 1;
        self.held_bytes += size;
        if self.held_bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many sorted runs went to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        sort(&mut self.held);
        let mut file = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let mut json = Vec::new();
        for (key, arrival, item) in self.held.drain(..) {
            json.clear();
            serde_json::to_writer(&mut json, &item).map_err(io::Error::other)?;
            file.write_all(&key.to_le_bytes())?;
            file.write_all(&arrival.to_le_bytes())?;
            file.write_all(
                &u32::try_from(json.len())
                    .map_err(io::Error::other)?
                    .to_le_bytes(),
            )?;
            file.write_all(&json)?;
        }
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.held_bytes = 0;
        Ok(())
    }

    /// Every key's items, keys ascending.
    pub fn finish(mut self) -> io::Result<Groups<T>> {
        if self.runs.is_empty() {
            sort(&mut self.held);
            return Ok(Groups::Held(self.held.into_iter().peekable()));
        }
        if !self.held.is_empty() {
            self.spill()?;
        }
        let mut runs: Vec<Run<T>> = self
            .runs
            .into_iter()
            .map(|f| Run {
                input: BufReader::with_capacity(1 << 20, f),
                _item: std::marker::PhantomData,
            })
            .collect();
        let mut heads = Vec::with_capacity(runs.len());
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            let head = run.next()?;
            if let Some((key, arrival, _)) = &head {
                heap.push(Reverse((*key, *arrival, i)));
            }
            heads.push(head);
        }
        Ok(Groups::Merged(Merge { runs, heads, heap }))
    }
}

fn sort<T>(held: &mut [Entry<T>]) {
    held.sort_unstable_by_key(|(key, arrival, _)| (*key, *arrival));
}

/// One sorted run on disk, read back in order.
#[derive(Debug)]
struct Run<T> {
    input: BufReader<File>,
    _item: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Run<T> {
    fn next(&mut self) -> io::Result<Option<Entry<T>>> {
        let mut key = [0u8; 4];
        match self.input.read_exact(&mut key) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut arrival = [0u8; 8];
        self.input.read_exact(&mut arrival)?;
        let mut len = [0u8; 4];
        self.input.read_exact(&mut len)?;
        let mut json = vec![0u8; u32::from_le_bytes(len) as usize];
        self.input.read_exact(&mut json)?;
        let item = serde_json::from_slice(&json).map_err(io::Error::other)?;
        Ok(Some((
            u32::from_le_bytes(key),
            u64::from_le_bytes(arrival),
            item,
        )))
    }
}

/// The k-way merge of the spilled runs.
#[derive(Debug)]
pub struct Merge<T> {
    runs: Vec<Run<T>>,
    heads: Vec<Option<Entry<T>>>,
    heap: BinaryHeap<Reverse<(u32, u64, usize)>>,
}

impl<T: DeserializeOwned> Merge<T> {
    fn pop(&mut self) -> io::Result<Option<Entry<T>>> {
        let Some(Reverse((_, _, i))) = self.heap.pop() else {
            return Ok(None);
        };
        let entry = self.heads[i].take();
        let next = self.runs[i].next()?;
        if let Some((key, arrival, _)) = &next {
            self.heap.push(Reverse((*key, *arrival, i)));
        }
        self.heads[i] = next;
        Ok(entry)
    }

    fn peek_key(&self) -> Option<u32> {
        self.heap.peek().map(|Reverse((key, _, _))| *key)
    }
}

/// Groups in key order, from memory or merged from disk.
#[derive(Debug)]
pub enum Groups<T> {
    Held(std::iter::Peekable<std::vec::IntoIter<Entry<T>>>),
    Merged(Merge<T>),
}

impl<T: DeserializeOwned> Iterator for Groups<T> {
    type Item = io::Result<(u32, Vec<T>)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Groups::Held(items) => {
                let (key, _, first) = items.next()?;
                let mut group = vec![first];
                while let Some((_, _, item)) = items.next_if(|(k, _, _)| *k == key) {
                    group.push(item);
                }
                Some(Ok((key, group)))
            }
            Groups::Merged(merge) => {
                let (key, _, first) = match merge.pop() {
                    Ok(Some(entry)) => entry,
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                };
                let mut group = vec![first];
                while merge.peek_key() == Some(key) {
                    match merge.pop() {
                        Ok(Some((_, _, item))) => group.push(item),
                        Ok(None) => break,
                        Err(e) => return Some(Err(e)),
                    }
                }
                Some(Ok((key, group)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(budget: usize, items: &[(u32, &str)]) -> (usize, Vec<(u32, Vec<String>)>) {
        let mut grouper = Grouper::new(budget);
        for (key, item) in items {
            grouper.push(*key, (*item).to_owned(), item.len()).unwrap();
        }
        let runs = grouper.spilled_runs();
        let out = grouper.finish().unwrap().collect::<io::Result<Vec<_>>>();
        (runs, out.unwrap())
    }

    const ITEMS: &[(u32, &str)] = &[
        (3, "c1"),
        (1, "a1"),
        (3, "c2"),
        (2, "b1"),
        (1, "a2"),
        (3, "c3"),
        (1, "a3"),
    ];

    #[test]
    fn groups_come_out_by_key_with_items_in_arrival_order() {
        let (runs, out) = groups(usize::MAX, ITEMS);
        assert_eq!(runs, 0);
        assert_eq!(
            out,
            vec![
                (1, vec!["a1".into(), "a2".into(), "a3".into()]),
                (2, vec!["b1".into()]),
                (3, vec!["c1".into(), "c2".into(), "c3".into()]),
            ]
        );
    }

    #[test]
    fn spilling_to_disk_gives_the_same_groups() {
        let (_, in_memory) = groups(usize::MAX, ITEMS);
        for budget in [0, 2, 5] {
            let (runs, spilled) = groups(budget, ITEMS);
            assert!(runs > 0, "budget {budget} should spill");
            assert_eq!(spilled, in_memory, "budget {budget}");
        }
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        assert!(groups(0, &[]).1.is_empty());
    }
}
