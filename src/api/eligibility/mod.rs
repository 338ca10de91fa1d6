pub mod dto;
pub mod get;
pub mod inputs;
pub mod record;
