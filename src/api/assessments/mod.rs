pub mod dto;
pub mod list;
pub mod put;
