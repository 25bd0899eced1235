//! Clusters: the list (`/clusters`, filtered by words, region and civil–military profile in
//! its URL) and one cluster's page (`/clusters/:id`) with its members and the calls they could
//! lead.

use crate::api::{get_cluster_page, list_clusters};
use crate::components::call_card::CallCard;
use crate::components::error_notice::ErrorNotice;
use crate::components::page_title::PageTitle;
use crate::format::{percent_decode, term_labels};
use crate::pages::organisation::organisation_path;
use domain::cluster::{ClusterCard, ClusterPage, ClusterQuery, DualUseProfile};
use domain::taxonomy::CAPABILITIES;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Where a cluster's page is.
pub fn cluster_path(external_id: &str) -> String {
    format!("/clusters/{}", domain::query::percent_encode(external_id))
}

/// The cluster list, filtered by its URL.
#[component]
pub fn ClustersPage() -> impl IntoView {
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            let (q, region, profile) = (get("q"), get("region"), get("profile"));
            ClusterQuery::from_pairs([
                ("q", q.as_str()),
                ("region", region.as_str()),
                ("profile", profile.as_str()),
            ])
        })
    });
    let clusters = Resource::new(move || query.get(), list_clusters);
    view! {
        <PageTitle text="Clusters" />
        <section class="clusters">
            <h1>"Clusters"</h1>
            <form class="cluster-filters" method="get" action="/clusters">
                <label class="field" for="cluster_q"><span>"Name or focus"</span>
                    <input id="cluster_q" name="q" type="search" maxlength="200" prop:value=move || query.with(|q| q.text.clone()) /></label>
                <label class="field" for="cluster_region"><span>"NUTS region or country"</span>
                    <input id="cluster_region" name="region" type="text" maxlength="5" placeholder="e.g. FRH or DE" prop:value=move || query.with(|q| q.region.clone()) /></label>
                <label class="field" for="cluster_profile"><span>"Civil or defence"</span>
                    <select id="cluster_profile" name="profile" prop:value=move || query.with(|q| q.profile.map(|p| p.as_str().to_owned()).unwrap_or_default())>
                        <option value="">"Any"</option>
                        {DualUseProfile::ALL.into_iter().map(|profile| view! { <option value=profile.as_str()>{profile.label()}</option> }).collect_view()}
                    </select></label>
                <button class="button" type="submit">"Filter"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Loading clusters…"</p> }>
                {move || Suspend::new(async move {
                    match clusters.await {
                        Ok(cards) if cards.is_empty() => view! {
                            <p class="empty-state">"No cluster matches. " <a href="/clusters">"All clusters"</a></p>
                        }.into_any(),
                        Ok(cards) => view! {
                            <h2 id="cluster-count">{format!("{} clusters", cards.len())}</h2>
                            <ul class="call-list cluster-list">{cards.into_iter().map(cluster_card).collect_view()}</ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn cluster_card(card: ClusterCard) -> impl IntoView {
    let ClusterCard {
        cluster,
        place,
        members,
    } = card;
    view! {
        <li class="call-card cluster-card">
            <h3 class="call-title"><a href=cluster_path(&cluster.external_id)>{cluster.name.clone()}</a></h3>
            <p class="call-meta">{format!("{place} · {} · {members} members", cluster.dual_use_profile.label())}</p>
            <p class="snippet">{cluster.focus.clone()}</p>
        </li>
    }
}

/// One cluster's page.
#[component]
pub fn ClusterDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let page = Resource::new(id, get_cluster_page);
    view! {
        <p class="back"><a href="/clusters">"← All clusters"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => cluster_view(page).into_any(),
                    Err(error) => view! { <PageTitle text="Cluster not found" /> <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn cluster_view(page: ClusterPage) -> impl IntoView {
    let ClusterPage {
        card,
        members,
        calls,
        now,
    } = page;
    let cluster = card.cluster;
    view! {
        <PageTitle text=cluster.name.clone() />
        <article class="cluster-page">
            <h1>{cluster.name.clone()}</h1>
            <p class="call-meta">{format!("{} · {} · {} members", card.place, cluster.dual_use_profile.label(), card.members)}</p>
            <p>{cluster.description.clone()}</p>
            <dl class="facts">
                <dt>"Focus"</dt><dd>{cluster.focus.clone()}</dd>
                {(!cluster.networks.is_empty()).then(|| view! { <dt>"Networks"</dt><dd>{cluster.networks.join(", ")}</dd> })}
            </dl>
            <section aria-labelledby="cluster-members-heading">
                <h2 id="cluster-members-heading">{format!("Members ({})", members.len())}</h2>
                <ul class="region-organisations">
                    {members.into_iter().map(|(detail, role)| {
                        let org = detail.organisation;
                        view! {
                            <li>
                                <a href=organisation_path(&org.external_id)><strong>{org.name.clone()}</strong></a>
                                {format!(" · {} · {role}", org.kind.label())}
                                {(!org.capabilities.is_empty()).then(|| view! { <br /><small class="muted">{term_labels(CAPABILITIES, &org.capabilities)}</small> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="cluster-calls-heading">
                <h2 id="cluster-calls-heading">{format!("Open calls its members could lead ({})", calls.len())}</h2>
                {if calls.is_empty() {
                    view! { <p class="empty-state">"No open or forthcoming call touches its members' capabilities."</p> }.into_any()
                } else {
                    view! { <ol class="call-list">{calls.into_iter().map(|call| view! { <CallCard call now hit=None list_query=String::new() /> }).collect_view()}</ol> }.into_any()
                }}
            </section>
        </article>
    }
}
