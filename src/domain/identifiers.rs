//! French administrative identifiers: SIRET/SIREN, INSEE commune codes, RNA numbers and INSEE
//! legal-form codes ("catégories juridiques"), with the ESS legal family each legal form belongs
//! to.
//!
//! Every validator returns a stable machine-readable error code ([`FieldCode`](super::FieldCode)) that the HTTP
//! layer puts into a [`FieldError`](super::FieldError) together with the field path; the codes are
//! part of the API contract:
//!
//! | validator | codes |
//! |---|---|
//! | [`validate_siret`] | `siret_format`, `siret_checksum` |
//! | [`validate_commune_code`] | `commune_code_format`, `commune_code_department` |
//! | [`validate_rna`] | `rna_format` |
//! | [`validate_legal_form_code`] | `legal_form_format` |
//!
//! Validators never trim or normalise: callers pass exactly what they will store.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldCode;

/// What [`validate_commune_code`] accepts, as the API documents it (a test checks they agree).
pub const COMMUNE_CODE_PATTERN: &str = "^((0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B)(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})|97[1-6](0[1-9]|[1-9][0-9]))$";

/// An INSEE commune code, for the API documentation of lists of codes (the value stays a `String`).
#[derive(ToSchema)]
#[schema(
    pattern = "^((0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B)(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})|97[1-6](0[1-9]|[1-9][0-9]))$",
    example = "76540"
)]
#[allow(dead_code)]
pub struct CommuneCode(String);

/// SIREN of La Poste, whose establishment numbers (NIC) do not follow the Luhn rule.
const LA_POSTE_SIREN: &str = "356000000";

/// Checks a SIRET (establishment number): exactly 14 ASCII digits whose Luhn checksum is valid.
///
/// Exception (documented by INSEE for the Sirene register): the establishments of La Poste
/// (SIREN `356000000`) are numbered so that the **sum of the 14 digits is a multiple of 5**
/// instead of passing Luhn. For that SIREN a SIRET is accepted when it passes *either* rule,
/// because La Poste's head office `35600000000048` passes Luhn but its digit sum (26) is not a
/// multiple of 5, while establishments such as `35600000049837` pass only the sum-of-digits rule.
///
/// The SIRET's first nine digits, the SIREN (the company's own number), carry their own Luhn
/// check digit too, which every SIREN passes (La Poste's `356000000` included): a SIRET whose
/// whole 14 digits pass but whose SIREN does not, such as `12345678900015`, is refused.
///
/// Errors: `siret_format` (not 14 ASCII digits: length, letters, spaces, signs),
/// `siren_checksum` (the first nine digits fail their Luhn check), `siret_checksum` (14 digits
/// but the SIRET's own checksum fails). The SIREN is checked first.
pub fn validate_siret(s: &str) -> Result<(), FieldCode> {
    let bytes = s.as_bytes();
    if bytes.len() != 14 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(FieldCode::SiretFormat);
    }
    if !luhn_valid(&bytes[..9]) {
        return Err(FieldCode::SirenChecksum);
    }
    if luhn_valid(bytes) {
        return Ok(());
    }
    if s.starts_with(LA_POSTE_SIREN) {
        let digit_sum: u32 = bytes.iter().map(|b| u32::from(b - b'0')).sum();
        if digit_sum.is_multiple_of(5) {
            return Ok(());
        }
    }
    Err(FieldCode::SiretChecksum)
}

/// The SIREN (company number, first 9 digits) of a SIRET.
///
/// Meant for a SIRET that passed [`validate_siret`]; on a shorter or non-ASCII string it returns
/// the longest prefix of at most 9 bytes that ends on a character boundary instead of panicking.
pub fn siren_of(siret: &str) -> &str {
    let mut end = siret.len().min(9);
    while !siret.is_char_boundary(end) {
        end -= 1;
    }
    &siret[..end]
}

