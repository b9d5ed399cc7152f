//! Database ids as types: a company's id cannot be passed where a branch's is wanted.

/// Declares an id newtype: transparent in JSON and in the database, printed as the number.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// Database id of a company (the tenant).
    CompanyId
);
id!(
    /// Database id of a branch.
    BranchId
);
id!(
    /// Database id of an appointment.
    AppointmentId
);
id!(
    /// Database id of a customer.
    CustomerId
);
id!(
    /// Database id of a staff member's absence.
    AbsenceId
);
