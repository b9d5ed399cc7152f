//! Repository tests, each run on SQLite and on PostgreSQL (its own schema, so tests run in parallel).

use crate::helpers::{database_url, monday_morning, Backend};
use chrono::Duration;
use frontdesk::domain::PhoneNumber;
use frontdesk::store::{AppointmentStatus, CallRecord, FunctionCallRecord, HoldRow, NewAppointment, Store};
use frontdesk::tenants::TenantsFile;

const DEMO: &str = include_str!("../../../../config/tenants.demo.toml");

/// A migrated store with the demo tenants imported; `None` when PostgreSQL is skipped outside CI.
async fn store(backend: Backend, dir: &tempfile::TempDir) -> Option<Store> {
    let url = database_url(backend, dir).await?;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.import_tenants(&TenantsFile::parse(DEMO).unwrap()).await.unwrap();
    Some(store)
}

/// Declares one test per backend from an async body taking the store.
macro_rules! on_both_backends {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn run($store: Store) $body

            #[tokio::test]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                run(store(Backend::Sqlite, &dir).await.unwrap()).await;
            }

            #[tokio::test]
            async fn postgres() {
                let dir = tempfile::tempdir().unwrap();
                if let Some(store) = store(Backend::Postgres, &dir).await {
                    run(store).await;
                }
            }
        }
    };
}

on_both_backends!(import_is_idempotent_and_loads_the_directory, |store| {
    store.migrate().await.unwrap();
    store.import_tenants(&TenantsFile::parse(DEMO).unwrap()).await.unwrap();
    let branches = store.load_branches().await.unwrap();
    assert_eq!(branches.len(), 3);
    let innenstadt = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    assert_eq!(innenstadt.company.name, "Salon Schnittpunkt");
    assert_eq!(innenstadt.company.timezone, chrono_tz::Europe::Berlin);
    assert_eq!(innenstadt.branch.services.len(), 4);
    assert_eq!(innenstadt.branch.services[0].synonyms.len(), 4);
    let maria = innenstadt.branch.staff.iter().find(|s| s.name == "Maria").unwrap();
    assert_eq!(maria.services.len(), 3);
    let prenzlauer = branches.iter().find(|b| b.branch.name == "Prenzlauer Berg").unwrap();
    assert_eq!(prenzlauer.branch.phone_numbers.len(), 2);
    assert!(store.ready().await);
});

on_both_backends!(an_unchanged_file_is_imported_once, |store| {
    let demo = TenantsFile::parse(DEMO).unwrap();
    assert!(store.tenants_imported(&TenantsFile::digest_of(DEMO)).await.unwrap(), "known before parsing");
    assert!(!store.import_tenants(&demo).await.unwrap(), "the same file again is skipped");
    let before = store.load_branches().await.unwrap();
    let changed = TenantsFile::parse(&DEMO.replace("cancel_hours_before = 24", "cancel_hours_before = 12")).unwrap();
    assert!(!store.tenants_imported(&changed.digest).await.unwrap());
    assert!(store.import_tenants(&changed).await.unwrap(), "a changed file is imported");
    assert!(!store.tenants_imported(&demo.digest).await.unwrap(), "the first file is no longer the last");
    // Back to the first file: imported again (the upsert is idempotent), and all is as before.
    assert!(store.import_tenants(&demo).await.unwrap());
    let after = store.load_branches().await.unwrap();
    let shape = |branches: &[frontdesk::domain::BranchContext]| -> Vec<String> {
        branches
            .iter()
            .map(|b| format!("{:?} {:?} {:?}", b.company.cancel_hours_before, b.branch.services, b.branch.staff))
            .collect()
    };
    assert_eq!(shape(&before), shape(&after));
});

