use crate::domain::CustomerId;
use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::history::write_history;
use super::{on_pool, write_notice, Actor, AppointmentNoticeRow, HistoryAction, NoticeEvent, Store, StoreError, APPOINTMENT_NOTICE};
use crate::domain::AppointmentId;
use chrono::{DateTime, Utc};

/// Lifecycle of an appointment row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentStatus {
    /// Confirmed in the calendar of record.
    Booked,
    /// Being written to an external calendar; the outcome is not known yet.
    Pending,
    /// Cancelled: frees its slot.
    Cancelled,
    /// The calendar's answer never came (timeout): to be reconciled with the calendar.
    PendingUnknown,
    /// Its time has passed and the customer did not come (marked in the console).
    NoShow,
}

impl AppointmentStatus {
    /// The event people hear about when an appointment reaches this status.
    pub fn notice(self) -> Option<NoticeEvent> {
        match self {
            Self::Booked => Some(NoticeEvent::BookingMade),
            Self::Cancelled => Some(NoticeEvent::BookingCancelled),
            Self::PendingUnknown => Some(NoticeEvent::BookingUnknown),
            Self::Pending | Self::NoShow => None,
        }
    }

    /// The text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Pending => "pending",
            Self::Cancelled => "cancelled",
            Self::PendingUnknown => "pending_unknown",
            Self::NoShow => "no_show",
        }
    }

    /// Every status.
    const ALL: [Self; 5] = [Self::Booked, Self::Pending, Self::Cancelled, Self::PendingUnknown, Self::NoShow];
}

impl TryFrom<String> for AppointmentStatus {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.as_str() == text).ok_or_else(|| format!("unknown appointment status {text:?}"))
    }
}

/// Where an appointment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentSource {
    /// By a caller, through the voice agent.
    Phone,
    /// By staff, in the operator console.
    Console,
    /// In Cal.com itself, announced by its webhook.
    Calcom,
}

impl AppointmentSource {
    /// The text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Console => "console",
            Self::Calcom => "calcom",
        }
    }

    /// Every source.
    const ALL: [Self; 3] = [Self::Phone, Self::Console, Self::Calcom];
}

impl TryFrom<String> for AppointmentSource {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.as_str() == text).ok_or_else(|| format!("unknown appointment source {text:?}"))
    }
}

/// What is needed to record a new appointment.
#[derive(Debug, Clone)]
pub struct NewAppointment {
    /// Unique key that makes retries harmless.
    pub idempotency_key: String,
    /// Tenant.
    pub company_id: CompanyId,
    /// Branch.
    pub branch_id: BranchId,
    /// Customer, when known.
    pub customer_id: Option<CustomerId>,
    /// Service.
    pub service_id: i64,
    /// Staff member, when assigned.
    pub staff_id: Option<i64>,
    /// The call that made it.
    pub call_id: Option<i64>,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// Initial status.
    pub status: AppointmentStatus,
    /// Free text from the caller.
    pub notes: Option<String>,
    /// Where it was made.
    pub source: AppointmentSource,
    /// When the attempt began (by the caller's clock; reconciliation waits on it).
    pub created_at: DateTime<Utc>,
    /// Who books it (the history's first entry).
    pub by: Actor,
}

/// The columns of the one appointment read (see [`select_appointments!`]).
macro_rules! appointment_columns {
    () => {
        "a.id, a.company_id, co.name AS company, a.branch_id, b.name AS branch, a.customer_id,
        CASE WHEN a.source = 'calcom' THEN COALESCE(c.name, a.notes) ELSE c.name END AS customer_name, c.phone, c.email,
        a.service_id, s.name AS service_name, a.staff_id, st.name AS staff_name,
        COALESCE(ss.calcom_event_type_id, s.calcom_event_type_id) AS calcom_event_type_id, a.external_uid,
        a.starts_at, a.ends_at, a.status, a.source, a.created_at, a.updated_at, a.sequence, a.group_key"
    };
}

