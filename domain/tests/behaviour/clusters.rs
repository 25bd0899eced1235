//! The cluster list and a cluster's page, through the services, on both backends, over the
//! demo's clusters.

use crate::accounts::services;
use chrono::NaiveDate;
use domain::cluster::{ClusterQuery, DualUseProfile};
use domain::demo::{self, DemoSize};
use domain::services::{clusters, ServiceError};
use domain::store::Store;
use std::sync::Arc;

async fn clusters_are_listed_filtered_and_shown_with_their_members(store: Arc<dyn Store>) {
    let data = demo::generate(3, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), DemoSize::DEMO);
    data.write_to(store.as_ref(), crate::accounts::start()).await.unwrap();
    let state = services(&store, 0);

    let all = clusters::list_clusters(&state, &ClusterQuery::default()).await.unwrap();
    assert_eq!(all.len(), data.clusters.len());
    assert!(
        all.windows(2).all(|w| w[0].cluster.name <= w[1].cluster.name),
        "by name"
    );
    let total: u64 = all.iter().map(|card| card.members).sum();
    assert_eq!(total, data.members.len() as u64);

    let dual = ClusterQuery {
        profile: Some(DualUseProfile::Both),
        ..ClusterQuery::default()
    };
    let listed = clusters::list_clusters(&state, &dual).await.unwrap();
    let expected = data
        .clusters
        .iter()
        .filter(|c| c.dual_use_profile == DualUseProfile::Both)
        .count();
    assert_eq!(listed.len(), expected);
    assert!(listed
        .iter()
        .all(|card| card.cluster.dual_use_profile == DualUseProfile::Both));

    let first = &all[0];
    let page = clusters::cluster_page(&state, None, &first.cluster.external_id)
        .await
        .unwrap();
    assert_eq!(page.members.len() as u64, first.members);
    assert!(page
        .members
        .windows(2)
        .all(|w| w[0].0.organisation.name <= w[1].0.organisation.name));
    assert!(
        page.members
            .iter()
            .all(|(detail, _)| detail.organisation.profile.turnover_eur.is_none()),
        "the public sees no figures"
    );
    assert!(matches!(
        clusters::cluster_page(&state, None, "no-such-cluster").await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        clusters::cluster_page(&state, None, "<script>").await,
        Err(ServiceError::NotFound(_))
    ));
}

crate::on_both_backends!(shared: clusters_are_listed_filtered_and_shown_with_their_members);
