//! The trait of an enumeration with a stable text code per value (the codes themselves are in
//! `codes.rs`): a leaf, so that the enumerations can name it without importing their codes.

/// An enumeration with a stable text code per value.
pub trait Code: Copy + Eq + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    /// The value whose code is `code`, if any.
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.as_str() == code)
    }
}
