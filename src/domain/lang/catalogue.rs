//! The message catalogues (`locales/<language>/*.ftl`, Fluent syntax), embedded by `build.rs`,
//! parsed once, and how a message is written in a language.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use super::figures::{Affixes, DatePart, Figures};
use super::text::ArgRef;
use super::{Lang, LOCALES};

/// A catalogue that cannot be used: a file that is not Fluent, an id given twice, a `figure-*`
/// message missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalogue {lang}/{file}: {problem}")]
pub struct CatalogueError {
    pub lang: &'static str,
    pub file: &'static str,
    pub problem: String,
}

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// The parsed files, for the tests that compare languages.
    resources: Vec<(&'static str, ast::Resource<&'static str>)>,
    figures: Figures,
}

/// Every language's catalogue, in the order of [`Lang::ALL`]. A broken catalogue stops the
/// service at its first sentence (and the tests before that): it ships inside the binary.
static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| match load() {
    Ok(catalogues) => catalogues,
    Err(error) => panic!("{error}"),
});

fn load() -> Result<Vec<Catalogue>, CatalogueError> {
    LOCALES
        .iter()
        .map(|(tag, files)| {
            let lang_id = tag.parse().map_err(|_| CatalogueError {
                lang: tag,
                file: "",
                problem: "not a language tag".into(),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang_id]);
            // Arguments are written as they are: no Unicode isolation marks around them.
            bundle.set_use_isolating(false);
            let mut resources = Vec::with_capacity(files.len());
            for (file, source) in files.iter() {
                let error = |problem: String| CatalogueError { lang: tag, file, problem };
                let resource = FluentResource::try_new((*source).to_string())
                    .map_err(|(_, errors)| error(format!("{errors:?}")))?;
                bundle.add_resource(resource).map_err(|errors| error(format!("{errors:?}")))?;
                let parsed =
                    fluent_syntax::parser::parse(*source).map_err(|(_, e)| error(format!("{e:?}")))?;
                resources.push((*file, parsed));
            }
            let figures = read_figures(&bundle).map_err(|problem| CatalogueError {
                lang: tag,
                file: "figures",
                problem,
            })?;
            Ok(Catalogue { bundle, resources, figures })
        })
        .collect()
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    &CATALOGUES[lang.index()]
}

pub(super) fn figures_of(lang: Lang) -> &'static Figures {
    &catalogue(lang).figures
}

/// The most arguments of a [`Text`](super::Text) lent from the stack (more go through a `Vec`).
pub(super) const MAX_ARGS: usize = 8;

/// Writes the message `id` in `lang`, its arguments written in that language. A message missing
/// from `lang` is taken from the default language; one missing everywhere writes its id. Both
/// are bugs the catalogue tests catch, and debug builds stop on them.
///
/// The arguments are lent: code that writes many messages (the reasons of eligibility reports)
/// builds no [`Text`](super::Text) for each; [`text!`](crate::text) is the usual way.
pub fn write_message(
    out: &mut impl fmt::Write,
    lang: Lang,
    id: &str,
    args: &[(&'static str, ArgRef<'_>)],
) -> fmt::Result {
    let found = [lang, Lang::default()].into_iter().find_map(|lang| {
        let bundle = &catalogue(lang).bundle;
        bundle.get_message(id).and_then(|m| m.value()).map(|pattern| (bundle, pattern))
    });
    let Some((bundle, pattern)) = found else {
        debug_assert!(false, "no message {id:?} in the catalogues");
        return out.write_str(id);
    };
    // Fluent writes whole numbers, and chooses plural variants by them.
    if !args.iter().any(|(_, arg)| matches!(arg, ArgRef::Int(_))) {
        write_directly(out, lang, pattern, args)
    } else {
        write_with_fluent(out, lang, id, bundle, pattern, args)
    }
}

