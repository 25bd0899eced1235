//! The notice a page shows when its data could not be loaded.

use crate::error::AppError;
use leptos::prelude::*;

/// What went wrong, in words a user can act on.
#[component]
pub fn ErrorNotice(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    view! {
        <div class="error-notice" role="alert">
            <h3>"We could not load this"</h3>
            <p>{error.to_string()}</p>
        </div>
    }
}

/// A failed form or section, said where the person is looking (`role="alert"`).
pub fn inline_alert(error: AppError) -> AnyView {
    view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()
}

/// "Log in to …" for pages that need a person.
pub fn log_in_first(what: &'static str) -> AnyView {
    view! { <p class="empty-state"><a href="/account/login">"Log in"</a> {format!(" to {what}.")}</p> }.into_any()
}
