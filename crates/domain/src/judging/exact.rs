//! Exact rational numbers for scores, weights and ranking values.

use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::JudgingError;

/// Largest number of significant digits written as a JSON number; longer values are written as
/// a string so that reading them back gives the same exact value.
const MAX_JSON_DIGITS: usize = 15;

/// An exact rational number: a score (`7.5`), a weight, a mean (`22/3`) or a rank sum.
///
/// Decimals are parsed exactly (`0.1` is one tenth, not the nearest binary float), so two
/// values are equal exactly when they are mathematically equal. Displayed as a decimal when it
/// terminates (`7.5`) and as a fraction otherwise (`22/3`). In JSON it is a number when a
/// number round-trips exactly (up to 15 significant digits), otherwise a string such as
/// `"22/3"`; both forms, and decimal strings, are accepted when reading.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(BigRational);

impl Exact {
    /// The whole number `n`.
    #[must_use]
    pub fn from_integer(n: i64) -> Self {
        Self(BigRational::from_integer(BigInt::from(n)))
    }

    /// The fraction `numer / denom`, or `None` when `denom` is zero.
    #[must_use]
    pub fn from_ratio(numer: i64, denom: i64) -> Option<Self> {
        (denom != 0).then(|| Self(BigRational::new(BigInt::from(numer), BigInt::from(denom))))
    }

    /// Parses a plain decimal such as `7`, `-2`, `+3`, `7.5` or `.25` exactly (no exponent,
    /// no fraction); surrounding whitespace is ignored.
    ///
    /// # Errors
    /// [`JudgingError::NotANumber`] for anything else, including `NaN`, `inf` and `1e3`.
    pub fn parse_decimal(text: &str) -> Result<Self, JudgingError> {
        parse_decimal(text.trim())
            .map(Self)
            .ok_or_else(|| not_a_number(text))
    }

    /// The nearest `f64` (for display and for statistics that leave the rationals).
    #[must_use]
    pub fn to_f64(&self) -> f64 {
        self.0.to_f64().unwrap_or(f64::NAN)
    }

    /// Whether the value is a whole number.
    #[must_use]
    pub fn is_integer(&self) -> bool {
        self.0.is_integer()
    }

    /// The exact decimal expansion when it terminates (`15/2` → `7.5`), else `None` (`22/3`).
    #[must_use]
    pub fn to_decimal_string(&self) -> Option<String> {
        let denom = self.0.denom();
        let mut rest = denom.clone();
        let (two, five) = (BigInt::from(2), BigInt::from(5));
        let (mut twos, mut fives) = (0_usize, 0_usize);
        while (&rest % &two).is_zero() {
            rest /= &two;
            twos += 1;
        }
        while (&rest % &five).is_zero() {
            rest /= &five;
            fives += 1;
        }
        if !rest.is_one() {
            return None;
        }
        let places = twos.max(fives);
        let scaled = self.0.numer() * num_traits::pow(BigInt::from(10), places) / denom;
        let digits = scaled.abs().to_string();
        let sign = if scaled.is_negative() { "-" } else { "" };
        if places == 0 {
            return Some(format!("{sign}{digits}"));
        }
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (int, frac) = padded.split_at(padded.len() - places);
        Some(format!("{sign}{int}.{frac}"))
    }

    pub(crate) fn rational(&self) -> &BigRational {
        &self.0
    }

    pub(crate) fn from_rational(value: BigRational) -> Self {
        Self(value)
    }
}

fn not_a_number(text: &str) -> JudgingError {
    JudgingError::NotANumber {
        text: text.to_owned(),
    }
}

fn parse_decimal(text: &str) -> Option<BigRational> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let numer = BigInt::parse_bytes(format!("{int}{frac}").as_bytes(), 10)?;
    let denom = num_traits::pow(BigInt::from(10), frac.len());
    let value = BigRational::new(numer, denom);
    Some(if negative { -value } else { value })
}

fn parse_integer(text: &str) -> Option<BigInt> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    BigInt::parse_bytes(text.as_bytes(), 10)
}

impl FromStr for Exact {
    type Err = JudgingError;

