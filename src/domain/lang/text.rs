//! [`Text`]: a sentence for people, kept as a message id and its arguments until it is rendered
//! in the reader's language.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::catalogue;
use super::figures::{write_bp, write_cents, write_count, write_date, write_fte};
use super::Lang;

/// A sentence for people: a message of the catalogues (`locales/<language>/*.ftl`) and its named
/// arguments, rendered in the reader's language when it is displayed or serialised. Made with
/// [`text!`](crate::text): `text!("siret-length", got = 13)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    id: Cow<'static, str>,
    args: Vec<(&'static str, Arg)>,
}

/// An argument of a message, written in the reader's language where it is a figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Text as given (a code, a name, a value the user sent).
    Str(Cow<'static, str>),
    /// A whole number written without grouping (`2000`): bounds, lengths, line numbers.
    Int(i64),
    /// A count with the language's grouping (`12 345` in French).
    Count(i64),
    /// An amount in cents (`1 234,56 €`, `€1,234.56`).
    Cents(i64),
    /// A percentage in basis points (`62,50 %`).
    Bp(i64),
    /// Full-time equivalents in hundredths (`3,50 ETP`).
    Fte(i64),
    /// A day (`22/11/2026`, `2026-11-22`).
    Date(NaiveDate),
    /// Another sentence, in the same language.
    Text(Box<Text>),
}

impl Arg {
    pub fn cents(cents: i64) -> Arg {
        Arg::Cents(cents)
    }

    pub fn bp(bp: i64) -> Arg {
        Arg::Bp(bp)
    }

    pub fn fte(hundredths: i64) -> Arg {
        Arg::Fte(hundredths)
    }

    pub fn count(n: impl TryInto<i64>) -> Arg {
        Arg::Count(n.try_into().unwrap_or(i64::MAX))
    }

    /// The argument, lent for one writing.
    pub fn as_arg_ref(&self) -> ArgRef<'_> {
        match self {
            Arg::Str(value) => ArgRef::Str(value),
            Arg::Int(n) => ArgRef::Int(*n),
            Arg::Count(n) => ArgRef::Count(*n),
            Arg::Cents(c) => ArgRef::Cents(*c),
            Arg::Bp(bp) => ArgRef::Bp(*bp),
            Arg::Fte(h) => ArgRef::Fte(*h),
            Arg::Date(d) => ArgRef::Date(*d),
            Arg::Text(text) => ArgRef::Text(text),
        }
    }
}

/// An argument lent for one writing of a message ([`write_message`](super::write_message)): what
/// an [`Arg`] holds, borrowed, for code that writes many messages without building a [`Text`]
/// for each (the reasons of eligibility reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgRef<'a> {
    Str(&'a str),
    Int(i64),
    Count(i64),
    Cents(i64),
    Bp(i64),
    Fte(i64),
    Date(NaiveDate),
    Text(&'a Text),
}

impl ArgRef<'_> {
    /// Writes a figure or a nested text in `lang`; text and whole numbers go to Fluent as they are.
    pub(super) fn write_in(&self, out: &mut impl fmt::Write, lang: Lang) -> fmt::Result {
        match self {
            ArgRef::Str(value) => out.write_str(value),
            ArgRef::Int(n) => write!(out, "{n}"),
            ArgRef::Count(n) => write_count(out, *n, lang),
            ArgRef::Cents(c) => write_cents(out, *c, lang),
            ArgRef::Bp(bp) => write_bp(out, *bp, lang),
            ArgRef::Fte(h) => write_fte(out, *h, lang),
            ArgRef::Date(d) => write_date(out, *d, lang),
            ArgRef::Text(text) => write!(out, "{}", text.in_lang(lang)),
        }
    }
}

/// Anything written with `Display` (`&str`, `&String`, an id, a number taken by reference…), as
/// text. A [`Text`] goes by value (its `Display` is the English of the logs).
impl<T: fmt::Display + ?Sized> From<&T> for Arg {
    fn from(value: &T) -> Arg {
        Arg::Str(Cow::Owned(value.to_string()))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Str(Cow::Owned(value))
    }
}

