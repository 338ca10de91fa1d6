//! Supporting documents of a dossier (issue 12): which types a rules version asks for, which
//! contents are accepted (by their bytes, never by what the client says), and how a client's
//! file name becomes a safe display name.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::checks::is_criterion_code;
use super::project_kind::ProjectKind;
use super::{FieldCode, FieldError};
use crate::text;

/// A rules version lists at most this many document types.
pub const MAX_DOCUMENT_TYPES: usize = 30;
/// A display name keeps at most this many characters (the extension is kept when cut).
pub const MAX_NAME_CHARS: usize = 120;
/// How many first bytes of a file are read to tell its type (OOXML lists its parts there).
pub const SNIFF_BYTES: usize = 64 * 1024;

/// A document type of a rules version: its code, its label, and when it is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequirement {
    /// snake_case code, unique in the version (`statuts`, `rib`).
    #[schema(example = "rib", pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", min_length = 1, max_length = 40)]
    pub code: String,
    /// What the applicant reads (French).
    #[schema(
        example = "Relevé d'identité bancaire (RIB)",
        min_length = 1,
        max_length = 200,
        pattern = "{TEXT_REQUIRED_PATTERN}"
    )]
    pub label: String,
    /// The project kinds for which submission requires it; empty: optional for every kind.
    #[serde(default)]
    pub required_for: Vec<ProjectKind>,
    /// `true`: required (for the kinds above) only when the organisation declares an ESUS
    /// approval, whose attestation it is.
    #[serde(default)]
    pub only_with_esus_approval: bool,
}

impl DocumentRequirement {
    fn new(code: &str, label: &str, required_for: &[ProjectKind]) -> Self {
        DocumentRequirement {
            code: code.into(),
            label: label.into(),
            required_for: required_for.to_vec(),
            only_with_esus_approval: false,
        }
    }

    /// Whether a dossier of `kind`, for an organisation with (or without) an ESUS approval,
    /// must carry a document of this type to be submitted.
    pub fn is_required(&self, kind: ProjectKind, has_esus_approval: bool) -> bool {
        self.required_for.contains(&kind) && (has_esus_approval || !self.only_with_esus_approval)
    }
}

/// The documents of the DI-ESS (investment) and DL-ESS (rent) templates. Every kind is listed
/// so that a rules version adjusted to another kind keeps a sensible list.
pub fn template_documents(investment: bool) -> Vec<DocumentRequirement> {
    use ProjectKind::*;
    let all = [Purchase, Construction, Works, Rent, Operating, Study, Partnership];
    let mut list = vec![
        DocumentRequirement::new("statuts", "Statuts à jour, signés", &all),
        DocumentRequirement::new(
            "comptes",
            "Derniers comptes approuvés (ou comptes prévisionnels pour une structure de moins d'un an)",
            &all,
        ),
    ];
    if investment {
        list.push(DocumentRequirement::new(
            "devis",
            "Devis des travaux ou des investissements (ou promesse de vente)",
            &[Purchase, Construction, Works],
        ));
        list.push(DocumentRequirement::new("bail", "Bail ou projet de bail", &[]));
    } else {
        list.push(DocumentRequirement::new("bail", "Bail ou projet de bail", &[Rent]));
        list.push(DocumentRequirement::new("devis", "Devis des travaux d'aménagement", &[]));
    }
    list.push(DocumentRequirement {
        only_with_esus_approval: true,
        ..DocumentRequirement::new("agrement_esus", "Attestation d'agrément ESUS", &all)
    });
    list.push(DocumentRequirement::new("rib", "Relevé d'identité bancaire (RIB)", &all));
    list.push(DocumentRequirement::new(
        "attestation_de_minimis",
        "Attestation des aides de minimis reçues sur les trois derniers exercices",
        &all,
    ));
    list
}

/// `parameters.documents`: codes (snake_case, unique), labels, kinds listed once, at most
/// [`MAX_DOCUMENT_TYPES`].
pub fn validate_requirements(list: &[DocumentRequirement]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let at = |i: usize, field: &str| format!("parameters.documents[{i}].{field}");
    if list.len() > MAX_DOCUMENT_TYPES {
        errors.push(FieldError::new(
            "parameters.documents",
            FieldCode::TooMany,
            text!(
                "documents-most-document-types",
                MAX_DOCUMENT_TYPES = &MAX_DOCUMENT_TYPES,
                list_len = &list.len()
            ),
        ));
    }
    for (i, doc) in list.iter().enumerate() {
        if !is_criterion_code(&doc.code) {
            errors.push(FieldError::new(
                at(i, "code"),
                FieldCode::InvalidFormat,
                text!("documents-snake-case-ascii-z-0"),
            ));
        } else if list[..i].iter().any(|other| other.code == doc.code) {
            errors.push(FieldError::new(
                at(i, "code"),
                FieldCode::Duplicate,
                text!("documents-document-type-listed-more-than", code = &doc.code),
            ));
        }
        let chars = doc.label.chars().count();
        if doc.label.trim().is_empty() {
            errors.push(FieldError::new(at(i, "label"), FieldCode::Required, text!("documents-label-blank")));
        } else if chars > 200 {
            errors.push(FieldError::new(
                at(i, "label"),
                FieldCode::TooLong,
                text!("documents-most-200-characters", chars = &chars),
            ));
        }
        let mut seen = HashSet::new();
        for (j, kind) in doc.required_for.iter().enumerate() {
            if !seen.insert(*kind) {
                errors.push(FieldError::new(
                    format!("parameters.documents[{i}].required_for[{j}]"),
                    FieldCode::Duplicate,
                    text!("documents-project-kind-listed-more-than"),
                ));
            }
        }
    }
    errors
}

