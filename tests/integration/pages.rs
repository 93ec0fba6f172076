//! The HTML side: CSRF on every form, login redirects, role-fitted navigation,
//! language choice and locale dates, escaping.

use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{
    ADMIN_PASSWORD, Backend, PASSWORD, client, csrf_token, page_login, spawn_app,
};

backend_tests!(
    form_post_without_valid_csrf_token_is_refused_and_changes_nothing,
    pages_need_login_and_the_right_role,
    admin_manages_users_through_the_pages,
    language_follows_user_then_browser,
    stale_user_form_is_a_conflict,
);

async fn user_count(app: &crate::helpers::TestApp) -> i64 {
    let admin = app.admin().await;
    let list: Value = admin
        .get(app.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["total"].as_i64().unwrap()
}

async fn form_post_without_valid_csrf_token_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let html = c
        .get(app.url("/admin/users/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let good = csrf_token(&html);
    let form = |token: &str| {
        vec![
            ("csrf_token", token.to_string()),
            ("username", "mallory".to_string()),
            ("password", PASSWORD.to_string()),
            ("roles", "admin".to_string()),
        ]
    };
    let before = user_count(&app).await;

    // No token, a wrong token, and a right token from another browser.
    let no_token: Vec<_> = form("")
        .into_iter()
        .filter(|(k, _)| *k != "csrf_token")
        .collect();
    let res = c
        .post(app.url("/admin/users"))
        .form(&no_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("csrf_token_invalid"));
    let res = c
        .post(app.url("/admin/users"))
        .form(&form(&"0".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = client();
    let other_html = other
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url("/admin/users"))
        .form(&form(&csrf_token(&other_html)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(user_count(&app).await, before, "nothing was created");

    // Logout and login forms are protected too.
    let res = c
        .post(app.url("/logout"))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = client()
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = c
        .post(app.url("/admin/users"))
        .form(&form(&good))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(user_count(&app).await, before + 1);
}

async fn pages_need_login_and_the_right_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = client()
        .get(app.url("/admin/users?page=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        "/login?next=%2Fadmin%2Fusers%3Fpage%3D2"
    );

    app.user_with_roles("sanna", &["staff"]).await;
    let staff = page_login(&app, "sanna", PASSWORD).await;
    let home = staff
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("href=\"/admin/users\""),
        "staff sees no user admin"
    );
    assert!(!home.contains("href=\"/audit\""));
    for path in ["/admin/users", "/admin/users/new", "/audit"] {
        let res = staff.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }

    app.user_with_roles("aino", &["auditor"]).await;
    let auditor = page_login(&app, "aino", PASSWORD).await;
    let home = auditor
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"/audit\""));
    // Auditors read the people pages (issue 11), without the forms that change them.
    assert!(home.contains("href=\"/admin/users\""));
    let users = auditor.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(users.status(), StatusCode::OK);
    assert!(
        !users
            .text()
            .await
            .unwrap()
            .contains("href=\"/admin/users/new\"")
    );
    let person = auditor
        .get(app.url("/admin/users/aino"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!person.contains("<form method=\"post\" action=\"/admin/users/aino"));
    assert_eq!(
        auditor
            .get(app.url("/admin/users/new"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let audit = auditor
        .get(app.url("/audit?actor=admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(audit.status(), StatusCode::OK);
    assert!(audit.text().await.unwrap().contains("user.created"));

    let res = auditor.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // An open redirect through `next` is not followed.
    let c = client();
    let html = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("username", "aino"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
}

async fn admin_manages_users_through_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let html = c
        .get(app.url("/admin/users/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("username", "aino"),
            ("display_name", "<script>alert(1)</script>"),
            ("password", PASSWORD),
            ("roles", "auditor"),
            ("roles", "staff"),
            ("expires_on", "2031-03-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = c
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("&lt;script&gt;"), "names are escaped");
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("value=\"2031-03-01\""));

    let list = c
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("/admin/users/aino"));

    // A bad form re-renders with the translated error and keeps what was typed.
    let res = c
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("username", "aino"),
            ("display_name", "Second Aino"),
            ("password", PASSWORD),
            ("roles", "staff"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.text().await.unwrap();
    assert!(body.contains("That username is taken."), "{body}");
    assert!(body.contains("value=\"Second Aino\""));

    // Deactivate through the form (checkbox unticked).
    let edit = c
        .get(app.url("/admin/users/aino"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&edit);
    let version = doc
        .select(&scraper::Selector::parse("input[name=version]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let res = c
        .post(app.url("/admin/users/aino"))
        .form(&[
            ("csrf_token", csrf_token(&edit).as_str()),
            ("display_name", "Aino"),
            ("roles", "auditor"),
            ("version", version.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let admin = app.admin().await;
    let aino: Value = admin
        .get(app.url("/api/v1/users/aino"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(aino["active"], false);
    assert_eq!(aino["roles"], serde_json::json!(["auditor"]));
    assert_eq!(aino["expires_at"], Value::Null);
}

async fn language_follows_user_then_browser(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = client()
        .get(app.url("/login"))
        .header("accept-language", "fi-FI,fi;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(res.contains("<html lang=\"fi\">"));
    assert!(res.contains("Kirjaudu sisään"));
    let res = client()
        .get(app.url("/login"))
        .header("accept-language", "sv-SE, en-GB;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(res.contains("Log in"));

    // The user's setting wins over the browser, and is saved by the switcher.
    let c = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let page = c
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url("/language"))
        .form(&[
            ("csrf_token", csrf_token(&page).as_str()),
            ("lang", "fi"),
            ("back", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c
        .get(app.url("/account"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Omat tiedot"));
    let me: Value = c
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["language"], "fi");

    // Dates in the Finnish format (d.m.yyyy) on the audit page.
    let audit = c
        .get(app.url("/audit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let year = crate::helpers::test_now_utc().format("%Y").to_string();
    let re_fi = format!(".{year} klo ");
    assert!(audit.contains(&re_fi), "Finnish date format");
}

async fn stale_user_form_is_a_conflict(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("pekka", &["staff"]).await;
    let c1 = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let c2 = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let form1 = c1
        .get(app.url("/admin/users/pekka"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form2 = c2
        .get(app.url("/admin/users/pekka"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let post = |c: reqwest::Client, html: String, name: &'static str| {
        let url = app.url("/admin/users/pekka");
        async move {
            let doc = scraper::Html::parse_document(&html);
            let version = doc
                .select(&scraper::Selector::parse("input[name=version]").unwrap())
                .next()
                .unwrap()
                .value()
                .attr("value")
                .unwrap()
                .to_string();
            c.post(url)
                .form(&[
                    ("csrf_token", csrf_token(&html)),
                    ("display_name", name.to_string()),
                    ("roles", "staff".to_string()),
                    ("active", "1".to_string()),
                    ("version", version),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        post(c1, form1, "First Edit").await.status(),
        StatusCode::SEE_OTHER
    );
    let res = post(c2, form2, "Second Edit").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Someone else changed this user")
    );
    let admin = app.admin().await;
    let u: Value = admin
        .get(app.url("/api/v1/users/pekka"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(u["display_name"], "First Edit");
}