impl From<Cow<'static, str>> for Arg {
    fn from(value: Cow<'static, str>) -> Arg {
        Arg::Str(value)
    }
}

impl From<char> for Arg {
    fn from(value: char) -> Arg {
        Arg::Str(Cow::Owned(value.to_string()))
    }
}

macro_rules! int_arg {
    ($($ty:ty),+) => {$(
        impl From<$ty> for Arg {
            fn from(value: $ty) -> Arg {
                Arg::Int(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )+};
}
int_arg!(i64, i32, u8, u16, u32, u64, usize);

impl From<NaiveDate> for Arg {
    fn from(value: NaiveDate) -> Arg {
        Arg::Date(value)
    }
}

impl From<Text> for Arg {
    fn from(value: Text) -> Arg {
        Arg::Text(Box::new(value))
    }
}

/// `text!("id")`, `text!("id", name = value, …)`: the message `id` of the catalogues with its
/// arguments (anything that converts into an [`Arg`]; figures through `Arg::cents(..)` and its
/// kin). The test `catalogues::every_message_used_exists_with_its_arguments` reads the sources
/// for these and checks each against every catalogue.
#[macro_export]
macro_rules! text {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::lang::Text::message(
            $id,
            vec![$((stringify!($name), $crate::domain::lang::Arg::from($value))),*],
        )
    };
}

impl Text {
    /// The message `id` with its arguments (prefer [`text!`](crate::text), which the catalogue
    /// test can see).
    pub fn message(id: impl Into<Cow<'static, str>>, args: Vec<(&'static str, Arg)>) -> Text {
        Text { id: id.into(), args }
    }

    /// The message's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text in `lang`.
    pub fn in_(&self, lang: Lang) -> String {
        self.in_lang(lang).to_string()
    }

    /// The text as Essor stores it where it keeps a sentence as written (a dossier's history
    /// comments): in the default language, the one its users read.
    pub fn stored(&self) -> String {
        self.in_(Lang::default())
    }

    /// The text in `lang`, to be written where it is needed.
    pub fn in_lang(&self, lang: Lang) -> InLang<'_> {
        InLang { text: self, lang }
    }
}

/// A text in a language, written by `Display`.
#[derive(Debug, Clone, Copy)]
pub struct InLang<'a> {
    text: &'a Text,
    lang: Lang,
}

impl fmt::Display for InLang<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let args = &self.text.args;
        if args.len() <= catalogue::MAX_ARGS {
            let mut lent = [("", ArgRef::Int(0)); catalogue::MAX_ARGS];
            for (slot, (name, arg)) in lent.iter_mut().zip(args) {
                *slot = (name, arg.as_arg_ref());
            }
            catalogue::write_message(f, self.lang, &self.text.id, &lent[..args.len()])
        } else {
            let lent: Vec<_> = args.iter().map(|(name, arg)| (*name, arg.as_arg_ref())).collect();
            catalogue::write_message(f, self.lang, &self.text.id, &lent)
        }
    }
}

/// For logs, which are in English.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.in_lang(Lang::En).fmt(f)
    }
}

/// A value whose texts are chosen when it is serialised.
pub trait Localize {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error>;
}

/// `value` for a reader of `lang`: serialises with its texts in that language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<T> {
    pub value: T,
    pub lang: Lang,
}

impl<T> Localized<T> {
    pub fn new(value: T, lang: Lang) -> Self {
        Localized { value, lang }
    }
}

impl<T: Localize> Serialize for Localized<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize_in(self.lang, serializer)
    }
}

impl<T: Localize + ?Sized> Localize for &T {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_in(lang, serializer)
    }
}

impl<T: Localize> Localize for [T] {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|item| Localized::new(item, lang)))
    }
}

impl<T: Localize> Localize for Vec<T> {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize_in(lang, serializer)
    }
}

impl Localize for Text {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.in_lang(lang))
    }
}
