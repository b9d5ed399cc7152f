//! The fixed words of the console and the messages, by key and by the page or message that
//! shows them: each language's phrasebook says them.

/// A label, heading or fixed sentence of the console or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// Every page's frame, the sign-in and the Retell page.
    Page(PageWord),
    /// The day and week views.
    Day(DayWord),
    /// The settings page.
    Settings(SettingsWord),
    /// The staff page: working hours, breaks, absences.
    Staff(StaffWord),
    /// The callbacks page and its failed notices.
    Callbacks(CallbacksWord),
    /// The calls page.
    Calls(CallsWord),
    /// The operations page.
    Ops(OpsWord),
    /// A new business, its owner's password, its Retell set-up.
    Onboarding(OnboardingWord),
    /// One appointment's page and a customer's data.
    Appointment(AppointmentWord),
    /// The words of the e-mails, the digest and the agent's call variables.
    Message(MessageWord),
}

/// Every page's frame, the sign-in and the Retell page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageWord {
    /// Branch
    Branch,
    /// Callbacks
    Callbacks,
    /// Calls
    Calls,
    /// Customers
    Customers,
    /// Waitlist
    Waitlist,
    /// Days
    WaitlistDays,
    /// Times
    WaitlistTimes,
    /// offered
    WaitlistOffered,
    /// Nobody is waiting.
    NobodyWaiting,
    /// Callers whose wish was fully booked. A time that becomes free is offered to the oldest matching ones by SMS and held 15 minutes; the first YES books it.
    WaitlistExplained,
    /// Name or some digits of the number
    CustomerSearchHint,
    /// Search
    Search,
    /// Nobody found.
    NobodyFound,
    /// Upcoming
    Upcoming,
    /// Past
    Past,
    /// Cancelled
    CancelledAppointments,
    /// Last visit
    LastVisit,
    /// Notes
    Notes,
    /// Add note
    AddNote,
    /// No notes yet.
    NoNotes,
    /// Company
    Company,
    /// console
    Console,
    /// Copied ✓
    Copied,
    /// Copy tool definitions
    CopyToolDefinitions,
    /// E-mail
    EMail,
    /// FRONTDESK_PUBLIC_URL is not set: the addresses below are examples.
    FrontdeskPublicUrlIsNot,
    /// Functions
    Functions,
    /// in the last 24 hours, last at
    InTheLast24Hours,
    /// Inbound calls
    InboundCalls,
    /// Name
    Name,
    /// New appointment
    NewAppointment,
    /// No signed request arrived in the last 24 hours.
    NoSignedRequestArrivedIn,
    /// Not allowed
    NotAllowed,
    /// Not found
    NotFound,
    /// Numbers
    Numbers,
    /// Operations
    Operations,
    /// de
    OtherLanguageCode,
    /// Deutsch
    OtherLanguageName,
    /// Password
    Password,
    /// Phone
    Phone,
    /// phone agent
    PhoneAgent,
    /// Preferred time
    PreferredTime,
    /// Reason
    Reason,
    /// Service
    Service,
    /// Settings
    Settings,
    /// Sign in
    SignIn,
    /// Sign out
    SignOut,
    /// Signed requests are arriving:
    SignedRequestsAreArriving,
    /// Signing in is not possible right now. Please try again.
    SigningInIsNotPossible,
    /// Staff
    Staff,
    /// The form expired or did not come from this page. Please reload the page.
    TheFormExpiredOrDid,
    /// The form expired. Please sign in again.
    TheFormExpiredPleaseSign,
    /// This page does not exist.
    ThisPageDoesNotExist,
    /// Today
    Today,
    /// Too many failed attempts. Please try again in 15 minutes.
    TooManyFailedAttemptsPlease,
    /// Week
    Week,
    /// Wrong e-mail or password.
    WrongEMailOrPassword,
}

impl From<PageWord> for Word {
    fn from(word: PageWord) -> Self {
        Word::Page(word)
    }
}

