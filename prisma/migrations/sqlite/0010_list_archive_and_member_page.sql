-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "listedAt" DATETIME;

-- AlterTable
ALTER TABLE "List" ADD COLUMN "archivedAt" DATETIME;

