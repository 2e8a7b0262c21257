-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'member',
ALTER COLUMN "proposerAccountId" DROP NOT NULL,
ALTER COLUMN "proposerInstanceId" DROP NOT NULL;

