//! Exact comparison of z-scores: sums of rational multiples of square roots.
//!
//! A juror's standard score is a rational deviation times 1/sd = √((k − 1)/SS), the square root
//! of a rational. An entry's z-score is therefore Σ aⱼ·√rⱼ with rational aⱼ and rⱼ. Square roots
//! whose ratio is a rational square are merged (√8 = 2·√2), so each entry's z-score becomes a
//! vector of rational coefficients over a shared basis of square roots no two of which have a
//! rational ratio. Those are linearly independent over the rationals, so two z-scores are equal
//! exactly when their coefficient vectors are equal; otherwise the sign of their difference is
//! found with interval arithmetic, refining √r until the interval excludes 0. Ties are real ties
//! and the order is the true order: no epsilon, no rounding noise, transitive by construction.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Square roots of positive rationals, no two with a rational ratio.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SurdBasis {
    radicands: Vec<BigRational>,
    /// √radicands[i] as the nearest f64, for the fast path of [`SurdBasis::cmp`].
    roots: Vec<f64>,
}

/// Precision (bits after the point) of the first interval evaluation, and the last one tried;
/// a nonzero difference of z-scores from realistic scores separates at the first.
const FIRST_BITS: usize = 64;
const LAST_BITS: usize = 1 << 16;

impl SurdBasis {
    /// Expresses √`r` (`r` > 0) in the basis, adding a square root when needed: returns the
    /// basis index and the rational `q` with √r = q·√basis[index].
    pub(crate) fn insert(&mut self, r: &BigRational) -> (usize, BigRational) {
        for (i, base) in self.radicands.iter().enumerate() {
            if let Some(q) = rational_sqrt(&(r / base)) {
                return (i, q);
            }
        }
        self.radicands.push(r.clone());
        self.roots.push(to_f64(r).sqrt());
        (self.radicands.len() - 1, BigRational::one())
    }

    /// How many square roots the basis holds (the length of every coefficient vector).
    pub(crate) fn len(&self) -> usize {
        self.radicands.len()
    }

    /// Σ coefficients[i]·√basis[i] in floating point (tests compare with it).
    #[cfg(test)]
    pub(crate) fn to_f64(&self, coefficients: &[BigRational]) -> f64 {
        coefficients
            .iter()
            .zip(&self.roots)
            .map(|(c, root)| to_f64(c) * root)
            .sum()
    }

    /// Compares Σ a[i]·√basis[i] with Σ b[i]·√basis[i] exactly.
    pub(crate) fn cmp(&self, a: &[BigRational], b: &[BigRational]) -> Ordering {
        let difference: Vec<(BigRational, usize)> = a
            .iter()
            .zip(b)
            .map(|(x, y)| x - y)
            .zip(0..)
            .filter(|(d, _)| !d.is_zero())
            .collect();
        match difference.as_slice() {
            [] => Ordering::Equal,
            [(d, _)] => sign(d),
            _ => self
                .float_sign(&difference)
                .or_else(|| self.exact_sign(&difference))
                .unwrap_or_else(|| {
                    // Unreachable for a nonzero sum (it separates from 0 at some precision);
                    // kept so that a bug cannot loop forever: trust the floats.
                    let approx: f64 = difference
                        .iter()
                        .map(|(d, i)| to_f64(d) * self.roots[*i])
                        .sum();
                    approx.total_cmp(&0.0)
                }),
        }
    }

    /// The sign of Σ dᵢ·√basis[i] from floats, when their error cannot change it. Each term is
    /// off by a few units in the last place (conversions, square root, product) and the sum by
    /// one more per term; 8 units per operation (2⁻⁵⁰ relative) is a generous bound for that.
    fn float_sign(&self, terms: &[(BigRational, usize)]) -> Option<Ordering> {
        let products: Vec<f64> = terms
            .iter()
            .map(|(d, i)| to_f64(d) * self.roots[*i])
            .collect();
        let sum: f64 = products.iter().sum();
        let magnitude: f64 = products.iter().map(|p| p.abs()).sum();
        let error = (products.len() as f64 + 8.0) * magnitude * f64::powi(2.0, -50);
        (magnitude.is_finite() && sum.abs() > error).then(|| sum.total_cmp(&0.0))
    }

    /// The sign of Σ dᵢ·√basis[i] (not all dᵢ zero; the square roots being independent, the
    /// sum is not 0), from rational bounds on each square root at increasing precision; `None`
    /// if [`LAST_BITS`] is not enough.
    fn exact_sign(&self, terms: &[(BigRational, usize)]) -> Option<Ordering> {
        let mut bits = FIRST_BITS;
        while bits <= LAST_BITS {
            let (mut low, mut high) = (BigRational::zero(), BigRational::zero());
            for (d, i) in terms {
                let (below, above) = sqrt_bounds(&self.radicands[*i], bits);
                let (small, large) = if d.is_positive() {
                    (d * &below, d * &above)
                } else {
                    (d * &above, d * &below)
                };
                low += small;
                high += large;
            }
            if low.is_positive() {
                return Some(Ordering::Greater);
            }
            if high.is_negative() {
                return Some(Ordering::Less);
            }
            bits *= 2;
        }
        None
    }
}

fn sign(x: &BigRational) -> Ordering {
    x.cmp(&BigRational::zero())
}

fn to_f64(x: &BigRational) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// Rationals `below` ≤ √r ≤ `above`, `above` − `below` = 1/(denominator · 2^bits).
fn sqrt_bounds(r: &BigRational, bits: usize) -> (BigRational, BigRational) {
    // √(n/d) = √(n·d)/d, and ⌊√(n·d·4^bits)⌋ / 2^bits ≤ √(n·d) < (that + 1) / 2^bits.
    let (n, d) = (r.numer(), r.denom());
    let root = (n * d * num_traits::pow(BigInt::from(4), bits)).sqrt();
    let scale = d * num_traits::pow(BigInt::from(2), bits);
    (
        BigRational::new(root.clone(), scale.clone()),
        BigRational::new(root + 1, scale),
    )
}

/// √`x` when it is rational (`x` ≥ 0 a square of a rational), else `None`.
fn rational_sqrt(x: &BigRational) -> Option<BigRational> {
    if x.is_negative() {
        return None;
    }
    // In lowest terms n/d is a rational square exactly when n and d are integer squares.
    let exact = |v: &BigInt| Some(v.sqrt()).filter(|root| root * root == *v);
    Some(BigRational::new(exact(x.numer())?, exact(x.denom())?))
}

#[cfg(test)]
#[path = "surd_tests.rs"]
mod tests;
