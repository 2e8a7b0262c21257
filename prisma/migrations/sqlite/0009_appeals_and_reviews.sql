-- AlterTable
ALTER TABLE "Entry" ADD COLUMN "reviewedAt" DATETIME;

-- CreateTable
CREATE TABLE "Appeal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "rebuttal" TEXT NOT NULL,
    "fields" TEXT,
    "verificationToken" TEXT NOT NULL,
    "appealTokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "verifiedAt" DATETIME,
    "proposalId" INTEGER,
    CONSTRAINT "Appeal_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Appeal_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppealLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "appealId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    CONSTRAINT "AppealLink_appealId_fkey" FOREIGN KEY ("appealId") REFERENCES "Appeal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppealComment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "appealId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "AppealComment_appealId_fkey" FOREIGN KEY ("appealId") REFERENCES "Appeal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppealVerificationAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "domain" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_List" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "visibility" TEXT NOT NULL,
    "quorum" INTEGER NOT NULL,
    "thresholdPercent" INTEGER NOT NULL,
    "votingDays" INTEGER NOT NULL,
    "minOpenHours" INTEGER NOT NULL,
    "severityRule" TEXT NOT NULL,
    "publicEvidence" BOOLEAN NOT NULL DEFAULT false,
    "allowBroad" BOOLEAN NOT NULL DEFAULT false,
    "reviewMonths" INTEGER,
    "appealCooldownDays" INTEGER NOT NULL DEFAULT 30,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "revisedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_List" ("allowBroad", "createdAt", "description", "id", "minOpenHours", "name", "publicEvidence", "quorum", "revisedAt", "revision", "severityRule", "slug", "thresholdPercent", "updatedAt", "visibility", "votingDays") SELECT "allowBroad", "createdAt", "description", "id", "minOpenHours", "name", "publicEvidence", "quorum", "revisedAt", "revision", "severityRule", "slug", "thresholdPercent", "updatedAt", "visibility", "votingDays" FROM "List";
DROP TABLE "List";
ALTER TABLE "new_List" RENAME TO "List";
CREATE UNIQUE INDEX "List_slug_key" ON "List"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

