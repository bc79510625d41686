-- A deadline is provisional when a calendar day that decided it is still unconfirmed (src/dossiers/deadline.ts,
-- decidingDays): now also a day the clock start waited over after the receipt, and, for calendar-day and month
-- durations, only the days the count rolled over at its end, not every day it counted. The stored `provisional`
-- flags change meaning, so the state version is 4: every stored state is replayed at the next start
-- (AppContext.load), and the counters are recounted from the replayed states, as for version 3 (migration 011).
-- Measured on the 2-core machine of the benchmarks: 100,000 dossiers (462,740 events) replayed in 35 s, 2,840 a
-- second (loading them through ingestion ran 10,833 events a second in the same run): about 6 minutes per million
-- dossiers before the service listens, so a large province upgrades outside office hours.
DELETE FROM daily_counts;