/// The day and week views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayWord {
    /// any
    Any,
    /// Appointment booked.
    AppointmentBooked,
    /// Appointment cancelled.
    AppointmentCancelled,
    /// Appointment moved.
    AppointmentMoved,
    /// Book
    Book,
    /// Cancel
    Cancel,
    /// Time
    ClockTime,
    /// %Y-%m-%d
    DateFormat,
    /// Day
    Day,
    /// Move
    Move,
    /// Working
    WorkingTime,
    /// Break
    Break,
    /// away
    Away,
    /// booked
    Booked,
    /// free
    Free,
    /// Closed this day.
    ClosedDay,
    /// Not working this day.
    NotWorkingToday,
    /// same staff member
    SameStaff,
    /// Next day
    NextDay,
    /// Next week
    NextWeek,
    /// No appointments on this day.
    NoAppointmentsOnThisDay,
    /// No appointments this week.
    NoAppointmentsThisWeek,
    /// not assigned
    NotAssigned,
    /// Previous day
    PreviousDay,
    /// Previous week
    PreviousWeek,
    /// That time is not free.
    ThatTimeIsNotFree,
    /// The calendar cannot be reached right now; please try again.
    TheCalendarCannotBeReached,
    /// The calendar did not answer in time; the booking is being reconciled.
    TheCalendarDidNotAnswer,
    /// The calendar did not confirm the cancellation; please try again.
    TheCalendarDidNotConfirm,
    /// The details are incomplete or invalid.
    TheDetailsAreIncompleteOr,
    /// This week
    ThisWeek,
    /// This phone number is not one I can read, e.g. 0171 1234567 or +49 171 1234567:
    PhoneNotUnderstood,
    /// Please give the name.
    NameMissing,
    /// Day and time are not clear.
    DayOrTimeNotUnderstood,
    /// That time is over already.
    TimeIsOver,
    /// optional
    Optional,
    /// Print
    Print,
    /// Time
    PrintTime,
    /// Customer
    PrintCustomer,
}

impl From<DayWord> for Word {
    fn from(word: DayWord) -> Self {
        Word::Day(word)
    }
}

/// The settings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsWord {
    /// Phases, buffers and resources
    Timing,
    /// Phases
    Phases,
    /// For example “30 work, 35 wait, 25 work”: during the wait the person is free. Empty: work throughout.
    PhasesHint,
    /// work
    Work,
    /// wait
    Wait,
    /// Set-up (min)
    BufferBefore,
    /// Clean-up (min)
    BufferAfter,
    /// Resources (comma)
    Resources,
    /// One per line as name: count, for example “Colour place: 2”.
    ResourcesHint,
    /// Notice (min)
    Notice,
    /// Interval (min)
    Interval,
    /// Save phases and resources
    SaveTiming,
    /// closed
    Closed,
    /// Closures
    Closures,
    /// Minutes
    Minutes,
    /// new person
    NewPerson,
    /// new service
    NewService,
    /// Not saved:
    NotSaved,
    /// is not opening hours like 9-16 or 9:00-13:00, 14:00-18:00:
    HoursNotUnderstood,
    /// too long or not text
    FieldTooLong,
    /// is not a number
    NotANumber,
    /// the minutes are missing
    MinutesMissing,
    /// the minutes must be 1 to 1440
    MinutesOutOfRange,
    /// is not a number of minutes
    NotMinutes,
    /// write it as “name: count”
    ResourceAsNameCount,
    /// the count is not a number
    CountNotANumber,
    /// minutes first, e.g. “30 work”
    PhaseMinutesFirst,
    /// These closures are not clear:
    ClosuresNotUnderstood,
    /// One day or range per line, e.g. 2027-02-16 or 2026-12-24..2027-01-01.
    OneDayOrRangePer,
    /// Opening hours
    OpeningHours,
    /// Price
    Price,
    /// Remove
    Remove,
    /// remove
    RemoveLower,
    /// Save closures
    SaveClosures,
    /// Save opening hours
    SaveOpeningHours,
    /// Save services
    SaveServices,
    /// Save staff
    SaveStaff,
    /// Saved — in effect now.
    SavedInEffectNow,
    /// Services
    Services,
    /// Synonyms (comma)
    SynonymsComma,
    /// Times like 09:00-13:00, 14:00-18:00; empty = closed.
    TimesLike090013,
}

