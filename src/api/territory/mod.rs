pub mod dto;
pub mod get;