on_both_backends!(a_changed_file_updates_in_place, |store| {
    let before = store.load_branches().await.unwrap();
    let changed = DEMO
        .replace(
            "duration_minutes = 30\n    calcom_event_type_id = 1001\n    price = \"28 Euro\"",
            "duration_minutes = 40\n    calcom_event_type_id = 1001\n    price = \"30 Euro\"",
        )
        .replace(
            "    [[company.branch.service]]\n    name = \"Bartpflege\"",
            "    [[company.branch.service]]\n    name = \"Bartpflege Deluxe\"",
        )
        .replace(
            "services = [\"Herrenhaarschnitt\", \"Bartpflege\"]",
            "services = [\"Herrenhaarschnitt\", \"Bartpflege Deluxe\"]",
        )
        .replace("\"Bartpflege\" = 1204", "\"Bartpflege Deluxe\" = 1204");
    store.import_tenants(&TenantsFile::parse(&changed).unwrap()).await.unwrap();
    let after = store.load_branches().await.unwrap();
    let old = before.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let new = after.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let haircut = new.branch.services.iter().find(|s| s.name == "Herrenhaarschnitt").unwrap();
    assert_eq!(haircut.duration_minutes, 40);
    assert_eq!(haircut.id, old.branch.services.iter().find(|s| s.name == "Herrenhaarschnitt").unwrap().id);
    let names: Vec<&str> = new.branch.services.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Bartpflege Deluxe") && !names.contains(&"Bartpflege"), "{names:?}");
    // Jonas now performs the renamed service; the old one is deactivated, not linked.
    let deluxe = new.branch.services.iter().find(|s| s.name == "Bartpflege Deluxe").unwrap();
    let jonas = new.branch.staff.iter().find(|s| s.name == "Jonas").unwrap();
    assert_eq!(jonas.services, vec![haircut.id, deluxe.id]);
});

on_both_backends!(calls_are_unique_by_retell_id, |store| {
    let branches = store.load_branches().await.unwrap();
    let ctx = &branches[0];
    let call = CallRecord {
        retell_call_id: "call_1".into(),
        company_id: ctx.company.id,
        branch_id: ctx.branch.id,
        agent_id: None,
        from_number: Some("+4917612345678".into()),
        to_number: Some("+4930123456".into()),
        direction: "inbound".into(),
        status: "ongoing".into(),
        started_at: monday_morning(),
    };
    let first = store.upsert_call(&call).await.unwrap().unwrap();
    let again = store.upsert_call(&CallRecord { agent_id: Some("agent_x".into()), ..call.clone() }).await.unwrap();
    assert_eq!(Some(first), again);
    let (id, company, direction) = store.find_call("call_1").await.unwrap().unwrap();
    assert_eq!((id, company, direction.as_str()), (first, ctx.company.id, "inbound"));
    // The same id from another company reaches nothing of this call: no row id, no numbers
    // overwritten, no status or analysis written.
    let other = branches.iter().find(|b| b.company.id != ctx.company.id).unwrap();
    let forged = CallRecord {
        company_id: other.company.id,
        branch_id: other.branch.id,
        from_number: Some("+4915000000000".into()),
        ..call.clone()
    };
    assert_eq!(store.upsert_call(&forged).await.unwrap(), None);
    store.finish_call(other.company.id, "call_1", "ended", None, Some(1), Some("forged")).await.unwrap();
    store.record_call_analysis(other.company.id, "call_1", Some("forged"), None, None).await.unwrap();
    let (status, _, duration, reason) = store.call_outcome("call_1").await.unwrap().unwrap();
    assert_eq!((status.as_str(), duration, reason), ("ongoing", None, None));
    store.finish_call(ctx.company.id, "call_1", "ended", None, Some(60_000), Some("user_hangup")).await.unwrap();
    let (status, _, duration, _) = store.call_outcome("call_1").await.unwrap().unwrap();
    assert_eq!((status.as_str(), duration), ("ended", Some(60_000)));
});

on_both_backends!(customers_are_unique_per_company_and_phone, |store| {
    let branches = store.load_branches().await.unwrap();
    let salon = branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().company.id;
    let practice = branches.iter().find(|b| b.company.name == "Riverside Dental Practice").unwrap().company.id;
    let phone = PhoneNumber::parse("+4917612345678").unwrap();
    let a = store.upsert_customer(salon, &phone, Some("Anna"), None).await.unwrap();
    let b = store.upsert_customer(salon, &phone, None, Some("anna@example.com")).await.unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(b.name.as_deref(), Some("Anna"));
    assert_eq!(b.email.as_deref(), Some("anna@example.com"));
    let other = store.upsert_customer(practice, &phone, Some("Anna P."), None).await.unwrap();
    assert_ne!(other.id, a.id);
    assert_eq!(store.find_customer(practice, &phone).await.unwrap().unwrap().name.as_deref(), Some("Anna P."));
});

