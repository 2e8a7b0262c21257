-- AlterTable
ALTER TABLE "ListChange" ADD COLUMN     "comment" TEXT,
ADD COLUMN     "firesId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ListChange_listId_firesId_key" ON "ListChange"("listId", "firesId");


-- Backfill (written by hand; keep it when regenerating): the FIRES id of an existing change is
-- a UUIDv7 from its time and its row id, so old changes keep their order and new ones, which
-- take max(now, last + 1) under the list's lock, sort after them.
UPDATE "ListChange" SET "firesId" =
  lpad(to_hex(floor(extract(epoch FROM "at") * 1000)::bigint >> 16), 8, '0') || '-' ||
  lpad(to_hex(floor(extract(epoch FROM "at") * 1000)::bigint & 65535), 4, '0') || '-7000-' ||
  lpad(to_hex(32768 | (("id"::bigint >> 48) & 16383)), 4, '0') || '-' ||
  lpad(to_hex("id"::bigint & 281474976710655), 12, '0')
WHERE "firesId" IS NULL;
