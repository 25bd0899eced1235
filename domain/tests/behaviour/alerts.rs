//! Saved searches and the digest time through the services, on both backends: a search is
//! saved as its first page in its default order, described in words, weekly by default, once
//! however often it is saved; its frequency switches and it can be deleted; the digest time
//! takes IANA zones only; a full list, bad values and other people are refused with nothing
//! changed.

use crate::accounts::{services, verified_session};
use domain::alerts::{DigestSchedule, Frequency, SearchKind, MAX_SAVED_SEARCHES};
use domain::services::{alerts, ServiceError};
use domain::store::Store;
use std::sync::Arc;

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

async fn a_saved_search_is_kept_once_switched_and_deleted_by_its_owner_only(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let ana = verified_session(&store, "ana@example.eu").await;
    let ben = verified_session(&store, "ben@example.eu").await;

    let asked = pairs(&[
        ("q", "quantum"),
        ("domain", "cryptology"),
        ("page", "4"),
        ("bogus", "x"),
    ]);
    let saved = alerts::save_search(&state, Some(&ana), SearchKind::Calls, &asked)
        .await
        .unwrap()
        .search;
    assert_eq!(saved.query, "?q=quantum&domain=cryptology");
    assert_eq!(saved.title, "“quantum” · Cryptology (Cryptography and Cryptanalysis)");
    assert_eq!(saved.frequency, Frequency::Weekly);
    assert_eq!(saved.href(), "/calls?q=quantum&domain=cryptology");
    // The same search from another page of it is the same saved search.
    let again = alerts::save_search(
        &state,
        Some(&ana),
        SearchKind::Calls,
        &pairs(&[("domain", "cryptology"), ("q", "quantum")]),
    )
    .await
    .unwrap();
    assert_eq!(again.search.id, saved.id);
    assert!(
        again
            .sentence
            .starts_with("Every Monday around 08:00 Europe/Brussels: new calls matching “quantum”"),
        "{}",
        again.sentence
    );
    let directory = alerts::save_search(
        &state,
        Some(&ana),
        SearchKind::Organisations,
        &pairs(&[("capability", "steganography")]),
    )
    .await
    .unwrap()
    .search;
    assert_eq!(directory.href(), "/organisations?capability=steganography");

    let switched = alerts::set_search_frequency(&state, Some(&ana), saved.id, Frequency::Daily)
        .await
        .unwrap();
    assert_eq!(switched.frequency, Frequency::Daily);
    let mine = alerts::preferences(&state, Some(&ana)).await.unwrap();
    let kept: Vec<(i64, Frequency)> = mine.searches.iter().map(|s| (s.id, s.frequency)).collect();
    assert_eq!(
        kept,
        [(directory.id, Frequency::Weekly), (saved.id, Frequency::Daily)],
        "newest first"
    );

    // Another person neither sees, switches nor deletes it; a visitor must sign in.
    assert!(alerts::preferences(&state, Some(&ben))
        .await
        .unwrap()
        .searches
        .is_empty());
    assert!(matches!(
        alerts::set_search_frequency(&state, Some(&ben), saved.id, Frequency::Off).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        alerts::delete_saved_search(&state, Some(&ben), saved.id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        alerts::save_search(&state, None, SearchKind::Calls, &[]).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert_eq!(
        alerts::preferences(&state, Some(&ana)).await.unwrap(),
        mine,
        "nothing changed"
    );

    alerts::delete_saved_search(&state, Some(&ana), saved.id).await.unwrap();
    let left = alerts::preferences(&state, Some(&ana)).await.unwrap().searches;
    assert_eq!(left.len(), 1);
    assert!(matches!(
        alerts::delete_saved_search(&state, Some(&ana), saved.id).await,
        Err(ServiceError::NotFound(_))
    ));
}

async fn a_full_list_and_a_bad_digest_time_are_refused_with_nothing_changed(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let ana = verified_session(&store, "ana@example.eu").await;
    for n in 0..MAX_SAVED_SEARCHES {
        let text = format!("topic {n}");
        alerts::save_search(&state, Some(&ana), SearchKind::Calls, &pairs(&[("q", &text)]))
            .await
            .unwrap();
    }
    let error = alerts::save_search(&state, Some(&ana), SearchKind::Calls, &pairs(&[("q", "one more")]))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ServiceError::Invalid(message) if message.contains("delete one first")),
        "{error:?}"
    );
    let too_many = vec![("q".to_owned(), "x".to_owned()); alerts::MAX_QUERY_PAIRS + 1];
    assert!(matches!(
        alerts::save_search(&state, Some(&ana), SearchKind::Calls, &too_many).await,
        Err(ServiceError::Invalid(_))
    ));
    let searches = alerts::preferences(&state, Some(&ana)).await.unwrap().searches;
    assert_eq!(searches.len(), MAX_SAVED_SEARCHES);

    assert_eq!(
        alerts::preferences(&state, Some(&ana)).await.unwrap().schedule,
        DigestSchedule::default()
    );
    let helsinki = DigestSchedule {
        weekday: 5,
        hour: 7,
        time_zone: "Europe/Helsinki".into(),
    };
    alerts::set_digest_schedule(&state, Some(&ana), &helsinki)
        .await
        .unwrap();
    for (bad, field) in [
        (
            DigestSchedule {
                time_zone: "Europe/Atlantis".into(),
                ..helsinki.clone()
            },
            "time_zone",
        ),
        (
            DigestSchedule {
                time_zone: "<b>".into(),
                ..helsinki.clone()
            },
            "time_zone",
        ),
        (
            DigestSchedule {
                weekday: 9,
                ..helsinki.clone()
            },
            "weekday",
        ),
        (
            DigestSchedule {
                hour: 24,
                ..helsinki.clone()
            },
            "hour",
        ),
    ] {
        match alerts::set_digest_schedule(&state, Some(&ana), &bad).await {
            Err(ServiceError::InvalidFields(errors)) => assert_eq!(errors[0].field, field, "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert_eq!(
        alerts::preferences(&state, Some(&ana)).await.unwrap().schedule,
        helsinki
    );
}

crate::on_both_backends!(shared:
    a_saved_search_is_kept_once_switched_and_deleted_by_its_owner_only,
    a_full_list_and_a_bad_digest_time_are_refused_with_nothing_changed,
);
