//! Pieces shared by several pages.

pub mod call_card;
pub mod layout;
pub mod marked;
pub mod pager;
pub mod search_field;
pub mod status_badge;
