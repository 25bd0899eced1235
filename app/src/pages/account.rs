//! Account pages: sign up, log in, confirm an address, forget and reset a password, ask to
//! join or add an organisation, and the account itself (organisations, requests to decide,
//! sessions, password, name, address, their data: download or delete). Each form calls
//! one server function and shows its answer or its error where the person is looking.

use crate::api::accounts::{
    change_password, confirm_email_change, create_organisation, current_viewer, decide_request, delete_account,
    end_session, list_sessions, log_in, log_out, pending_requests, rename, request_email_change, request_membership,
    request_password_reset, reset_password, sign_up, verify_email, NewOrganisationForm, OrganisationKind, RequestKind,
    SignUpForm, Viewer,
};
use crate::components::error_notice::inline_alert;
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::date;
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The person logged in, loaded once per page and refreshed after login and logout.
#[derive(Clone, Copy)]
pub struct CurrentViewer(pub Resource<Result<Option<Viewer>, AppError>>);

impl CurrentViewer {
    /// Loads the person logged in and shares it with every component below.
    pub fn provide() {
        provide_context(CurrentViewer(Resource::new(|| (), |_| current_viewer())));
    }

    /// The shared resource.
    pub fn use_context() -> CurrentViewer {
        expect_context::<CurrentViewer>()
    }

    /// Asks the server again (after the session changed).
    pub fn refresh(self) {
        self.0.refetch();
    }
}

/// The value typed into `input` (empty before the page runs in a browser).
pub(crate) fn typed(input: NodeRef<Input>) -> String {
    input.get().map(|input| input.value()).unwrap_or_default()
}

/// What a form says after it was sent: its answer, or its error as an alert.
#[component]
pub(crate) fn FormOutcome(
    /// The action's latest result: the text to show on success.
    outcome: Signal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    move || {
        outcome.get().map(|result| match result {
            Ok(message) => view! { <p class="form-success" role="status">{message}</p> }.into_any(),
            Err(error) => inline_alert(error),
        })
    }
}

/// A labelled input.
#[component]
pub(crate) fn Field(
    /// The label.
    label: &'static str,
    /// The input's `name` and `id`.
    name: &'static str,
    /// `email`, `password` or `text`.
    kind: &'static str,
    /// The browser's autofill hint.
    autocomplete: &'static str,
    /// Where the typed value is read.
    input: NodeRef<Input>,
) -> impl IntoView {
    view! {
        <label class="field" for=name>
            <span>{label}</span>
            <input id=name name=name type=kind autocomplete=autocomplete required node_ref=input />
        </label>
    }
}

/// Sign up: name, address, password; then "check your inbox".
#[component]
pub fn SignUpPage() -> impl IntoView {
    let (name, email, password) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let action = Action::new(|form: &SignUpForm| sign_up(form.clone()));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch(SignUpForm {
            email: typed(email),
            display_name: typed(name),
            password: typed(password),
        });
    };
    view! {
        <PageTitle text="Create an account" />
        <section class="account-form">
            <h1>"Create an account"</h1>
            <p>"Browsing calls needs no account. With one, you can speak for your organisation, get alerts and a weekly digest."</p>
            <form on:submit=submit>
                <Field label="Your name" name="display_name" kind="text" autocomplete="name" input=name />
                <Field label="Email address" name="email" kind="email" autocomplete="email" input=email />
                <Field label="Password (10 characters or more)" name="password" kind="password" autocomplete="new-password" input=password />
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Create my account"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
            <p>"Already have an account? " <a href="/account/login">"Log in"</a></p>
        </section>
    }
}