/// The tables of the one appointment read: the row, its company, branch, service, staff
/// member (and the staff member's own Cal.com event type) and customer.
macro_rules! appointment_tables {
    () => {
        " FROM appointments a JOIN companies co ON co.id = a.company_id JOIN branches b ON b.id = a.branch_id
        JOIN services s ON s.id = a.service_id LEFT JOIN staff st ON st.id = a.staff_id
        LEFT JOIN staff_services ss ON ss.staff_id = a.staff_id AND ss.service_id = a.service_id
        LEFT JOIN customers c ON c.id = a.customer_id "
    };
}

/// Every read of appointments as [`Appointment`]s: one SELECT, each reader adding its own
/// `WHERE` and `ORDER BY` — `select_appointments!("WHERE a.id = $1")`.
macro_rules! select_appointments {
    ($($tail:literal),* $(,)?) => {
        concat!(
            "SELECT ",
            $crate::store::appointments::appointment_columns!(),
            $crate::store::appointments::appointment_tables!(),
            $($tail),*
        )
    };
}

pub(crate) use {appointment_columns, appointment_tables, select_appointments};

/// An appointment as every reader sees it (callers, booking, reconciliation, the console, the
/// feeds and the notices): its row with the names around it, status and source decoded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Appointment {
    /// Database id (also in the Cal.com booking's metadata, and a feed event's UID).
    pub id: AppointmentId,
    /// Tenant.
    pub company_id: CompanyId,
    /// Company name.
    pub company: String,
    /// Branch it is at.
    pub branch_id: BranchId,
    /// Branch name.
    pub branch: String,
    /// Customer, when known.
    pub customer_id: Option<CustomerId>,
    /// The name it was booked under (a Cal.com booking without customer: its attendee).
    pub customer_name: Option<String>,
    /// Customer number (E.164).
    pub phone: Option<String>,
    /// Customer e-mail.
    pub email: Option<String>,
    /// Service.
    pub service_id: i64,
    /// Service name.
    pub service_name: String,
    /// Staff member.
    pub staff_id: Option<i64>,
    /// Staff member's name.
    pub staff_name: Option<String>,
    /// The Cal.com event type it was booked on: the staff member's own, or the service's.
    pub calcom_event_type_id: Option<i64>,
    /// The calendar's booking uid (Cal.com).
    pub external_uid: Option<String>,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: AppointmentStatus,
    /// Where it was made.
    #[sqlx(try_from = "String")]
    pub source: AppointmentSource,
    /// When the attempt began.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// How often it was moved (a calendar invitation's SEQUENCE).
    pub sequence: i32,
    /// The group of linked appointments it belongs to (several services back to back).
    pub group_key: Option<String>,
}

/// Time taken in a branch's calendar, by a staff member or (when `None`) the branch itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct BusyInterval {
    /// Staff member occupied.
    pub staff_id: Option<i64>,
    /// The service (what it occupies: phases, buffers, resources).
    pub service_id: i64,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
}

/// Where a move takes an appointment.
#[derive(Debug, Clone, Copy)]
pub struct MovedTo<'a> {
    /// New start (UTC).
    pub starts_at: DateTime<Utc>,
    /// New end (UTC).
    pub ends_at: DateTime<Utc>,
    /// Staff member.
    pub staff_id: Option<i64>,
    /// Service.
    pub service_id: i64,
    /// The calendar's new booking uid, when it changed.
    pub external_uid: Option<&'a str>,
}

/// A move's history detail: where the appointment was (`start` RFC 3339, staff, service).
fn moved_from(before: &Appointment) -> String {
    let staff = before.staff_name.as_deref().unwrap_or("-");
    format!("{}|{staff}|{}", before.starts_at.to_rfc3339(), before.service_name)
}

