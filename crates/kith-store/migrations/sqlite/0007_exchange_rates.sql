-- Orders in another currency than their program's (SQLite).
--
-- An attributed order's subtotal in the program's currency, the rate it was converted at
-- (`1.0850`, or `1/1.0850` for the reciprocal of a pair written the other way) and when,
-- stored beside the attribution: a later change of `[exchange_rates]` in brand.toml
-- never rewrites what was reported or paid, and refunds are converted at the same rate.
-- All three stay NULL when the order is in the program's currency, and while no rate for
-- the pair is known (the order is counted, but adds no revenue and earns nothing).
ALTER TABLE conversions ADD COLUMN program_subtotal_minor INTEGER;
ALTER TABLE conversions ADD COLUMN exchange_rate TEXT;
ALTER TABLE conversions ADD COLUMN converted_at TEXT;

ALTER TABLE event_conversions ADD COLUMN program_subtotal_minor INTEGER;
ALTER TABLE event_conversions ADD COLUMN exchange_rate TEXT;
ALTER TABLE event_conversions ADD COLUMN converted_at TEXT;
