//! `/privacy`: what Fundbridge stores about people, why, and for how long — kept true by the
//! code it describes (`domain::services::privacy`, the stores' retention).

use crate::components::page_title::PageTitle;
use leptos::prelude::*;

/// The privacy page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <PageTitle text="Privacy" />
        <article class="privacy">
            <h1>"Privacy"</h1>
            <p>"Fundbridge keeps as little about you as it needs to run your account. You can download all of it, and delete your account, from "<a href="/account">"your account page"</a>" at any time."</p>
            <h2>"What we store, why, and for how long"</h2>
            <table class="privacy-table">
                <thead><tr><th scope="col">"What"</th><th scope="col">"Why"</th><th scope="col">"How long"</th></tr></thead>
                <tbody>
                    <tr><td>"Your email address and name"</td><td>"To log you in and to write to you"</td><td>"Until you delete your account"</td></tr>
                    <tr><td>"Your password, as an Argon2id hash (never the password itself)"</td><td>"To check it is you"</td><td>"Until you delete your account"</td></tr>
                    <tr><td>"Sessions: when they started and were last used, and your browser's name"</td><td>"To keep you logged in and to let you end sessions you do not recognise"</td><td>"Until you log out, they expire, or you delete your account"</td></tr>
                    <tr><td>"Memberships and requests to join organisations"</td><td>"To let you act for your organisation"</td><td>"Until you leave, or delete your account"</td></tr>
                    <tr><td>"Messages you write to organisations, and their replies; the senders an organisation blocked; reports of abuse"</td><td>"To let members reach partners without showing anyone's address, and to stop abuse"</td><td>"Conversations you started are deleted with your account, on both sides; replies you wrote for your organisation stay in its conversations, shown as from \"deleted account\""</td></tr>
                    <tr><td>"Mail we owe you (confirmation and reset links, messages, cluster invitations)"</td><td>"To deliver it, retrying when a server is down"</td><td>"Deleted with your account"</td></tr>
                    <tr><td>"Counters of failed logins per address and per network address"</td><td>"To slow down password guessing"</td><td>"For the length of their time window"</td></tr>
                    <tr><td>"The audit log: who changed roles, calls, profiles and clusters, blocked a sender or reported abuse, and when"</td><td>"Accountability towards the organisations and funding bodies you act for"</td><td>"Kept; when you delete your account, your name in it is replaced by \"deleted account\""</td></tr>
                    <tr><td>"Searches typed in the search boxes, without who typed them"</td><td>"To improve search"</td><td>"Anonymous from the start"</td></tr>
                </tbody>
            </table>
            <h2>"What stays when you delete your account"</h2>
            <p>"Your organisation's profile, the calls you worked on and the clusters you ran belong to the organisation: they stay, without your name. Turnover and balance sheet on a profile are seen only by the people its editors choose; staff numbers likewise."</p>
            <h2>"Your rights"</h2>
            <p>"Under the GDPR you may see, correct, download and delete your data (articles 15 to 20). The download on your account page holds everything above that is about you."</p>
        </article>
    }
}
