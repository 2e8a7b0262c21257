-- AlterTable
ALTER TABLE "List" ADD COLUMN "archivedAt" DATETIME;

