//! Learning the profile model: logistic regression with weights held at zero or above,
//! and the stratified folds that keep every reported figure out of sample.
//!
//! The weights are constrained, not merely regularised, to be non-negative: each feature
//! measures evidence of fraud, so a negative weight would let fraud raise a score. The
//! fit is projected coordinate descent with Newton steps and a halving line search —
//! deterministic, with no dependency and no randomness beyond the fold seed.
//!
//! Each (data set, label) cell gets the same total weight, so neither the larger set nor
//! the larger class dominates, and the intercept reads as the log-odds of a genuine
//! account with no evidence when fakes and genuine accounts are equally common.

use std::collections::BTreeMap;

use kith_core::authenticity::{FEATURES, Model, profile_features};

use super::data::{DataSet, Labelled};

/// L2 penalty on the feature weights (not the intercept), against the mean loss. Mild:
/// it settles weights of rare features (a display name equal to the handle appears in
/// a few dozen rows) without pulling the common ones.
pub const RIDGE: f64 = 1e-3;
/// Folds of the cross-validation.
pub const FOLDS: usize = 10;
/// The seed of the fold assignment, so that every run reports the same figures.
pub const SEED: u64 = 20_261_101;

/// One training row: its features, label and weight.
#[derive(Debug, Clone, Copy)]
struct Row {
    x: [f64; FEATURES],
    fake: bool,
    weight: f64,
}

/// Fits the model to labelled profiles, each (set, label) cell weighted equally.
pub fn fit(examples: &[&Labelled]) -> Model {
    let mut cells: BTreeMap<(DataSet, bool), usize> = BTreeMap::new();
    for e in examples {
        *cells.entry((e.set, e.fake)).or_default() += 1;
    }
    let share = 1.0 / cells.len().max(1) as f64;
    let rows: Vec<Row> = examples
        .iter()
        .map(|e| Row {
            x: profile_features(&e.profile),
            fake: e.fake,
            weight: share / cells.get(&(e.set, e.fake)).copied().unwrap_or(1) as f64,
        })
        .collect();
    let (intercept, weights) = coordinate_descent(&rows);
    Model { intercept, weights }
}

fn softplus(m: f64) -> f64 {
    if m > 0.0 {
        m + (-m).exp().ln_1p()
    } else {
        m.exp().ln_1p()
    }
}

fn sigmoid(m: f64) -> f64 {
    if m >= 0.0 {
        1.0 / (1.0 + (-m).exp())
    } else {
        let e = m.exp();
        e / (1.0 + e)
    }
}

/// The weighted log-loss of margins `m` (log-odds of fake).
fn data_loss(rows: &[Row], margins: &[f64]) -> f64 {
    rows.iter()
        .zip(margins)
        .map(|(r, m)| r.weight * (softplus(*m) - if r.fake { *m } else { 0.0 }))
        .sum()
}

/// Coordinate `j < FEATURES` is a feature weight (margin rises with it); `j == FEATURES`
/// is the intercept (the log-odds of genuine, so the margin falls with it).
fn direction(row: &Row, j: usize) -> f64 {
    if j < FEATURES { row.x[j] } else { -1.0 }
}

fn coordinate_descent(rows: &[Row]) -> (f64, [f64; FEATURES]) {
    // The feature weights, then the intercept.
    let mut params = [0.0; FEATURES + 1];
    let mut margins = vec![0.0; rows.len()];
    for _sweep in 0..2_000 {
        let mut largest_step: f64 = 0.0;
        for (j, param) in params.iter_mut().enumerate() {
            let is_weight = j < FEATURES;
            let (mut g, mut h) = (0.0, 0.0);
            for (r, m) in rows.iter().zip(&margins) {
                let a = direction(r, j);
                if a == 0.0 {
                    continue;
                }
                let p = sigmoid(*m);
                g += r.weight * (p - if r.fake { 1.0 } else { 0.0 }) * a;
                h += r.weight * p * (1.0 - p) * a * a;
            }
            let current = *param;
            let ridge = if is_weight { RIDGE } else { 0.0 };
            g += ridge * current;
            h += ridge;
            if h <= 1e-15 {
                continue;
            }
            let mut target = current - g / h;
            if is_weight {
                target = target.max(0.0);
            }
            let penalty = |w: f64| 0.5 * ridge * w * w;
            let before = data_loss(rows, &margins) + penalty(current);
            let mut step = target - current;
            // Halve a Newton step that overshoots; the loss is convex, so this ends.
            let mut accepted = 0.0;
            for _ in 0..40 {
                let trial: Vec<f64> = rows
                    .iter()
                    .zip(&margins)
                    .map(|(r, m)| m + step * direction(r, j))
                    .collect();
                if data_loss(rows, &trial) + penalty(current + step) <= before + 1e-15 {
                    margins = trial;
                    accepted = step;
                    break;
                }
                step /= 2.0;
            }
            *param = current + accepted;
            largest_step = largest_step.max(accepted.abs());
        }
        if largest_step < 1e-10 {
            break;
        }
    }
    let mut weights = [0.0; FEATURES];
    weights.copy_from_slice(&params[..FEATURES]);
    (params[FEATURES], weights)
}