on_both_backends!(appointments_are_idempotent_and_block_time, |store| {
    let branches = store.load_branches().await.unwrap();
    let ctx = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let phone = PhoneNumber::parse("+4917612345678").unwrap();
    let customer = store.upsert_customer(ctx.company.id, &phone, Some("Anna"), None).await.unwrap();
    let start = monday_morning() + Duration::hours(26);
    let new = NewAppointment {
        idempotency_key: "call_1:svc:start".into(),
        company_id: ctx.company.id,
        branch_id: ctx.branch.id,
        customer_id: Some(customer.id),
        service_id: ctx.branch.services[0].id.0,
        staff_id: Some(ctx.branch.staff[0].id.0),
        call_id: None,
        starts_at: start,
        ends_at: start + Duration::minutes(30),
        status: AppointmentStatus::Booked,
        notes: Some("Bitte kurz".into()),
        source: frontdesk::store::AppointmentSource::Phone,
        created_at: monday_morning(),
        by: frontdesk::store::Actor::PhoneAgent,
    };
    store.insert_appointment(&new).await.unwrap();
    assert!(store.insert_appointment(&new).await.is_err(), "a repeated idempotency key must be refused");
    let now = monday_morning();
    let busy =
        store.busy_intervals(ctx.branch.id, start - Duration::hours(1), start + Duration::hours(1), now).await.unwrap();
    assert_eq!(busy.len(), 1);
    assert_eq!(busy[0].starts_at, start);
    assert_eq!(busy[0].staff_id, Some(ctx.branch.staff[0].id.0));
    let later = (start + Duration::minutes(30), start + Duration::hours(2));
    assert!(store.busy_intervals(ctx.branch.id, later.0, later.1, now).await.unwrap().is_empty());
    // A call's live hold is busy time too, on every instance sharing the database; a lapsed one is not.
    let staff = Some(ctx.branch.staff[0].id.0);
    let hold = HoldRow {
        company_id: ctx.company.id,
        call_id: "call_holding".into(),
        part: 0,
        branch_id: ctx.branch.id,
        service_id: ctx.branch.services[0].id.0,
        staff_id: staff,
        starts_at: later.0,
        ends_at: later.0 + Duration::minutes(30),
        reservation_uid: None,
        held_until: now + Duration::minutes(5),
    };
    store.put_holds(std::slice::from_ref(&hold)).await.unwrap();
    assert_eq!(store.busy_intervals(ctx.branch.id, later.0, later.1, now).await.unwrap().len(), 1);
    assert!(store.is_busy(ctx.branch.id, staff, later.0, later.1, now).await.unwrap());
    let lapsed = now + Duration::minutes(6);
    assert!(store.busy_intervals(ctx.branch.id, later.0, later.1, lapsed).await.unwrap().is_empty());
    assert!(!store.is_busy(ctx.branch.id, staff, later.0, later.1, lapsed).await.unwrap());
    // Only the holder's own booking of that very slot takes it, and only while it is live.
    assert!(store
        .take_hold_of_slot(ctx.company.id, "call_other", hold.service_id, later.0, now)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .take_hold_of_slot(ctx.company.id, "call_holding", hold.service_id, later.0, lapsed)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.take_hold_of_slot(ctx.company.id, "call_holding", hold.service_id, later.0, now).await.unwrap(),
        Some(hold.clone())
    );
    // Two services held back to back are two parts of one hold; the call's next hold replaces both.
    let second = HoldRow { part: 1, starts_at: hold.ends_at, ends_at: hold.ends_at + Duration::minutes(15), ..hold.clone() };
    store.put_holds(&[hold.clone(), second.clone()]).await.unwrap();
    assert_eq!(store.holds(ctx.company.id, "call_holding").await.unwrap(), vec![hold.clone(), second]);
    store.put_holds(std::slice::from_ref(&hold)).await.unwrap();
    assert_eq!(store.take_hold(ctx.company.id, "call_holding").await.unwrap(), vec![hold]);
    let upcoming = store.upcoming_appointments(ctx.company.id, customer.id, monday_morning(), 5).await.unwrap();
    assert_eq!(upcoming.len(), 1);
    assert_eq!(upcoming[0].service_name, ctx.branch.services[0].name);
    let other_company = branches.iter().find(|b| b.company.id != ctx.company.id).unwrap().company.id;
    assert!(store.upcoming_appointments(other_company, customer.id, monday_morning(), 5).await.unwrap().is_empty());
});

