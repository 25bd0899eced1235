//! The partner directory's contract, on 500 generated organisations in 20 clusters: every
//! count and filter is checked against a plain count over the documents themselves.

use chrono::NaiveDate;
use domain::cluster::ClusterRef;
use domain::demo::{self, DemoSize};
use domain::organisation::{OrganisationDetail, SizeClass};
use domain::organisation_query::{OrganisationFacets, OrganisationQuery, OrganisationSort};
use domain::search::{IndexChange, OrganisationDocument, OrganisationResults, SearchIndex};
use domain::FacetValue;
use std::collections::HashMap;

/// The generated organisations as the index receives them (clusters named as the store names them).
fn documents() -> Vec<OrganisationDocument> {
    let data = demo::generate(
        11,
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        DemoSize {
            calls: 0,
            organisations: 500,
            clusters: 20,
        },
    );
    let names: HashMap<&str, &str> = data
        .clusters
        .iter()
        .map(|c| (c.external_id.as_str(), c.name.as_str()))
        .collect();
    data.organisations
        .iter()
        .map(|organisation| {
            let clusters = data
                .members
                .iter()
                .filter(|m| m.organisation_id == organisation.external_id)
                .map(|m| ClusterRef {
                    external_id: m.cluster_id.clone(),
                    name: names[m.cluster_id.as_str()].to_owned(),
                })
                .collect();
            OrganisationDocument::from_detail(&OrganisationDetail {
                organisation: organisation.clone(),
                clusters,
            })
        })
        .collect()
}

async fn put(index: &dyn SearchIndex, docs: Vec<OrganisationDocument>) {
    let changes = docs.into_iter().map(|d| IndexChange::Upsert(Box::new(d))).collect();
    index.apply_organisations(changes).await.unwrap();
}

async fn find(index: &dyn SearchIndex, query: &OrganisationQuery) -> OrganisationResults {
    index.search_organisations(query).await.unwrap()
}

/// Which facet list of `facets` belongs to a dimension name.
fn facet<'a>(facets: &'a OrganisationFacets, name: &str) -> &'a [FacetValue] {
    match name {
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

/// A document's values in a dimension, read straight off the document.
fn values_of(doc: &OrganisationDocument, name: &str) -> Vec<String> {
    match name {
        "kind" => vec![doc.kind.as_str().to_owned()],
        "country" => vec![doc.country.clone()],
        "region" => doc.region.iter().cloned().collect(),
        "capability" => doc.capabilities.clone(),
        "sector" => doc.sectors.clone(),
        "size" => doc.size.iter().map(|s| s.as_str().to_owned()).collect(),
        "certification" => doc.certifications.clone(),
        _ => doc.clusters.clone(),
    }
}

/// The directory's counted filters: every filter key but the dual-use flag.
fn dimensions() -> impl Iterator<Item = &'static str> {
    OrganisationQuery::FILTER_KEYS
        .into_iter()
        .filter(|key| *key != "dual_use")
}

/// Whether `doc` passes every filter of `query` but `skip`'s (the oracle).
fn passes(doc: &OrganisationDocument, query: &OrganisationQuery, skip: Option<&str>) -> bool {
    let chosen = |name: &str| -> Vec<String> {
        match name {
            "kind" => query.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            "country" => query.countries.clone(),
            "region" => query.regions.clone(),
            "capability" => query.capabilities.clone(),
            "sector" => query.sectors.clone(),
            "size" => query.sizes.iter().map(|s| s.as_str().to_owned()).collect(),
            "certification" => query.certifications.clone(),
            _ => query.clusters.clone(),
        }
    };
    dimensions().filter(|name| Some(*name) != skip).all(|name| {
        let wanted = chosen(name);
        wanted.is_empty()
            || values_of(doc, name).iter().any(|value| {
                // A region filter also takes the regions inside it.
                wanted
                    .iter()
                    .any(|w| value == w || (name == "region" && value.starts_with(w.as_str())))
            })
    }) && (!query.dual_use || doc.dual_use)
}

/// The counts a dimension should show for `query`, computed from the documents.
fn expected_counts(docs: &[OrganisationDocument], query: &OrganisationQuery, name: &str) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for doc in docs.iter().filter(|d| passes(d, query, Some(name))) {
        for value in values_of(doc, name) {
            *counts.entry(value).or_default() += 1;
        }
    }
    counts
}

pub async fn organisation_facet_counts_equal_counts_over_the_documents(index: &dyn SearchIndex) {
    let docs = documents();
    put(index, docs.clone()).await;
    assert_eq!(index.organisation_count().await.unwrap(), 500);
    let queries = [
        OrganisationQuery::default(),
        OrganisationQuery {
            capabilities: vec!["cryptology".into(), "identity".into()],
            countries: vec!["FR".into(), "DE".into()],
            ..OrganisationQuery::default()
        },
        OrganisationQuery {
            sizes: vec![SizeClass::Small, SizeClass::Micro],
            certifications: vec!["iso27001".into()],
            dual_use: true,
            ..OrganisationQuery::default()
        },
        OrganisationQuery {
            clusters: vec![docs.iter().find(|d| !d.clusters.is_empty()).unwrap().clusters[0].clone()],
            sectors: vec!["health".into(), "energy".into()],
            ..OrganisationQuery::default()
        },
    ];
    for query in queries {
        let found = find(index, &query).await;
        let expected_total = docs.iter().filter(|d| passes(d, &query, None)).count() as u64;
        assert_eq!(found.total, expected_total, "{query:?}");
        assert!(expected_total > 0, "a query that finds nothing tests little: {query:?}");
        for name in dimensions() {
            let shown: HashMap<String, u64> = facet(&found.facets, name)
                .iter()
                .filter(|f| f.count > 0)
                .map(|f| (f.value.clone(), f.count))
                .collect();
            assert_eq!(shown, expected_counts(&docs, &query, name), "{name} for {query:?}");
        }
    }
}

