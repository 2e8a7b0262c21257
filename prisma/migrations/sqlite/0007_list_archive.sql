-- AlterTable
ALTER TABLE "List" ADD COLUMN "archivedAt" DATETIME;


-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "listedAt" DATETIME;