on_both_backends!(the_audit_trail_writes_batches, |store| {
    let (audit, writer) = frontdesk::store::AuditLog::start(store.clone(), Default::default());
    for i in 0..600 {
        audit.record(FunctionCallRecord {
            retell_call_id: Some(format!("call_{}", i % 7)),
            company_id: None,
            function: "check_availability",
            outcome: if i % 2 == 0 { "success" } else { "invalid_date" },
            duration_us: i,
            cache: "none",
            at: monday_morning(),
            detail: None,
        });
    }
    drop(audit);
    writer.await.unwrap();
    assert_eq!(store.function_call_outcomes(1000).await.unwrap().len(), 600);
});

on_both_backends!(the_database_refuses_a_second_live_appointment_in_a_slot, |store| {
    let branches = store.load_branches().await.unwrap();
    let ctx = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let start = monday_morning() + Duration::hours(27);
    let appointment = |key: &str, staff: Option<i64>| NewAppointment {
        idempotency_key: key.into(),
        company_id: ctx.company.id,
        branch_id: ctx.branch.id,
        customer_id: None,
        service_id: ctx.branch.services[0].id.0,
        staff_id: staff,
        call_id: None,
        starts_at: start,
        ends_at: start + Duration::minutes(30),
        status: AppointmentStatus::Booked,
        notes: None,
        source: frontdesk::store::AppointmentSource::Phone,
        created_at: monday_morning(),
        by: frontdesk::store::Actor::PhoneAgent,
    };
    let maria = Some(ctx.branch.staff[0].id.0);
    let first = store.insert_appointment(&appointment("a", maria)).await.unwrap();
    assert!(store.insert_appointment(&appointment("b", maria)).await.unwrap_err().is_unique_violation());
    store.insert_appointment(&appointment("c", Some(ctx.branch.staff[1].id.0))).await.unwrap();
    store.insert_appointment(&appointment("d", None)).await.unwrap();
    assert!(store.insert_appointment(&appointment("e", None)).await.unwrap_err().is_unique_violation());
    // A cancelled appointment no longer holds its slot.
    store.set_appointment_status(first, AppointmentStatus::Cancelled, None, &frontdesk::store::Actor::PhoneAgent).await.unwrap();
    store.insert_appointment(&appointment("f", maria)).await.unwrap();
});

on_both_backends!(notices_of_events_or_channels_this_build_does_not_know_are_left_alone, |store| {
    // A newer instance (during a rolling update) writes an event or a channel this build does
    // not know: it is neither claimed nor failed here, and the rest is still delivered.
    let branches = store.load_branches().await.unwrap();
    let company = branches[0].company.id;
    let now = monday_morning();
    const INSERT: &str = "INSERT INTO outbox (company_id, event, channel, recipient, payload, idempotency_key, status, attempts, next_attempt_at, created_at)
        VALUES ($1, $2, $3, 'https://example.com/hook', '{}', $4, $5, 0, $6, $6)";
    for (event, channel, key, status) in [
        ("callback.requested", "webhook", "known", "pending"),
        ("sms.replied", "webhook", "new-event", "pending"),
        ("callback.requested", "sms", "new-channel", "pending"),
        ("sms.replied", "sms", "new-failed", "failed"),
    ] {
        macro_rules! insert {
            ($pool:expr) => {
                sqlx::query(INSERT).bind(company).bind(event).bind(channel).bind(key).bind(status).bind(now).execute($pool).await.unwrap()
            };
        }
        match &store {
            Store::Sqlite(pool) => _ = insert!(pool),
            Store::Postgres(pool) => _ = insert!(pool),
        }
    }
    let claimed = store.claim_outbox(now + Duration::minutes(1), now + Duration::minutes(5), 10).await.unwrap();
    let keys: Vec<&str> = claimed.iter().map(|m| m.idempotency_key.as_str()).collect();
    assert_eq!(keys, ["known"]);
    assert!(store.claim_outbox(now + Duration::minutes(10), now + Duration::minutes(15), 10).await.unwrap().iter().all(|m| m.idempotency_key == "known"));
    assert!(store.failed_notices(None, 10).await.unwrap().is_empty(), "the console's list of failed notices still reads");
});

