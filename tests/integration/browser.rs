//! A real browser (headless Chromium through chromedriver) uses the pages:
//! log in, switch to Finnish, create a user through the form, log out.
//! Needs `chromium` and `chromium-driver`; `.ci/run` installs them, and under
//! CI a missing browser fails the test instead of skipping it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, Backend, spawn_app};

pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Where chromedriver listens.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn start_driver() -> Option<Driver> {
    let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(exe) = exe else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have chromedriver (see .ci/run)"
        );
        eprintln!("chromedriver not installed: browser test not run");
        return None;
    };
    let port = free_port();
    let mut child = Command::new(exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if reqwest::get(format!("{url}/status")).await.is_ok() {
            return Some(Driver { child, url });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("chromedriver did not start");
}

pub(crate) async fn open_browser(driver: &Driver, profile: &std::path::Path) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-GB",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("browser session")
}

pub(crate) async fn browser_login(
    browser: &fantoccini::Client,
    app: &crate::helpers::TestApp,
    user: &str,
    password: &str,
) -> Result<(), fantoccini::error::CmdError> {
    browser.goto(&app.url("/login")).await?;
    browser
        .find(Locator::Css("input[name=username]"))
        .await?
        .send_keys(user)
        .await?;
    browser
        .find(Locator::Css("input[name=password]"))
        .await?
        .send_keys(password)
        .await?;
    browser
        .find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::Css("form[action='/logout']"))
        .await?;
    Ok(())
}

/// Screenshots of the page at 1400×1000 (`<name>-desktop.png`) and at a
/// phone's 390×844 (`<name>-phone.png`); leaves the window at desktop size.
pub(crate) async fn both_sizes(
    b: &fantoccini::Client,
    name: &str,
) -> Result<(), fantoccini::error::CmdError> {
    b.set_window_size(1400, 1000).await?;
    screenshot(&format!("{name}-desktop.png"), b.screenshot().await?);
    b.set_window_size(390, 844).await?;
    screenshot(&format!("{name}-phone.png"), b.screenshot().await?);
    b.set_window_size(1400, 1000).await?;
    Ok(())
}

