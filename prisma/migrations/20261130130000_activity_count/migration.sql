-- A bulk change (an import, a large restore) is logged as one entry counting the events it
-- touched, instead of one row per event.
ALTER TABLE "ActivityEntry" ADD COLUMN "count" INTEGER NOT NULL DEFAULT 1;