/// Fluent's own writing, for what [`write_directly`] leaves to it: whole numbers go as numbers
/// (for plural and `[0]` variants), text as it is, figures and nested texts written first in
/// `lang`.
fn write_with_fluent(
    out: &mut impl fmt::Write,
    lang: Lang,
    id: &str,
    bundle: &FluentBundle<FluentResource>,
    pattern: &ast::Pattern<&str>,
    args: &[(&'static str, ArgRef<'_>)],
) -> fmt::Result {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, arg) in args {
        let value = match arg {
            ArgRef::Str(text) => FluentValue::from(*text),
            ArgRef::Int(n) => FluentValue::from(*n),
            figure => {
                let mut text = String::new();
                figure.write_in(&mut text, lang)?;
                FluentValue::from(text)
            }
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    bundle.write_pattern(out, pattern, Some(&fluent_args), &mut errors)?;
    debug_assert!(errors.is_empty(), "message {id:?}: {errors:?}");
    Ok(())
}

/// Whether the message `id` of `lang` is [`plain`] (for tests).
#[cfg(test)]
pub(super) fn is_plain(lang: Lang, id: &str) -> bool {
    let pattern = catalogue(lang).bundle.get_message(id).and_then(|m| m.value());
    pattern.is_some_and(is_plain_pattern)
}

/// Both ways of writing the message `id` (for the test that compares them): directly when
/// [`write_directly`] can, and through Fluent.
#[cfg(test)]
pub(super) fn both_ways(
    lang: Lang,
    id: &str,
    args: &[(&'static str, ArgRef<'_>)],
) -> Option<(String, String)> {
    let bundle = &catalogue(lang).bundle;
    let pattern = bundle.get_message(id)?.value()?;
    if args.iter().any(|(_, arg)| matches!(arg, ArgRef::Int(_))) {
        return None;
    }
    let mut direct = String::new();
    write_directly(&mut direct, lang, pattern, args).ok()?;
    let mut fluent = String::new();
    write_with_fluent(&mut fluent, lang, id, bundle, pattern, args).ok()?;
    Some((direct, fluent))
}

/// Whether a message is written by [`write_directly`]: nothing in its pattern but text, variables,
/// selects on a variable and string literals, no message reference, term or function (the test
/// `every_message_is_written_directly` of `lang/tests.rs` checks that every message of the
/// catalogues is).
#[cfg(test)]
fn is_plain_pattern(pattern: &ast::Pattern<&str>) -> bool {
    use ast::{Expression, InlineExpression};
    pattern.elements.iter().all(|element| match element {
        ast::PatternElement::TextElement { .. } => true,
        ast::PatternElement::Placeable { expression } => match expression {
            Expression::Inline(
                InlineExpression::StringLiteral { .. } | InlineExpression::VariableReference { .. },
            ) => true,
            Expression::Select { selector: InlineExpression::VariableReference { .. }, variants } => {
                variants.iter().all(|variant| is_plain_pattern(&variant.value))
            }
            _ => false,
        },
    })
}

/// The same name (a short string compared without a call to `memcmp`).
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(a, b)| a == b)
}

/// Writes `pattern`, a plain one (see `is_plain_pattern`), the way Fluent does (without isolation marks; a select takes the variant named
/// by its variable's text, else the default one; a variable not given is written `{$name}`),
/// each figure written into `out` as it comes: no `FluentArgs` to build, nothing to allocate.
/// Eligibility reports write six such messages on every dossier view.
fn write_directly(
    out: &mut impl fmt::Write,
    lang: Lang,
    pattern: &ast::Pattern<&str>,
    args: &[(&'static str, ArgRef<'_>)],
) -> fmt::Result {
    use ast::{Expression, InlineExpression};
    let arg = |name: &str| {
        let found = args.iter().find(|(given, _)| same_name(given, name)).map(|(_, arg)| *arg);
        debug_assert!(found.is_some(), "variable {name:?} not given");
        found
    };
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.write_str(value)?,
            ast::PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    fluent_syntax::unicode::unescape_unicode(out, value)?
                }
                Expression::Inline(InlineExpression::VariableReference { id }) => match arg(id.name) {
                    Some(arg) => arg.write_in(out, lang)?,
                    None => write!(out, "{{${}}}", id.name)?,
                },
                Expression::Select { selector: InlineExpression::VariableReference { id }, variants } => {
                    let owned;
                    let selected = match arg(id.name) {
                        Some(ArgRef::Str(text)) => Some(text),
                        Some(figure) => {
                            let mut text = String::new();
                            figure.write_in(&mut text, lang)?;
                            owned = text;
                            Some(owned.as_str())
                        }
                        None => None,
                    };
                    let named = |variant: &&ast::Variant<&str>| matches!(variant.key, ast::VariantKey::Identifier { name } if Some(name) == selected);
                    let variant = variants.iter().find(named).or_else(|| variants.iter().find(|v| v.default));
                    if let Some(variant) = variant {
                        write_directly(out, lang, &variant.value, args)?;
                    }
                }
                // None in the catalogues (see `is_plain_pattern`).
                _ => debug_assert!(false, "not a plain message: {pattern:?}"),
            },
        }
    }
    Ok(())
}

/// A message with no argument, as text.
fn plain(bundle: &FluentBundle<FluentResource>, id: &str) -> Result<String, String> {
    with_args(bundle, id, &[])
}