/// Luhn checksum over ASCII digits: from the rightmost digit, every second digit is doubled
/// (minus 9 when the double exceeds 9) and the total must be a multiple of 10.
fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks an INSEE commune code (code officiel géographique, 5 characters).
///
/// Accepted, exactly (no trimming, upper case only):
/// - metropolitan departments `01`–`19` and `21`–`95` followed by 3 digits (`76540` Rouen,
///   `35238` Rennes); `20` no longer exists since Corsica was split in 1976;
/// - Corsica `2A` / `2B` followed by 3 digits (`2A004` Ajaccio); lower case `2a` is refused;
/// - overseas `971`–`976` followed by 2 digits (Guadeloupe, Martinique, Guyane, La Réunion,
///   Saint-Pierre-et-Miquelon, Mayotte; `97411` Saint-Denis).
///
/// Refused: `00xxx`, `20xxx`, `96xxx`, `970xx`, `977xx`–`979xx` (Saint-Barthélemy and
/// Saint-Martin use 977/978 but are collectivités outside the commune register used by the
/// schemes), `98xxx` (Pacific collectivities), and a commune number of zero (`76000`, `2A000`,
/// `97100`), which INSEE never assigns. The code is not checked against the list of existing
/// communes: that list changes every year and belongs to the territory's rules.
///
/// Errors: `commune_code_format` (not 5 characters of the right shape), `commune_code_department`
/// (well-formed but the department part does not exist, or commune number zero).
pub fn validate_commune_code(s: &str) -> Result<(), FieldCode> {
    let b = s.as_bytes();
    if b.len() != 5 {
        return Err(FieldCode::CommuneCodeFormat);
    }
    let digit = |i: usize| b[i].is_ascii_digit();
    if b[0] == b'2' && (b[1] == b'A' || b[1] == b'B') {
        if !(digit(2) && digit(3) && digit(4)) {
            return Err(FieldCode::CommuneCodeFormat);
        }
        return if &b[2..5] == b"000" { Err(FieldCode::CommuneCodeDepartment) } else { Ok(()) };
    }
    if !b.iter().all(u8::is_ascii_digit) {
        return Err(FieldCode::CommuneCodeFormat);
    }
    let department = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
    match department {
        1..=19 | 21..=95 => {
            if &b[2..5] == b"000" {
                Err(FieldCode::CommuneCodeDepartment)
            } else {
                Ok(())
            }
        }
        97 => match b[2] {
            b'1'..=b'6' => {
                if &b[3..5] == b"00" {
                    Err(FieldCode::CommuneCodeDepartment)
                } else {
                    Ok(())
                }
            }
            _ => Err(FieldCode::CommuneCodeDepartment),
        },
        _ => Err(FieldCode::CommuneCodeDepartment),
    }
}

/// Checks an RNA number (Répertoire national des associations): an upper-case `W` followed by
/// exactly 9 ASCII digits, e.g. `W763004521`.
///
/// Only the upper-case `W` is accepted (that is how the register and the Journal officiel print
/// it); a lower-case `w` is refused rather than silently normalised, so that the stored value is
/// always the canonical one. The older "numéro de parution" formats are not RNA numbers and are
/// refused. Error: `rna_format`.
pub fn validate_rna(s: &str) -> Result<(), FieldCode> {
    let b = s.as_bytes();
    if b.len() == 10 && b[0] == b'W' && b[1..].iter().all(u8::is_ascii_digit) {
        Ok(())
    } else {
        Err(FieldCode::RnaFormat)
    }
}

/// Checks the shape of an INSEE legal-form code ("catégorie juridique", level III): exactly 4
/// ASCII digits, the first one 1–9 (`0xxx` does not exist). Membership of the nomenclature is
/// not checked: an unknown but well-formed code maps to [`LegalFamily::Other`] (or
/// [`LegalFamily::CommercialCompany`] in the 5xxx range). Error: `legal_form_format`.
pub fn validate_legal_form_code(s: &str) -> Result<(), FieldCode> {
    let b = s.as_bytes();
    if b.len() == 4 && (b'1'..=b'9').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit) {
        Ok(())
    } else {
        Err(FieldCode::LegalFormFormat)
    }
}