/// Log in; on success the header shows the person and the account page opens.
#[component]
pub fn LogInPage() -> impl IntoView {
    let (email, password) = (NodeRef::new(), NodeRef::new());
    let viewer = CurrentViewer::use_context();
    let action = Action::new(|(email, password): &(String, String)| log_in(email.clone(), password.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            viewer.refresh();
            navigate("/account", Default::default());
        }
    });
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch((typed(email), typed(password)));
    };
    let outcome = Signal::derive(move || {
        action
            .value()
            .get()
            .map(|result| result.map(|viewer| format!("Welcome back, {}.", viewer.display_name)))
    });
    view! {
        <PageTitle text="Log in" />
        <section class="account-form">
            <h1>"Log in"</h1>
            <form on:submit=submit>
                <Field label="Email address" name="email" kind="email" autocomplete="username" input=email />
                <Field label="Password" name="password" kind="password" autocomplete="current-password" input=password />
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Log in"</button>
            </form>
            <FormOutcome outcome />
            <p><a href="/account/forgot">"Forgot your password?"</a> " · " <a href="/account/signup">"Create an account"</a></p>
        </section>
    }
}

/// The token in the page's address (`?token=`).
pub(crate) fn token_from_address() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("token").unwrap_or_default())
}

/// Confirms an address: a button (not the page load, which mail scanners also do).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let token = token_from_address();
    let action = Action::new(|token: &String| {
        let token = token.clone();
        async move {
            verify_email(token)
                .await
                .map(|()| "Your address is confirmed: what you asked to be mailed will come. With a password, you can log in now.".to_owned())
        }
    });
    view! {
        <PageTitle text="Confirm your address" />
        <section class="account-form">
            <h1>"Confirm your address"</h1>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch(token.get_untracked());
            }>
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Confirm my address"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
            <p><a href="/account/login">"Log in"</a></p>
        </section>
    }
}

/// Confirms a new address for the account.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = token_from_address();
    let action = Action::new(|token: &String| {
        let token = token.clone();
        async move {
            confirm_email_change(token)
                .await
                .map(|()| "Your account now uses this address.".to_owned())
        }
    });
    view! {
        <PageTitle text="Confirm your new address" />
        <section class="account-form">
            <h1>"Confirm your new address"</h1>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch(token.get_untracked());
            }>
                <button class="button primary" type="submit">"Use this address"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
        </section>
    }
}

/// "Forgot your password?": mails a reset link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let email = NodeRef::new();
    let action = Action::new(|email: &String| request_password_reset(email.clone()));
    view! {
        <PageTitle text="Forgot your password?" />
        <section class="account-form">
            <h1>"Forgot your password?"</h1>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch(typed(email));
            }>
                <Field label="Email address" name="email" kind="email" autocomplete="email" input=email />
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Send me a link"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
        </section>
    }
}

/// Chooses a new password with the mailed link.
#[component]
pub fn ResetPage() -> impl IntoView {
    let token = token_from_address();
    let password = NodeRef::new();
    let action = Action::new(|(token, password): &(String, String)| {
        let (token, password) = (token.clone(), password.clone());
        async move {
            reset_password(token, password)
                .await
                .map(|()| "Your new password is set, and every session was ended. You can log in now.".to_owned())
        }
    });
    view! {
        <PageTitle text="Choose a new password" />
        <section class="account-form">
            <h1>"Choose a new password"</h1>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch((token.get_untracked(), typed(password)));
            }>
                <Field label="New password (10 characters or more)" name="password" kind="password" autocomplete="new-password" input=password />
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Set my password"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
            <p><a href="/account/login">"Log in"</a></p>
        </section>
    }
}

/// Asks to join the organisation named in the address (`?organisation=`).
#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let organisation = Memo::new(move |_| query.read().get("organisation").unwrap_or_default());
    let named = Resource::new(move || organisation.get(), crate::api::get_organisation);
    let message: NodeRef<Textarea> = NodeRef::new();
    let action = Action::new(|(organisation, message): &(String, String)| {
        request_membership(organisation.clone(), RequestKind::Join, message.clone())
    });
    view! {
        <PageTitle text="Ask to join an organisation" />
        <section class="account-form">
            <h1>
                "Ask to join "
                <Transition fallback=move || organisation.get()>
                    {move || named.get().map(|found| match found {
                        Ok(detail) => detail.organisation.name,
                        Err(_) => organisation.get(),
                    })}
                </Transition>
            </h1>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                let text = message.get().map(|m| m.value()).unwrap_or_default();
                action.dispatch((organisation.get_untracked(), text));
            }>
                <label class="field" for="message">
                    <span>"A word for its editors (optional)"</span>
                    <textarea id="message" name="message" maxlength="500" node_ref=message></textarea>
                </label>
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Ask to join"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
        </section>
    }
}

