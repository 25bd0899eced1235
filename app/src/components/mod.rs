//! Pieces shared by several pages.

pub mod call_card;
pub mod check_list;
pub mod error_notice;
pub mod filter_panel;
pub mod follow_call;
pub mod layout;
pub mod marked;
pub mod page_title;
pub mod pager;
pub mod save_search;
pub mod search_field;
pub mod sheet_file;
pub mod status_badge;
pub mod vocabulary_picker;
