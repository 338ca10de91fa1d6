pub mod create;
pub mod create_rules;
pub mod dto;
pub mod get;
pub mod list;
pub mod list_rules;