on_both_backends!(customers_are_found_by_digits_and_name_and_keep_notes, |store| {
    use frontdesk::store::CustomerSearch;
    let branches = store.load_branches().await.unwrap();
    let ctx = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let anna = store.upsert_customer(ctx.company.id, &PhoneNumber::parse("+4917612345678").unwrap(), Some("Anna Schmidt"), None).await.unwrap();
    store.upsert_customer(ctx.company.id, &PhoneNumber::parse("+4930999888").unwrap(), Some("Ben 100%"), None).await.unwrap();
    let start = monday_morning() + Duration::hours(26);
    let visit = NewAppointment {
        idempotency_key: "call_seen:svc:start".into(),
        company_id: ctx.company.id,
        branch_id: ctx.branch.id,
        customer_id: Some(anna.id),
        service_id: ctx.branch.services[0].id.0,
        staff_id: Some(ctx.branch.staff[0].id.0),
        call_id: None,
        starts_at: start - Duration::days(3),
        ends_at: start - Duration::days(3) + Duration::minutes(30),
        status: AppointmentStatus::Booked,
        notes: None,
        source: frontdesk::store::AppointmentSource::Phone,
        created_at: monday_morning() - Duration::days(5),
        by: frontdesk::store::Actor::PhoneAgent,
    };
    store.insert_appointment(&visit).await.unwrap();
    let search = |text: &str| CustomerSearch::parse(text).unwrap();
    let found = store.search_customers(ctx.company.id, &search("0176 1234"), monday_morning(), 10).await.unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![anna.id]);
    assert_eq!((found[0].upcoming, found[0].last_visit), (0, Some(visit.starts_at)));
    let by_name = store.search_customers(ctx.company.id, &search("SCHMIDT"), monday_morning(), 10).await.unwrap();
    assert_eq!(by_name.len(), 1);
    // LIKE's wildcards are the characters typed
    let percent = store.search_customers(ctx.company.id, &search("100%"), monday_morning(), 10).await.unwrap();
    assert_eq!(percent.iter().filter_map(|c| c.name.as_deref()).collect::<Vec<_>>(), vec!["Ben 100%"]);
    let underscore = store.search_customers(ctx.company.id, &search("n_1"), monday_morning(), 10).await.unwrap();
    assert!(underscore.is_empty());
    let noted = store.add_customer_note(ctx.company.id, anna.id, "möchte nur zu Maria", "owner@example", monday_morning()).await.unwrap();
    assert!(noted.is_some());
    let other_company = branches.iter().find(|b| b.company.id != ctx.company.id).unwrap().company.id;
    assert_eq!(store.add_customer_note(other_company, anna.id, "fremd", "x", monday_morning()).await.unwrap(), None);
    let notes = store.customer_notes(ctx.company.id, anna.id).await.unwrap();
    assert_eq!(notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), vec!["möchte nur zu Maria"]);
    assert!(store.customer_summary(other_company, anna.id, monday_morning()).await.unwrap().is_none());
    let summary = store.customer_summary(ctx.company.id, anna.id, monday_morning()).await.unwrap().unwrap();
    assert_eq!((summary.upcoming, summary.last_visit), (0, Some(visit.starts_at)), "the same glance as the search");
});

