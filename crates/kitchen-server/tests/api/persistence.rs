use crate::helpers::*;
use kitchen_server::{Application, Secret};
use kitchen_testkit::fixtures::family_order;

#[tokio::test]
async fn orders_survive_a_restart_on_the_same_data_dir() {
    let app = spawn_app().await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    json_with(
        app.api
            .set_status(order["id"].as_i64().unwrap(), "preparing", None)
            .await
            .unwrap(),
        200,
    )
    .await;
    let dir = app.stop().await;

    let app = spawn_app_in(dir).await;
    let list = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["uuid"], order["uuid"]);
    assert_eq!(list[0]["status"], "preparing");
    assert_eq!(list[0]["items"], order["items"]);
    let next = app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(next["number"], 2, "numbering continues after a restart");
}

#[tokio::test]
async fn a_login_cookie_keeps_working_after_a_restart() {
    let app = spawn_app().await;
    let res = app.anonymous().login(USER, PASSWORD).await.unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;
    let res = reqwest::Client::new()
        .get(format!("{}/api/orders", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    json_with(res, 200).await;
}

#[tokio::test]
async fn a_database_written_by_a_newer_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_in(dir).await;
    let dir = app.stop().await;
    let db = dir.path().join("melt8.db");
    kitchen_store::rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let err = Application::build(test_config(dir.path()))
        .await
        .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("newer version of Melt 8 Kitchen"), "{msg}");
    assert!(msg.contains("999"), "{msg}");
}

#[tokio::test]
async fn changing_chef_password_in_the_environment_replaces_the_stored_hash_and_ends_sessions() {
    let app = spawn_app().await;
    let res = app.anonymous().login(USER, PASSWORD).await.unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let dir = app.stop().await;
    let app = spawn_with(dir, |c| {
        c.chef_password = Some(Secret::new("a-brand-new-one"))
    })
    .await;
    error_with(
        app.api.get("/api/orders").await.unwrap(),
        401,
        "invalid_credentials",
    )
    .await;
    let new = kitchen_testkit::KitchenClient::new(&app.base).with_basic(USER, "a-brand-new-one");
    json_with(new.get("/api/orders").await.unwrap(), 200).await;
    let res = reqwest::Client::new()
        .get(format!("{}/api/orders", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    error_with(res, 401, "unauthorized").await;
}
