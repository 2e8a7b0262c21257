-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Proposal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "openDomain" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "severity" TEXT,
    "rejectMedia" BOOLEAN,
    "rejectReports" BOOLEAN,
    "obfuscate" BOOLEAN,
    "publicComment" TEXT,
    "privateComment" TEXT,
    "setsTags" BOOLEAN NOT NULL DEFAULT false,
    "setsEvidence" BOOLEAN NOT NULL DEFAULT false,
    "quorum" INTEGER NOT NULL,
    "thresholdPercent" INTEGER NOT NULL,
    "minOpenHours" INTEGER NOT NULL,
    "severityRule" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "origin" TEXT NOT NULL DEFAULT 'member',
    "proposerAccountId" INTEGER,
    "proposerInstanceId" INTEGER,
    "decidedByAccountId" INTEGER,
    "decisionReason" TEXT,
    "appliedSeverity" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Proposal_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Proposal_proposerAccountId_fkey" FOREIGN KEY ("proposerAccountId") REFERENCES "Account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Proposal_proposerInstanceId_fkey" FOREIGN KEY ("proposerInstanceId") REFERENCES "Instance" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Proposal_decidedByAccountId_fkey" FOREIGN KEY ("decidedByAccountId") REFERENCES "Account" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Proposal" ("appliedSeverity", "closedAt", "closesAt", "decidedByAccountId", "decisionReason", "domain", "id", "kind", "listId", "minOpenHours", "obfuscate", "openDomain", "openedAt", "privateComment", "proposerAccountId", "proposerInstanceId", "publicComment", "quorum", "reason", "rejectMedia", "rejectReports", "setsEvidence", "setsTags", "severity", "severityRule", "status", "thresholdPercent", "version") SELECT "appliedSeverity", "closedAt", "closesAt", "decidedByAccountId", "decisionReason", "domain", "id", "kind", "listId", "minOpenHours", "obfuscate", "openDomain", "openedAt", "privateComment", "proposerAccountId", "proposerInstanceId", "publicComment", "quorum", "reason", "rejectMedia", "rejectReports", "setsEvidence", "setsTags", "severity", "severityRule", "status", "thresholdPercent", "version" FROM "Proposal";
DROP TABLE "Proposal";
ALTER TABLE "new_Proposal" RENAME TO "Proposal";
CREATE INDEX "Proposal_listId_status_idx" ON "Proposal"("listId", "status");
CREATE INDEX "Proposal_status_closesAt_idx" ON "Proposal"("status", "closesAt");
CREATE INDEX "Proposal_listId_domain_idx" ON "Proposal"("listId", "domain");
CREATE UNIQUE INDEX "Proposal_listId_openDomain_key" ON "Proposal"("listId", "openDomain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