on_both_backends!(a_person_is_merged_erased_and_their_old_calls_expire_on_either_database, |store| {
    let branches = store.load_branches().await.unwrap();
    let ctx = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let company = ctx.company.id;
    let anna = store.upsert_customer(company, &PhoneNumber::parse("+4917612345678").unwrap(), Some("Anna Schmidt"), Some("anna@example.org")).await.unwrap();
    let twin = store.upsert_customer(company, &PhoneNumber::parse("+4915100000001").unwrap(), None, None).await.unwrap();
    let call = CallRecord {
        retell_call_id: "call_anna".into(),
        company_id: company,
        branch_id: ctx.branch.id,
        agent_id: None,
        from_number: Some("+4917612345678".into()),
        to_number: Some("+4930123456".into()),
        direction: "inbound".into(),
        status: "ended".into(),
        started_at: monday_morning(),
    };
    let call_row = store.upsert_call(&call).await.unwrap().unwrap();
    store.record_call_analysis(company, "call_anna", Some("Anna Schmidt bucht."), Some("Positive"), Some("https://r.example/a.wav")).await.unwrap();
    let start = monday_morning() + Duration::hours(26);
    let new = NewAppointment {
        idempotency_key: "anna:1".into(),
        company_id: company,
        branch_id: ctx.branch.id,
        customer_id: Some(twin.id),
        service_id: ctx.branch.services[0].id.0,
        staff_id: Some(ctx.branch.staff[0].id.0),
        call_id: Some(call_row),
        starts_at: start,
        ends_at: start + Duration::minutes(30),
        status: AppointmentStatus::Booked,
        notes: Some("Anna Schmidt, bitte kurz".into()),
        source: frontdesk::store::AppointmentSource::Phone,
        created_at: monday_morning(),
        by: frontdesk::store::Actor::PhoneAgent,
    };
    let id = store.insert_appointment(&new).await.unwrap();
    // The twin's appointment moves to Anna, who keeps her name and number.
    assert!(store.merge_customers(company, twin.id, anna.id, "owner@example.org").await.unwrap());
    let record = store.customer_record(company, anna.id).await.unwrap().unwrap();
    assert_eq!((record.appointments.len(), record.calls.len()), (1, 1));
    assert!(record.notes[0].text.starts_with("merged: +4915100000001"), "{:?}", record.notes);
    assert!(store.customer_record(company, twin.id).await.unwrap().is_none());
    // Erased: the appointment stays, without her; the call keeps no trace of her.
    assert!(store.erase_customer(company, anna.id).await.unwrap());
    assert!(!store.erase_customer(company, anna.id).await.unwrap(), "gone");
    let kept = store.company_appointment(company, id).await.unwrap().unwrap();
    assert_eq!((kept.customer_id, kept.customer_name.as_deref()), (None, None));
    let call = store.appointment_call(company, id).await.unwrap().unwrap();
    assert_eq!((call.from_number, call.summary, call.recording_url), (None, None, None));
    // Old calls go after the retention period; the appointment forgets its call.
    assert_eq!(store.delete_calls_before(monday_morning()).await.unwrap(), 0);
    assert_eq!(store.delete_calls_before(monday_morning() + Duration::days(1)).await.unwrap(), 1);
    assert!(store.appointment_call(company, id).await.unwrap().is_none());
    assert!(store.company_appointment(company, id).await.unwrap().is_some());
});

on_both_backends!(a_provisioning_claim_is_held_by_one_run_until_released_or_expired, |store| {
    let branch = store.load_branches().await.unwrap()[0].branch.id;
    let now = monday_morning();
    let until = now + Duration::seconds(120);
    assert!(store.claim_retell_provision(branch, now, until).await.unwrap(), "the first run claims the branch");
    let later = now + Duration::seconds(5);
    assert!(!store.claim_retell_provision(branch, later, later + Duration::seconds(120)).await.unwrap(), "a second waits");
    // A release of another claim (an earlier run's, expired and taken over) frees nothing.
    store.release_retell_provision(branch, until - Duration::seconds(1)).await.unwrap();
    assert!(!store.claim_retell_provision(branch, later, later + Duration::seconds(120)).await.unwrap());
    store.release_retell_provision(branch, until).await.unwrap();
    let next = later + Duration::seconds(120);
    assert!(store.claim_retell_provision(branch, later, next).await.unwrap(), "released: the next run claims it");
    // A run that died frees the branch once its claim has expired.
    let after = next + Duration::seconds(1);
    assert!(store.claim_retell_provision(branch, after, after + Duration::seconds(120)).await.unwrap());
    // A claim is no provisioning: the branch still reads as never provisioned.
    assert_eq!(store.retell_provision(branch).await.unwrap().llm_id, None);
});