impl Store {
    /// Appointments still `pending` or `pending_unknown`, oldest first.
    pub async fn pending_appointments(&self) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!("WHERE a.status IN ('pending', 'pending_unknown') ORDER BY a.created_at");
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The appointment recorded under an idempotency key.
    pub async fn appointment_by_key(&self, key: &str) -> Result<Option<Appointment>, StoreError> {
        const SQL: &str = select_appointments!("WHERE a.idempotency_key = $1");
        let row = on_pool!(self, pool => sqlx::query_as(SQL).bind(key).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Sets an appointment's status (and the calendar's uid once known).
    pub async fn set_appointment_status(
        &self,
        id: AppointmentId,
        status: AppointmentStatus,
        external_uid: Option<&str>,
        by: &Actor,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE appointments SET status = $2, external_uid = COALESCE($3, external_uid), updated_at = $4 WHERE id = $1";
        self.update_status_noticed(SQL, id, status, external_uid, None, by).await.map(|_| ())
    }

    /// Runs a status update (`$1` id, `$2` status, `$3` uid, `$4` now, `$5` an optional extra)
    /// and, when it changed a row, writes the event people must hear about and (for a
    /// cancellation) the history entry in the same transaction.
    async fn update_status_noticed(
        &self,
        sql: &'static str,
        id: AppointmentId,
        status: AppointmentStatus,
        external_uid: Option<&str>,
        extra: Option<i64>,
        by: &Actor,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut query = sqlx::query(sql).bind(id).bind(status.as_str()).bind(external_uid).bind(now);
            if let Some(extra) = extra {
                query = query.bind(extra);
            }
            let changed = query.execute(&mut *tx).await?.rows_affected() > 0;
            if let (true, Some(event)) = (changed, status.notice()) {
                write_notice!(tx, AppointmentNoticeRow, APPOINTMENT_NOTICE, id, event, id, now);
            }
            if changed && status == AppointmentStatus::Cancelled {
                write_history!(tx, id, HistoryAction::Cancelled, by, None::<String>, now);
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Applies what the calendar says about one of our bookings. Only rows not yet settled the
    /// same way change, so a late `BOOKING_CREATED` cannot revive a cancelled appointment.
    pub async fn confirm_appointment(
        &self,
        id: AppointmentId,
        status: AppointmentStatus,
        external_uid: Option<&str>,
        by: &Actor,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE appointments SET status = $2, external_uid = COALESCE($3, external_uid), updated_at = $4
            WHERE id = $1 AND status IN ('pending', 'pending_unknown', 'booked') AND NOT (status = 'booked' AND $2 = 'booked')";
        self.update_status_noticed(SQL, id, status, external_uid, None, by).await.map(|_| ())
    }

    /// Confirms or cancels an appointment from a Cal.com webhook, only when the webhook's event
    /// type is the appointment's own and its booking uid is the one recorded (when one is): a
    /// webhook from another tenant's event type naming this id changes nothing. Whether it applied.
    pub async fn confirm_from_calcom(
        &self,
        id: AppointmentId,
        status: AppointmentStatus,
        event_type_id: i64,
        uid: Option<&str>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE appointments SET status = $2, external_uid = COALESCE($3, external_uid), updated_at = $4
            WHERE id = $1 AND status IN ('pending', 'pending_unknown', 'booked') AND NOT (status = 'booked' AND $2 = 'booked')
              AND (external_uid IS NULL OR external_uid = $3)
              AND EXISTS (SELECT 1 FROM services s
                    LEFT JOIN staff_services ss ON ss.staff_id = appointments.staff_id AND ss.service_id = appointments.service_id
                    WHERE s.id = appointments.service_id AND COALESCE(ss.calcom_event_type_id, s.calcom_event_type_id) = $5)";
        self.update_status_noticed(SQL, id, status, uid, Some(event_type_id), &Actor::Calcom).await
    }

    /// Cancels the live appointment of a company whose calendar booking is `uid` (a booking
    /// cancelled or moved in Cal.com itself); whether there was one.
    /// The cancellation is announced like any other (the caller's invitation is withdrawn too).
    pub async fn cancel_by_external_uid(&self, company_id: CompanyId, uid: &str) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE appointments SET status = 'cancelled', updated_at = $3
            WHERE company_id = $1 AND external_uid = $2 AND status NOT IN ('cancelled', 'no_show') RETURNING id";
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let cancelled: Vec<i64> =
                sqlx::query_scalar(SQL).bind(company_id).bind(uid).bind(now).fetch_all(&mut *tx).await?;
            for id in &cancelled {
                write_notice!(tx, AppointmentNoticeRow, APPOINTMENT_NOTICE, *id, NoticeEvent::BookingCancelled, *id, now);
                write_history!(tx, *id, HistoryAction::Cancelled, &Actor::Calcom, None::<String>, now);
            }
            tx.commit().await?;
            Ok(!cancelled.is_empty())
        })
    }

