//! `join_waitlist` (DESIGN §15): a caller whose wish is fully booked waits for it — service,
//! optional staff member, the days and the time or window they said — until its last day. The
//! number is the verified calling number; offers come by SMS (joining is the yes to them, and
//! only to them) or, without SMS, by a call from the team.

use super::args::{parse, WaitlistArgs};
use super::asked::asked;
use super::{Backends, CallContext, Reply};
use crate::speech::{BookingSentence, Needed, TimeWish};
use crate::store::NewWaitlistEntry;
use chrono::{Duration, NaiveTime};
use serde_json::value::RawValue;

/// The most wishes one number may have waiting with a company.
pub const MAX_WAITING: u32 = 5;

/// Puts the caller on the waitlist for their wish.
pub async fn join_waitlist(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Reply {
    join(backends, ctx, raw).await.unwrap_or_else(|failure| failure)
}

async fn join(backends: &Backends, ctx: &CallContext, raw: Option<&RawValue>) -> Result<Reply, Reply> {
    let args = parse::<WaitlistArgs>(raw).map_err(|_| Reply::invalid_arguments())?;
    let Some(number) = ctx.call.customer_number() else {
        return Err(Reply::failure("no_number", BookingSentence::WaitlistNeedsNumber).with("offer_callback", true));
    };
    let asked = asked(backends, ctx, &args.wish).await?;
    let Some(name) = args.name.get() else {
        return Err(Reply::missing(Needed::Name));
    };
    let internal = |error: crate::store::StoreError| {
        tracing::error!(%error, company = ctx.company().id.0, "waitlist storage failed");
        Reply::internal()
    };
    let waiting = backends.store.waiting_count(ctx.company().id, number.as_str()).await.map_err(internal)?;
    if waiting >= i64::from(MAX_WAITING) {
        return Err(Reply::failure("waitlist_full", BookingSentence::WaitlistFull { max: MAX_WAITING }).with("offer_callback", true));
    }
    let wish = &asked.wish;
    let times = match wish.time {
        TimeWish::Any => (NaiveTime::MIN, NaiveTime::from_hms_opt(23, 59, 0).expect("a time")),
        TimeWish::At(time) => (time, time + Duration::minutes(1)),
        TimeWish::Window(window) => (window.from, window.to),
    };
    let customer = backends.store.upsert_customer(ctx.company().id, &number, Some(name), None).await.map_err(internal)?;
    // offers come by SMS when they can: joining is the caller's yes to those (and to nothing
    // else); a number that said STOP is called by the team instead
    let stopped = backends.store.sms_stopped(ctx.company().id, number.as_str()).await.map_err(internal)?;
    let by_sms = backends.sms && number.takes_sms() && !stopped;
    let entry = NewWaitlistEntry {
        company_id: ctx.company().id,
        branch_id: ctx.branch().id,
        service_id: asked.service.id.0,
        staff_id: asked.staff.map(|s| s.id.0),
        customer_id: Some(customer.id),
        name,
        phone: number.as_str(),
        days: (wish.first_day, wish.last_day),
        times,
        by_sms,
        now: ctx.now,
    };
    let id = backends.store.add_waitlist_entry(&entry).await.map_err(internal)?;
    let sentence = BookingSentence::WaitlistJoined { service: asked.service.name.clone(), days: (wish.first_day, wish.last_day), by_sms };
    Ok(Reply::ok(sentence, ()).with("waitlist_id", id).with("by_sms", by_sms))
}
