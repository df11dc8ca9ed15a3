use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_the_service_and_the_database_as_ok() {
    let app = spawn_app().await;
    let (status, body) = app.get_json(&app.client(), shared::routes::HEALTH).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn pages_are_rendered_on_the_server_in_italian() {
    let app = spawn_app().await;
    let res = app.client().get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Servizi educativi 0-6"), "{html}");
    assert!(html.contains("Regione Piemonte"));
    assert!(html.contains("Informativa sulla privacy"));
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    let res = app
        .client()
        .get(app.url(shared::routes::HEALTH))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_a_page() {
    let app = spawn_app().await;
    let (status, body) = app.get_json(&app.client(), "/api/v1/non-esiste").await;
    assert_eq!(status, 404);
    assert_eq!(body["data"]["code"], "non_trovato");
}
