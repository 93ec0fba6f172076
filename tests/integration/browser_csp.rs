//! In Chromium, under the Content-Security-Policy every answer carries, the
//! main pages raise no `securitypolicyviolation`: no inline script, no inline
//! style, nothing from elsewhere. A listener is installed through the
//! DevTools protocol before any page's own content runs, so violations while
//! a page loads are caught too; a deliberate inline style at the end shows
//! that the listener does catch them.

use fantoccini::Locator;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

use crate::browser::{browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, spawn_demo_app};

/// A Chrome DevTools Protocol command, through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Runs in every new document before its own content.
const LISTENER: &str = r"
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || ''));
}, true);
";

/// The violations the current page has seen, once its queued events ran.
async fn violations(browser: &fantoccini::Client) -> Vec<String> {
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             setTimeout(() => setTimeout(() => done(window.__csp || ['no listener']), 0), 0);",
            vec![],
        )
        .await
        .expect("read violations");
    serde_json::from_value(found).expect("a list")
}

async fn api_first(
    app: &crate::helpers::TestApp,
    c: &reqwest::Client,
    path: &str,
    field: &str,
) -> String {
    let body: Value = c
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["items"][0][field]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: {body}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_pages_raise_no_csp_violation() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let api = app.login("olli", laatu::demo::DEMO_PASSWORD).await;
    let document = api_first(&app, &api, "/api/v1/documents?per_page=1", "number").await;
    let process = api_first(&app, &api, "/api/v1/processes?per_page=1", "code").await;
    let nc = api_first(&app, &api, "/api/v1/nonconformities?per_page=1", "number").await;
    let pages = [
        "/".to_string(),
        "/documents".into(),
        format!("/documents/{document}"),
        "/processes".into(),
        format!("/processes/{process}"),
        "/processes/map".into(),
        "/nonconformities".into(),
        format!("/nonconformities/{nc}"),
        "/nonconformities/stats".into(),
        "/tasks".into(),
        "/account".into(),
        "/admin/users".into(),
        "/audit".into(),
    ];

    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        browser
            .issue_cmd(Cdp {
                cmd: "Page.addScriptToEvaluateOnNewDocument",
                params: json!({ "source": LISTENER }),
            })
            .await?;
        browser.goto(&app.url("/login")).await?;
        let mut seen = vec![("/login".to_string(), violations(&browser).await)];
        browser_login(&browser, &app, "olli", laatu::demo::DEMO_PASSWORD).await?;
        for page in &pages {
            browser.goto(&app.url(page)).await?;
            browser.wait().for_element(Locator::Css("main")).await?;
            seen.push((page.clone(), violations(&browser).await));
        }
        screenshot("csp-process-map.png", {
            browser.goto(&app.url("/processes/map")).await?;
            browser.screenshot().await?
        });
        let map_boxes = browser
            .find_all(Locator::Css("figure.map svg a rect"))
            .await?
            .len();
        // The control: an inline style is refused and reported.
        browser
            .execute(
                "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>');",
                vec![],
            )
            .await?;
        let control = violations(&browser).await;
        Ok::<_, fantoccini::error::CmdError>((seen, map_boxes, control))
    }
    .await;
    let _ = browser.close().await;
    let (seen, map_boxes, control) = result.expect("browser run");
    for (page, found) in &seen {
        assert!(found.is_empty(), "{page}: {found:?}");
    }
    assert!(map_boxes > 0, "the inline map draws its processes");
    assert!(
        control.iter().any(|v| v.starts_with("style-src")),
        "the listener catches violations: {control:?}"
    );
}