fn with_args(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: &[(&str, &str)],
) -> Result<String, String> {
    let pattern = bundle.get_message(id).and_then(|m| m.value()).ok_or(format!("no message {id}"))?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(*value));
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(format!("{id}: {errors:?}"))
    }
}

const VALUE: char = '\u{E000}';
const DAY: char = '\u{E001}';
const MONTH: char = '\u{E002}';
const YEAR: char = '\u{E003}';

fn read_figures(bundle: &FluentBundle<FluentResource>) -> Result<Figures, String> {
    let one_char = |id: &str| -> Result<Option<char>, String> {
        let text = plain(bundle, id)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (first, None) => Ok(first),
            _ => Err(format!("{id}: one character or none, got {text:?}")),
        }
    };
    let affixes = |id: &str| -> Result<Affixes, String> {
        let text = with_args(bundle, id, &[("value", &VALUE.to_string())])?;
        let (before, after) = text.split_once(VALUE).ok_or(format!("{id}: {{ $value }} is missing"))?;
        Ok(Affixes { before: before.to_string(), after: after.to_string() })
    };
    let date_text = with_args(
        bundle,
        "figure-date",
        &[("day", &DAY.to_string()), ("month", &MONTH.to_string()), ("year", &YEAR.to_string())],
    )?;
    let mut date = Vec::new();
    let mut between = String::new();
    for c in date_text.chars() {
        let part = match c {
            DAY => DatePart::Day,
            MONTH => DatePart::Month,
            YEAR => DatePart::Year,
            other => {
                between.push(other);
                continue;
            }
        };
        if !between.is_empty() {
            date.push(DatePart::Text(std::mem::take(&mut between)));
        }
        date.push(part);
    }
    if !between.is_empty() {
        date.push(DatePart::Text(between));
    }
    for part in [DatePart::Day, DatePart::Month, DatePart::Year] {
        if date.iter().filter(|p| **p == part).count() != 1 {
            return Err(format!("figure-date: {part:?} must appear once"));
        }
    }
    Ok(Figures {
        decimal: one_char("figure-decimal-separator")?.ok_or("figure-decimal-separator is empty")?,
        money_group: one_char("figure-money-group-separator")?,
        number_group: one_char("figure-number-group-separator")?,
        money: affixes("figure-money")?,
        percent: affixes("figure-percent")?,
        fte: affixes("figure-fte")?,
        date,
    })
}

/// The ids of the messages of `lang`'s catalogue, with the file each is in.
pub fn message_ids(lang: Lang) -> Vec<(&'static str, &'static str)> {
    catalogue(lang)
        .resources
        .iter()
        .flat_map(|(file, resource)| {
            resource.body.iter().filter_map(move |entry| match entry {
                ast::Entry::Message(message) => Some((message.id.name, *file)),
                _ => None,
            })
        })
        .collect()
}

/// The variables (`$name`) the message `id` of `lang` uses, or `None` without such a message.
pub fn message_variables(lang: Lang, id: &str) -> Option<BTreeSet<&'static str>> {
    catalogue(lang).resources.iter().find_map(|(_, resource)| {
        resource.body.iter().find_map(|entry| match entry {
            ast::Entry::Message(message) if message.id.name == id => {
                let mut names = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut names);
                }
                Some(names)
            }
            _ => None,
        })
    })
}

/// The names of the variants of the selects of the message `id` of `lang` (for tests).
#[cfg(test)]
pub(super) fn variant_names(lang: Lang, id: &str) -> BTreeSet<&'static str> {
    fn walk(pattern: &ast::Pattern<&'static str>, names: &mut BTreeSet<&'static str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression: ast::Expression::Select { variants, .. } } =
                element
            {
                for variant in variants {
                    if let ast::VariantKey::Identifier { name } = variant.key {
                        names.insert(name);
                    }
                    walk(&variant.value, names);
                }
            }
        }
    }
    let mut names = BTreeSet::new();
    for (_, resource) in &catalogue(lang).resources {
        for entry in &resource.body {
            if let ast::Entry::Message(message) = entry {
                if message.id.name == id {
                    if let Some(pattern) = &message.value {
                        walk(pattern, &mut names);
                    }
                }
            }
        }
    }
    names
}

fn pattern_variables(pattern: &ast::Pattern<&'static str>, names: &mut BTreeSet<&'static str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&'static str>, names: &mut BTreeSet<&'static str>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, names),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&'static str>, names: &mut BTreeSet<&'static str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name);
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}