    /// Moves an appointment to a new time, staff member and service (and calendar uid when it
    /// changed); the history keeps where it was before.
    pub async fn move_appointment(&self, id: AppointmentId, to: &MovedTo<'_>, before: &Appointment, by: &Actor) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE appointments SET starts_at = $2, ends_at = $3, staff_id = $4, service_id = $5,
                external_uid = COALESCE($6, external_uid), updated_at = $7, sequence = sequence + 1 WHERE id = $1";
        let now = Utc::now();
        let detail = moved_from(before);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL).bind(id).bind(to.starts_at).bind(to.ends_at).bind(to.staff_id).bind(to.service_id)
                .bind(to.external_uid).bind(now).execute(&mut *tx).await?;
            // Each move is its own notice: the key names the new start.
            let key = format!("{id}:{}", to.starts_at.timestamp());
            write_notice!(tx, AppointmentNoticeRow, APPOINTMENT_NOTICE, id, NoticeEvent::BookingMoved, key, now);
            write_history!(tx, id, HistoryAction::Moved, by, Some(&detail), now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Books a cancelled appointment again (its time was checked free by the booker); false when
    /// it was not cancelled (any more). Announced like a new booking.
    pub async fn restore_appointment(
        &self,
        id: AppointmentId,
        ends_at: DateTime<Utc>,
        external_uid: Option<&str>,
        by: &Actor,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE appointments SET status = 'booked', ends_at = $4, external_uid = COALESCE($2, external_uid), updated_at = $3
            WHERE id = $1 AND status = 'cancelled'";
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(SQL).bind(id).bind(external_uid).bind(now).bind(ends_at).execute(&mut *tx).await?.rows_affected() > 0;
            if changed {
                let key = format!("{id}:restored:{}", now.timestamp_millis());
                write_notice!(tx, AppointmentNoticeRow, APPOINTMENT_NOTICE, id, NoticeEvent::BookingMade, key, now);
                write_history!(tx, id, HistoryAction::Restored, by, None::<String>, now);
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Marks a booked appointment whose start has passed as a no-show (counted on the
    /// customer); false when it is not booked or has not begun by `now`.
    pub async fn mark_no_show(&self, company_id: CompanyId, id: AppointmentId, now: DateTime<Utc>, by: &Actor) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE appointments SET status = 'no_show', updated_at = $3
            WHERE id = $1 AND company_id = $2 AND status = 'booked' AND starts_at <= $3";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(SQL).bind(id).bind(company_id).bind(now).execute(&mut *tx).await?.rows_affected() > 0;
            if changed {
                // stamped like every change: by the write's own clock
                write_history!(tx, id, HistoryAction::NoShow, by, None::<String>, Utc::now());
            }
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Removes an attempt that the calendar refused, so its idempotency key can be used again.
    pub async fn delete_appointment(&self, id: AppointmentId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM appointment_history WHERE appointment_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM appointments WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Whether a staff member (or, for `None`, the branch itself) has anything in `[start, end)`:
    /// an appointment, or a slot held at `now` for a call (on any instance).
    pub async fn is_busy(
        &self,
        branch_id: BranchId,
        staff_id: Option<i64>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "SELECT (SELECT COUNT(*) FROM appointments WHERE branch_id = $1 AND staff_id IS NOT DISTINCT FROM $2
                AND starts_at < $4 AND ends_at > $3 AND status <> 'cancelled')
            + (SELECT COUNT(*) FROM slot_holds WHERE branch_id = $1 AND staff_id IS NOT DISTINCT FROM $2
                AND starts_at < $4 AND ends_at > $3 AND held_until > $5)";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(branch_id).bind(staff_id).bind(start).bind(end).bind(now).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Records an appointment; returns its id. A repeated idempotency key is a unique violation.
    pub async fn insert_appointment(&self, new: &NewAppointment) -> Result<AppointmentId, StoreError> {
        let ids = self.insert_appointments(std::slice::from_ref(new), None).await?;
        Ok(ids[0])
    }

    /// Records appointments in one transaction, all or none; with `group`, as linked appointments
    /// (several services back to back) that are moved and cancelled together.
    pub async fn insert_appointments(
        &self,
        news: &[NewAppointment],
        group: Option<&str>,
    ) -> Result<Vec<AppointmentId>, StoreError> {
        const SQL: &str = "INSERT INTO appointments (idempotency_key, company_id, branch_id, customer_id, service_id, staff_id, call_id, starts_at, ends_at, status, notes, created_at, updated_at, source, group_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14) RETURNING id";
        // Booked at once (the embedded calendar): the notice rides in the same transaction. A
        // pending row (an outside calendar) is noticed when the calendar answers.
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(news.len());
            for new in news {
                let id: AppointmentId = sqlx::query_scalar(SQL)
                    .bind(&new.idempotency_key)
                    .bind(new.company_id)
                    .bind(new.branch_id)
                    .bind(new.customer_id)
                    .bind(new.service_id)
                    .bind(new.staff_id)
                    .bind(new.call_id)
                    .bind(new.starts_at)
                    .bind(new.ends_at)
                    .bind(new.status.as_str())
                    .bind(&new.notes)
                    .bind(new.created_at)
                    .bind(new.source.as_str())
                    .bind(group)
                    .fetch_one(&mut *tx)
                    .await?;
                let now = Utc::now();
                if new.status == AppointmentStatus::Booked {
                    write_notice!(tx, AppointmentNoticeRow, APPOINTMENT_NOTICE, id, NoticeEvent::BookingMade, id, now);
                }
                // pending on an outside calendar too: a refused attempt is deleted with its history
                write_history!(tx, id, HistoryAction::Booked, &new.by, None::<String>, now);
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// The live appointments linked with this one (the same group), itself included, by start;
    /// just itself when it is not linked.
    pub async fn linked_appointments(&self, appointment: &Appointment) -> Result<Vec<Appointment>, StoreError> {
        let Some(group) = &appointment.group_key else { return Ok(vec![appointment.clone()]) };
        const SQL: &str = select_appointments!(
            "WHERE a.company_id = $1 AND a.group_key = $2 AND a.status NOT IN ('cancelled', 'no_show') ORDER BY a.starts_at"
        );
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(appointment.company_id).bind(group).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Occupied intervals of a branch overlapping `[from, to)`: appointments (cancelled ones
    /// excluded) and slots held at `now` for a call on any instance.
    pub async fn busy_intervals(
        &self,
        branch_id: BranchId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<BusyInterval>, StoreError> {
        const SQL: &str = "SELECT staff_id, service_id, starts_at, ends_at FROM appointments
                WHERE branch_id = $1 AND starts_at < $3 AND ends_at > $2 AND status <> 'cancelled'
            UNION ALL SELECT staff_id, service_id, starts_at, ends_at FROM slot_holds
                WHERE branch_id = $1 AND starts_at < $3 AND ends_at > $2 AND held_until > $4
            ORDER BY starts_at";
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(branch_id).bind(from).bind(to).bind(now).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// A company's appointments in `[from, to)` booked under a customer, with the name each was
    /// booked under.
    pub async fn appointments_with_names(
        &self,
        company_id: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!(
            "WHERE a.company_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 AND a.status <> 'cancelled'
                AND a.customer_id IS NOT NULL ORDER BY a.starts_at"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(from).bind(to).fetch_all(pool).await)?)
    }

    /// How many live (not cancelled) appointments of a company have an idempotency key starting
    /// with `prefix`: the bookings one call has made.
    pub async fn bookings_of_call(&self, company_id: CompanyId, prefix: &str) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM appointments
            WHERE company_id = $1 AND substr(idempotency_key, 1, length($2)) = $2 AND status <> 'cancelled'";
        let count =
            on_pool!(self, pool => sqlx::query_scalar(SQL).bind(company_id).bind(prefix).fetch_one(pool).await)?;
        Ok(count)
    }

    /// A customer's appointments starting after `now`, soonest first (within their company only).
    pub async fn upcoming_appointments(
        &self,
        company_id: CompanyId,
        customer_id: CustomerId,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!(
            "WHERE a.customer_id = $1 AND a.company_id = $2 AND a.starts_at >= $3 AND a.status <> 'cancelled'
            ORDER BY a.starts_at LIMIT $4"
        );
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(customer_id).bind(company_id).bind(now).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }
}
