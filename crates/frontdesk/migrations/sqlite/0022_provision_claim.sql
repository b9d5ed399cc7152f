-- One Retell provisioning of a branch at a time across every instance (and the command line):
-- a run claims the branch until running_until; a run that dies frees it when that has passed.
ALTER TABLE retell_provisions ADD COLUMN running_until TEXT;
