//! `/organisations`: the partner directory — find SMEs, research organisations and clusters
//! by what they can do (JRC capabilities), the sectors they serve (NIS2), their size,
//! certifications and clusters. Text, filters, sort and page live in the URL.

use crate::api::alerts::SearchKind;
use crate::api::{search_organisations, suggest_organisations, OrganisationListing};
use crate::components::error_notice::ErrorNotice;
use crate::components::filter_panel::{filter_chips, ActiveFilters, Facet, FacetOption, FilterPanel, Pairs};
use crate::components::marked::Marked;
use crate::components::page_title::PageTitle;
use crate::components::pager::{Pager, PastTheEnd};
use crate::components::save_search::{owned_pairs, SaveSearch};
use crate::components::search_field::{kept_fields, suggesting_input};
use crate::hooks::use_organisation_query;
use domain::cluster::ClusterRef;
use domain::geo::{area_label, country_label, RegionNames};
use domain::organisation::{OrganisationDetail, OrganisationKind, SizeClass};
use domain::organisation_query::{OrganisationFacets, OrganisationQuery, OrganisationSort};
use domain::taxonomy::{self, CAPABILITIES, CAPABILITY_TERMS, CERTIFICATIONS, SECTORS};
use domain::{FacetValue, Highlighted, SearchHit};
use leptos::prelude::*;
use std::collections::HashMap;

/// The address of the directory for `query`.
pub fn directory_url(query: &OrganisationQuery) -> String {
    format!("/organisations{}", query.to_query_string())
}

/// The directory for URL pairs.
fn pairs_url(pairs: Pairs) -> String {
    directory_url(&OrganisationQuery::from_pairs(
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    ))
}

/// What people read for a filter value.
fn value_label(key: &str, value: &str, clusters: &[ClusterRef], regions: &RegionNames) -> String {
    match key {
        "kind" => OrganisationKind::parse(value).map_or_else(|| value.to_owned(), |k| k.label().to_owned()),
        "country" => country_label(value),
        "region" => area_label(value, regions),
        "capability" => taxonomy::label(CAPABILITY_TERMS, value).to_owned(),
        "sector" => taxonomy::label(SECTORS, value).to_owned(),
        "size" => SizeClass::parse(value).map_or_else(|| value.to_owned(), |s| s.label().to_owned()),
        "certification" => taxonomy::label(CERTIFICATIONS, value).to_owned(),
        "cluster" => clusters
            .iter()
            .find(|c| c.external_id == value)
            .map_or_else(|| value.to_owned(), |c| c.name.clone()),
        "dual_use" => "Open to dual-use work".to_owned(),
        _ => value.to_owned(),
    }
}

/// The facet counts under a URL key.
fn facet_of<'a>(facets: &'a OrganisationFacets, key: &str) -> &'a [FacetValue] {
    match key {
        "kind" => &facets.kind,
        "country" => &facets.country,
        "region" => &facets.region,
        "capability" => &facets.capability,
        "sector" => &facets.sector,
        "size" => &facets.size,
        "certification" => &facets.certification,
        _ => &facets.cluster,
    }
}

/// A dimension's values when nothing was counted: every term of its vocabulary (or every
/// cluster); countries and regions list only the chosen ones.
fn uncounted_values(key: &str, clusters: &[ClusterRef]) -> Vec<FacetValue> {
    let codes: Vec<String> = match key {
        "kind" => OrganisationKind::ALL.iter().map(|k| k.as_str().to_owned()).collect(),
        "size" => SizeClass::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        "capability" => CAPABILITIES.iter().map(|t| t.code.to_owned()).collect(),
        "sector" => SECTORS.iter().map(|t| t.code.to_owned()).collect(),
        "certification" => CERTIFICATIONS.iter().map(|t| t.code.to_owned()).collect(),
        "cluster" => clusters.iter().map(|c| c.external_id.clone()).collect(),
        _ => Vec::new(),
    };
    codes.into_iter().map(|value| FacetValue { value, count: 0 }).collect()
}

