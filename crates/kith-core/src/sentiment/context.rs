//! Rules that look at a whole sentence rather than a word: contrast ("but"), praise in
//! questions, sarcastic thanks, and negations with nothing to negate.

use super::cues::DANGLING_NEGATION;
use super::lexicon::Source;
use super::rules::{AFTER_CONTRAST, BEFORE_CONTRAST, QUESTIONED_PRAISE, contrasts, negates};
use super::valence::{Contribution, Item};

/// Which sentence each token is in, and which sentences are questions.
#[derive(Debug)]
pub(crate) struct Sentences {
    of_token: Vec<Option<usize>>,
    questions: Vec<bool>,
}

impl Sentences {
    pub fn new(tokens: usize, items: &[Item<'_>], questions: Vec<bool>) -> Sentences {
        let mut of_token = vec![None; tokens];
        for it in items {
            of_token[it.token] = Some(it.sentence);
        }
        Sentences {
            of_token,
            questions,
        }
    }

    fn of(&self, c: &Contribution) -> Option<usize> {
        self.of_token.get(c.token).copied().flatten()
    }
}

/// A negation with no opinion word to negate ("it still doesn't work", "can't get
/// through", "haven't heard back") says that something expected did not happen: a mild
/// complaint by itself. `opinionated[i]` says whether item `i` is an opinion word.
pub(crate) fn dangling_negations(
    items: &[Item<'_>],
    opinionated: &[bool],
    out: &mut Vec<Contribution>,
) {
    for (i, it) in items.iter().enumerate() {
        let Some(word) = it.word() else { continue };
        if !negates(word) || matches!(word, "without" | "despite" | "nor" | "neither") {
            continue;
        }
        let negates_something = items[i + 1..]
            .iter()
            .zip(&opinionated[i + 1..])
            .take(3)
            .take_while(|(n, _)| n.sentence == it.sentence)
            .any(|(_, o)| *o);
        if !negates_something {
            out.push(Contribution {
                token: it.token,
                first: it.token,
                valence: DANGLING_NEGATION,
                source: Source::Complaint,
                negated: false,
            });
        }
    }
    out.sort_by_key(|c| c.token);
}

/// A contrast re-weights its sentence: what came before counts half, what follows one
/// and a half. A sentence opening with "But" contrasts with the sentence before. One
/// contrast per sentence, as VADER takes the first "but".
pub(crate) fn contrast(items: &[Item<'_>], sentences: &Sentences, out: &mut [Contribution]) {
    let mut done = Vec::new();
    for (k, it) in items.iter().enumerate() {
        if !it.word().is_some_and(contrasts) || done.contains(&it.sentence) {
            continue;
        }
        done.push(it.sentence);
        let opens = k == 0 || items[k - 1].sentence != it.sentence;
        let before = if opens {
            it.sentence.checked_sub(1)
        } else {
            Some(it.sentence)
        };
        for c in out.iter_mut() {
            let s = sentences.of(c);
            if c.token < it.token && s.is_some() && s == before {
                c.valence *= BEFORE_CONTRAST;
            } else if c.token > it.token && s == Some(it.sentence) {
                c.valence *= AFTER_CONTRAST;
            }
        }
    }
}

/// Praise inside a question is asked about, not asserted ("is the new blend good?"), so
/// it counts less; complaints in questions ("why is my order late?") stay whole.
pub(crate) fn questions(sentences: &Sentences, out: &mut [Contribution]) {
    for c in out.iter_mut().filter(|c| c.valence > 0.0) {
        if sentences
            .of(c)
            .is_some_and(|s| sentences.questions.get(s) == Some(&true))
        {
            c.valence *= QUESTIONED_PRAISE;
        }
    }
}

/// Thanks in the same sentence as a complaint is sarcasm ("thanks for keeping me on hold
/// for an hour") and counts nothing.
pub(crate) fn sarcastic_thanks(
    items: &[Item<'_>],
    sentences: &Sentences,
    out: &mut [Contribution],
) {
    let complaining: Vec<usize> = out
        .iter()
        .filter(|c| c.source == Source::Complaint || c.valence <= -1.0)
        .filter_map(|c| sentences.of(c))
        .collect();
    let is_thanks = |c: &Contribution| {
        items
            .iter()
            .find(|it| it.token == c.token)
            .and_then(Item::word)
            .is_some_and(|w| matches!(w, "thanks" | "thank" | "thx" | "ty" | "tysm"))
    };
    for c in out.iter_mut() {
        if sentences.of(c).is_some_and(|s| complaining.contains(&s)) && is_thanks(c) {
            c.valence = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::analyse;

    fn terms(text: &str) -> Vec<(String, f64)> {
        analyse(text)
            .terms
            .into_iter()
            .map(|t| (t.text, (t.valence * 100.0).round() / 100.0))
            .collect()
    }

    #[test]
    fn a_negation_with_nothing_to_negate_is_a_mild_complaint() {
        assert_eq!(terms("it doesn't work"), [("work".to_owned(), -1.5)]);
        assert_eq!(
            terms("it still doesn't load"),
            [("doesn't".to_owned(), -0.6)]
        );
    }

    #[test]
    fn a_negation_of_an_opinion_word_is_no_complaint_of_its_own() {
        assert_eq!(terms("not good"), [("good".to_owned(), -1.41)]);
    }

    #[test]
    fn before_but_counts_half_and_after_one_and_a_half() {
        assert_eq!(
            terms("good but bad"),
            [("good".to_owned(), 0.95), ("bad".to_owned(), -3.75)]
        );
    }

    #[test]
    fn a_run_of_question_and_exclamation_marks_closes_one_sentence() {
        // "?!?" after "good" makes one question; "But" then contrasts with it.
        assert_eq!(
            terms("good?!? But bad"),
            [("good".to_owned(), 0.48), ("bad".to_owned(), -3.75)]
        );
    }

    #[test]
    fn praise_in_a_question_counts_half_and_complaints_whole() {
        assert_eq!(terms("is it good?"), [("good".to_owned(), 0.95)]);
        assert_eq!(terms("why is it late?"), [("late".to_owned(), -1.2)]);
    }

    #[test]
    fn thanks_in_another_sentence_than_the_complaint_still_counts() {
        assert_eq!(
            terms("Thanks. Still waiting")[0],
            ("Thanks".to_owned(), 1.9)
        );
    }
}