pub async fn a_region_filter_finds_organisations_in_the_regions_inside_it(index: &dyn SearchIndex) {
    let docs = documents();
    put(index, docs.clone()).await;
    let in_bretagne = docs.iter().filter(|d| d.region.as_deref() == Some("FRH0")).count() as u64;
    assert!(in_bretagne > 0);
    for region in ["FRH", "FRH0"] {
        let found = find(
            index,
            &OrganisationQuery {
                regions: vec![region.into()],
                ..OrganisationQuery::default()
            },
        )
        .await;
        assert_eq!(found.total, in_bretagne, "{region}");
        // Counted by the organisation's own region, so FRH0 is listed, not FRH.
        assert_eq!(
            found.facets.region.iter().find(|f| f.value == "FRH0").map(|f| f.count),
            Some(in_bretagne)
        );
    }
}

pub async fn organisations_sort_by_name_across_pages_and_by_headcount(index: &dyn SearchIndex) {
    let docs = documents();
    put(index, docs.clone()).await;
    let mut by_name: Vec<&OrganisationDocument> = docs.iter().collect();
    by_name.sort_by_key(|d| d.name_key());
    for page in [1, 2, 25] {
        let found = find(
            index,
            &OrganisationQuery {
                page,
                per_page: 20,
                ..OrganisationQuery::default()
            },
        )
        .await;
        let expected: Vec<&str> = by_name
            .iter()
            .skip((page as usize - 1) * 20)
            .take(20)
            .map(|d| d.external_id.as_str())
            .collect();
        let ids: Vec<&str> = found.hits.iter().map(|h| h.external_id.as_str()).collect();
        assert_eq!(ids, expected, "page {page}");
    }
    let largest = find(
        index,
        &OrganisationQuery {
            sort: OrganisationSort::Size,
            per_page: 50,
            ..OrganisationQuery::default()
        },
    )
    .await;
    let headcount: HashMap<&str, i64> = docs
        .iter()
        .map(|d| (d.external_id.as_str(), d.headcount_key()))
        .collect();
    let counts: Vec<i64> = largest.hits.iter().map(|h| headcount[h.external_id.as_str()]).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(counts[0], docs.iter().map(|d| d.headcount_key()).max().unwrap());
}

pub async fn organisation_text_search_tolerates_typos_and_reads_capabilities(index: &dyn SearchIndex) {
    let docs = documents();
    put(index, docs.clone()).await;
    let text = |text: &str| OrganisationQuery {
        text: text.into(),
        per_page: 100,
        ..OrganisationQuery::default()
    };
    // "Sentinal": one typo away from a word in the names of institutes, labs, offices and funds.
    let sentinels: Vec<&str> = docs
        .iter()
        .filter(|d| {
            d.name
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word.eq_ignore_ascii_case("sentinel"))
        })
        .map(|d| d.external_id.as_str())
        .collect();
    assert!(!sentinels.is_empty());
    let found = find(index, &text("Sentinel")).await;
    for id in &sentinels {
        assert!(found.hits.iter().any(|h| h.external_id == *id), "{id} by name");
    }
    let with_typo = find(index, &text("Sentinal")).await;
    for id in &sentinels {
        assert!(
            with_typo.hits.iter().any(|h| h.external_id == *id),
            "{id} despite the typo"
        );
    }
    // A capability's label is searchable: "cryptanalysis" finds the cryptology organisations first.
    let cryptology = docs
        .iter()
        .filter(|d| d.capabilities.contains(&"cryptology".to_owned()))
        .count() as u64;
    let found = find(index, &text("cryptanalysis")).await;
    assert!(found.total >= cryptology && cryptology > 0);
    let first = docs
        .iter()
        .find(|d| d.external_id == found.hits[0].external_id)
        .unwrap();
    assert!(first.capabilities.contains(&"cryptology".to_owned()));
    assert!(!found.hits[0].snippet.ranges.is_empty(), "the matched word is marked");
}

pub async fn organisation_names_are_suggested_while_typing(index: &dyn SearchIndex) {
    put(index, documents()).await;
    let names = index.suggest_organisations("sentin", 5).await.unwrap();
    assert!(!names.is_empty() && names.len() <= 5, "{names:?}");
    for name in &names {
        assert!(name.to_lowercase().contains("sentin"), "{name}");
    }
    assert!(index.suggest_organisations("  ", 5).await.unwrap().is_empty());
}

pub async fn organisation_updates_and_deletions_are_searchable_once_applied(index: &dyn SearchIndex) {
    let mut docs = documents();
    docs.truncate(3);
    put(index, docs.clone()).await;
    let mut renamed = docs[0].clone();
    renamed.name = "Zeppelin Hydrogen Works".into();
    renamed.capabilities = vec!["foundations".into()];
    put(index, vec![renamed.clone()]).await;
    let zeppelin = find(
        index,
        &OrganisationQuery {
            text: "zeppelin".into(),
            ..OrganisationQuery::default()
        },
    )
    .await;
    assert_eq!(zeppelin.total, 1);
    assert_eq!(zeppelin.hits[0].external_id, renamed.external_id);
    assert_eq!(zeppelin.facets.capability.len(), 1, "the old capabilities are gone");
    index
        .apply_organisations(vec![IndexChange::Delete(docs[1].external_id.clone())])
        .await
        .unwrap();
    assert_eq!(index.organisation_count().await.unwrap(), 2);
    index.clear().await.unwrap();
    assert_eq!(index.organisation_count().await.unwrap(), 0);
}
