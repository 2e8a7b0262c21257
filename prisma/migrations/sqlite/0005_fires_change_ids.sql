-- AlterTable
ALTER TABLE "ListChange" ADD COLUMN "comment" TEXT;
ALTER TABLE "ListChange" ADD COLUMN "firesId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ListChange_listId_firesId_key" ON "ListChange"("listId", "firesId");


-- Backfill (written by hand; keep it when regenerating): the FIRES id of an existing change is
-- a UUIDv7 from its time and its row id, so old changes keep their order and new ones, which
-- take max(now, last + 1) under the list's lock, sort after them.
UPDATE "ListChange" SET "firesId" = (
  SELECT printf('%08x-%04x-7000-%04x-%012x', ms >> 16, ms & 65535, 32768 | (("id" >> 48) & 16383), "id" & 281474976710655)
  FROM (SELECT CAST(ROUND((julianday("ListChange"."at") - 2440587.5) * 86400000) AS INTEGER) AS ms)
) WHERE "firesId" IS NULL;