/// The ESS legal family of an organisation, as law 2014-856 art. 1 lists them ("associations,
/// coopératives, mutuelles, fondations", plus commercial companies that pursue social utility
/// and may hold the ESUS approval, art. 11), derived from its INSEE legal-form code by
/// `legal_family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalFamily {
    Association,
    Cooperative,
    Mutual,
    Foundation,
    CommercialCompany,
    Other,
}

impl LegalFamily {
    /// All families, in declaration order.
    pub const ALL: [LegalFamily; 6] = [
        LegalFamily::Association,
        LegalFamily::Cooperative,
        LegalFamily::Mutual,
        LegalFamily::Foundation,
        LegalFamily::CommercialCompany,
        LegalFamily::Other,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalFamily::Association => "association",
            LegalFamily::Cooperative => "cooperative",
            LegalFamily::Mutual => "mutual",
            LegalFamily::Foundation => "foundation",
            LegalFamily::CommercialCompany => "commercial_company",
            LegalFamily::Other => "other",
        }
    }
}

/// Level III codes of cooperatives. Source: INSEE, nomenclature des catégories juridiques,
/// niveau III. Every code whose INSEE label names a cooperative form:
/// - `5195` association coopérative inscrite (Alsace-Moselle), `5203` SNC coopérative,
///   `5307` SCS coopérative, `5309` SCA coopérative;
/// - SARL coopératives `5443` construction, `5451` consommation, `5453` artisanale, `5454`
///   d'intérêt maritime, `5455` transport, `5458` **SCOP**, `5459` union de coopératives,
///   `5460` autre SARL coopérative (where SARL SCIC are registered);
/// - SA coopératives à conseil d'administration `5543`, `5547` (production de HLM), `5551`–`5555`,
///   `5558` **SCOP**, `5559`, `5560` (autre, incl. SA SCIC); and à directoire `5643`, `5647`,
///   `5651`–`5655`, `5658` **SCOP**, `5659`, `5660`;
/// - agriculture `6316` CUMA, `6317` société coopérative agricole, `6318` union de coopératives
///   agricoles; sociétés civiles coopératives `6543`, `6551`, `6554`, `6558`, `6560`;
/// - cooperative banks, cooperatives in law despite "mutuel" in some labels: `5191` société de
///   caution mutuelle, `5192` banque populaire, `5193` crédit maritime mutuel, `5194` caisse
///   (fédérale) de crédit mutuel, `5196` caisse d'épargne à forme coopérative, `6595` caisse
///   locale de crédit mutuel, `6596` caisse de crédit agricole mutuel.
///
/// Known limit: INSEE has no separate code for a cooperative in SAS form (SCOP SAS, SCIC SAS):
/// such a company is registered as `5710` and therefore classified as a commercial company,
/// which under the usual rules needs the ESUS approval; an instructor must look at its statutes.
const COOPERATIVE_CODES: &[u16] = &[
    5191, 5192, 5193, 5194, 5195, 5196, 5203, 5307, 5309, 5443, 5451, 5453, 5454, 5455, 5458, 5459, 5460,
    5543, 5547, 5551, 5552, 5553, 5554, 5555, 5558, 5559, 5560, 5643, 5647, 5651, 5652, 5653, 5654, 5655,
    5658, 5659, 5660, 6316, 6317, 6318, 6543, 6551, 6554, 6558, 6560, 6595, 6596,
];

/// Level III codes of associations (INSEE 92xx): `9210` non déclarée, `9220` déclarée, `9221`
/// d'insertion par l'économique, `9222` intermédiaire, `9223` groupement d'employeurs, `9224`
/// d'avocats à responsabilité professionnelle individuelle, `9230` reconnue d'utilité publique,
/// `9240` congrégation, `9260` de droit local (Alsace-Moselle).
const ASSOCIATION_CODES: &[u16] = &[9210, 9220, 9221, 9222, 9223, 9224, 9230, 9240, 9260];

