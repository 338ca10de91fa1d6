use chrono::NaiveDate;

use super::*;

fn negotiate(header: &str) -> Lang {
    Lang::negotiate(Some(header))
}

#[test]
fn french_unless_english_is_preferred() {
    assert_eq!(Lang::negotiate(None), Lang::Fr);
    assert_eq!(negotiate(""), Lang::Fr);
    assert_eq!(negotiate("fr"), Lang::Fr);
    assert_eq!(negotiate("en"), Lang::En);
    assert_eq!(negotiate("EN"), Lang::En);
    assert_eq!(negotiate("en-GB"), Lang::En);
    assert_eq!(negotiate("en-US,en;q=0.9"), Lang::En);
    assert_eq!(negotiate("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Fr);
    assert_eq!(negotiate("de"), Lang::Fr, "neither language: the default");
    assert_eq!(negotiate("de, en;q=0.5"), Lang::En, "English is acceptable, French is not named");
    assert_eq!(negotiate("en;q=0.1, fr;q=0.9"), Lang::Fr);
    assert_eq!(negotiate("fr;q=0.1, en;q=0.9"), Lang::En);
    assert_eq!(negotiate("en-GB;q=0.9, en;q=0.1, fr;q=0.5"), Lang::En, "the best range of a language counts");
}

#[test]
fn ties_go_to_the_first_listed() {
    assert_eq!(negotiate("en, fr"), Lang::En);
    assert_eq!(negotiate("fr, en"), Lang::Fr);
    assert_eq!(negotiate("en;q=0.5, fr;q=0.500"), Lang::En);
    assert_eq!(negotiate("*"), Lang::Fr, "both through the wildcard: the default comes first");
}

#[test]
fn the_wildcard_weighs_for_languages_not_named() {
    assert_eq!(negotiate("de, *;q=0.5"), Lang::Fr);
    assert_eq!(negotiate("*;q=0.5, fr;q=0.1"), Lang::En, "English through *, French named lower");
    assert_eq!(negotiate("fr;q=0, *"), Lang::En);
}

#[test]
fn q_zero_excludes() {
    assert_eq!(negotiate("fr;q=0, en"), Lang::En);
    assert_eq!(negotiate("fr;q=0.0, en;q=0.001"), Lang::En);
    assert_eq!(negotiate("en;q=0"), Lang::Fr, "nothing acceptable: the default");
    assert_eq!(negotiate("en;q=0, fr;q=0"), Lang::Fr);
}

#[test]
fn whitespace_case_and_empty_elements_are_tolerated() {
    assert_eq!(negotiate(" en ; q=0.8 ,, fr;Q=0.2 "), Lang::En);
    assert_eq!(negotiate("en;q=1.000"), Lang::En);
}

#[test]
fn a_malformed_header_is_ignored() {
    for header in [
        "en;q=2",
        "en;q=1.5",
        "en;q=0.1234",
        "en;q=abc",
        "en;q=",
        "en;level=1",
        "en us",
        "en_GB",
        "en-",
        "toolonglanguage",
        "en-GB-",
        ";q=0.5",
        "en;;",
        "é",
    ] {
        assert_eq!(negotiate(header), Lang::Fr, "{header:?}");
    }
}

#[test]
fn tags() {
    assert_eq!(Lang::Fr.tag(), "fr");
    assert_eq!(Lang::En.tag(), "en");
    assert_eq!(Lang::default(), Lang::Fr);
}

fn cents(v: i64, lang: Lang) -> String {
    let mut s = String::new();
    write_cents(&mut s, v, lang).unwrap();
    s
}

#[test]
fn amounts_in_french_and_english() {
    assert_eq!(cents(80_000_000, Lang::Fr), "800\u{202F}000,00\u{A0}€");
    assert_eq!(cents(80_000_000, Lang::En), "€800,000.00");
    assert_eq!(cents(123_456_789_01, Lang::Fr), "123\u{202F}456\u{202F}789,01\u{A0}€");
    assert_eq!(cents(123_456, Lang::Fr), "1\u{202F}234,56\u{A0}€");
    assert_eq!(cents(99_999, Lang::Fr), "999,99\u{A0}€");
    assert_eq!(cents(0, Lang::Fr), "0,00\u{A0}€");
    assert_eq!(cents(5, Lang::Fr), "0,05\u{A0}€");
    assert_eq!(cents(-5, Lang::Fr), "-0,05\u{A0}€");
    assert_eq!(cents(-5, Lang::En), "-€0.05");
    assert_eq!(cents(-123_456, Lang::Fr), "-1\u{202F}234,56\u{A0}€");
    assert_eq!(cents(i64::MIN, Lang::En), "-€92,233,720,368,547,758.08");
    assert_eq!(
        cents(i64::MIN, Lang::Fr),
        "-92\u{202F}233\u{202F}720\u{202F}368\u{202F}547\u{202F}758,08\u{A0}€"
    );
}

#[test]
fn percentages_fte_and_dates() {
    let bp = |v, lang| {
        let mut s = String::new();
        write_bp(&mut s, v, lang).unwrap();
        s
    };
    assert_eq!(bp(6250, Lang::Fr), "62,50\u{A0}%");
    assert_eq!(bp(6250, Lang::En), "62.50 %");
    assert_eq!(bp(5, Lang::Fr), "0,05\u{A0}%");
    assert_eq!(bp(-150, Lang::Fr), "-1,50\u{A0}%");
    assert_eq!(bp(1_234_500, Lang::Fr), "12\u{202F}345,00\u{A0}%");
    let fte = |v, lang| {
        let mut s = String::new();
        write_fte(&mut s, v, lang).unwrap();
        s
    };
    assert_eq!(fte(350, Lang::Fr), "3,50\u{A0}ETP");
    assert_eq!(fte(350, Lang::En), "3.50 FTE");
    assert_eq!(fte(0, Lang::Fr), "0,00\u{A0}ETP");
    assert_eq!(fte(-25, Lang::En), "-0.25 FTE");
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    assert_eq!(date_in(day, Lang::Fr), "22/11/2026");
    assert_eq!(date_in(day, Lang::En), "2026-11-22");
    assert_eq!(date_in(NaiveDate::from_ymd_opt(987, 1, 2).unwrap(), Lang::Fr), "02/01/0987");
    assert_eq!(cents_text(150_000), ("1\u{202F}500,00\u{A0}€".to_string(), "€1,500.00".to_string()));
}

#[test]
fn texts_serialise_in_the_language_asked_for() {
    let text = crate::text!("query-parameter-required", field = "siret");
    assert_eq!(text.in_(Lang::Fr), "Le paramètre siret est obligatoire.");
    assert_eq!(serde_json::to_string(&Localized::new(&text, Lang::En)).unwrap(), "\"siret is required\"");
    let list = vec![text.clone(), crate::text!("query-parameter-required", field = "year")];
    assert_eq!(
        serde_json::to_string(&Localized::new(&list, Lang::Fr)).unwrap(),
        "[\"Le paramètre siret est obligatoire.\",\"Le paramètre year est obligatoire.\"]"
    );
    assert_eq!(text.to_string(), "siret is required", "logs are in English");
}

// ---------------------------------------------------------------------------------------------
// The catalogues
// ---------------------------------------------------------------------------------------------

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn every_language_has_every_message_with_the_same_arguments() {
    let default = Lang::default();
    let ids = |lang| message_ids(lang).into_iter().map(|(id, _)| id).collect::<BTreeSet<_>>();
    let expected = ids(default);
    assert!(expected.len() > 10, "the default catalogue is read: {} messages", expected.len());
    for lang in Lang::ALL {
        let found = ids(lang);
        let missing: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in {}: {extra:?}",
            lang.tag(),
            default.tag()
        );
        for id in &expected {
            assert_eq!(
                message_variables(lang, id),
                message_variables(default, id),
                "{}: message {id} must take the same arguments as in {}",
                lang.tag(),
                default.tag()
            );
        }
    }
}

/// The `text!("id", name = …)` of a source file: each id with its argument names and line.
fn messages_used_in(source: &str) -> Vec<(String, BTreeSet<String>, usize)> {
    let mut used = Vec::new();
    for (start, _) in source.match_indices("text!(") {
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        if source[line_start..start].contains("//") || source[..start].ends_with("macro_rules! ") {
            continue;
        }
        let line = source[..start].matches('\n').count() + 1;
        let rest = &source[start + "text!(".len()..];
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else { continue };
        let Some(end) = rest.find('"') else { continue };
        let id = rest[..end].to_string();
        let mut names = BTreeSet::new();
        let mut chars = rest[end + 1..].char_indices().peekable();
        // After the id: `, name = expression` until the closing parenthesis.
        let mut depth = 0usize;
        let mut expecting_name = false;
        let mut name = String::new();
        let mut in_string = false;
        let mut previous = ' ';
        while let Some((_, c)) = chars.next() {
            if in_string {
                if c == '"' && previous != '\\' {
                    in_string = false;
                }
                previous = if previous == '\\' && c == '\\' { ' ' } else { c };
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    expecting_name = true;
                    name.clear();
                }
                '=' if depth == 0 && expecting_name => {
                    if chars.peek().is_some_and(|(_, n)| *n == '=') {
                        chars.next();
                        continue;
                    }
                    names.insert(name.trim().to_string());
                    expecting_name = false;
                }
                c if expecting_name => name.push(c),
                _ => {}
            }
            previous = c;
        }
        used.push((id, names, line));
    }
    used
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Every message the code names, with the files and lines that name it.
fn messages_used() -> BTreeMap<String, Vec<(String, BTreeSet<String>)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut used: BTreeMap<String, Vec<(String, BTreeSet<String>)>> = BTreeMap::new();
    for file in rust_files(&src) {
        if file.ends_with("domain/lang/tests.rs") {
            continue; // its examples are not messages
        }
        let source = std::fs::read_to_string(&file).expect("readable source");
        for (id, names, line) in messages_used_in(&source) {
            let at = format!("{}:{line}", file.strip_prefix(&src).unwrap_or(&file).display());
            used.entry(id).or_default().push((at, names));
        }
    }
    used
}