/// The staff page: working hours, breaks, absences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffWord {
    /// Staff and absences
    Title,
    /// Enter an absence
    EnterAbsence,
    /// For example “Maria sick today and tomorrow”, “Jonas holiday 14.12.–18.12.” or “Maria doctor tomorrow 2–4 pm”
    AbsenceExample,
    /// Enter
    Enter,
    /// Needs attention
    NeedsAttention,
    /// These appointments fall in an absence. Please move, reassign or cancel them.
    NeedsAttentionHint,
    /// Absences
    Absences,
    /// No absences entered.
    NoAbsences,
    /// Working hours
    WorkingHours,
    /// Breaks
    Breaks,
    /// as the opening hours
    AsOpeningHours,
    /// Save working hours
    SaveHours,
    /// Remove
    Remove,
    /// Who is away? Please add their name.
    WhoIsAway,
    /// Not understood:
    NotUnderstood,
    /// Entered, in effect now.
    Entered,
    /// none
    NoBreaks,
    /// Reason
    Reason,
}

impl From<StaffWord> for Word {
    fn from(word: StaffWord) -> Self {
        Word::Staff(word)
    }
}

impl From<SettingsWord> for Word {
    fn from(word: SettingsWord) -> Self {
        Word::Settings(word)
    }
}

/// The callbacks page and its failed notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbacksWord {
    /// Done
    Done,
    /// Done in the last 30 days
    DoneLast30Days,
    /// New callback
    NewCallback,
    /// Urgent
    Urgent,
    /// Save callback
    SaveCallback,
    /// Callback saved.
    CallbackSaved,
    /// Error
    Error,
    /// Event
    Event,
    /// Given up after a day of attempts. Check the address or webhook, then send them again.
    GivenUpAfterADay,
    /// Marked done.
    MarkedDone,
    /// No open callbacks.
    NoOpenCallbacks,
    /// Note
    Note,
    /// Notifications are being sent again.
    NotificationsAreBeingSentAgain,
    /// Notifications not delivered
    NotificationsNotDelivered,
    /// of
    OfSpaced,
    /// open shown: the most urgent and newest.
    OpenShownTheMostUrgent,
    /// overdue
    Overdue,
    /// Send again
    SendAgain,
    /// Since
    Since,
    /// To
    To,
    /// urgent
    UrgentSuffix,
}

impl From<CallbacksWord> for Word {
    fn from(word: CallbacksWord) -> Self {
        Word::Callbacks(word)
    }
}

/// The calls page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallsWord {
    /// Analysis
    Analysis,
    /// booked
    Booked,
    /// callback
    Callback,
    /// Caller
    Caller,
    /// cancelled
    Cancelled,
    /// Length
    Length,
    /// moved
    Moved,
    /// No calls yet.
    NoCallsYet,
    /// nothing
    Nothing,
    /// Outcome
    Outcome,
    /// Recording
    Recording,
    /// Sentiment:
    SentimentLabel,
    /// Time
    Time,
    /// Appointment booked:
    AppointmentBooked,
    /// with
    With,
    /// Wanted
    Wanted,
    /// — we do not offer it
    NotOffered,
    /// Callback requested
    CallbackWanted,
    /// Appointment moved
    AppointmentMoved,
    /// Appointment cancelled
    AppointmentCancelled,
    /// hung up without an appointment
    HungUp,
    /// ended without an appointment
    EndedWithNothing,
    /// still going on
    Ongoing,
    /// unknown
    UnknownCaller,
    /// All
    ShowAll,
    /// Lost calls
    ShowLost,
    /// Bookings
    ShowBookings,
    /// Callbacks
    ShowCallbacks,
    /// Details
    Details,
    /// to the appointment
    ToTheAppointment,
    /// to the callback
    ToTheCallback,
    /// Who
    Who,
    /// What happened
    WhatHappened,
}

impl From<CallsWord> for Word {
    fn from(word: CallsWord) -> Self {
        Word::Calls(word)
    }
}

