pub mod create;
pub mod dto;
pub mod get;
pub mod list;
pub mod update;
