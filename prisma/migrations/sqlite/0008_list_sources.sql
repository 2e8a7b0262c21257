-- CreateTable
CREATE TABLE "ListSource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "maxSeverity" TEXT NOT NULL,
    "maxProposalsPerPoll" INTEGER NOT NULL,
    "pollMinutes" INTEGER NOT NULL,
    "etag" TEXT,
    "lastModified" TEXT,
    "cursor" TEXT,
    "lastPolledAt" DATETIME,
    "lastSuccessAt" DATETIME,
    "lastErrorAt" DATETIME,
    "lastError" TEXT,
    "lastReport" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ListSource_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ListSourceTag" (
    "sourceId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("sourceId", "tag"),
    CONSTRAINT "ListSourceTag_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SourceEntry" (
    "sourceId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "rejectMedia" BOOLEAN NOT NULL DEFAULT false,
    "rejectReports" BOOLEAN NOT NULL DEFAULT false,
    "obfuscate" BOOLEAN NOT NULL DEFAULT false,
    "publicComment" TEXT NOT NULL DEFAULT '',

    PRIMARY KEY ("sourceId", "domain"),
    CONSTRAINT "SourceEntry_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SourceProposal" (
    "proposalId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    CONSTRAINT "SourceProposal_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SourceProposal_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ListSource_listId_url_key" ON "ListSource"("listId", "url");

-- CreateIndex
CREATE INDEX "SourceProposal_sourceId_idx" ON "SourceProposal"("sourceId");

