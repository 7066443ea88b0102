//! Turning one juror's scores into ranks (1 = best, ties share the average rank).

use num_bigint::BigInt;
use num_rational::BigRational;

/// Ranks of `values` (higher value = better = smaller rank), in the same order, with tied
/// values sharing the average of the ranks they occupy; also the sizes of the tied groups
/// (only groups of two or more), for Kendall's tie correction.
pub(crate) fn average_ranks(values: &[&BigRational]) -> (Vec<BigRational>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].cmp(values[a]));
    let mut ranks = vec![BigRational::from_integer(BigInt::from(0)); values.len()];
    let mut tie_sizes = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start+1 ..= end share (start + 1 + end) / 2.
        let rank = BigRational::new(BigInt::from(start + 1 + end), BigInt::from(2));
        for &i in &order[start..end] {
            ranks[i] = rank.clone();
        }
        if end - start > 1 {
            tie_sizes.push(end - start);
        }
        start = end;
    }
    (ranks, tie_sizes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn highest_value_gets_rank_one_and_ties_share_the_average() {
        let values = [q(7, 1), q(9, 1), q(7, 1), q(3, 1), q(7, 1)];
        let refs: Vec<_> = values.iter().collect();
        let (ranks, ties) = average_ranks(&refs);
        // 9 → 1; the three 7s occupy 2, 3, 4 → 3 each; 3 → 5.
        assert_eq!(ranks, [q(3, 1), q(1, 1), q(3, 1), q(5, 1), q(3, 1)]);
        assert_eq!(ties, [3]);
    }

    #[test]
    fn a_pair_of_ties_gets_a_half_rank() {
        let values = [q(15, 2), q(15, 2), q(8, 1)];
        let refs: Vec<_> = values.iter().collect();
        let (ranks, ties) = average_ranks(&refs);
        assert_eq!(ranks, [q(5, 2), q(5, 2), q(1, 1)]);
        assert_eq!(ties, [2]);
    }
}
