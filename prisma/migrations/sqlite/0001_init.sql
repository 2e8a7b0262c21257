-- CreateTable
CREATE TABLE "Instance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "instanceId" INTEGER,
    "disabledAt" DATETIME,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Account_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopeRead" BOOLEAN NOT NULL DEFAULT false,
    "scopeWrite" BOOLEAN NOT NULL DEFAULT false,
    "scopeAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" INTEGER,
    "data" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "List" (
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
    "revision" INTEGER NOT NULL DEFAULT 0,
    "revisedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Entry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "rejectMedia" BOOLEAN NOT NULL DEFAULT false,
    "rejectReports" BOOLEAN NOT NULL DEFAULT false,
    "obfuscate" BOOLEAN NOT NULL DEFAULT false,
    "publicComment" TEXT NOT NULL DEFAULT '',
    "privateComment" TEXT NOT NULL DEFAULT '',
    "proposalId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Entry_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Entry_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EntryTag" (
    "entryId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("entryId", "tag"),
    CONSTRAINT "EntryTag_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "Entry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EntryEvidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    CONSTRAINT "EntryEvidence_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "Entry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ListChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ListChange_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Proposal" (
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
    "proposerAccountId" INTEGER NOT NULL,
    "proposerInstanceId" INTEGER NOT NULL,
    "decidedByAccountId" INTEGER,
    "decisionReason" TEXT,
    "appliedSeverity" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Proposal_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Proposal_proposerAccountId_fkey" FOREIGN KEY ("proposerAccountId") REFERENCES "Account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Proposal_proposerInstanceId_fkey" FOREIGN KEY ("proposerInstanceId") REFERENCES "Instance" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Proposal_decidedByAccountId_fkey" FOREIGN KEY ("decidedByAccountId") REFERENCES "Account" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalTag" (
    "proposalId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("proposalId", "tag"),
    CONSTRAINT "ProposalTag_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalEvidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "proposalId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    CONSTRAINT "ProposalEvidence_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Vote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "proposalId" INTEGER NOT NULL,
    "instanceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "vote" TEXT NOT NULL,
    "severity" TEXT,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Vote_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Vote_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Vote_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalComment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "proposalId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "instanceId" INTEGER,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProposalComment_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProposalComment_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ProposalComment_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" INTEGER NOT NULL,
    "listId" INTEGER NOT NULL,
    "minSeverity" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Subscription_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Subscription_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SubscriptionTag" (
    "subscriptionId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("subscriptionId", "tag"),
    CONSTRAINT "SubscriptionTag_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SubscriptionExclude" (
    "subscriptionId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,

    PRIMARY KEY ("subscriptionId", "domain"),
    CONSTRAINT "SubscriptionExclude_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorAccountId" INTEGER,
    "actorUsername" TEXT,
    "actorInstanceId" INTEGER,
    "actorInstance" TEXT,
    "action" TEXT NOT NULL,
    "listId" INTEGER,
    "subject" TEXT NOT NULL DEFAULT '',
    "before" TEXT,
    "after" TEXT,
    CONSTRAINT "AuditEvent_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Instance_domain_key" ON "Instance"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "Account_username_key" ON "Account"("username");

-- CreateIndex
CREATE INDEX "Account_instanceId_idx" ON "Account"("instanceId");

-- CreateIndex
CREATE INDEX "ApiToken_accountId_idx" ON "ApiToken"("accountId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "Session_accountId_idx" ON "Session"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "List_slug_key" ON "List"("slug");

-- CreateIndex
CREATE INDEX "Entry_listId_severity_idx" ON "Entry"("listId", "severity");

-- CreateIndex
CREATE INDEX "Entry_proposalId_idx" ON "Entry"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Entry_listId_domain_key" ON "Entry"("listId", "domain");

-- CreateIndex
CREATE INDEX "EntryTag_tag_idx" ON "EntryTag"("tag");

-- CreateIndex
CREATE UNIQUE INDEX "EntryEvidence_entryId_position_key" ON "EntryEvidence"("entryId", "position");

-- CreateIndex
CREATE INDEX "ListChange_listId_revision_idx" ON "ListChange"("listId", "revision");

-- CreateIndex
CREATE INDEX "Proposal_listId_status_idx" ON "Proposal"("listId", "status");

-- CreateIndex
CREATE INDEX "Proposal_status_closesAt_idx" ON "Proposal"("status", "closesAt");

-- CreateIndex
CREATE INDEX "Proposal_listId_domain_idx" ON "Proposal"("listId", "domain");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_listId_openDomain_key" ON "Proposal"("listId", "openDomain");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalEvidence_proposalId_position_key" ON "ProposalEvidence"("proposalId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Vote_proposalId_instanceId_key" ON "Vote"("proposalId", "instanceId");

-- CreateIndex
CREATE INDEX "ProposalComment_proposalId_idx" ON "ProposalComment"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_instanceId_listId_key" ON "Subscription"("instanceId", "listId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_listId_at_idx" ON "AuditEvent"("listId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorAccountId_idx" ON "AuditEvent"("actorAccountId");

