//! A bundle's `index.html` in Chromium, offline: unzipped to a folder and
//! opened as a file with every network request sent to a closed port,
//! every link of the index and of the pages it links resolves to a file of
//! the bundle; and the export page and the index as a person sees them,
//! wide and on a phone (screenshots under target/tmp/screenshots).

use std::collections::BTreeSet;

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

use crate::backend_tests;
use crate::browser::{both_sizes, browser_login, start_driver};
use crate::evidence_export::{export, history, people, unzip};
use crate::helpers::{Backend, PASSWORD, spawn_app};

backend_tests!(the_index_opens_offline_and_every_link_resolves);

async fn offline_browser(
    driver: &crate::browser::Driver,
    profile: &std::path::Path,
) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-GB",
                "--window-size=1400,1000",
                // The network is off: everything but the test's own server
                // goes to a closed port.
                "--proxy-server=http://127.0.0.1:9",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(driver.url())
        .await
        .expect("browser session")
}

async fn links(b: &fantoccini::Client) -> Vec<String> {
    let v = b
        .execute(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);",
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

async fn the_index_opens_offline_and_every_link_resolves(backend: Backend) {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(backend).await;
    let mut p = people(&app).await;
    let _ = history(&app, &mut p).await;
    let files = unzip(&export(&app, &p.aud, "lang=fi").await);
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let profile = tempfile::tempdir().unwrap();
    let b = offline_browser(&driver, profile.path()).await;
    let result = async {
        let index = url::Url::from_file_path(dir.path().join("index.html")).unwrap();
        b.goto(index.as_str()).await?;
        let title = b.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(title, "Näyttö auditoijille");
        let mut seen = BTreeSet::new();
        let mut pages = vec![index.to_string()];
        while let Some(page) = pages.pop() {
            if !seen.insert(page.clone()) {
                continue;
            }
            b.goto(&page).await?;
            for href in links(&b).await {
                let url = url::Url::parse(&href).unwrap();
                assert_eq!(url.scheme(), "file", "{href} on {page} leaves the bundle");
                let path = url.to_file_path().unwrap();
                assert!(path.starts_with(dir.path()), "{href} on {page}");
                assert!(
                    path.is_file(),
                    "{href} on {page} names no file of the bundle"
                );
                if href.ends_with(".html") && !seen.contains(&href) {
                    pages.push(href);
                }
            }
        }
        // Every file of the bundle is linked from the index.
        b.goto(index.as_str()).await?;
        let linked: BTreeSet<String> = links(&b)
            .await
            .iter()
            .map(|h| {
                let path = url::Url::parse(h).unwrap().to_file_path().unwrap();
                path.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        for name in files.keys().filter(|n| *n != "index.html") {
            assert!(linked.contains(name), "{name} is not linked from the index");
        }
        assert!(seen.len() > 5, "pages visited: {seen:?}");
        both_sizes(&b, "evidence-index").await?;
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    b.close().await.unwrap();
    result.unwrap();

    // The export page as the auditor sees it.
    let profile = tempfile::tempdir().unwrap();
    let b = crate::browser::open_browser(&driver, profile.path()).await;
    let result = async {
        browser_login(&b, &app, "aud", PASSWORD).await?;
        b.goto(&app.url("/evidence")).await?;
        b.wait()
            .for_element(Locator::Css("#evidence-exports"))
            .await?;
        both_sizes(&b, "evidence-page").await?;
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    b.close().await.unwrap();
    result.unwrap();
}
