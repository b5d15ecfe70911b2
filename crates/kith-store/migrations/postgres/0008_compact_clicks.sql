-- No `day` column: a click's UTC date is read from `clicked_at` (as on SQLite, whose
-- migration of the same name also stores the time as an integer).
ALTER TABLE clicks DROP COLUMN day;
