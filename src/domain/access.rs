//! Who is calling and what their role lets them do (DESIGN.md, "Users and what they do").
//! Authentication (tokens) lives in `crate::auth`; this is the part the rules depend on.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::Code;
use super::ids::TerritoryCode;
use super::lang::Text;
use crate::text;

/// What a caller may do (DESIGN.md, "Users and what they do").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Instructor,
    Finance,
    Admin,
}

impl Role {
    /// Staff see every dossier of their territory; applicants only their own organisation's.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Applicant)
    }
}

/// The authenticated caller: who, in which role, for which territory and (applicants) which
/// organisation. Every object the caller touches belongs to its territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub sub: String,
    pub role: Role,
    pub territory: TerritoryCode,
    /// Applicants: the SIRET of the organisation the identity provider vouches they act for.
    pub organisation_siret: Option<String>,
}

/// The caller may not do this; the sentence says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub Text);

impl Caller {
    /// Denied unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), Denied> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        let (role, needed) = (self.role.as_str(), names.join(", "));
        Err(Denied(text!("requests-role-may-do-needs", role = &role, needed = &needed)))
    }

    /// The SIRET an applicant acts for (denied if an applicant token names none).
    pub fn applicant_siret(&self) -> Result<&str, Denied> {
        self.organisation_siret
            .as_deref()
            .ok_or_else(|| Denied(text!("requests-applicant-token-names-no-organisation")))
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// Any instructor of the territory may act on a dossier; when another instructor had taken
    /// it, it passes to this one. Returns the sentence the history records for staff.
    pub fn takes_over_from(&self, assigned: Option<&str>) -> Option<String> {
        match assigned {
            Some(other) if self.role == Role::Instructor && other != self.sub => {
                Some(text!("history-taken-over", by = &self.sub, from = other).stored())
            }
            _ => None,
        }
    }

    /// Staff of the territory see every organisation; an applicant only the one it acts for.
    pub fn may_see_organisation(&self, siret: &str) -> bool {
        self.is_staff() || self.organisation_siret.as_deref() == Some(siret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, siret: Option<&str>) -> Caller {
        Caller { sub: "u".into(), role, territory: "rouen".into(), organisation_siret: siret.map(Into::into) }
    }

    #[test]
    fn require_names_the_roles_needed() {
        let applicant = caller(Role::Applicant, Some("73282932000074"));
        assert!(applicant.require(&[Role::Applicant]).is_ok());
        let denied = applicant.require(&[Role::Instructor, Role::Admin]).unwrap_err();
        assert_eq!(
            denied.0.in_(crate::domain::Lang::En),
            "The role 'applicant' may not do this; it needs: instructor, admin."
        );
        assert_eq!(
            denied.0.in_(crate::domain::Lang::Fr),
            "Le rôle « applicant » ne permet pas cette action ; il faut l'un de : instructor, admin."
        );
    }

    #[test]
    fn another_instructor_takes_the_dossier_over() {
        let bob = Caller { sub: "bob".into(), ..caller(Role::Instructor, None) };
        assert_eq!(bob.takes_over_from(Some("bob")), None);
        assert_eq!(bob.takes_over_from(None), None);
        assert!(bob.takes_over_from(Some("alice")).unwrap().contains("alice"));
        assert_eq!(caller(Role::Finance, None).takes_over_from(Some("alice")), None);
    }

    #[test]
    fn applicants_see_only_their_organisation() {
        let applicant = caller(Role::Applicant, Some("73282932000074"));
        assert!(applicant.may_see_organisation("73282932000074"));
        assert!(!applicant.may_see_organisation("73282932000075"));
        assert!(caller(Role::Finance, None).may_see_organisation("73282932000075"));
        assert!(caller(Role::Applicant, None).applicant_siret().is_err());
    }
}
