//! Embeds the message catalogues: every folder `locales/<language tag>/` is a language, and every
//! `.ftl` file in it a part of its catalogue (Fluent syntax). Adding a language is adding a folder
//! of files; nothing in the code names the list. French, the default, comes first.

use std::fmt::Write as _;
use std::path::Path;

const DEFAULT_LANGUAGE: &str = "fr";

fn main() {
    // The package's folder as cargo gives it now (not as it was when this script was compiled):
    // a copy of the project in another folder embeds its own catalogues.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("locales");
    // Relative paths: cargo resolves them against the package's folder, wherever it is.
    println!("cargo:rerun-if-changed=locales");
    let mut languages: Vec<(String, Vec<std::path::PathBuf>)> = Vec::new();
    for entry in std::fs::read_dir(&root).expect("locales/ exists") {
        let dir = entry.expect("readable locales/").path();
        if !dir.is_dir() {
            continue;
        }
        let tag = dir.file_name().and_then(|n| n.to_str()).expect("a language tag").to_string();
        println!("cargo:rerun-if-changed=locales/{tag}");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable language folder")
            .map(|e| e.expect("readable file").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        for file in &files {
            let name = file.file_name().and_then(|n| n.to_str()).expect("a file name");
            println!("cargo:rerun-if-changed=locales/{tag}/{name}");
        }
        languages.push((tag, files));
    }
    languages.sort_by(|(a, _), (b, _)| (a != DEFAULT_LANGUAGE, a).cmp(&(b != DEFAULT_LANGUAGE, b)));
    assert_eq!(
        languages.first().map(|(tag, _)| tag.as_str()),
        Some(DEFAULT_LANGUAGE),
        "locales/{DEFAULT_LANGUAGE}/ is the default language's catalogue"
    );
    assert!(languages.len() < 256, "at most 255 languages");
    let mut out =
        String::from("/// Each language's tag and the files of its catalogue, the default first.\n");
    let _ = writeln!(out, "pub(super) const LOCALES: [(&str, &[(&str, &str)]); {}] = [", languages.len());
    for (tag, files) in &languages {
        let _ = write!(out, "    ({tag:?}, &[");
        for file in files {
            let name = file.file_name().and_then(|n| n.to_str()).expect("a file name");
            let path = format!("/locales/{tag}/{name}");
            let _ =
                write!(out, "({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))), ");
        }
        out.push_str("]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
