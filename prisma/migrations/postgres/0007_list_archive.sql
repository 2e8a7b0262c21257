-- AlterTable
ALTER TABLE "List" ADD COLUMN     "archivedAt" TIMESTAMP(3);