/// Level III codes of mutuals: `8210` mutuelle, `8250` assurance mutuelle agricole, `8290` autre
/// organisme mutualiste (code de la mutualité), and `6411` société d'assurance à forme mutuelle
/// (code des assurances), which law 2014-856 art. 1 names explicitly.
const MUTUAL_CODES: &[u16] = &[6411, 8210, 8250, 8290];

/// The ESS legal family of an INSEE legal-form code (level III, 4 digits).
///
/// Source: INSEE, nomenclature des catégories juridiques, niveau III.
/// - [`LegalFamily::Association`] for 9210, 9220, 9221, 9222, 9223, 9224, 9230, 9240, 9260;
/// - [`LegalFamily::Foundation`] for 9300;
/// - [`LegalFamily::Mutual`] for 6411, 8210, 8250, 8290;
/// - [`LegalFamily::Cooperative`] for the list on `COOPERATIVE_CODES` (SCOP 5458/5558/5658, other
///   SARL/SA cooperatives 5460/5560/5660 where SCIC are registered, 6317 société coopérative
///   agricole, cooperative banks, ...);
/// - [`LegalFamily::CommercialCompany`] for every other 5xxx code (SNC 5202, SCS 5306, SCA 5308,
///   SARL 54xx, SA 55xx/56xx, SAS 5710/5720, SELAS 5785, SE 5800, ...);
/// - [`LegalFamily::Other`] for everything else, including malformed codes, sole traders (1000),
///   public bodies (7xxx), sociétés civiles (65xx), GIE (6220), social security (81xx), unions
///   (84xx) and 9900 "autre personne morale de droit privé".
pub fn legal_family(code: &str) -> LegalFamily {
    if validate_legal_form_code(code).is_err() {
        return LegalFamily::Other;
    }
    let n = code.bytes().fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    if ASSOCIATION_CODES.contains(&n) {
        LegalFamily::Association
    } else if n == 9300 {
        LegalFamily::Foundation
    } else if MUTUAL_CODES.contains(&n) {
        LegalFamily::Mutual
    } else if COOPERATIVE_CODES.contains(&n) {
        LegalFamily::Cooperative
    } else if (5000..6000).contains(&n) {
        LegalFamily::CommercialCompany
    } else {
        LegalFamily::Other
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_documented_commune_pattern_is_exactly_the_validator() {
        let pattern = regex::Regex::new(COMMUNE_CODE_PATTERN).unwrap();
        let mut checked = 0;
        for prefix in (0..100).map(|d| format!("{d:02}")).chain(["2A".to_string(), "2B".to_string()]) {
            for suffix in [0, 1, 9, 10, 99, 100, 101, 540, 999] {
                let code = format!("{prefix}{suffix:03}");
                assert_eq!(pattern.is_match(&code), validate_commune_code(&code).is_ok(), "{code}");
                checked += 1;
            }
        }
        for code in [
            "97100", "97101", "97411", "97600", "97611", "97700", "97701", "98735", "7654", "765401", "2C001",
        ] {
            assert_eq!(pattern.is_match(code), validate_commune_code(code).is_ok(), "{code}");
        }
        assert!(checked > 900);
    }

    use super::*;

    /// Independent reference: Luhn computed from the left with the position parity of a
    /// 14-digit number (digits at even 0-based index from the left are doubled).
    fn reference_luhn(s: &str) -> bool {
        let total: u32 = s
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap();
                if i % 2 == 0 {
                    let x = d * 2;
                    x / 10 + x % 10
                } else {
                    d
                }
            })
            .sum();
        total.is_multiple_of(10)
    }

    #[test]
    fn test_vectors_were_computed_not_remembered() {
        // 73282932000074: doubled digits 7,2,2,3,0,0,7 -> 14->5,4,4,6,0,0,14->5 = 24;
        // others 3,8,9,2,0,0,4 = 26; total 50 -> valid.
        assert!(reference_luhn("73282932000074"));
        // La Poste head office: passes Luhn (total 30), digit sum 26 (not a multiple of 5).
        assert!(reference_luhn("35600000000048"));
        // La Poste establishment: digit sum 45, Luhn fails.
        assert!(!reference_luhn("35600000049837"));
        let sum: u32 = "35600000049837".chars().map(|c| c.to_digit(10).unwrap()).sum();
        assert_eq!(sum, 45);
        // SIREN of La Poste itself passes Luhn on 9 digits.
        assert!(luhn_valid(b"356000000"));
    }

    #[test]
    fn valid_sirets() {
        for s in ["73282932000074", "35600000000048", "35600000049837", "00000000000000"] {
            assert_eq!(validate_siret(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn luhn_matches_reference_for_every_last_digit() {
        for base in ["7328293200007", "5520813170001", "1234567820123"] {
            let valid: Vec<_> =
                (0..10).map(|d| format!("{base}{d}")).filter(|s| validate_siret(s).is_ok()).collect();
            assert_eq!(valid.len(), 1, "exactly one check digit for {base}: {valid:?}");
            assert!(reference_luhn(&valid[0]));
        }
    }

    #[test]
    fn invalid_siret_checksum() {
        assert_eq!(validate_siret("73282932000075"), Err(FieldCode::SiretChecksum));
        // Two digits swapped.
        assert_eq!(validate_siret("73282932000047"), Err(FieldCode::SiretChecksum));
        // La Poste SIREN, neither rule: digit sum 46, Luhn fails.
        assert!(!reference_luhn("35600000049838"));
        assert_eq!(validate_siret("35600000049838"), Err(FieldCode::SiretChecksum));
        // Sum-of-5 rule is reserved to La Poste: 73282932000004 (a valid SIREN) has digit sum 40
        // and fails Luhn.
        assert!(!reference_luhn("73282932000004"));
        assert_eq!(validate_siret("73282932000004"), Err(FieldCode::SiretChecksum));
    }

    /// Independent reference for a 9-digit SIREN: the digits at odd 0-based index from the left
    /// are doubled.
    fn reference_siren_luhn(s: &str) -> bool {
        let total: u32 = s
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap();
                if i % 2 == 1 {
                    let x = d * 2;
                    x / 10 + x % 10
                } else {
                    d
                }
            })
            .sum();
        s.len() == 9 && total.is_multiple_of(10)
    }

    #[test]
    fn the_siren_has_its_own_check_digit() {
        // 12345678900015 passes Luhn on its 14 digits, but its SIREN 123456789 does not
        // (9, 8→7, 7, 6→3, 5, 4→8, 3, 2→4, 1: 47).
        assert!(reference_luhn("12345678900015"));
        assert!(!reference_siren_luhn("123456789"));
        assert_eq!(validate_siret("12345678900015"), Err(FieldCode::SirenChecksum));
        // The same SIREN made valid (123456782: 9 + … with 2 as its digit sums to 40), with a NIC
        // that makes the SIRET pass as well.
        assert!(reference_siren_luhn("123456782"));
        let valid: Vec<String> =
            (0..10).map(|d| format!("1234567820001{d}")).filter(|s| validate_siret(s).is_ok()).collect();
        assert_eq!(valid.len(), 1, "{valid:?}");
        assert!(reference_luhn(&valid[0]));
        // A valid SIREN does not save a wrong SIRET digit, and a wrong SIREN is reported first.
        let last = valid[0].as_bytes()[13] - b'0';
        let wrong_nic = format!("{}{}", &valid[0][..13], (last + 1) % 10);
        assert_eq!(validate_siret(&wrong_nic), Err(FieldCode::SiretChecksum));
        assert_eq!(validate_siret("12345678800015"), Err(FieldCode::SirenChecksum));
        // La Poste: its SIREN passes, so the sum-of-5 exception still applies to its establishments.
        assert!(reference_siren_luhn("356000000"));
        assert_eq!(validate_siret("35600000049837"), Ok(()));
        // All zeros passes both rules.
        assert_eq!(validate_siret("00000000000000"), Ok(()));
    }

    #[test]
    fn invalid_siret_format() {
        for s in [
            "",
            "7328293200007",
            "732829320000740",
            "7328293200007A",
            "73282932 00074",
            " 73282932000074",
            "-3282932000074",
            "７3282932000074",
        ] {
            assert_eq!(validate_siret(s), Err(FieldCode::SiretFormat), "{s:?}");
        }
    }

    #[test]
    fn siren_is_the_first_nine_digits() {
        assert_eq!(siren_of("73282932000074"), "732829320");
        assert_eq!(siren_of("35600000049837"), "356000000");
        assert_eq!(siren_of("1234"), "1234");
        assert_eq!(siren_of("12345678é9"), "12345678");
    }

    #[test]
    fn valid_commune_codes() {
        for s in [
            "76540", "35238", "2A004", "2B033", "97411", "01001", "95690", "97101", "97611", "97502",
            "75056", "19001",
        ] {
            assert_eq!(validate_commune_code(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn invalid_commune_codes() {
        for (s, code) in [
            ("", "commune_code_format"),
            ("7654", "commune_code_format"),
            ("765400", "commune_code_format"),
            ("2a004", "commune_code_format"),
            ("2C004", "commune_code_format"),
            ("2A0B4", "commune_code_format"),
            ("7654O", "commune_code_format"),
            (" 7654", "commune_code_format"),
            ("00123", "commune_code_department"),
            ("20004", "commune_code_department"),
            ("96001", "commune_code_department"),
            ("99001", "commune_code_department"),
            ("97011", "commune_code_department"),
            ("97711", "commune_code_department"),
            ("98735", "commune_code_department"),
            ("76000", "commune_code_department"),
            ("2A000", "commune_code_department"),
            ("97400", "commune_code_department"),
        ] {
            assert_eq!(validate_commune_code(s).map_err(crate::domain::Code::as_str), Err(code), "{s:?}");
        }
    }

    #[test]
    fn rna() {
        assert_eq!(validate_rna("W763004521"), Ok(()));
        for s in ["w763004521", "W76300452", "W7630045211", "X763004521", "W76300452A", ""] {
            assert_eq!(validate_rna(s), Err(FieldCode::RnaFormat), "{s:?}");
        }
    }

    #[test]
    fn legal_form_code_shape() {
        for s in ["1000", "5710", "9220", "9999"] {
            assert_eq!(validate_legal_form_code(s), Ok(()), "{s}");
        }
        for s in ["0220", "922", "92200", "92A0", "", " 922"] {
            assert_eq!(validate_legal_form_code(s), Err(FieldCode::LegalFormFormat), "{s:?}");
        }
    }

    #[test]
    fn legal_families() {
        use LegalFamily::*;
        for (code, family) in [
            ("9210", Association),
            ("9220", Association),
            ("9221", Association),
            ("9222", Association),
            ("9223", Association),
            ("9224", Association),
            ("9230", Association),
            ("9240", Association),
            ("9260", Association),
            ("9300", Foundation),
            ("8210", Mutual),
            ("8250", Mutual),
            ("8290", Mutual),
            ("6411", Mutual),
            ("5458", Cooperative),
            ("5558", Cooperative),
            ("5658", Cooperative),
            ("5460", Cooperative),
            ("5560", Cooperative),
            ("5660", Cooperative),
            ("6317", Cooperative),
            ("5192", Cooperative),
            ("5202", CommercialCompany),
            ("5499", CommercialCompany),
            ("5498", CommercialCompany),
            ("5599", CommercialCompany),
            ("5699", CommercialCompany),
            ("5710", CommercialCompany),
            ("5720", CommercialCompany),
            ("5800", CommercialCompany),
            ("1000", Other),
            ("6540", Other),
            ("6220", Other),
            ("7344", Other),
            ("8110", Other),
            ("9900", Other),
            ("9150", Other),
            ("922", Other),
            ("", Other),
        ] {
            assert_eq!(legal_family(code), family, "{code}");
        }
    }

    #[test]
    fn legal_family_serialises_in_snake_case() {
        let json = serde_json::to_string(&LegalFamily::ALL).unwrap();
        assert_eq!(
            json,
            r#"["association","cooperative","mutual","foundation","commercial_company","other"]"#
        );
        for f in LegalFamily::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
    }
}