/// A new business, its owner's password, its Retell set-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnboardingWord {
    /// Set your password
    SetYourPassword,
    /// Repeat the password
    RepeatThePassword,
    /// The two passwords do not match.
    ThePasswordsDoNotMatch,
    /// Your password is saved. Please sign in.
    PasswordSavedPleaseSignIn,
    /// Set up at Retell
    SetUpAtRetell,
    /// Set up at Retell: LLM, agent and numbers are current.
    RetellSetUp,
    /// Out of date at Retell: services, staff or numbers changed since.
    RetellOutdated,
    /// Not set up at Retell yet.
    RetellNotSetUp,
    /// Setting up at Retell failed: 
    RetellFailed,
    /// New business
    NewBusiness,
    /// Name of the business
    BusinessName,
    /// Name of the first branch
    BranchName,
    /// Phone number callers dial
    PhoneNumberCallersDial,
    /// Time zone
    TimeZone,
    /// Language of the phone agent
    LanguageOfTheAgent,
    /// Owner's e-mail
    OwnersEMail,
    /// Create business
    CreateBusiness,
    /// Created. Send this link to the owner; it works once, for 72 hours:
    BusinessCreatedSendLink,
    /// The password needs at least 10 characters.
    PasswordTooShort,
    /// The password may have at most 1024 characters.
    PasswordTooLong,
    /// This time zone is not known; write it like Europe/Berlin.
    TimeZoneNotKnown,
    /// Write the number with its country code, like +4930123456.
    NumberNotE164,
    /// This e-mail address is not valid.
    EMailNotValid,
    /// Not created: 
    NotCreated,
    /// The business and its branch need a name.
    NameIsRequired,
}

impl From<OnboardingWord> for Word {
    fn from(word: OnboardingWord) -> Self {
        Word::Onboarding(word)
    }
}

/// The operations page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpsWord {
    /// Availability cache
    AvailabilityCache,
    /// bookings whose outcome is not known yet
    BookingsWhoseOutcomeIsNot,
    /// closed (healthy)
    ClosedHealthy,
    /// Calls
    FunctionCalls,
    /// half open (probing)
    HalfOpenProbing,
    /// hits
    Hits,
    /// Key
    Key,
    /// No Cal.com account in use.
    NoCalComAccountIn,
    /// No calls yet.
    NoFunctionCallsYet,
    /// open (Cal.com failing)
    OpenCalComFailing,
    /// Open reconciliations
    OpenReconciliations,
    /// Requests last minute
    RequestsLastMinute,
    /// This process, last hour.
    ThisProcessLastHour,
}

impl From<OpsWord> for Word {
    fn from(word: OpsWord) -> Self {
        Word::Ops(word)
    }
}