/// SplitMix64: a small, well-mixed generator, enough for shuffling folds reproducibly.
pub(crate) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The fold of every example: within each (set, label) cell the examples are shuffled
/// with `seed` and dealt round-robin, so every fold keeps each cell's proportions.
pub fn stratified_folds(examples: &[Labelled], folds: usize, seed: u64) -> Vec<usize> {
    let mut cells: BTreeMap<(DataSet, bool), Vec<usize>> = BTreeMap::new();
    for (i, e) in examples.iter().enumerate() {
        cells.entry((e.set, e.fake)).or_default().push(i);
    }
    let mut fold_of = vec![0; examples.len()];
    let mut state = seed;
    let mut next = 0;
    for members in cells.values_mut() {
        // Fisher–Yates.
        for i in (1..members.len()).rev() {
            let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
            members.swap(i, j);
        }
        for &i in members.iter() {
            fold_of[i] = next % folds.max(1);
            next += 1;
        }
    }
    fold_of
}

/// Each example's score from a model that never saw it: for every fold, the model is
/// fitted on the other folds and judges this one, through the product's own code path.
pub fn out_of_fold_scores(examples: &[Labelled], folds: usize, seed: u64) -> Vec<f64> {
    let fold_of = stratified_folds(examples, folds, seed);
    let mut scores = vec![f64::NAN; examples.len()];
    for k in 0..folds {
        let train: Vec<&Labelled> = examples
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != k)
            .map(|(e, _)| e)
            .collect();
        let model = fit(&train);
        for (i, e) in examples.iter().enumerate() {
            if fold_of[i] == k {
                scores[i] = judge_profile(&model, e);
            }
        }
    }
    scores
}

/// The authenticity score of a labelled profile, from its profile fields (the data sets
/// have no posts).
pub fn judge_profile(model: &Model, e: &Labelled) -> f64 {
    model
        .judge::<kith_core::Post>(&e.profile, &[], &Default::default(), None)
        .score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticity::data::{DataSet, synthetic_handle};
    use kith_core::{Platform, Profile};

    fn labelled(posts: u64, pic: bool, fake: bool, set: DataSet) -> Labelled {
        Labelled {
            profile: Profile {
                platform: Platform::Instagram,
                handle: synthetic_handle(10, 0).unwrap(),
                user_id: None,
                display_name: None,
                bio: Some("bio".into()),
                followers: Some(300),
                following: Some(300),
                posts_count: Some(posts),
                is_verified: None,
                is_private: None,
                has_profile_pic: Some(pic),
                external_url: None,
                fetched_at: None,
                follower_history: Vec::new(),
            },
            fake,
            set,
        }
    }

    #[test]
    fn the_fit_finds_the_signal_that_separates_and_never_a_negative_weight() {
        // Fakes never post; a picture is equally common in both classes.
        let mut data = Vec::new();
        for i in 0..40 {
            data.push(labelled(0, i % 2 == 0, true, DataSet::InstaFake));
            data.push(labelled(200, i % 2 == 0, false, DataSet::InstaFake));
        }
        let refs: Vec<&Labelled> = data.iter().collect();
        let model = fit(&refs);
        assert!(model.weights[5] + model.weights[6] > 3.0, "{model:?}");
        assert!(model.weights[8] < 0.05, "{model:?}");
        assert!(model.weights.iter().all(|w| *w >= 0.0));
    }

    #[test]
    fn a_feature_that_points_the_wrong_way_gets_weight_zero() {
        // Here the genuine accounts are the ones without posts: the fit may not reward
        // posting nothing, so the weight stays at its bound.
        let mut data = Vec::new();
        for _ in 0..40 {
            data.push(labelled(200, true, true, DataSet::Spammer));
            data.push(labelled(0, true, false, DataSet::Spammer));
        }
        let refs: Vec<&Labelled> = data.iter().collect();
        let model = fit(&refs);
        assert_eq!(model.weights[5], 0.0);
        assert_eq!(model.weights[6], 0.0);
    }

    #[test]
    fn folds_are_stratified_and_reproducible() {
        let data: Vec<Labelled> = (0..100)
            .map(|i| labelled(i, true, i % 4 == 0, DataSet::InstaFake))
            .collect();
        let a = stratified_folds(&data, 5, 7);
        assert_eq!(a, stratified_folds(&data, 5, 7));
        assert_ne!(a, stratified_folds(&data, 5, 8));
        for k in 0..5 {
            let fakes = (0..100).filter(|i| a[*i] == k && data[*i].fake).count();
            assert_eq!(fakes, 5, "fold {k}");
        }
    }
}
