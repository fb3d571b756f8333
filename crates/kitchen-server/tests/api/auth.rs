use crate::helpers::*;
use kitchen_testkit::KitchenClient;
use kitchen_testkit::fixtures::family_order;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn every_api_route_except_login_needs_auth() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    for (method, path) in [
        (Method::GET, "/api/orders"),
        (Method::POST, "/api/orders"),
        (Method::GET, "/api/orders/1"),
        (Method::PUT, "/api/orders/1/status"),
        (Method::GET, "/api/menu"),
        (Method::PUT, "/api/menu"),
        (Method::GET, "/api/session"),
        (Method::GET, "/api/events"),
    ] {
        let res = anon
            .request(method.clone(), path)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["www-authenticate"],
            "Basic realm=\"Melt 8 Kitchen\"",
            "{method} {path}"
        );
        error_with(res, 401, "unauthorized").await;
    }
    assert!(
        anon.events().await.is_err(),
        "the event stream refuses a client without credentials"
    );
}

#[tokio::test]
async fn the_dashboard_gets_a_401_without_a_browser_password_box() {
    let app = spawn_app().await;
    let res = app
        .anonymous()
        .request(Method::GET, "/api/orders")
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("www-authenticate").is_none(),
        "no Basic challenge for the dashboard's own requests"
    );
    error_with(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn login_sets_a_strict_httponly_cookie_that_opens_the_api_and_logout_closes_it() {
    let app = spawn_app().await;
    let browser = app.anonymous();
    let res = browser.login(USER, PASSWORD).await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("melt8_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let body = json_with(res, 200).await;
    assert_eq!(body["username"], USER);
    assert!(!body.to_string().contains(PASSWORD));

    let me = json_with(browser.get("/api/session").await.unwrap(), 200).await;
    assert_eq!(me["username"], USER);
    json_with(browser.get("/api/orders").await.unwrap(), 200).await;
    let mut events = browser
        .events()
        .await
        .expect("the cookie opens the event stream too");
    events
        .expect("hello", std::time::Duration::from_secs(2))
        .await
        .unwrap();

    let res = browser.post_json("/api/logout", &json!({})).await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    error_with(
        browser.get("/api/orders").await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_logged_out_cookie_stays_dead_even_if_replayed() {
    let app = spawn_app().await;
    let browser = app.anonymous();
    let res = browser.login(USER, PASSWORD).await.unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    browser.post_json("/api/logout", &json!({})).await.unwrap();
    let replay = reqwest::Client::new()
        .get(format!("{}/api/orders", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    error_with(replay, 401, "unauthorized").await;
}

#[tokio::test]
async fn http_basic_works_on_every_route_and_a_wrong_password_is_refused() {
    let app = spawn_app().await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(order["number"], 1);
    json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let wrong = KitchenClient::new(&app.base).with_basic(USER, "not-it");
    error_with(
        wrong.get("/api/orders").await.unwrap(),
        401,
        "invalid_credentials",
    )
    .await;
    let wrong_user = KitchenClient::new(&app.base).with_basic("admin", PASSWORD);
    error_with(
        wrong_user.get("/api/orders").await.unwrap(),
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn the_sixth_bad_login_in_a_minute_gets_429_even_with_the_right_password() {
    let app = spawn_app().await;
    let browser = app.anonymous();
    for attempt in 1..=5 {
        let res = browser
            .login(USER, &format!("guess-{attempt}"))
            .await
            .unwrap();
        error_with(res, 401, "invalid_credentials").await;
    }
    let res = browser.login(USER, "guess-6").await.unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let msg = error_with(res, 429, "too_many_attempts").await;
    assert!(msg.contains("wait"), "{msg}");
    // Locked out: guessing right now does not help an attacker, and Basic is limited too.
    error_with(
        browser.login(USER, PASSWORD).await.unwrap(),
        429,
        "too_many_attempts",
    )
    .await;
    error_with(
        app.api.get("/api/orders").await.unwrap(),
        429,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn a_malformed_login_body_is_a_clear_error() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(format!("{}/api/login", app.base))
        .header("content-type", "application/json")
        .body("{\"username\": \"chef\"")
        .send()
        .await
        .unwrap();
    error_with(res, 400, "invalid_json").await;
    let res = app
        .anonymous()
        .post_json("/api/login", &json!({"username": "chef"}))
        .await
        .unwrap();
    let msg = error_with(res, 422, "invalid_body").await;
    assert!(msg.contains("password"), "{msg}");
}

#[tokio::test]
async fn a_desktop_login_link_signs_the_window_in_once() {
    let app = spawn_app().await;
    let token = app.state.login_links.mint(std::time::Instant::now());
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let link = format!("{}/api/login-link?token={}", app.base, token.expose());
    let res = browser.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/chef-dashboard");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("melt8_session="), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_string();
    let whoami = browser
        .get(format!("{}/api/session", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(json_with(whoami, 200).await["username"], USER);

    // Used once: the same link (and a made-up one) now only leads to the login screen.
    for link in [link, format!("{}/api/login-link?token=made-up", app.base)] {
        let again = browser.get(&link).send().await.unwrap();
        assert_eq!(again.status(), 303);
        assert!(again.headers().get("set-cookie").is_none(), "{link}");
    }
    let bare = browser
        .get(format!("{}/api/login-link", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bare.status(),
        303,
        "no token: the login screen, not an error"
    );
}

#[tokio::test]
async fn forty_parallel_wrong_logins_get_five_verifications_and_429_for_the_rest() {
    let app = spawn_app().await;
    let before = app.state.credentials.verifications();
    let browser = app.anonymous();
    let guesses = (0..40).map(|i| {
        let browser = browser.clone();
        async move { browser.login(USER, &format!("guess-{i}")).await.unwrap() }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for res in answers {
        *statuses.entry(res.status().as_u16()).or_default() += 1;
    }
    assert_eq!(
        statuses,
        [(401, 5), (429, 35)].into_iter().collect(),
        "five counted attempts, the rest refused before argon2"
    );
    assert_eq!(app.state.credentials.verifications() - before, 5);
    // Basic credentials from the same address are refused before argon2 too.
    let basic = KitchenClient::new(&app.base).with_basic(USER, "another-guess");
    error_with(
        basic.get("/api/orders").await.unwrap(),
        429,
        "too_many_attempts",
    )
    .await;
    assert_eq!(app.state.credentials.verifications() - before, 5);
}

#[tokio::test]
async fn a_flood_of_addresses_does_not_switch_the_login_limit_off() {
    let app = spawn_app().await;
    let now = std::time::Instant::now();
    for i in 0..(kitchen_core::auth::MAX_TRACKED as u32 + 20) {
        let ip = std::net::IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
        let _ = app.state.limiter.reserve(ip, now).unwrap();
    }
    // This test's own address (127.0.0.1) is new to a full table, and is still limited.
    let browser = app.anonymous();
    for attempt in 1..=5 {
        let res = browser
            .login(USER, &format!("guess-{attempt}"))
            .await
            .unwrap();
        error_with(res, 401, "invalid_credentials").await;
    }
    error_with(
        browser.login(USER, "guess-6").await.unwrap(),
        429,
        "too_many_attempts",
    )
    .await;
    assert!(app.state.limiter.tracked() <= kitchen_core::auth::MAX_TRACKED);
}

#[tokio::test]
async fn a_right_password_is_not_counted_as_a_failed_attempt() {
    let app = spawn_app().await;
    let browser = app.anonymous();
    for _ in 0..8 {
        json_with(browser.login(USER, PASSWORD).await.unwrap(), 200).await;
    }
    for attempt in 1..=5 {
        error_with(
            browser
                .login(USER, &format!("guess-{attempt}"))
                .await
                .unwrap(),
            401,
            "invalid_credentials",
        )
        .await;
    }
}