/// The directory's facets, counted by the search (or, while the engine is down, every term
/// of each vocabulary, uncounted).
fn directory_facets(listing: &OrganisationListing, chosen: &Pairs) -> Vec<Facet> {
    let counted = !listing.degraded;
    let dimensions = [
        ("capability", "Capability"),
        ("sector", "Sector served"),
        ("kind", "Kind"),
        ("size", "Size"),
        ("certification", "Certification"),
        ("country", "Country"),
        ("region", "Region"),
        ("cluster", "Cluster"),
    ];
    let dual_use = FacetOption::new("dual_use", "true", "Open to dual-use work");
    let listed = dimensions.into_iter().map(|(key, legend)| {
        let values = if counted {
            facet_of(&listing.facets, key).to_vec()
        } else {
            uncounted_values(key, &listing.clusters)
        };
        Facet::listed(legend, key, &values, counted, chosen, |value| {
            value_label(key, value, &listing.clusters, &listing.region_names)
        })
    });
    std::iter::once(Facet::multiple("Civil–military", [dual_use]))
        .chain(listed)
        .collect()
}

/// The partner directory page.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let query = use_organisation_query();
    // Outlives the panel's re-renders: a small screen's open panel stays open between filters.
    let filters_open = RwSignal::new(false);
    let listing = Resource::new(move || query.get(), search_organisations);
    view! {
        <PageTitle text=move || query.with(|q| if q.text.is_empty() { "Partners".to_owned() } else { format!("“{}” — partners", q.text) }) />
        <div class="calls-page organisations-page">
            <Transition fallback=|| view! { <aside class="filters"></aside> }>
                {move || Suspend::new(async move {
                    listing.await.ok().map(|listing| view! { <DirectoryFilters query listing open=filters_open /> })
                })}
            </Transition>
            <section class="results" aria-labelledby="results-heading">
                <DirectorySearchBox query />
                <SaveSearch kind=SearchKind::Organisations pairs=Signal::derive(move || query.with(|q| owned_pairs(q.to_pairs()))) />
                <div aria-live="polite">
                    <Transition fallback=|| view! { <p class="loading">"Loading organisations…"</p> }>
                        {move || Suspend::new(async move {
                            match listing.await {
                                Ok(listing) => view! { <DirectoryResults listing query=query.get_untracked() /> }.into_any(),
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </section>
        </div>
    }
}

/// The search box: a GET form that keeps the filters in hidden fields.
#[component]
fn DirectorySearchBox(query: Memo<OrganisationQuery>) -> impl IntoView {
    let (input, _) = suggesting_input(
        "directory-search",
        "organisation-suggestions",
        "Search organisations",
        "Search partners: a name, a capability, a sector, a certification…",
        Signal::derive(move || query.with(|q| q.text.clone())),
        suggest_organisations,
    );
    view! {
        <form class="search-box" role="search" method="get" action="/organisations">
            {input}
            {move || query.with(|q| kept_fields(q.to_pairs()))}
            <button type="submit" class="button primary">"Search"</button>
        </form>
    }
}

/// The directory's filter panel for a loaded listing.
#[component]
fn DirectoryFilters(
    query: Memo<OrganisationQuery>,
    listing: OrganisationListing,
    open: RwSignal<bool>,
) -> impl IntoView {
    let facets = directory_facets(&listing, &query.with_untracked(OrganisationQuery::to_pairs));
    view! {
        <FilterPanel
            action="/organisations"
            pairs=Signal::derive(move || query.with(OrganisationQuery::to_pairs))
            href=Callback::new(pairs_url)
            sorts=OrganisationSort::ALL.map(|sort| (sort.as_str(), sort.label())).to_vec()
            sort=Signal::derive(move || query.with(|q| q.sort.as_str()))
            facets
            open
        />
    }
}

/// The count, the active filters, the organisations and the pager — or the empty state.
#[component]
fn DirectoryResults(listing: OrganisationListing, query: OrganisationQuery) -> impl IntoView {
    let OrganisationListing {
        items,
        highlights,
        total,
        clusters,
        degraded,
        region_names,
        ..
    } = listing;
    let notice = degraded.then(|| {
        view! {
            <p class="notice" role="status">
                "Partner search is temporarily limited: filters work, and words are matched in names and descriptions only."
            </p>
        }
    });
    let heading = match (total, query.text.is_empty()) {
        (1, true) => "1 organisation".to_owned(),
        (n, true) => format!("{n} organisations"),
        (1, false) => format!("1 organisation for “{}”", query.text),
        (n, false) => format!("{n} organisations for “{}”", query.text),
    };
    // One chip per active filter value (and the words), each linking to the list without it.
    let mut chips = filter_chips(
        &query.to_pairs(),
        &OrganisationQuery::FILTER_KEYS,
        |key, value| value_label(key, value, &clusters, &region_names),
        pairs_url,
    );
    if !query.text.is_empty() {
        let without_text = OrganisationQuery {
            text: String::new(),
            sort: OrganisationSort::Name,
            page: 1,
            ..query.clone()
        };
        chips.insert(0, (format!("“{}”", query.text), directory_url(&without_text)));
    }
    let chip_list = view! { <ActiveFilters chips=chips.clone() clear="/organisations" /> };
    let page_count = u32::try_from(total.div_ceil(u64::from(query.per_page.max(1))))
        .unwrap_or(u32::MAX)
        .max(1);
    let body = if items.is_empty() && total > 0 {
        let last_page = directory_url(&query.with_page(page_count));
        view! { <PastTheEnd page=query.page page_count last_page /> }.into_any()
    } else if items.is_empty() {
        view! { <DirectoryEmptyState chips /> }.into_any()
    } else {
        let pager_href = Callback::new({
            let query = query.clone();
            move |n| directory_url(&query.with_page(n))
        });
        view! {
            <OrganisationCards items highlights region_names />
            <Pager page=query.page page_count href=pager_href />
        }
        .into_any()
    };
    view! {
        {notice}
        <h2 id="results-heading" class="results-heading">{heading}</h2>
        {chip_list}
        {body}
    }
}

/// What to do when nothing matches: the list without each active filter in turn.
#[component]
fn DirectoryEmptyState(chips: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h3>"No organisations match"</h3>
            <p>"Remove a filter, or use fewer or more general words."</p>
            <ul class="suggestions">
                {chips
                    .into_iter()
                    .map(|(label, without)| view! { <li><a href=without>{format!("Without {label}")}</a></li> })
                    .collect_view()}
                <li><a href="/organisations">"show all organisations"</a></li>
            </ul>
        </div>
    }
}

/// One page of organisations, with the words that matched marked.
#[component]
fn OrganisationCards(
    items: Vec<OrganisationDetail>,
    highlights: Vec<SearchHit>,
    region_names: RegionNames,
) -> impl IntoView {
    let mut hits: HashMap<String, SearchHit> = highlights
        .into_iter()
        .map(|hit| (hit.external_id.clone(), hit))
        .collect();
    let cards = items
        .into_iter()
        .map(|detail| {
            let hit = hits.remove(&detail.organisation.external_id);
            let place = detail.organisation.nuts_code.as_ref().map_or_else(
                || country_label(detail.organisation.country.as_str()),
                |code| area_label(code.as_str(), &region_names),
            );
            view! { <OrganisationCard detail hit place /> }
        })
        .collect_view();
    view! { <ol class="call-list organisation-list">{cards}</ol> }
}

/// One organisation: name, kind, place and size, what it does, its capabilities, sectors,
/// certifications and clusters.
#[component]
fn OrganisationCard(detail: OrganisationDetail, hit: Option<SearchHit>, place: String) -> impl IntoView {
    let OrganisationDetail {
        organisation: org,
        clusters,
    } = detail;
    let mut facts = vec![org.kind.label().to_owned(), place];
    facts.extend(org.size_class.map(|s| s.label().to_owned()));
    facts.extend(org.headcount.map(|n| format!("{n} staff")));
    if org.dual_use {
        facts.push("Dual-use".to_owned());
    }
    let tags = |codes: &[String], vocabulary: &[taxonomy::Term], class: &'static str| {
        codes
            .iter()
            .map(|code| view! { <li class=class>{taxonomy::label(vocabulary, code).to_owned()}</li> })
            .collect_view()
    };
    // Only web addresses become links: anything else a profile holds stays text.
    let website = org.website.clone().filter(|url| domain::sanitize::is_http_url(url));
    view! {
        <li class="call-card organisation-card" data-organisation-id=org.external_id.clone()>
            <h3 class="call-title">
                <a href=crate::pages::organisation::organisation_path(&org.external_id)>
                    {match &hit {
                        Some(hit) => view! { <Marked text=hit.title.clone() /> }.into_any(),
                        None => org.name.clone().into_any(),
                    }}
                </a>
            </h3>
            <p class="call-meta">{facts.join(" · ")}</p>
            {match hit.and_then(|hit| description_part(hit.snippet)) {
                Some(snippet) => view! { <p class="snippet"><Marked text=snippet /></p> }.into_any(),
                None => view! { <p class="snippet">{org.description.clone()}</p> }.into_any(),
            }}
            <ul class="tags" aria-label="Capabilities, sectors and certifications">
                {tags(&org.capabilities, CAPABILITY_TERMS, "tag capability")}
                {tags(&org.sectors, SECTORS, "tag sector")}
                {tags(&org.certifications, CERTIFICATIONS, "tag certification")}
            </ul>
            {(!clusters.is_empty()).then(|| {
                let names: Vec<String> = clusters.iter().map(|c| c.name.clone()).collect();
                view! { <p class="call-facts">{format!("Member of {}", names.join(", "))}</p> }
            })}
            {website.map(|url| view! { <p class="call-facts"><a href=url.clone() rel="nofollow noopener">{url.clone()}</a></p> })}
            <p class="call-facts">
                <a class="join-link" href=format!("/account/join?organisation={}", domain::query::percent_encode(&org.external_id))>
                    "Work here? Ask to join"
                </a>
            </p>
        </li>
    }
}

/// The part of a snippet before the labels the index appends to the description (one per
/// line; the card shows them as tags), if a match is marked in it.
fn description_part(snippet: Highlighted) -> Option<Highlighted> {
    let end = snippet.text.find('\n').unwrap_or(snippet.text.len());
    let ranges: Vec<(usize, usize)> = snippet.ranges.iter().copied().filter(|(_, to)| *to <= end).collect();
    (!ranges.is_empty()).then(|| Highlighted {
        text: snippet.text[..end].to_owned(),
        ranges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_keeps_the_description_and_drops_the_appended_labels() {
        let snippet = Highlighted {
            text: "Works on post-quantum cryptography.\nCryptology\nHealth".into(),
            ranges: vec![(14, 21), (36, 46)],
        };
        let kept = description_part(snippet).unwrap();
        assert_eq!(kept.text, "Works on post-quantum cryptography.");
        assert_eq!(kept.ranges, vec![(14, 21)]);
        let only_in_labels = Highlighted {
            text: "Works on drones.\nCryptology".into(),
            ranges: vec![(17, 27)],
        };
        assert_eq!(description_part(only_in_labels), None);
    }

    #[test]
    fn labels_come_from_the_vocabularies_and_cluster_names() {
        let clusters = [ClusterRef {
            external_id: "cluster-frh0-00".into(),
            name: "Bretagne Cyber Cluster".into(),
        }];
        let regions = RegionNames::from([("FRH0".to_owned(), "Bretagne".to_owned())]);
        let label = |key: &str, value: &str| value_label(key, value, &clusters, &regions);
        assert_eq!(label("sector", "health"), "Health");
        assert_eq!(label("size", "micro"), "Micro (< 10 staff)");
        assert_eq!(label("cluster", "cluster-frh0-00"), "Bretagne Cyber Cluster");
        assert_eq!(label("cluster", "gone"), "gone");
        assert_eq!(label("region", "FRH0"), "Bretagne (FRH0)");
        assert_eq!(label("region", "FRH1"), "FRH1 · France");
    }
}
