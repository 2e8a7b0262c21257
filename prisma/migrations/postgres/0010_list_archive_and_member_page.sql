-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "listedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "List" ADD COLUMN     "archivedAt" TIMESTAMP(3);