/// The account: who, which organisations, requests to decide, sessions, password, log out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    view! {
        <PageTitle text="Your account" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || viewer.0.get().map(|result| match result {
                Ok(Some(person)) => view! { <AccountDetails person /> }.into_any(),
                Ok(None) => view! {
                    <section class="empty-state">
                        <h1>"Your account"</h1>
                        <p>"You are not logged in."</p>
                        <p><a class="button primary" href="/account/login">"Log in"</a> " " <a class="button" href="/account/signup">"Create an account"</a></p>
                    </section>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// The account page's sections for a logged-in person.
#[component]
fn AccountDetails(
    /// Who is logged in.
    person: Viewer,
) -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    let logout = Action::new(|_: &()| log_out());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            viewer.refresh();
            navigate("/", Default::default());
        }
    });
    let organisations = person
        .memberships
        .iter()
        .map(|membership| {
            view! {
                <li>
                    <a href=crate::pages::organisation::organisation_path(&membership.organisation_id)><strong>{membership.organisation_name.clone()}</strong></a>
                    " — " {membership.role.label()}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="account">
            <h1>{person.display_name.clone()}</h1>
            <p>{person.email.clone()} {person.is_admin.then_some(" · Administrator")}</p>
            <h2>"Your organisations"</h2>
            {if person.memberships.is_empty() {
                view! { <p>"You do not belong to an organisation yet. Find yours among the " <a href="/organisations">"partners"</a> " and ask to join it, or " <a href="/account/organisations/new">"add it"</a> "."</p> }.into_any()
            } else {
                view! { <ul class="memberships">{organisations}</ul> }.into_any()
            }}
            {person.is_admin.then(|| view! { <p><a class="button" href="/admin">"Administration"</a></p> })}
            <ClustersRun person=person.clone() />
            <PendingRequests />
            <Sessions />
            <ChangePassword />
            <ChangeName />
            <ChangeEmail />
            <YourData />
            <button class="button" type="button" on:click=move |_| { logout.dispatch(()); }>"Log out"</button>
        </section>
    }
}

/// The clusters run by organisations the person speaks for (their editors and managers run
/// them), each linked to its page.
#[component]
fn ClustersRun(person: Viewer) -> impl IntoView {
    let teams = person.teams();
    let clusters = Resource::new(|| (), |_| crate::api::clusters::list_clusters(Default::default()));
    view! {
        <Transition fallback=|| ()>
            {move || clusters.get().map(|result| {
                let run: Vec<_> = result
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|card| card.cluster.managed_by.as_ref().is_some_and(|org| teams.contains(org)))
                    .collect();
                (!run.is_empty()).then(|| view! {
                    <h2>"Clusters you run"</h2>
                    <ul class="clusters-run">
                        {run.into_iter().map(|card| view! {
                            <li><a href=crate::pages::clusters::cluster_path(&card.cluster.external_id)>{card.cluster.name.clone()}</a>
                                {format!(" · {} members", card.members)}</li>
                        }).collect_view()}
                    </ul>
                })
            })}
        </Transition>
    }
}

