//! The values of an SCDL row as written: dates, amounts in euros, shares, SIRETs, schemes.

use chrono::NaiveDate;

use super::KnownScheme;
use crate::domain::identifiers::validate_siret;
use crate::domain::lang::Text;
use crate::domain::FieldCode;
use crate::text;

pub(super) fn check_siret(field: &str, value: &str) -> Option<(FieldCode, Text)> {
    if value.is_empty() {
        return Some((FieldCode::Required, text!("exports-required", field = &field)));
    }
    match validate_siret(value) {
        Ok(()) => None,
        Err(FieldCode::SiretFormat) => {
            Some((FieldCode::SiretFormat, text!("exports-siret-14-digits", field = &field)))
        }
        Err(FieldCode::SirenChecksum) => {
            Some((FieldCode::SirenChecksum, text!("scdl-siren-check-digit-wrong", field = field)))
        }
        Err(code) => Some((code, text!("exports-valid-siret-check-digit-wrong", field = &field))),
    }
}

/// The scheme whose code is `named` (exactly), or else the only one whose name is `named`
/// (ignoring case).
pub(super) fn find_scheme(schemes: &[KnownScheme], named: &str) -> Option<String> {
    if let Some(scheme) = schemes.iter().find(|s| s.code == named) {
        return Some(scheme.id.clone());
    }
    let lower = named.to_lowercase();
    let mut by_name = schemes.iter().filter(|s| s.name.trim().to_lowercase() == lower);
    match (by_name.next(), by_name.next()) {
        (Some(scheme), None) => Some(scheme.id.clone()),
        _ => None,
    }
}

/// A date written exactly `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Splits `[-]digits[.digits]` into sign, whole part and decimals; `None` for anything else
/// (exponents, commas, spaces, signs elsewhere, `inf`, `NaN`).
fn decimal_parts(s: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, decimals) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(decimals)
        || (unsigned.contains('.') && decimals.is_empty())
    {
        return None;
    }
    Some((negative, whole, decimals))
}

/// An amount of euros written with a point before its decimals (`47800.20`, `33000`), as exact
/// cents: no float on the way. Errors: `required`, `number_format`, `too_precise` (a non-zero
/// digit after the cents), `out_of_range` (does not fit).
pub fn parse_cents(s: &str) -> Result<i64, FieldCode> {
    if s.is_empty() {
        return Err(FieldCode::Required);
    }
    let (negative, whole, decimals) = decimal_parts(s).ok_or(FieldCode::NumberFormat)?;
    let (cents_digits, rest) = decimals.split_at(decimals.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err(FieldCode::TooPrecise);
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 16 {
        return Err(FieldCode::OutOfRange);
    }
    let euros: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| FieldCode::OutOfRange)? };
    let cents: i64 = format!("{cents_digits:0<2}").parse().map_err(|_| FieldCode::NumberFormat)?;
    let total = euros.checked_mul(100).and_then(|c| c.checked_add(cents)).ok_or(FieldCode::OutOfRange)?;
    Ok(if negative { -total } else { total })
}

/// A share written as a decimal with a point (`0.45`, `1`, `1.00`).
pub(super) fn parse_share(s: &str) -> Option<f64> {
    decimal_parts(s)?;
    s.parse().ok()
}
