#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

fn big(decimal: &str, places: usize) -> BigRational {
    BigRational::new(
        decimal.replace('.', "").parse().unwrap(),
        num_traits::pow(BigInt::from(10), places),
    )
}

#[test]
fn square_roots_with_a_rational_ratio_share_a_basis_element() {
    let mut basis = SurdBasis::default();
    assert_eq!(basis.insert(&q(2, 1)), (0, q(1, 1)));
    // √8 = 2·√2, √(1/2) = ½·√2.
    assert_eq!(basis.insert(&q(8, 1)), (0, q(2, 1)));
    assert_eq!(basis.insert(&q(1, 2)), (0, q(1, 2)));
    assert_eq!(basis.insert(&q(3, 1)), (1, q(1, 1)));
    // √(9/4) = 3/2 and √1 = 1: the rationals form one element of their own.
    assert_eq!(basis.insert(&q(9, 4)), (2, q(1, 1)));
    assert_eq!(basis.insert(&q(1, 1)), (2, q(2, 3)));
    assert_eq!(basis.len(), 3);
}

#[test]
fn rational_square_roots_are_recognised() {
    assert_eq!(rational_sqrt(&q(9, 4)), Some(q(3, 2)));
    assert_eq!(rational_sqrt(&q(0, 1)), Some(q(0, 1)));
    assert_eq!(rational_sqrt(&q(2, 1)), None);
    assert_eq!(rational_sqrt(&q(4, 3)), None);
    assert_eq!(rational_sqrt(&q(-4, 1)), None);
}

#[test]
fn values_closer_than_a_float_can_tell_are_ordered_exactly() {
    let mut basis = SurdBasis::default();
    basis.insert(&q(2, 1));
    basis.insert(&q(1, 1));
    // √2 = 1.41421356237309504880168872420969807…: two 30-digit neighbours of it.
    let above = big("1.414213562373095048801688724210", 30);
    let below = big("1.414213562373095048801688724209", 30);
    let root_two = [q(1, 1), q(0, 1)];
    let (hi, lo) = ([q(0, 1), above], [q(0, 1), below]);
    assert_eq!(basis.to_f64(&root_two), basis.to_f64(&hi));
    assert_eq!(basis.to_f64(&root_two), basis.to_f64(&lo));
    assert_eq!(basis.cmp(&root_two, &hi), Ordering::Less);
    assert_eq!(basis.cmp(&root_two, &lo), Ordering::Greater);
    assert_eq!(basis.cmp(&hi, &root_two), Ordering::Greater);
}

#[test]
fn sums_of_roots_compare_and_equal_ones_are_equal() {
    let mut basis = SurdBasis::default();
    for r in [2, 3, 10] {
        basis.insert(&q(r, 1));
    }
    // √2 + √3 ≈ 3.1463 < √10 ≈ 3.1623.
    let (sum, ten) = ([q(1, 1), q(1, 1), q(0, 1)], [q(0, 1), q(0, 1), q(1, 1)]);
    assert_eq!(basis.cmp(&sum, &ten), Ordering::Less);
    assert_eq!(basis.cmp(&ten, &sum), Ordering::Greater);
    assert_eq!(basis.cmp(&sum, &sum.clone()), Ordering::Equal);
    // 2·√2 written through √8's coefficient is the same vector: equal without any rounding.
    let (_, two) = basis.insert(&q(8, 1));
    assert_eq!(
        basis.cmp(&[two, q(0, 1), q(0, 1)], &[q(2, 1), q(0, 1), q(0, 1)]),
        Ordering::Equal
    );
}

proptest! {
    #[test]
    fn exact_order_is_antisymmetric_and_agrees_with_floats_when_they_can_tell(
        radicands in prop::collection::vec((1_i64..50, 1_i64..20), 1..5),
        a in prop::collection::vec((-20_i64..=20, 1_i64..10), 5),
        b in prop::collection::vec((-20_i64..=20, 1_i64..10), 5),
    ) {
        let mut basis = SurdBasis::default();
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for (r, ((an, ad), (bn, bd))) in radicands.iter().zip(a.iter().zip(&b)) {
            let (i, factor) = basis.insert(&q(r.0, r.1));
            x.resize(basis.len(), q(0, 1));
            y.resize(basis.len(), q(0, 1));
            x[i] += q(*an, *ad) * &factor;
            y[i] += q(*bn, *bd) * &factor;
        }
        let order = basis.cmp(&x, &y);
        prop_assert_eq!(order, basis.cmp(&y, &x).reverse());
        prop_assert_eq!(basis.cmp(&x, &x), Ordering::Equal);
        let (fx, fy) = (basis.to_f64(&x), basis.to_f64(&y));
        if (fx - fy).abs() > 1e-9 {
            prop_assert_eq!(order, fx.total_cmp(&fy));
        }
        prop_assert_eq!(order == Ordering::Equal, x == y);
    }
}
