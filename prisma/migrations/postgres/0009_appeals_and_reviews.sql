-- AlterTable
ALTER TABLE "List" ADD COLUMN     "appealCooldownDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "reviewMonths" INTEGER;

-- AlterTable
ALTER TABLE "Entry" ADD COLUMN     "reviewedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Appeal" (
    "id" SERIAL NOT NULL,
    "listId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "rebuttal" TEXT NOT NULL,
    "fields" TEXT,
    "verificationToken" TEXT NOT NULL,
    "appealTokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "proposalId" INTEGER,

    CONSTRAINT "Appeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppealLink" (
    "id" SERIAL NOT NULL,
    "appealId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,

    CONSTRAINT "AppealLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppealComment" (
    "id" SERIAL NOT NULL,
    "appealId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppealComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppealVerificationAttempt" (
    "id" SERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppealVerificationAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Appeal_proposalId_key" ON "Appeal"("proposalId");

-- CreateIndex
CREATE INDEX "Appeal_listId_domain_idx" ON "Appeal"("listId", "domain");

-- CreateIndex
CREATE UNIQUE INDEX "AppealLink_appealId_position_key" ON "AppealLink"("appealId", "position");

-- CreateIndex
CREATE INDEX "AppealComment_appealId_idx" ON "AppealComment"("appealId");

-- CreateIndex
CREATE INDEX "AppealVerificationAttempt_domain_at_idx" ON "AppealVerificationAttempt"("domain", "at");

-- CreateIndex
CREATE INDEX "AppealVerificationAttempt_address_at_idx" ON "AppealVerificationAttempt"("address", "at");

-- CreateIndex
CREATE INDEX "AppealVerificationAttempt_at_idx" ON "AppealVerificationAttempt"("at");

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Appeal" ADD CONSTRAINT "Appeal_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppealLink" ADD CONSTRAINT "AppealLink_appealId_fkey" FOREIGN KEY ("appealId") REFERENCES "Appeal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppealComment" ADD CONSTRAINT "AppealComment_appealId_fkey" FOREIGN KEY ("appealId") REFERENCES "Appeal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