/// Requests the person may decide, with accept and decline.
#[component]
pub(crate) fn PendingRequests() -> impl IntoView {
    let decide = Action::new(|(id, accept): &(i64, bool)| decide_request(*id, *accept));
    let requests = Resource::new(move || decide.version().get(), |_| pending_requests());
    view! {
        <Transition fallback=|| ()>
            {move || requests.get().map(|result| match result {
                Ok(requests) if requests.is_empty() => ().into_any(),
                Ok(requests) => view! {
                    <h2>"Requests to decide"</h2>
                    <ul class="requests">
                        {requests.into_iter().map(|request| {
                            let id = request.id;
                            view! {
                                <li>
                                    <strong>{request.person_name}</strong> " (" {request.person_email} ") asks to "
                                    {if request.kind == RequestKind::Claim { "speak for " } else { "join " }}
                                    <strong>{request.organisation_name}</strong>
                                    {(!request.message.is_empty()).then(|| view! { <q>{request.message.clone()}</q> })}
                                    " "
                                    <button class="button primary" type="button" on:click=move |_| { decide.dispatch((id, true)); }>"Accept"</button>
                                    " "
                                    <button class="button" type="button" on:click=move |_| { decide.dispatch((id, false)); }>"Decline"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// The person's sessions, each with "end".
#[component]
fn Sessions() -> impl IntoView {
    let end = Action::new(|handle: &String| end_session(handle.clone()));
    let sessions = Resource::new(move || end.version().get(), |_| list_sessions());
    view! {
        <h2>"Your sessions"</h2>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || sessions.get().map(|result| match result {
                Ok(sessions) => view! {
                    <ul class="sessions">
                        {sessions.into_iter().map(|session| {
                            let handle = session.handle.clone();
                            view! {
                                <li>
                                    {if session.user_agent.is_empty() { "Unknown browser".to_owned() } else { session.user_agent.clone() }}
                                    " — since " {date(session.created_at)}
                                    {if session.current {
                                        view! { <strong>" (this browser)"</strong> }.into_any()
                                    } else {
                                        view! { " " <button class="button" type="button" on:click=move |_| { end.dispatch(handle.clone()); }>"End"</button> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// Changes the password (the other sessions end).
#[component]
fn ChangePassword() -> impl IntoView {
    let (current, new_password) = (NodeRef::new(), NodeRef::new());
    let action = Action::new(|(current, password): &(String, String)| {
        let (current, password) = (current.clone(), password.clone());
        async move {
            change_password(current, password)
                .await
                .map(|()| "Your password is changed; your other sessions were ended.".to_owned())
        }
    });
    view! {
        <h2>"Change your password"</h2>
        <form on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            action.dispatch((typed(current), typed(new_password)));
        }>
            <Field label="Current password" name="current" kind="password" autocomplete="current-password" input=current />
            <Field label="New password" name="new_password" kind="password" autocomplete="new-password" input=new_password />
            <button class="button" type="submit" disabled=move || action.pending().get()>"Change password"</button>
        </form>
        <FormOutcome outcome=Signal::derive(move || action.value().get()) />
    }
}

/// The person's data: download it all, or delete the account (with the password, and a
/// word on what is kept).
#[component]
fn YourData() -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    let password = NodeRef::new();
    let navigate = use_navigate();
    let action = Action::new(move |password: &String| {
        let password = password.clone();
        async move { delete_account(password).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            viewer.refresh();
            navigate("/?account=deleted", Default::default());
        }
    });
    view! {
        <h2>"Your data"</h2>
        <p><a class="button" href="/exports/my-data.json" download="">"Download everything we hold about you (JSON)"</a></p>
        <p>"Deleting your account ends your sessions and removes your name, address, memberships and requests at once. The audit log keeps its lines with your name replaced by \"deleted account\"; organisations and calls you worked on stay, without your name. See the " <a href="/privacy">"privacy page"</a> "."</p>
        <form class="delete-account" on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            action.dispatch(typed(password));
        }>
            <Field label="Your password, to delete the account" name="delete_password" kind="password" autocomplete="current-password" input=password />
            <button class="button danger" type="submit" disabled=move || action.pending().get()>"Delete my account"</button>
        </form>
        {move || action.value().get().and_then(Result::err).map(inline_alert)}
    }
}

/// Renames the person.
#[component]
fn ChangeName() -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    let name = NodeRef::new();
    let action = Action::new(move |name: &String| {
        let name = name.clone();
        async move {
            let result = rename(name).await;
            viewer.refresh();
            result.map(|()| "Your name is changed.".to_owned())
        }
    });
    view! {
        <h2>"Change your name"</h2>
        <form on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            action.dispatch(typed(name));
        }>
            <Field label="New name" name="new_name" kind="text" autocomplete="name" input=name />
            <button class="button" type="submit">"Change name"</button>
        </form>
        <FormOutcome outcome=Signal::derive(move || action.value().get()) />
    }
}

/// Moves the account to a new address, confirmed there first.
#[component]
fn ChangeEmail() -> impl IntoView {
    let (password, email) = (NodeRef::new(), NodeRef::new());
    let action = Action::new(|(password, email): &(String, String)| {
        let (password, email) = (password.clone(), email.clone());
        async move {
            request_email_change(password, email)
                .await
                .map(|()| "We have sent a link to the new address; your account changes once it is opened.".to_owned())
        }
    });
    view! {
        <h2>"Change your email address"</h2>
        <form on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            action.dispatch((typed(password), typed(email)));
        }>
            <Field label="New email address" name="new_email" kind="email" autocomplete="email" input=email />
            <Field label="Your password" name="email_password" kind="password" autocomplete="current-password" input=password />
            <button class="button" type="submit">"Send a confirmation link"</button>
        </form>
        <FormOutcome outcome=Signal::derive(move || action.value().get()) />
    }
}

/// Adds the person's organisation to the directory (they become its editor).
#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    let (name, website, region) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    let (kind, country): (NodeRef<leptos::html::Select>, NodeRef<leptos::html::Select>) =
        (NodeRef::new(), NodeRef::new());
    let description: NodeRef<Textarea> = NodeRef::new();
    let viewer = CurrentViewer::use_context();
    let action = Action::new(move |form: &NewOrganisationForm| {
        let form = form.clone();
        async move {
            let created = create_organisation(form).await;
            viewer.refresh();
            created.map(|id| format!("Added; you are its editor. It appears among the partners as {id}."))
        }
    });
    let selected = |select: NodeRef<leptos::html::Select>| select.get().map(|s| s.value()).unwrap_or_default();
    view! {
        <PageTitle text="Add your organisation" />
        <section class="account-form">
            <h1>"Add your organisation"</h1>
            <p>"Check the " <a href="/organisations">"partners"</a> " first: if it is there, ask to join it instead."</p>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch(NewOrganisationForm {
                    name: typed(name),
                    kind: selected(kind),
                    country: selected(country),
                    region: typed(region),
                    website: typed(website),
                    description: description.get().map(|d| d.value()).unwrap_or_default(),
                });
            }>
                <Field label="Name" name="organisation_name" kind="text" autocomplete="organization" input=name />
                <label class="field" for="organisation_kind">
                    <span>"Kind"</span>
                    <select id="organisation_kind" name="organisation_kind" node_ref=kind>
                        {OrganisationKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field" for="organisation_country">
                    <span>"Country"</span>
                    <select id="organisation_country" name="organisation_country" node_ref=country>
                        {domain::geo::COUNTRY_NAMES.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field" for="organisation_region">
                    <span>"NUTS region (optional)"</span>
                    <input id="organisation_region" name="organisation_region" type="text" maxlength="5" placeholder="e.g. PT11" node_ref=region />
                    <small class="hint">"A public authority records its region's smart-specialisation priorities."</small>
                </label>
                <label class="field" for="organisation_website">
                    <span>"Website (optional)"</span>
                    <input id="organisation_website" name="organisation_website" type="url" autocomplete="url" node_ref=website />
                </label>
                <label class="field" for="organisation_description">
                    <span>"What it does (optional)"</span>
                    <textarea id="organisation_description" name="organisation_description" maxlength="2000" node_ref=description></textarea>
                </label>
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Add organisation"</button>
            </form>
            <FormOutcome outcome=Signal::derive(move || action.value().get()) />
        </section>
    }
}