#[test]
fn the_source_reader_sees_ids_and_argument_names() {
    let source = r#"
        let a = text!("one");
        let b = crate::text!(
            "two",
            got = format!("{}, {}", x, y),
            max = MAX.min(3),
        );
        // text!("in-a-comment")
        let c = text!("three", when = a == b, name = "n=1");
    "#;
    let used = messages_used_in(source);
    let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        used,
        vec![
            ("one".to_string(), names(&[]), 2),
            ("two".to_string(), names(&["got", "max"]), 3),
            ("three".to_string(), names(&["when", "name"]), 9),
        ]
    );
}

#[test]
fn every_message_used_exists_with_its_arguments() {
    let used = messages_used();
    assert!(!used.is_empty(), "the sources name messages");
    let mut wrong = Vec::new();
    for (id, uses) in &used {
        let Some(expected) = message_variables(Lang::default(), id) else {
            wrong.push(format!("{id}: not in the catalogues (used at {})", uses[0].0));
            continue;
        };
        for (at, names) in uses {
            let names: BTreeSet<&str> = names.iter().map(String::as_str).collect();
            if names != expected {
                wrong.push(format!("{at}: {id} takes {expected:?}, given {names:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Messages named by the code through a computed id, not `text!`.
const COMPUTED: [&str; 2] = ["figure-", "code-"];

#[test]
fn every_message_of_the_catalogues_is_used() {
    let used = messages_used();
    let unused: Vec<_> = message_ids(Lang::default())
        .into_iter()
        .filter(|(id, _)| !used.contains_key(*id) && !COMPUTED.iter().any(|p| id.starts_with(p)))
        .collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn messages_render_with_figures_in_the_language() {
    let text = crate::text!("code-envelope_exhausted");
    assert_ne!(text.in_(Lang::Fr), text.in_(Lang::En));
    assert!(!text.in_(Lang::Fr).contains("code-"), "rendered, not the id: {}", text.in_(Lang::Fr));
}

/// The crate writes the messages itself, without Fluent's resolver (`catalogue::write_directly`):
/// they may use text, variables, selects on a variable and string literals, nothing else.
#[test]
fn every_message_is_written_directly() {
    for lang in Lang::ALL {
        for (id, file) in message_ids(lang) {
            assert!(
                super::catalogue::is_plain(lang, id),
                "{}/{file}: {id} is not written directly",
                lang.tag()
            );
        }
    }
}

/// Every message the crate writes itself (`write_directly`) reads as Fluent would write it: in
/// every language, with each variable given as text (each variant's name, and a name no variant
/// has) and, where no select reads it, as a figure.
#[test]
fn messages_written_directly_read_as_fluent_writes_them() {
    use super::catalogue::{both_ways, variant_names};
    use super::ArgRef;
    let mut compared = 0;
    for lang in Lang::ALL {
        for (id, _) in message_ids(lang) {
            if id.starts_with("figure-") {
                continue; // read once at start, through Fluent
            }
            let names: Vec<&'static str> =
                message_variables(lang, id).unwrap_or_default().into_iter().collect();
            let mut values: Vec<ArgRef<'_>> =
                variant_names(lang, id).into_iter().chain(["none-of-them"]).map(ArgRef::Str).collect();
            values.extend([
                ArgRef::Cents(-1_234_567_89),
                ArgRef::Date(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
            ]);
            for value in values {
                let args: Vec<(&'static str, ArgRef<'_>)> = names.iter().map(|name| (*name, value)).collect();
                if let Some((direct, fluent)) = both_ways(lang, id, &args) {
                    assert_eq!(direct, fluent, "{} {id} with {value:?}", lang.tag());
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 300, "{compared} messages compared");
}
