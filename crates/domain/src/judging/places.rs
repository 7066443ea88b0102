//! Competition places (1, 2, 2, 4) from an ordering value and a tie-breaker chain.

use std::cmp::Ordering;

use num_rational::BigRational;

use super::TieBreak;
use super::zscore::ZScore;

/// An ordering value where higher is better, compared exactly: a rational for every method
/// but z-scores, which are sums of rational multiples of square roots.
#[derive(Clone, Debug)]
pub(crate) enum Merit {
    Exact(BigRational),
    ZScore(ZScore),
}

impl Merit {
    fn cmp_better_first(a: Option<&Self>, b: Option<&Self>) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }

    fn same(a: Option<&Self>, b: Option<&Self>) -> bool {
        Self::cmp_better_first(a, b) == Ordering::Equal
    }

    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Exact(x), Self::Exact(y)) => x.cmp(y),
            (Self::ZScore(x), Self::ZScore(y)) => x.cmp(y),
            // One ranking never mixes the two kinds in one comparison; order them anyway.
            (Self::Exact(_), Self::ZScore(_)) => Ordering::Less,
            (Self::ZScore(_), Self::Exact(_)) => Ordering::Greater,
        }
    }
}

/// The outcome of ordering entries (all vectors indexed by entry, except `groups`).
#[derive(Clone, Debug)]
pub(crate) struct Placement {
    /// Groups of entries sharing a place, best first; inside a group, input order.
    pub groups: Vec<Vec<usize>>,
    pub place: Vec<u32>,
    /// Shares its place after the whole chain.
    pub tied: Vec<bool>,
    /// Shared its ordering value with another entry before tie-breaking.
    pub tied_on_value: Vec<bool>,
    /// The last tie-breaker that separated this entry from entries it was tied with.
    pub decided_by: Vec<Option<TieBreak>>,
}

/// Orders entries by `primary` (higher is better, `None` last and never tie-broken), splits
/// groups of equal values with each tie-breaker of `chain` in turn, and numbers the groups
/// with competition places.
pub(crate) fn place_entries(
    primary: &[Option<Merit>],
    chain: &[TieBreak],
    key: &dyn Fn(TieBreak, usize) -> Option<Merit>,
) -> Placement {
    let n = primary.len();
    let mut placement = Placement {
        groups: Vec::new(),
        place: vec![0; n],
        tied: vec![false; n],
        tied_on_value: vec![false; n],
        decided_by: vec![None; n],
    };
    let all: Vec<usize> = (0..n).collect();
    for group in split(all, |e| primary[e].clone()) {
        let breakable = primary[group[0]].is_some();
        if group.len() > 1 {
            group
                .iter()
                .for_each(|&e| placement.tied_on_value[e] = true);
        }
        let steps = if breakable { chain } else { &[] };
        resolve(group, steps, key, &mut placement);
    }
    let mut next_place = 1;
    for group in &placement.groups {
        for &e in group {
            placement.place[e] = next_place;
            placement.tied[e] = group.len() > 1;
        }
        next_place += u32::try_from(group.len()).unwrap_or(u32::MAX);
    }
    placement
}

fn resolve(
    group: Vec<usize>,
    chain: &[TieBreak],
    key: &dyn Fn(TieBreak, usize) -> Option<Merit>,
    placement: &mut Placement,
) {
    let Some((&step, rest)) = chain.split_first().filter(|_| group.len() > 1) else {
        placement.groups.push(group);
        return;
    };
    let parts = split(group, |e| key(step, e));
    if parts.len() > 1 {
        parts
            .iter()
            .flatten()
            .for_each(|&e| placement.decided_by[e] = Some(step));
    }
    for part in parts {
        resolve(part, rest, key, placement);
    }
}

/// Sorts `entries` better first (stable, so equal entries keep input order) and cuts them into
/// runs of equal value.
fn split(mut entries: Vec<usize>, value: impl Fn(usize) -> Option<Merit>) -> Vec<Vec<usize>> {
    let values: Vec<(usize, Option<Merit>)> = entries.iter().map(|&e| (e, value(e))).collect();
    let of = |e: usize| {
        values
            .iter()
            .find(|(i, _)| *i == e)
            .and_then(|(_, v)| v.as_ref())
    };
    entries.sort_by(|&a, &b| Merit::cmp_better_first(of(a), of(b)).then(a.cmp(&b)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for e in entries {
        match groups.last_mut() {
            Some(last) if last.last().is_some_and(|&p| Merit::same(of(p), of(e))) => last.push(e),
            _ => groups.push(vec![e]),
        }
    }
    groups
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use num_bigint::BigInt;

    use super::*;

    fn exact(values: &[i64]) -> Vec<Option<Merit>> {
        values
            .iter()
            .map(|&v| Some(Merit::Exact(BigRational::from_integer(BigInt::from(v)))))
            .collect()
    }

    fn no_key(_: TieBreak, _: usize) -> Option<Merit> {
        None
    }

    #[test]
    fn equal_values_share_a_place_and_the_next_is_skipped() {
        let p = place_entries(&exact(&[7, 9, 8, 8, 5]), &[], &no_key);
        assert_eq!(p.place, [4, 1, 2, 2, 5]);
        assert_eq!(p.tied, [false, false, true, true, false]);
        assert_eq!(p.groups, [vec![1], vec![2, 3], vec![0], vec![4]]);
    }

    #[test]
    fn three_way_tie_at_the_top_skips_two_places() {
        let p = place_entries(&exact(&[9, 9, 9, 4]), &[], &no_key);
        assert_eq!(p.place, [1, 1, 1, 4]);
    }

    #[test]
    fn tie_breakers_apply_in_order_only_inside_tied_groups() {
        // Entries 0..=3 tie on value; the first step separates 0 from {1, 2, 3}, the second
        // separates 3 from {1, 2}, which stay tied. Entry 4 is alone and untouched.
        let first = exact(&[5, 3, 3, 3, 100]);
        let second = exact(&[0, 1, 1, 2, 100]);
        let key = |step: TieBreak, e: usize| match step {
            TieBreak::Median => first[e].clone(),
            _ => second[e].clone(),
        };
        let chain = [TieBreak::Median, TieBreak::FirstPlaces];
        let p = place_entries(&exact(&[8, 8, 8, 8, 6]), &chain, &key);
        assert_eq!(p.place, [1, 3, 3, 2, 5]);
        assert_eq!(p.tied, [false, true, true, false, false]);
        assert_eq!(p.tied_on_value, [true, true, true, true, false]);
        assert_eq!(
            p.decided_by,
            [
                Some(TieBreak::Median),
                Some(TieBreak::FirstPlaces),
                Some(TieBreak::FirstPlaces),
                Some(TieBreak::FirstPlaces),
                None
            ]
        );
    }

    #[test]
    fn entries_without_a_value_come_last_and_share_a_place() {
        let mut values = exact(&[6, 6]);
        values.insert(0, None);
        values.push(None);
        let p = place_entries(&values, &[TieBreak::Median], &no_key);
        assert_eq!(p.place, [3, 1, 1, 3]);
    }
}
