pub mod create;
pub mod dto;
pub mod get;
pub mod history;
pub mod list;
pub mod update;
