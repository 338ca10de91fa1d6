pub mod dto;
pub mod get;
pub mod update;
