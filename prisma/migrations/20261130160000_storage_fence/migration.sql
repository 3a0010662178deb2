-- Several instances (REDIS_URL): the instance holding a timeline's storage lease claims the next
-- fencing token here; a compaction carrying an older token is refused, so a holder that lost its
-- lease (paused, partitioned) can never overwrite the newer holder's state.
ALTER TABLE "Timeline" ADD COLUMN "storageFence" BIGINT NOT NULL DEFAULT 0;
