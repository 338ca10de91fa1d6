//! Disbursements: the instructor certifies the service done and requests a payment; finance
//! pays or refuses it.

pub mod dto;
pub mod list;
pub mod of_dossier;
pub mod pay;
pub mod refuse;
pub mod request;
