//! Complaint cues: how customers of any brand say something went wrong without classic
//! opinion words — waiting, delays, cancellations, being on hold, lost or missing orders,
//! refunds, a promised outcome that never came.
//!
//! They are domain-general on purpose (shipping, support lines and refunds look alike
//! for a coffee roaster, a telecom or an airline); nothing here names a product
//! category. Values sit on VADER's scale next to "delay" (−1.3) and "lost" (−1.3).

/// A complaint word or phrase (words separated by one space).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    pub phrase: &'static str,
    pub valence: f64,
}

const fn c(phrase: &'static str, valence: f64) -> Cue {
    Cue { phrase, valence }
}

pub(crate) const COMPLAINTS: &[Cue] = &[
    // Waiting and time lost.
    c("waiting", -0.8),
    c("waited", -0.8),
    c("still waiting", -1.6),
    c("on hold", -1.5),
    c("hung up", -1.5),
    c("hangs up", -1.5),
    c("hours", -0.6),
    c("hrs", -0.6),
    c("hour", -0.6),
    c("hr", -0.6),
    c("wait", -0.6),
    c("late", -1.2),
    c("delayed", -1.5),
    c("delays", -1.3),
    c("slow", -1.3),
    c("slower", -1.0),
    c("too long", -1.2),
    c("took forever", -1.5),
    c("takes forever", -1.5),
    c("taking forever", -1.5),
    c("disconnected", -1.2),
    // Things that did not happen or went missing.
    c("cancelled", -1.5),
    c("canceled", -1.5),
    c("cancellation", -1.0),
    c("stranded", -1.8),
    c("still no", -1.4),
    c("still not", -1.0),
    c("still nothing", -1.4),
    c("where is my", -1.2),
    c("where's my", -1.2),
    c("misplaced", -1.3),
    c("unable", -0.8),
    // Sending it back.
    c("had to return", -1.2),
    c("sent it back", -1.2),
    c("send it back", -1.2),
    // Money back.
    c("refund", -0.8),
    c("reimburse", -0.8),
    c("reimbursement", -0.8),
    c("compensation", -0.8),
    // Asking for better is saying it was bad.
    c("expected better", -1.5),
    c("deserve better", -1.5),
    c("do better", -1.2),
    c("could be better", -1.0),
    c("should be better", -1.0),
    c("need better", -1.0),
    // Sarcasm and dismissal.
    c("thanks for nothing", -2.0),
    c("what a joke", -2.0),
    c("such a joke", -2.0),
    c("is a joke", -1.8),
    // A punctual service is praise ("not on time" is then negated like any word).
    c("on time", 1.0),
];

/// Service outcomes — received, arrived, answered, fixed… A negated one ("never
/// arrived", "still haven't heard", "nobody answered") is a complaint; the outcome by
/// itself is news, not an opinion, and scores nothing.
pub(crate) const OUTCOMES: &[&str] = &[
    "received",
    "receive",
    "arrived",
    "arrive",
    "delivered",
    "heard",
    "responded",
    "respond",
    "replied",
    "reply",
    "answered",
    "answer",
    "answers",
    "answering",
    "called",
    "returned",
    "refunded",
    "resolved",
    "fixed",
    "showed",
    "shipped",
    "working",
    "works",
    "work",
    "helped",
    "help",
];

/// What a negation that negates no opinion word weighs.
pub(crate) const DANGLING_NEGATION: f64 = -0.6;

/// What a negated service outcome weighs.
pub(crate) const UNMET_OUTCOME: f64 = -1.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_unique_and_on_the_scale() {
        let mut p: Vec<&str> = COMPLAINTS.iter().map(|c| c.phrase).collect();
        p.sort_unstable();
        let n = p.len();
        p.dedup();
        assert_eq!(p.len(), n);
        assert!(COMPLAINTS.iter().all(|c| c.valence.abs() <= 4.0));
    }
}