pub(crate) fn screenshot(name: &str, png: Vec<u8>) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_is_written_submitted_and_signed_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    app.user_with_roles("pia", &["process_owner"]).await;
    app.user_with_roles("quinn", &["quality_manager"]).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        browser_login(&browser, &app, "pia", crate::helpers::PASSWORD).await?;
        browser.goto(&app.url("/documents/new")).await?;
        browser
            .find(Locator::Css("input[name=title]"))
            .await?
            .send_keys("Deburring")
            .await?;
        browser
            .find(Locator::Css("select[name=kind]"))
            .await?
            .select_by_value("work_instruction")
            .await?;
        browser
            .find(Locator::Css(
                "form[action='/documents'] button[type=submit]",
            ))
            .await?
            .click()
            .await?;
        let editor = browser
            .wait()
            .for_element(Locator::Css("textarea[name=content]"))
            .await?;
        editor
            .send_keys("# Deburring\n\nRemove every burr <script>alert(1)</script> before packing.")
            .await?;
        browser
            .find(Locator::Css("button[value=preview]"))
            .await?
            .click()
            .await?;
        let preview = browser
            .wait()
            .for_element(Locator::Css("article.document"))
            .await?
            .html(false)
            .await?;
        assert!(
            preview.contains("Remove every burr") && !preview.contains("<script"),
            "{preview}"
        );
        browser
            .find(Locator::Css("button[value=save]"))
            .await?
            .click()
            .await?;
        browser.wait().for_element(Locator::Css("p.notice")).await?;
        browser.goto(&app.url("/documents/WI-001")).await?;
        browser
            .find(Locator::Css(
                "form[action='/documents/WI-001/submit'] button",
            ))
            .await?
            .click()
            .await?;
        browser.wait().for_element(Locator::Css("p.notice")).await?;
        browser
            .find(Locator::Css("form[action='/logout'] button"))
            .await?
            .click()
            .await?;

        browser_login(&browser, &app, "quinn", crate::helpers::PASSWORD).await?;
        browser.goto(&app.url("/documents/WI-001")).await?;
        browser
            .find(Locator::Css(".signform input[name=password]"))
            .await?
            .send_keys("wrong-password-here")
            .await?;
        browser
            .find(Locator::Css(".signform button[type=submit]"))
            .await?
            .click()
            .await?;
        let error = browser
            .wait()
            .for_element(Locator::Css("p.error"))
            .await?
            .text()
            .await?;
        assert!(error.contains("password does not match"), "{error}");
        browser
            .find(Locator::Css(".signform input[name=password]"))
            .await?
            .send_keys(crate::helpers::PASSWORD)
            .await?;
        browser
            .find(Locator::Css(".signform button[type=submit]"))
            .await?
            .click()
            .await?;
        let banner = browser
            .wait()
            .for_element(Locator::Css("p.banner.current"))
            .await?
            .text()
            .await?;
        assert!(banner.contains("Revision 1 is in force"), "{banner}");
        screenshot("document-in-force.png", browser.screenshot().await?);
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.expect("browser steps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_process_pages_render_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = crate::helpers::spawn_demo_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        browser_login(&browser, &app, "maria", laatu::demo::DEMO_PASSWORD).await?;
        browser.goto(&app.url("/processes/DELIV")).await?;
        let charts = browser.find_all(Locator::Css(".kpi svg.trend")).await?;
        assert!(!charts.is_empty());
        // Every KPI chart is drawn in the page, with a size.
        let drawn = browser
            .execute(
                "return [...document.querySelectorAll('.kpi svg.trend')].every(s => s.getBoundingClientRect().width > 200)",
                vec![],
            )
            .await?;
        assert_eq!(drawn, serde_json::Value::Bool(true));
        screenshot("process-turtle.png", browser.screenshot().await?);
        browser.goto(&app.url("/processes/map")).await?;
        browser.wait().for_element(Locator::Css("figure.map svg")).await?;
        screenshot("process-map.png", browser.screenshot().await?);
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.expect("browser steps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_logs_in_switches_language_creates_a_user_and_logs_out() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;

    let result = async {
        browser.goto(&app.url("/admin/users")).await?;
        // Not logged in: sent to the login page, and back after logging in.
        assert!(browser.current_url().await?.path().starts_with("/login"));
        browser
            .find(Locator::Css("input[name=username]"))
            .await?
            .send_keys("admin")
            .await?;
        browser
            .find(Locator::Css("input[name=password]"))
            .await?
            .send_keys(ADMIN_PASSWORD)
            .await?;
        browser
            .find(Locator::Css("form[action='/login'] button[type=submit]"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("a[href='/admin/users/new']"))
            .await?;
        assert_eq!(browser.current_url().await?.path(), "/admin/users");

        // Switch to Finnish with the language selector.
        browser
            .find(Locator::Css("#lang-select"))
            .await?
            .select_by_value("fi")
            .await?;
        browser
            .find(Locator::Css("form.lang button"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::XPath("//h1[text()='Käyttäjät']"))
            .await?;

        // Create a user through the form, with two roles and an expiry date.
        browser.goto(&app.url("/admin/users/new")).await?;
        browser
            .find(Locator::Css("input[name=username]"))
            .await?
            .send_keys("external")
            .await?;
        browser
            .find(Locator::Css("input[name=display_name]"))
            .await?
            .send_keys("Ulla Ulkoinen")
            .await?;
        browser
            .find(Locator::Css("input[name=password]"))
            .await?
            .send_keys("ulkoinen-salasana")
            .await?;
        browser
            .find(Locator::Css("input[name=roles][value=auditor]"))
            .await?
            .click()
            .await?;
        browser
            .find(Locator::Css("input[name=roles][value=staff]"))
            .await?
            .click()
            .await?; // untick the default
        browser
            .execute(
                "document.querySelector('input[name=expires_on]').value = '2031-01-31'",
                vec![],
            )
            .await?;
        browser
            .find(Locator::Css(
                "form[action='/admin/users'] button[type=submit]",
            ))
            .await?
            .click()
            .await?;
        let notice = browser
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await?
            .text()
            .await?;
        assert_eq!(notice, "Käyttäjä luotiin.");
        screenshot("user-created-fi.png", browser.screenshot().await?);

        browser
            .find(Locator::Css("form[action='/logout'] button"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("input[name=username]"))
            .await?;
        assert_eq!(browser.current_url().await?.path(), "/login");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.expect("browser steps");

    let admin = app.admin().await;
    let user: Value = admin
        .get(app.url("/api/v1/users/external"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["roles"], json!(["auditor"]));
    assert_eq!(user["expires_at"], "2031-01-31T00:00:00.000000Z");
    assert_eq!(user["display_name"], "Ulla Ulkoinen");
}
