//! Organisations, clusters and cluster membership.

use chrono::{TimeZone, Utc};
use domain::cluster::{Cluster, ClusterMember, ClusterRef, DualUseProfile};
use domain::demo::{self, DemoSize};
use domain::organisation::{Organisation, OrganisationKind, SizeClass};
use domain::store::{IndexedEntity, Store, UpsertOutcome};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn organisation(id: &str, name: &str) -> Organisation {
    Organisation {
        external_id: id.to_owned(),
        name: name.to_owned(),
        kind: OrganisationKind::Sme,
        country: "FR".parse().unwrap(),
        nuts_code: Some("FRH0".parse().unwrap()),
        size_class: Some(SizeClass::Small),
        headcount: Some(12),
        website: Some("https://example.eu".to_owned()),
        description: "Penetration testing for hospitals.".to_owned(),
        dual_use: true,
        capabilities: vec!["assurance".to_owned(), "incident-handling".to_owned()],
        sectors: vec!["health".to_owned()],
        certifications: vec!["iso27001".to_owned()],
        profile: domain::profile::ProfileDetails {
            turnover_eur: Some(2_000_000),
            offer_trl: Some(domain::Trl::new(6).unwrap()),
            wants_funding: vec![domain::InstrumentKind::Grant],
            ..Default::default()
        },
    }
}

fn cluster(id: &str) -> Cluster {
    Cluster {
        external_id: id.to_owned(),
        name: "Bretagne Cyber Cluster".to_owned(),
        country: "FR".parse().unwrap(),
        nuts_code: Some("FRH0".parse().unwrap()),
        focus: "cyber defence".to_owned(),
        dual_use_profile: DualUseProfile::Both,
        networks: vec!["ENDR".to_owned()],
        description: String::new(),
        managed_by: None,
    }
}

fn member(cluster: &str, organisation: &str, role: &str) -> ClusterMember {
    ClusterMember {
        cluster_id: cluster.to_owned(),
        organisation_id: organisation.to_owned(),
        role: role.to_owned(),
    }
}

async fn an_organisation_reads_back_and_is_updated_by_its_external_id(store: &dyn Store) {
    let first = organisation("sentinel-labs", "Sentinel Labs SAS");
    let outcomes = store
        .upsert_organisations(std::slice::from_ref(&first), now())
        .await
        .unwrap();
    assert_eq!(outcomes, vec![UpsertOutcome::Inserted]);
    assert_eq!(
        store.get_organisation("sentinel-labs").await.unwrap(),
        Some(first.clone())
    );

    let renamed = Organisation {
        name: "Sentinel Security SAS".to_owned(),
        headcount: Some(14),
        ..first
    };
    let outcomes = store
        .upsert_organisations(std::slice::from_ref(&renamed), now())
        .await
        .unwrap();
    assert_eq!(outcomes, vec![UpsertOutcome::Updated]);
    assert_eq!(store.get_organisation("sentinel-labs").await.unwrap(), Some(renamed));
    assert_eq!(store.counts().await.unwrap().organisations, 1);
    assert_eq!(store.get_organisation("nobody").await.unwrap(), None);
}

async fn cluster_members_are_stored_with_their_roles(store: &dyn Store) {
    let orgs = [organisation("a-org", "Aegis SAS"), organisation("b-org", "Bastion SAS")];
    store.upsert_organisations(&orgs, now()).await.unwrap();
    let members = [member("bzh", "b-org", "member"), member("bzh", "a-org", "coordinator")];
    store.upsert_clusters(&[cluster("bzh")], &members, now()).await.unwrap();
    let read = store.cluster_members("bzh").await.unwrap();
    assert_eq!(
        read,
        vec![member("bzh", "a-org", "coordinator"), member("bzh", "b-org", "member")]
    );

    // Writing a membership again changes the role instead of adding a row.
    store
        .upsert_clusters(&[], &[member("bzh", "b-org", "board")], now())
        .await
        .unwrap();
    assert_eq!(store.cluster_members("bzh").await.unwrap()[1].role, "board");
    assert_eq!(store.counts().await.unwrap().cluster_members, 2);
}

async fn a_profile_reads_back_with_its_clusters_in_the_order_asked(store: &dyn Store) {
    let orgs = [organisation("a-org", "Aegis SAS"), organisation("b-org", "Bastion SAS")];
    store.upsert_organisations(&orgs, now()).await.unwrap();
    store
        .upsert_clusters(&[cluster("bzh")], &[member("bzh", "b-org", "member")], now())
        .await
        .unwrap();
    let ids = ["b-org".to_owned(), "ghost".to_owned(), "a-org".to_owned()];
    let details = store.organisation_details(&ids).await.unwrap();
    assert_eq!(details.len(), 2, "unknown ids are left out");
    assert_eq!(details[0].organisation, orgs[1]);
    assert_eq!(
        details[0].clusters,
        vec![ClusterRef {
            external_id: "bzh".to_owned(),
            name: "Bretagne Cyber Cluster".to_owned()
        }]
    );
    assert_eq!(details[1].organisation.certifications, vec!["iso27001".to_owned()]);
    assert!(details[1].clusters.is_empty());
    assert_eq!(store.organisation_ids(None, 10).await.unwrap(), vec!["a-org", "b-org"]);
    assert_eq!(store.organisation_ids(Some("a-org"), 10).await.unwrap(), vec!["b-org"]);
    assert_eq!(store.cluster_refs().await.unwrap().len(), 1);
}

