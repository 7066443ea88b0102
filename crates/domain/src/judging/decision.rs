//! The admin's decision for a tie that the tie rule could not break.

use serde::{Deserialize, Serialize};

use super::{Decider, EntryFlag, JudgingError, Ranking};

/// An admin's ordering of the entries of one remaining tie, best first, with the reason
/// recorded for the contest's log (e.g. "stronger consent shown, decided by the jury chair").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieDecision {
    /// Every entry of the tie, best first.
    pub order: Vec<String>,
    /// Why this order; must not be empty.
    pub reason: String,
}

impl Ranking {
    /// Applies an admin decision: the tied entries get consecutive places in the given order
    /// (a tie at place 3 of three entries becomes 3, 4, 5), are marked decided by the admin,
    /// and the decision is recorded in `admin_decisions`. `ties` and `tie_touches_top3` are
    /// updated, so the ranking may become publishable.
    ///
    /// # Errors
    /// [`JudgingError::DecisionReasonEmpty`] for a blank reason,
    /// [`JudgingError::DecisionNotATie`] when the first entry named is not in a remaining tie,
    /// and [`JudgingError::DecisionMismatch`] unless `order` names every entry of that tie
    /// exactly once and nothing else. The ranking is unchanged on error.
    pub fn apply_decision(&mut self, decision: TieDecision) -> Result<(), JudgingError> {
        let reason = decision.reason.trim();
        if reason.is_empty() {
            return Err(JudgingError::DecisionReasonEmpty);
        }
        let first = decision.order.first().cloned().unwrap_or_default();
        let tie = self
            .ties
            .iter()
            .find(|t| t.entries.contains(&first))
            .ok_or(JudgingError::DecisionNotATie { entry: first })?;
        let mut named = decision.order.clone();
        named.sort();
        let mut expected = tie.entries.clone();
        expected.sort();
        if named != expected {
            return Err(JudgingError::DecisionMismatch {
                expected: tie.entries.clone(),
                given: decision.order,
            });
        }
        let place = tie.place;
        let start = self
            .entries
            .iter()
            .position(|e| e.place == place && e.tied)
            .unwrap_or(0);
        let mut decided = Vec::with_capacity(decision.order.len());
        for (offset, label) in decision.order.iter().enumerate() {
            if let Some(i) = self.entries.iter().position(|e| &e.entry == label) {
                let mut entry = self.entries[i].clone();
                entry.place = place + u32::try_from(offset).unwrap_or(u32::MAX);
                entry.tied = false;
                entry.decided_by = Some(Decider::Admin);
                entry.flags.retain(|f| *f != EntryFlag::Tied);
                decided.push(entry);
            }
        }
        self.entries.splice(start..start + decided.len(), decided);
        self.admin_decisions.push(TieDecision {
            order: decision.order,
            reason: reason.to_owned(),
        });
        self.refresh_ties();
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::test_support::matrix;
    use super::super::{RankOptions, TieRule, rank_matrix};
    use super::*;

    fn tied_ranking() -> Ranking {
        // Means: A 9, B = C = D = 7 (same medians, same first places), E 5.
        let m = matrix(
            &["A", "B", "C", "D", "E"],
            &[("J1", "9 7 7 7 5"), ("J2", "9 7 7 7 5")],
        );
        rank_matrix(
            &m,
            &RankOptions {
                tie_rule: TieRule::default(),
                ..RankOptions::default()
            },
        )
    }

    fn order(names: &[&str]) -> TieDecision {
        TieDecision {
            order: names.iter().map(|s| (*s).to_owned()).collect(),
            reason: "decided by the jury chair".into(),
        }
    }

    fn places(r: &Ranking) -> Vec<(String, u32)> {
        r.entries
            .iter()
            .map(|e| (e.entry.clone(), e.place))
            .collect()
    }

    #[test]
    fn admin_decision_orders_the_tie_and_unblocks_publishing() {
        let mut r = tied_ranking();
        assert!(r.tie_touches_top3 && !r.can_publish());
        assert_eq!(r.ties[0].entries, ["B", "C", "D"]);
        r.apply_decision(order(&["D", "B", "C"])).unwrap();
        let expected = [("A", 1), ("D", 2), ("B", 3), ("C", 4), ("E", 5)];
        let expected: Vec<_> = expected
            .iter()
            .map(|(e, p)| ((*e).to_owned(), *p))
            .collect();
        assert_eq!(places(&r), expected);
        assert!(r.ties.is_empty() && r.can_publish());
        assert_eq!(r.entries[1].decided_by, Some(Decider::Admin));
        assert!(!r.entries[1].flags.contains(&EntryFlag::Tied));
        assert_eq!(r.admin_decisions, [order(&["D", "B", "C"])]);
    }

    #[test]
    fn admin_decision_must_name_exactly_the_tied_entries() {
        let mut r = tied_ranking();
        let before = r.clone();
        let err = r.apply_decision(order(&["B", "C"])).unwrap_err();
        assert_eq!(err.code(), "tie-decision-mismatch");
        let err = r.apply_decision(order(&["B", "C", "D", "E"])).unwrap_err();
        assert_eq!(err.code(), "tie-decision-mismatch");
        let err = r.apply_decision(order(&["B", "C", "C"])).unwrap_err();
        assert_eq!(err.code(), "tie-decision-mismatch");
        let err = r.apply_decision(order(&["A", "B", "C"])).unwrap_err();
        assert_eq!(err, JudgingError::DecisionNotATie { entry: "A".into() });
        let err = r.apply_decision(order(&[])).unwrap_err();
        assert_eq!(err.code(), "tie-decision-not-a-tie");
        let blank = TieDecision {
            reason: "  ".into(),
            ..order(&["B", "C", "D"])
        };
        assert_eq!(
            r.apply_decision(blank).unwrap_err(),
            JudgingError::DecisionReasonEmpty
        );
        assert_eq!(r, before);
    }

    #[test]
    fn a_tie_below_the_top_three_does_not_block_publishing() {
        let m = matrix(
            &["A", "B", "C", "D", "E"],
            &[("J1", "9 8 7 6 6"), ("J2", "9 8 7 6 6")],
        );
        let r = rank_matrix(&m, &RankOptions::default());
        assert_eq!(r.ties.len(), 1);
        assert_eq!(r.ties[0].place, 4);
        assert!(!r.ties[0].touches_top3 && !r.tie_touches_top3 && r.can_publish());
    }
}
