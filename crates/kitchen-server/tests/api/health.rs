use crate::helpers::*;

#[tokio::test]
async fn health_answers_ok_without_login_and_the_details_with_one() {
    let app = spawn_app().await;
    let body = json_with(app.anonymous().get("/health").await.unwrap(), 200).await;
    assert_eq!(
        body,
        serde_json::json!({"status": "ok"}),
        "only that it is up"
    );
    let body = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["phone"]["calls_in_progress"], 0);
    assert_eq!(body["phone"]["openai_key_configured"], false);
}

#[tokio::test]
async fn health_says_which_phone_secrets_are_set_but_never_shows_them() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.settings.openai_api_key = Some(kitchen_server::Secret::new("sk-very-secret-key"));
        c.settings.twilio_auth_token = Some(kitchen_server::Secret::new("twilio-secret-token"));
    })
    .await;
    let body = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(body["phone"]["openai_key_configured"], true);
    assert_eq!(body["phone"]["twilio_auth_token_configured"], true);
    let text = body.to_string();
    assert!(!text.contains("sk-very-secret-key") && !text.contains("twilio-secret-token"));
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let app = spawn_app().await;
    error_with(
        app.anonymous().get("/nope").await.unwrap(),
        404,
        "route_not_found",
    )
    .await;
    let res = app
        .anonymous()
        .request(reqwest::Method::DELETE, "/health")
        .send()
        .await
        .unwrap();
    error_with(res, 405, "method_not_allowed").await;
}
