//! Failed logins: unknown names answer exactly like wrong passwords, and
//! failures slow down one name from one address, never the account.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    ADMIN_PASSWORD, Backend, PASSWORD, TestApp, changes, client, client_from, error_code,
    spawn_app_with,
};

backend_tests!(
    unknown_names_answer_exactly_like_wrong_passwords,
    a_waiting_name_is_refused_alike_known_or_unknown,
    failures_never_lock_the_owner_out,
    forwarded_addresses_count_only_from_trusted_proxies,
);

async fn attempt(
    c: &reqwest::Client,
    app: &TestApp,
    user: &str,
    password: &str,
) -> reqwest::Response {
    c.post(app.url("/api/v1/session"))
        .json(&json!({ "username": user, "password": password }))
        .send()
        .await
        .unwrap()
}

/// Status, `Set-Cookie` present, and the whole body of an answer.
async fn answer(res: reqwest::Response) -> (StatusCode, bool, String) {
    let status = res.status();
    let cookie = res.headers().get("set-cookie").is_some();
    (status, cookie, res.text().await.unwrap())
}

/// (client, failures) of each throttled pair of a name, as stored.
fn pairs(app: &TestApp, name: &str) -> Vec<(String, i32)> {
    use laatu::db::schema::login_throttles::dsl::*;
    let mut db = app.db();
    login_throttles
        .filter(username.eq(name))
        .order(client.asc())
        .select((client, failures))
        .load(&mut db)
        .unwrap()
}

/// Waits until the server has recorded `n` failures of `name` (a request
/// whose answer is being held back has recorded its failure first).
async fn wait_for_failures(app: &TestApp, name: &str, n: i32) {
    for _ in 0..1200 {
        if pairs(app, name).iter().map(|(_, f)| f).sum::<i32>() >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{n} failures of {name} were never recorded");
}

async fn unknown_names_answer_exactly_like_wrong_passwords(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.login_free_failures = 2;
        c.login_failure_delay_ms = 1;
        c.login_max_delay_ms = 2;
    })
    .await;
    app.user_with_roles("known", &["staff"]).await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..4 {
        for (name, out) in [("known", &mut known), ("ghost", &mut unknown)] {
            let before = app.state.passwords.verifications();
            let res = attempt(&app.client, &app, name, "wrong-password-1").await;
            out.push(answer(res).await);
            assert_eq!(
                app.state.passwords.verifications(),
                before + 1,
                "one argon2 verification for {name}, account or not"
            );
        }
    }
    assert_eq!(known, unknown, "the same answers, one by one");
    let (status, cookie, body) = &known[0];
    assert_eq!(*status, StatusCode::UNAUTHORIZED);
    assert!(!cookie);
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error"]["code"], "invalid_credentials");

    // Both names are counted the same way, and the trail has every failure.
    assert_eq!(pairs(&app, "known"), [("127.0.0.1".to_string(), 4)]);
    assert_eq!(pairs(&app, "ghost"), [("127.0.0.1".to_string(), 4)]);
    let events = app.audit_events("").await;
    let count = |action: &str| events.iter().filter(|e| e["action"] == action).count();
    assert_eq!(count("user.login_failed"), 4);
    assert_eq!(count("login.failed"), 4);
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "login.failed" && e["entity_id"] == "ghost")
    );
}

async fn a_waiting_name_is_refused_alike_known_or_unknown(backend: Backend) {
    // The first failure makes the name wait ten minutes from this address.
    let app = spawn_app_with(backend, |c| {
        c.login_free_failures = 0;
        c.login_failure_delay_ms = 600_000;
        c.login_max_delay_ms = 600_000;
    })
    .await;
    app.user_with_roles("known", &["staff"]).await;
    let mut held = Vec::new();
    for name in ["known", "ghost"] {
        let c = app.client.clone();
        let url = app.url("/api/v1/session");
        // Its answer waits on the server's timer; the one worker stays free.
        held.push(tokio::spawn(async move {
            c.post(url)
                .json(&json!({ "username": name, "password": "wrong-password-1" }))
                .send()
                .await
        }));
        wait_for_failures(&app, name, 1).await;
    }
    let before = app.state.passwords.verifications();
    let mut answers = Vec::new();
    for (name, password) in [("known", PASSWORD), ("ghost", PASSWORD)] {
        let res = attempt(&app.client, &app, name, password).await;
        let retry: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=600).contains(&retry), "Retry-After {retry}");
        answers.push(answer(res).await);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::TOO_MANY_REQUESTS);
    let body: Value = serde_json::from_str(&answers[0].2).unwrap();
    assert_eq!(body["error"]["code"], "login_throttled");
    assert_eq!(
        app.state.passwords.verifications(),
        before,
        "a waiting name is refused before any password check, known or not"
    );
    // The login form answers the same refusal as a page.
    let html = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::helpers::csrf_token(&html);
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "known"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));

    // From another computer the owner logs in at once.
    let elsewhere = client_from([127, 0, 0, 2]);
    let res = attempt(&elsewhere, &app, "known", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    for h in held {
        h.abort();
    }
}

async fn failures_never_lock_the_owner_out(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.login_free_failures = 2;
        c.login_failure_delay_ms = 1;
        c.login_max_delay_ms = 4;
    })
    .await;
    app.user_with_roles("guessme", &["staff"]).await;
    let attacker = client();
    for _ in 0..12 {
        let res = attempt(&attacker, &app, "guessme", "wrong-password-x").await;
        assert_eq!(error_code(res).await, "invalid_credentials");
    }
    assert_eq!(pairs(&app, "guessme"), [("127.0.0.1".to_string(), 12)]);

    // The owner, from their own computer, is not held back at all.
    let owner = client_from([127, 0, 0, 3]);
    let res = attempt(&owner, &app, "guessme", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let sessions = app.audit_events("entity_type=session").await;
    let owner_login = sessions
        .iter()
        .rfind(|e| e["actor_name"] == "guessme")
        .unwrap();
    assert_eq!(changes(owner_login)["client"], "127.0.0.3");

    // No lock: once its wait is over even the attacker's address gets in
    // with the right password, and that forgets the address's failures.
    let res = attempt(&attacker, &app, "guessme", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(pairs(&app, "guessme").is_empty());

    // An admin can lift the delays of a name from every address, audited.
    for _ in 0..3 {
        attempt(&attacker, &app, "guessme", "wrong-password-x").await;
    }
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let res = admin
        .patch(app.url("/api/v1/users/guessme"))
        .json(&json!({ "unlock": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(pairs(&app, "guessme").is_empty());
    let lifted = app.audit_events("action=user.login_delays_lifted").await;
    assert_eq!(lifted.len(), 1);
    assert_eq!(lifted[0]["actor_name"], "admin");
    assert_eq!(changes(&lifted[0])["login_delays_lifted"], 1);
}

async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) {
    // Behind a trusted proxy, the address it forwards is the client's.
    let app = spawn_app_with(backend.clone(), |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", "198.51.100.20, 203.0.113.7")
        .json(&json!({ "username": "admin", "password": "wrong-password-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(pairs(&app, "admin"), [("203.0.113.7".to_string(), 1)]);
    drop(app);

    // Anyone else cannot pick an address to dodge the count.
    let app = spawn_app_with(backend, |_| {}).await;
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", "203.0.113.7")
        .json(&json!({ "username": "admin", "password": "wrong-password-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(pairs(&app, "admin"), [("127.0.0.1".to_string(), 1)]);
}
