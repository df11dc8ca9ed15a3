use crate::helpers::{error_data, spawn_app, spawn_app_with, TestUser};
use backend::config::Settings;
use backend::istat;
use backend::service::comuni;

/// The product's start-up: all 7,896 comuni, not only the served Region's (the test default).
fn tutta_italia(s: &mut Settings) {
    s.database.import_solo_regione = false;
}

#[tokio::test]
async fn all_italian_comuni_are_loaded_and_piemonte_has_1180() {
    let app = spawn_app_with(tutta_italia).await;
    let store = &app.state.store;
    assert_eq!(store.comuni_all().await.unwrap().len(), 7_896);
    assert_eq!(store.comuni_count_in_regione("01").await.unwrap(), 1_180);
}

#[tokio::test]
async fn importing_the_same_list_twice_changes_nothing() {
    let app = spawn_app_with(tutta_italia).await;
    let list = istat::parse(istat::ELENCO_COMUNI).unwrap();
    let report = comuni::import(
        &app.state.store,
        list,
        app.state.orologio.adesso(),
        |_, _| {},
    )
    .await
    .unwrap();
    assert!(!report.changed(), "{report:?}");
    assert_eq!(report.invariati, 7_896);
}

#[tokio::test]
async fn a_comune_missing_from_a_new_list_is_marked_ceased_not_deleted() {
    let app = spawn_app_with(tutta_italia).await;
    let mut list = istat::parse(istat::ELENCO_COMUNI).unwrap();
    list.retain(|c| c.codice != "004003");
    let mut steps = Vec::new();
    let report = comuni::import(
        &app.state.store,
        list,
        app.state.orologio.adesso(),
        |done, total| steps.push((done, total)),
    )
    .await
    .unwrap();
    assert_eq!((report.cessati, report.nuovi, report.aggiornati), (1, 0, 0));
    assert_eq!(steps.last(), Some(&(1, 1)), "progress reaches the total");
    let alba = app.state.store.comune("004003").await.unwrap().unwrap();
    assert!(!alba.attivo);
    assert_eq!(
        app.state.store.comuni_count_in_regione("01").await.unwrap(),
        1_179
    );
}

#[tokio::test]
async fn an_alba_official_is_refused_on_torino_data() {
    let app = spawn_app().await;
    let alba = app.logged_in(TestUser::Alba).await;
    let (status, body) = app.get_json(&alba, "/api/v1/comuni/001272").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_data(&body)["code"], "non_autorizzato");
    assert_eq!(body["message"], "Non hai i permessi per questa operazione.");
}

#[tokio::test]
async fn officials_see_their_own_comune_and_the_region_sees_all_of_piemonte() {
    let app = spawn_app_with(tutta_italia).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (status, body) = app.get_json(&torino, "/api/v1/comuni/001272").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["nome"], "Torino");
    assert_eq!(body["sigla_provincia"], "TO");

    let regione = app.logged_in(TestUser::Regione).await;
    let (status, body) = app.get_json(&regione, "/api/v1/comuni/004003").await;
    assert_eq!((status, body["nome"].as_str()), (200, Some("Alba")));
    // Milano (015146) is not in the Region served.
    let (status, _) = app.get_json(&regione, "/api/v1/comuni/015146").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_malformed_istat_code_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (status, body) = app.get_json(&regione, "/api/v1/comuni/12ab").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_data(&body)["fields"][0]["field"], "codice_istat");
}

#[tokio::test]
async fn comune_data_needs_a_session() {
    let app = spawn_app().await;
    let (status, _) = app.get_json(&app.client(), "/api/v1/comuni/001272").await;
    assert_eq!(status, 401);
}
