//! The learned coefficients of the profile model. Generated: do not edit by hand.
//!
//! - Command: `cargo run -p kith-eval --release --example train_authenticity -- --data-dir ../shared/data`
//!   (from the repository root), on 2026-11-26.
//! - Data: InstaFake fake-v1.0 (Akyon & Kalfaoglu 2019, CC BY-NC 4.0; 200 fake,
//!   994 real) and the Instagram fake/spammer set (Kaggle, licence unverified;
//!   288 fake, 288 genuine), read from `shared/data`, never copied here.
//! - Fit: logistic regression on both sets, weights held at 0 or above, each (set,
//!   label) cell weighted equally, ridge 0.001 on the weights (kith-eval `fit.rs`).
//! - Out-of-sample figures (10-fold stratified CV, seed 20261101, refitted per
//!   fold; accuracy and false-positive rate at "suspicious below 50"):
//!   - InstaFake fake-v1.0: AUC 0.988, accuracy 0.941, false-positive rate 0.064
//!     trained on the other set only: AUC 0.984, accuracy 0.930, false-positive rate 0.075
//!   - Instagram fake/spammer set: AUC 0.981, accuracy 0.938, false-positive rate 0.021
//!     trained on the other set only: AUC 0.975, accuracy 0.889, false-positive rate 0.007

use super::profile::FEATURES;

/// Log-odds of a genuine account with no evidence against it.
pub const INTERCEPT: f64 = 4.53697642205127;

/// One weight per feature, in the order of `profile::FEATURE_NAMES`.
pub const WEIGHTS: [f64; FEATURES] = [
    // followers below 100 (ramp over 100 → 10)
    2.361371762084406,
    // followers below 10 (ramp over 10 → 1)
    1.1237453891605897,
    // following ÷ followers above 1 (ramp over 1× → 10×)
    3.1393163028514075,
    // following ÷ followers above 10 (ramp over 10× → 100×)
    0.9370877811475407,
    // following above 1,500 (ramp over 1,500 → 7,500, Instagram's cap)
    0.9827354773273593,
    // posts below 10 (ramp over 9 → 0)
    1.3538290143107878,
    // posts below 100 (ramp over 99 → 9)
    1.4749553733256868,
    // bio empty
    0.6752474194678235,
    // profile picture missing
    2.333569897425399,
    // handle digit share (ramp over 0 → 50 %)
    1.9730911989897764,
    // handle digits beyond two (ramp over 2 → 6)
    1.394790349281653,
    // display name equals the handle
    0.8814083023494601,
    // display name digit share (ramp over 0 → 25 %)
    0.7839538753507215,
];
