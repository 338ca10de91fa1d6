//! Acknowledgements of receipt: `GET /dossiers/{id}/receipts` (JSON) and each one's letter
//! (`…/receipts/{receipt_id}/pdf`). Issued by submissions (`dossiers::receipt`).

pub mod dto;
pub mod letter;
pub mod list;
