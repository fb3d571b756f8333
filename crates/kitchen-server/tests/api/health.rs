use crate::helpers::*;

#[tokio::test]
async fn health_answers_ok_without_login() {
    let app = spawn_app().await;
    let body = json_with(app.anonymous().get("/health").await.unwrap(), 200).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
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