/// The words of the e-mails, the digest and the agent's call variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageWord {
    /// closed today (today's hours on a closed day)
    ClosedToday,
    /// agent ended the call
    AgentEndedTheCall,
    /// answering machine
    AnsweringMachine,
    /// When
    Appointment,
    /// Appointment cancelled
    AppointmentCancelledTitle,
    /// Appointment confirmed:
    AppointmentConfirmed,
    /// Reminder of your appointment:
    ReminderTitle,
    /// Reminders sent
    RemindersSent,
    /// Cancelled by SMS reply
    CancelledBySms,
    /// Refilled from the waitlist
    RefilledFromWaitlist,
    /// A time became free:
    WaitlistOfferTitle,
    /// We look forward to seeing you.
    LookingForward,
    /// Appointment moved
    AppointmentMovedTitle,
    /// Booking unconfirmed
    BookingUnconfirmed,
    /// Callback overdue
    CallbackOverdue,
    /// Callback requested
    CallbackRequested,
    /// Callbacks open
    CallbacksOpen,
    /// Callbacks requested
    CallbacksRequested,
    /// caller hung up
    CallerHungUp,
    /// caller went silent
    CallerWentSilent,
    /// calls
    CallsLower,
    /// Cancelled
    CancelledHeading,
    /// Daily report
    DailyReport,
    /// %-d %B %Y at %H:%M
    DateAtTimeFormat,
    /// %Y-%m-%d %H:%M
    DateTimeFormat,
    /// did not connect
    DidNotConnect,
    /// ended
    Ended,
    /// Ended with nothing
    EndedWithNothing,
    /// Hello
    Hello,
    /// Hello,
    HelloComma,
    /// is cancelled.
    IsCancelled,
    /// is confirmed.
    IsConfirmed,
    /// is now on
    IsNowOn,
    /// %-d %B %Y
    LongDateFormat,
    /// maximum length reached
    MaximumLengthReached,
    /// Moved
    MovedHeading,
    /// new appointments
    NewAppointments,
    /// New appointments
    NewAppointmentsHeading,
    /// (no name)
    NoName,
    /// on
    On,
    /// Open in the console
    OpenInTheConsole,
    /// please check
    PleaseCheck,
    /// Priority
    Priority,
    /// — frontdesk, your phone front desk
    Signature,
    /// — frontdesk, your phone front desk
    SignatureAfterGap,
    /// suspected scam
    SuspectedScam,
    /// technical error
    TechnicalError,
    /// The appointment is attached as a calendar file.
    TheAppointmentIsAttachedAs,
    /// The attached calendar file moves it in your calendar.
    TheAttachedCalendarFileMoves,
    /// The attached calendar file removes it from your calendar.
    TheAttachedCalendarFileRemoves,
    /// The calendar did not confirm this booking; frontdesk keeps asking. Please check the cal…
    TheCalendarDidNotConfirm2,
    /// too many calls at once
    TooManyCallsAtOnce,
    /// transferred
    Transferred,
    /// urgent
    Urgent,
    /// at
    With,
    /// Your appointment for
    YourAppointmentFor,
    /// Your appointment was cancelled:
    YourAppointmentWasCancelled,
    /// Your appointment was moved:
    YourAppointmentWasMoved,
}

impl From<MessageWord> for Word {
    fn from(word: MessageWord) -> Self {
        Word::Message(word)
    }
}

/// One appointment's page and a customer's data: history, restore, no-show, export, erase, merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentWord {
    /// Appointment
    Appointment,
    /// History
    History,
    /// Details
    Details,
    /// booked
    ActionBooked,
    /// moved
    ActionMoved,
    /// cancelled
    ActionCancelled,
    /// restored
    ActionRestored,
    /// did not come
    ActionNoShow,
    /// reminded
    ActionReminded,
    /// by SMS
    BySms,
    /// from the waitlist
    ByWaitlist,
    /// by the phone agent
    ByPhoneAgent,
    /// in Cal.com
    ByCalcom,
    /// by frontdesk
    ByFrontdesk,
    /// by
    By,
    /// before:
    Before,
    /// Booked
    StatusBooked,
    /// Being confirmed by the calendar
    StatusPending,
    /// Cancelled
    StatusCancelled,
    /// Did not come
    StatusNoShow,
    /// Restore
    Restore,
    /// The appointment is booked again.
    Restored,
    /// Its time is no longer free: book a new appointment instead.
    NoLongerFree,
    /// Mark as no-show
    MarkNoShow,
    /// Marked as no-show.
    NoShowMarked,
    /// That is not possible for this appointment.
    NotPossibleNow,
    /// From the call of
    FromCall,
    /// Not booked in a call.
    NoCall,
    /// Customer
    Customer,
    /// Cancel the appointment of
    CancelAppointmentOf,
    /// Export data (GDPR)
    ExportData,
    /// Erase data (GDPR)
    EraseData,
    /// Erase everything stored about this person for good? The appointments stay, without the name.
    EraseConfirm,
    /// The customer's data is erased.
    Erased,
    /// Merge a duplicate into this customer
    MergeDuplicate,
    /// Customer number of the duplicate
    DuplicateNumber,
    /// Merge
    Merge,
    /// Customer no.
    CustomerNumber,
}

impl From<AppointmentWord> for Word {
    fn from(word: AppointmentWord) -> Self {
        Word::Appointment(word)
    }
}