    /// Parses a decimal (`7.5`) or a fraction (`15/2`) exactly.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        match trimmed.split_once('/') {
            None => Self::parse_decimal(trimmed),
            Some((numer, denom)) => {
                let numer = parse_integer(numer.trim()).ok_or_else(|| not_a_number(text))?;
                let denom = parse_integer(denom.trim()).ok_or_else(|| not_a_number(text))?;
                if denom.is_zero() {
                    return Err(not_a_number(text));
                }
                Ok(Self(BigRational::new(numer, denom)))
            }
        }
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal_string() {
            Some(decimal) => f.write_str(&decimal),
            None => write!(f, "{}/{}", self.0.numer(), self.0.denom()),
        }
    }
}

impl From<i64> for Exact {
    fn from(n: i64) -> Self {
        Self::from_integer(n)
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_integer()
            && let Some(n) = self.0.numer().to_i64()
        {
            return serializer.serialize_i64(n);
        }
        match self.to_decimal_string() {
            Some(decimal) if significant_digits(&decimal) <= MAX_JSON_DIGITS => {
                serializer.serialize_f64(self.to_f64())
            }
            _ => serializer.collect_str(self),
        }
    }
}

fn significant_digits(decimal: &str) -> usize {
    decimal
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count()
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExactVisitor)
    }
}

struct ExactVisitor;

impl de::Visitor<'_> for ExactVisitor {
    type Value = Exact;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding a decimal or a fraction such as \"22/3\"")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exact, E> {
        Ok(Exact::from_integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exact, E> {
        Ok(Exact(BigRational::from_integer(BigInt::from(v))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exact, E> {
        // `Display` of an f64 is the shortest decimal that reads back as the same f64, so a
        // JSON `7.1` becomes exactly 71/10 rather than the binary float's expansion.
        if !v.is_finite() {
            return Err(E::custom("a score must be a finite number"));
        }
        Exact::parse_decimal(&v.to_string()).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Exact, E> {
        v.parse().map_err(E::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ex(text: &str) -> Exact {
        text.parse().unwrap()
    }

    #[test]
    fn decimals_are_parsed_exactly() {
        assert_eq!(ex("7.5"), Exact::from_ratio(15, 2).unwrap());
        assert_eq!(ex("0.1"), Exact::from_ratio(1, 10).unwrap());
        assert_eq!(ex(" -2 "), Exact::from_integer(-2));
        assert_eq!(ex("+.25"), Exact::from_ratio(1, 4).unwrap());
        assert_eq!(ex("5."), Exact::from_integer(5));
        assert_eq!(ex("15/2"), ex("7.50"));
        // 0.1 + 0.2 == 0.3 holds exactly, unlike f64.
        let sum = ex("0.1").rational() + ex("0.2").rational();
        assert_eq!(Exact::from_rational(sum), ex("0.3"));
    }

    #[test]
    fn non_numbers_are_refused() {
        for bad in [
            "", ".", "-", "1e3", "NaN", "inf", "7,5", "1.2.3", "1/0", "x/2", "--1",
        ] {
            let err = bad.parse::<Exact>().unwrap_err();
            assert_eq!(err.code(), "not-a-number", "{bad:?}");
        }
    }

    #[test]
    fn display_is_decimal_when_terminating_else_fraction() {
        assert_eq!(ex("7.50").to_string(), "7.5");
        assert_eq!(ex("-0.05").to_string(), "-0.05");
        assert_eq!(ex("22/3").to_string(), "22/3");
        assert_eq!(ex("10").to_string(), "10");
        assert_eq!(ex("-1/8").to_string(), "-0.125");
    }

    #[test]
    fn json_round_trips_exactly() {
        for text in ["7", "7.5", "-0.125", "22/3", "0.1", "123456789.123456789"] {
            let value = ex(text);
            let json = serde_json::to_string(&value).unwrap();
            let back: Exact = serde_json::from_str(&json).unwrap();
            assert_eq!(back, value, "{text} via {json}");
        }
        assert_eq!(serde_json::to_string(&ex("7.5")).unwrap(), "7.5");
        assert_eq!(serde_json::to_string(&ex("22/3")).unwrap(), "\"22/3\"");
        assert_eq!(serde_json::from_str::<Exact>("7.1").unwrap(), ex("71/10"));
        assert_eq!(
            serde_json::from_str::<Exact>("\"8.25\"").unwrap(),
            ex("33/4")
        );
    }
}
