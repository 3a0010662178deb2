-- Large document values (a compacted state, a snapshot, a big log row such as a 100,000-event
-- import) are stored as ordered chunks of at most 1 MiB instead of one bytea value, so neither
-- database ever binds, TOASTs or returns a 30 MB value in one piece. For the embedded PGlite that
-- bounds its WebAssembly memory, which grows to the largest value it handled and never shrinks.
-- "chunks" = 0: the value is the row's own bytea column (every row written before this
-- migration, and every small value); "chunks" = n > 0: the value is the concatenation, in "seq"
-- order, of the n chunk rows, and the row's own column is empty. Existing rows stay as they are.
ALTER TABLE "DocState" ADD COLUMN "chunks" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "DocUpdate" ADD COLUMN "chunks" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TimelineSnapshot" ADD COLUMN "chunks" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "DocStateChunk" (
    "timelineId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "DocStateChunk_pkey" PRIMARY KEY ("timelineId", "seq")
);

CREATE TABLE "DocUpdateChunk" (
    "updateId" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "DocUpdateChunk_pkey" PRIMARY KEY ("updateId", "seq")
);

CREATE TABLE "SnapshotChunk" (
    "snapshotId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "SnapshotChunk_pkey" PRIMARY KEY ("snapshotId", "seq")
);

ALTER TABLE "DocStateChunk" ADD CONSTRAINT "DocStateChunk_timelineId_fkey" FOREIGN KEY ("timelineId") REFERENCES "DocState"("timelineId") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DocUpdateChunk" ADD CONSTRAINT "DocUpdateChunk_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "DocUpdate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SnapshotChunk" ADD CONSTRAINT "SnapshotChunk_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "TimelineSnapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
