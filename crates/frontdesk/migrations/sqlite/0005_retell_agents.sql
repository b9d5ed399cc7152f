-- Retell agents whose web calls (no phone numbers) belong to a branch (issue 13).
ALTER TABLE branches ADD COLUMN retell_agent_ids TEXT NOT NULL DEFAULT '[]';
