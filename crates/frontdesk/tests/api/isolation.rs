//! Two tenants never see each other's services, customers or appointments.

use crate::helpers::{TestApp, CALLER, PRACTICE, SALON, SALON_PRENZLAUER_BERG};
use chrono::{Duration, TimeZone, Utc};
use frontdesk::domain::PhoneNumber;
use frontdesk::store::{AppointmentStatus, NewAppointment};
use serde_json::json;

#[tokio::test]
async fn services_customers_and_appointments_stay_with_their_tenant() {
    let app = TestApp::spawn().await;
    // The caller is a salon customer with an appointment tomorrow 9:00 with Jonas (Innenstadt).
    let branches = app.store.load_branches().await.unwrap();
    let salon = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let customer = app
        .store
        .upsert_customer(salon.company.id, &PhoneNumber::parse(CALLER).unwrap(), Some("Anna Schmidt"), None)
        .await
        .unwrap();
    let service = salon.branch.services.iter().find(|s| s.name == "Bartpflege").unwrap();
    let start = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap().with_timezone(&Utc);
    app.store
        .insert_appointment(&NewAppointment {
            idempotency_key: "isolation".into(),
            company_id: salon.company.id,
            branch_id: salon.branch.id,
            customer_id: Some(customer.id),
            service_id: service.id.0,
            staff_id: Some(salon.branch.staff.iter().find(|s| s.name == "Jonas").unwrap().id.0),
            call_id: None,
            starts_at: start,
            ends_at: start + Duration::minutes(15),
            status: AppointmentStatus::Booked,
            notes: None,
            source: frontdesk::store::AppointmentSource::Phone,
            created_at: app.now,
            by: frontdesk::store::Actor::PhoneAgent,
        })
        .await
        .unwrap();

    // The salon knows the caller; the practice does not.
    let at_salon = app.call_between("check_customer", json!({}), CALLER, SALON).await.json();
    assert_eq!(at_salon["known"], true);
    assert_eq!(at_salon["appointments"].as_array().unwrap().len(), 1);
    let at_practice = app.call_between("check_customer", json!({}), CALLER, PRACTICE).await.json();
    assert_eq!(at_practice["known"], false);
    assert_eq!(at_practice["appointments"], json!([]));
    let practice_start = app.call_between("initialize_call", json!({}), CALLER, PRACTICE).await.json();
    assert_eq!(practice_start["customer"]["known"], false);
    assert_eq!(practice_start["company_name"], "Riverside Dental Practice");

    // Services: each branch lists only its own.
    let practice_services = app.call_between("get_available_services", json!({}), CALLER, PRACTICE).await.json();
    let names: Vec<&str> =
        practice_services["services"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Check-up", "Hygiene appointment", "Emergency appointment"]);
    let foreign = app
        .call_between(
            "check_availability",
            json!({"service": "Bartpflege", "date": "tomorrow", "time": "10:00"}),
            CALLER,
            PRACTICE,
        )
        .await
        .json();
    assert_eq!(foreign["error"], "unknown_service");

    // The appointment blocks Jonas at Innenstadt only; the other branch has its own staff and calendar.
    let innenstadt = app
        .call_between(
            "check_availability",
            json!({"service": "Bartpflege", "date": "morgen", "time": "9:00"}),
            CALLER,
            SALON,
        )
        .await
        .json();
    assert_eq!(innenstadt["available"], false);
    let other_branch = app
        .call_between(
            "check_availability",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}),
            CALLER,
            SALON_PRENZLAUER_BERG,
        )
        .await
        .json();
    assert_eq!(other_branch["available"], true);
    assert_eq!(other_branch["slot"]["staff"], json!(["Aylin"]));
}