/// The documents a dossier of `kind` still lacks to be submitted, one error each, named
/// `documents.<code>` with the code `missing_document`.
pub fn missing_documents<'a>(
    list: &[DocumentRequirement],
    kind: ProjectKind,
    has_esus_approval: bool,
    present: impl IntoIterator<Item = &'a str>,
) -> Vec<FieldError> {
    let present: HashSet<&str> = present.into_iter().collect();
    list.iter()
        .filter(|doc| doc.is_required(kind, has_esus_approval) && !present.contains(doc.code.as_str()))
        .map(|doc| {
            FieldError::new(
                format!("documents.{}", doc.code),
                FieldCode::MissingDocument,
                text!("documents-document-required-submit-dossier", label = &doc.label, code = &doc.code),
            )
        })
        .collect()
}

/// The content types accepted, by the first bytes of the file: PDF, PNG, JPEG, OpenDocument
/// (text, spreadsheet, presentation) and Office Open XML (Word, Excel, PowerPoint).
pub const ACCEPTED_TYPES: [&str; 9] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

/// The accepted content type of a file whose first bytes are `head` (at most [`SNIFF_BYTES`]),
/// `None` for anything else (an executable, a ZIP that is no office document, text...).
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    let found = infer::get(head)?.mime_type();
    ACCEPTED_TYPES.iter().copied().find(|accepted| *accepted == found)
}

/// Whether the type a client declared for the file part agrees with the one its bytes show.
/// No declaration, or the generic `application/octet-stream`, says nothing and agrees.
pub fn declared_type_agrees(declared: Option<&str>, detected: &str) -> bool {
    let Some(declared) = declared else { return true };
    let essence = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/octet-stream" => true,
        "image/jpg" | "image/pjpeg" => detected == "image/jpeg",
        "application/x-pdf" => detected == "application/pdf",
        other => other == detected,
    }
}

/// The display name of a client's file name: its last path segment (`/` and `\`), without
/// control characters or leading dots, at most [`MAX_NAME_CHARS`] characters (the extension kept),
/// `document` when nothing is left. It is only ever shown, never used as a path.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        return "document".into();
    }
    let count = cleaned.chars().count();
    if count <= MAX_NAME_CHARS {
        return cleaned;
    }
    // Keep a short extension (".pdf") at the end of a cut name.
    let extension: String = match cleaned.rfind('.') {
        Some(dot) if cleaned[dot..].chars().count() <= 10 => cleaned[dot..].to_string(),
        _ => String::new(),
    };
    let keep = MAX_NAME_CHARS - extension.chars().count();
    let stem: String = cleaned.chars().take(keep).collect();
    format!("{}{extension}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_require_what_a_dossier_needs() {
        let di = template_documents(true);
        assert_eq!(validate_requirements(&di), vec![]);
        let codes = |kind, esus| -> Vec<String> {
            missing_documents(&di, kind, esus, []).into_iter().map(|e| e.field).collect()
        };
        assert_eq!(
            codes(ProjectKind::Works, false),
            [
                "documents.statuts",
                "documents.comptes",
                "documents.devis",
                "documents.rib",
                "documents.attestation_de_minimis"
            ]
        );
        assert!(codes(ProjectKind::Works, true).contains(&"documents.agrement_esus".to_string()));
        let dl = template_documents(false);
        let missing: Vec<String> = missing_documents(&dl, ProjectKind::Rent, false, ["statuts", "bail"])
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(missing, ["documents.comptes", "documents.rib", "documents.attestation_de_minimis"]);
    }

    #[test]
    fn requirement_lists_are_checked() {
        let mut list = template_documents(true);
        list[1].code = "statuts".into();
        list[2].label = " ".into();
        list[3].required_for = vec![ProjectKind::Rent, ProjectKind::Rent];
        list[4].code = "Bad-Code".into();
        let fields: Vec<(String, String)> =
            validate_requirements(&list).into_iter().map(|e| (e.field, e.code.to_string())).collect();
        assert_eq!(
            fields,
            [
                ("parameters.documents[1].code".to_string(), "duplicate".to_string()),
                ("parameters.documents[2].label".into(), "required".into()),
                ("parameters.documents[3].required_for[1]".into(), "duplicate".into()),
                ("parameters.documents[4].code".into(), "invalid_format".into()),
            ]
        );
    }

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None, "a Windows executable");
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), None, "an ELF executable");
        assert_eq!(sniff(b"hello, world"), None);
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), Some("application/vnd.oasis.opendocument.text"));
    }

    #[test]
    fn declared_types_must_agree() {
        assert!(declared_type_agrees(None, "application/pdf"));
        assert!(declared_type_agrees(Some("application/octet-stream"), "application/pdf"));
        assert!(declared_type_agrees(Some("Application/PDF; name=x"), "application/pdf"));
        assert!(declared_type_agrees(Some("image/jpg"), "image/jpeg"));
        assert!(!declared_type_agrees(Some("image/png"), "application/pdf"));
    }

    #[test]
    fn file_names_are_only_names() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("/var/lib/essor/x.pdf"), "x.pdf");
        assert_eq!(clean_file_name("C:\\Users\\a\\statuts.pdf"), "statuts.pdf");
        assert_eq!(clean_file_name("a\0b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_file_name(".."), "document");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
        assert_eq!(clean_file_name(""), "document");
        assert_eq!(clean_file_name("devis\u{202E}fdp.exe"), "devisfdp.exe");
        let long = format!("{}.pdf", "é".repeat(500));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), MAX_NAME_CHARS);
        assert!(cleaned.ends_with(".pdf"));
    }
}