async fn organisation_writes_and_memberships_owe_the_index_an_update(store: &dyn Store) {
    store
        .upsert_organisations(&[organisation("a-org", "Aegis SAS")], now())
        .await
        .unwrap();
    store
        .upsert_clusters(&[cluster("bzh")], &[member("bzh", "a-org", "member")], now())
        .await
        .unwrap();
    let pending = store.pending_index_changes(10).await.unwrap();
    assert_eq!(pending.len(), 2, "the write and the membership: {pending:?}");
    assert!(pending
        .iter()
        .all(|entry| entry.entity == IndexedEntity::Organisation && entry.external_id == "a-org"));
}

async fn an_organisation_with_an_unknown_term_is_refused_and_nothing_is_written(store: &dyn Store) {
    let good = organisation("a-org", "Aegis SAS");
    let bad = Organisation {
        capabilities: vec!["astrology".to_owned()],
        ..organisation("b-org", "Bastion SAS")
    };
    let error = store
        .upsert_organisations(&[good, bad], now())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("astrology") && error.contains("b-org"), "{error}");
    assert_eq!(store.counts().await.unwrap().organisations, 0);
    assert!(store.pending_index_changes(10).await.unwrap().is_empty());
}

async fn the_database_directory_filters_and_orders_as_the_index_does(store: &dyn Store) {
    use domain::organisation_query::OrganisationQuery;
    use domain::search::{embedded::EmbeddedIndex, indexer, OrganisationIndex};
    let data = demo::generate(
        9,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        DemoSize {
            calls: 0,
            organisations: 150,
            clusters: 4,
        },
    );
    store.upsert_organisations(&data.organisations, now()).await.unwrap();
    // A specialist naming a sub-domain only: a filter on its domain finds it too.
    let specialist = Organisation {
        capabilities: vec!["steganography-steganalysis".to_owned()],
        ..organisation("z-specialist", "Zeta Steganalysis")
    };
    store.upsert_organisations(&[specialist], now()).await.unwrap();
    store
        .upsert_clusters(&data.clusters, &data.members, now())
        .await
        .unwrap();
    let index = EmbeddedIndex::in_memory().unwrap();
    indexer::apply_all_pending(store, &index).await.unwrap();
    let cluster = data.clusters[1].external_id.as_str();
    let queries: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("capability", "cryptology"), ("country", "FR"), ("country", "DE")],
        vec![("size", "small"), ("size", "micro"), ("certification", "iso27001")],
        vec![("cluster", cluster), ("sort", "size")],
        vec![("region", "FRH"), ("dual_use", "true")],
        vec![("sector", "health"), ("kind", "sme"), ("per_page", "5"), ("page", "2")],
        vec![("capability", "steganography")],
        vec![("capability", "steganography-steganalysis")],
    ];
    for (pairs, specialist_found) in [
        (vec![("capability", "steganography")], true),
        (vec![("capability", "steganography-steganalysis")], true),
        (vec![("capability", "cryptology")], false),
    ] {
        let query = OrganisationQuery::from_pairs(pairs.iter().copied());
        let (items, _) = store.list_organisations(&query).await.unwrap();
        let in_db = items.iter().any(|d| d.organisation.external_id == "z-specialist");
        let in_index = index
            .search_organisations(&query)
            .await
            .unwrap()
            .hits
            .iter()
            .any(|h| h.external_id == "z-specialist");
        assert_eq!((in_db, in_index), (specialist_found, specialist_found), "{pairs:?}");
    }
    for pairs in queries {
        let query = OrganisationQuery::from_pairs(pairs.iter().copied());
        let (items, total) = store.list_organisations(&query).await.unwrap();
        let found = index.search_organisations(&query).await.unwrap();
        assert_eq!(total, found.total, "{pairs:?}");
        let from_db: Vec<&str> = items.iter().map(|d| d.organisation.external_id.as_str()).collect();
        let from_index: Vec<&str> = found.hits.iter().map(|h| h.external_id.as_str()).collect();
        if query.sort == domain::organisation_query::OrganisationSort::Size {
            // Equal headcounts may come in another order: compare the set.
            let (mut a, mut b) = (from_db.clone(), from_index.clone());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{pairs:?}");
        } else {
            assert_eq!(from_db, from_index, "{pairs:?}");
        }
    }
    let (_, by_word) = store
        .list_organisations(&OrganisationQuery::from_pairs([("q", "sentinel")]))
        .await
        .unwrap();
    assert!(by_word > 0, "words match names and descriptions");
}

async fn a_membership_of_an_unknown_organisation_is_refused_and_nothing_is_written(store: &dyn Store) {
    let error = store
        .upsert_clusters(&[cluster("bzh")], &[member("bzh", "ghost", "member")], now())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("ghost"), "{error}");
    assert_eq!(
        store.counts().await.unwrap().clusters,
        0,
        "the cluster was rolled back too"
    );
}

async fn the_demo_data_loads_completely(store: &dyn Store) {
    let data = demo::generate(
        42,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        DemoSize::DEMO,
    );
    data.write_to(store, now()).await.unwrap();
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.calls, counts.organisations, counts.clusters), (300, 500, 20));
    assert_eq!(counts.cluster_members, data.members.len() as u64);
    let codes: Vec<String> = data.regions.iter().map(|r| r.code.to_string()).collect();
    assert_eq!(store.region_names(&codes).await.unwrap().len(), data.regions.len());
}

crate::on_both_backends!(
    an_organisation_reads_back_and_is_updated_by_its_external_id,
    cluster_members_are_stored_with_their_roles,
    a_profile_reads_back_with_its_clusters_in_the_order_asked,
    organisation_writes_and_memberships_owe_the_index_an_update,
    an_organisation_with_an_unknown_term_is_refused_and_nothing_is_written,
    the_database_directory_filters_and_orders_as_the_index_does,
    a_membership_of_an_unknown_organisation_is_refused_and_nothing_is_written,
    the_demo_data_loads_completely,
);
