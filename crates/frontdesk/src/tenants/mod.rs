//! Tenants: the file owners write (companies, branches, numbers, services, staff) and the
//! in-memory directory that maps a dialled number to its branch without touching the database.

mod directory;
mod file;
mod live;

pub use directory::TenantDirectory;
pub use live::{Changed, LiveTenants};
pub use file::{AbsenceDraft, AbsenceEntry, BranchDraft, BranchSpec, CompanyDraft, CompanySpec, NotifySpec, ServiceSpec, StaffSpec, TenantsFile};
