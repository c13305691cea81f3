-- Remove the groups in `probe` (dup_group_id): their last member left (its text changed).
DELETE FROM dup_groups WHERE dup_group_id IN (SELECT dup_group_id FROM probe);
