-- CreateTable
CREATE TABLE "ListSource" (
    "id" SERIAL NOT NULL,
    "listId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "maxSeverity" TEXT NOT NULL,
    "maxProposalsPerPoll" INTEGER NOT NULL,
    "pollMinutes" INTEGER NOT NULL,
    "etag" TEXT,
    "lastModified" TEXT,
    "cursor" TEXT,
    "lastPolledAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastReport" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ListSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ListSourceTag" (
    "sourceId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "ListSourceTag_pkey" PRIMARY KEY ("sourceId","tag")
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

    CONSTRAINT "SourceEntry_pkey" PRIMARY KEY ("sourceId","domain")
);

-- CreateTable
CREATE TABLE "SourceProposal" (
    "proposalId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,

    CONSTRAINT "SourceProposal_pkey" PRIMARY KEY ("proposalId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ListSource_listId_url_key" ON "ListSource"("listId", "url");

-- CreateIndex
CREATE INDEX "SourceProposal_sourceId_idx" ON "SourceProposal"("sourceId");

-- AddForeignKey
ALTER TABLE "ListSource" ADD CONSTRAINT "ListSource_listId_fkey" FOREIGN KEY ("listId") REFERENCES "List"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ListSourceTag" ADD CONSTRAINT "ListSourceTag_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceEntry" ADD CONSTRAINT "SourceEntry_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceProposal" ADD CONSTRAINT "SourceProposal_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceProposal" ADD CONSTRAINT "SourceProposal_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "ListSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

