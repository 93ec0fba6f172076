//! Clause views: per clause of ISO9001.md, what Laatu holds for it, each
//! item linked to its page in the app, for quality managers and auditors.

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{Backend, spawn_demo_app};

backend_tests!(each_clause_lists_what_the_bundle_would_hold_and_links_it);

/// The `href`s of `<a>` elements in `html` that start with `prefix`.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.replace("&amp;", "&"))
        .collect()
}

async fn each_clause_lists_what_the_bundle_would_hold_and_links_it(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let aino = app.login("aino", laatu::demo::DEMO_PASSWORD).await;
    let page = |c: &reqwest::Client, path: &str| {
        let req = c.get(app.url(path)).header("Accept-Language", "en");
        async move {
            let res = req.send().await.unwrap();
            // Tera writes `/` in a value as `&#x2F;`, which a browser reads as `/`.
            (
                res.status(),
                res.text().await.unwrap().replace("&#x2F;", "/"),
            )
        }
    };

    // Every clause of the table, each linked to its page.
    let (status, html) = page(&aino, "/clauses").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let clause_links = links(&html, "/clauses/");
    assert_eq!(clause_links.len(), 23, "{clause_links:?}");
    assert!(clause_links.contains(&"/clauses/10.2.2".to_string()));
    assert!(clause_links.contains(&"/clauses/7.2_d".to_string()));

    // 10.2.2 holds the nonconformities, and every item opens in the app.
    let (status, html) = page(&aino, "/clauses/10.2.2").await;
    assert_eq!(status, StatusCode::OK);
    let cases = links(&html, "/nonconformities/NC-");
    assert!(cases.len() >= 10, "{cases:?}");
    assert!(
        !html.contains("/documents/POL-001\""),
        "the policy is 5.2.2, not 10.2.2"
    );
    for link in cases
        .iter()
        .take(5)
        .chain(links(&html, "/nonconformities\"").iter())
    {
        let (status, _) = page(&aino, link).await;
        assert_eq!(status, StatusCode::OK, "{link}");
    }
    // 5.2.2 holds the policy; 7.1.5.2 the calibration records.
    let (_, html) = page(&aino, "/clauses/5.2.2").await;
    assert!(html.contains("href=\"/documents/POL-001\""), "{html}");
    let (_, html) = page(&aino, "/clauses/7.1.5.2").await;
    let records = links(&html, "/records/FORM-002-");
    assert!(!records.is_empty(), "{html}");
    let (status, _) = page(&aino, &records[0]).await;
    assert_eq!(status, StatusCode::OK);

    // The clause's bundle downloads from its page.
    let download = links(&html, "/evidence/bundle?");
    assert_eq!(download.len(), 1);
    let res = aino.get(app.url(&download[0])).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));

    // Unknown clauses and other readers are refused.
    let (status, _) = page(&aino, "/clauses/99.9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let emma = app.login("emma", laatu::demo::DEMO_PASSWORD).await;
    let (status, _) = page(&emma, "/clauses").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = page(&emma, "/clauses/10.2.2").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // In Finnish too.
    let fi = aino
        .get(app.url("/clauses"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fi.contains("ISO 9001 vaatimus kerrallaan"));
}
