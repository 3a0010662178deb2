-- When an account last opened a timeline's dashboard ("changed since your last visit").
-- CreateTable
CREATE TABLE "DashboardVisit" (
    "userId" TEXT NOT NULL,
    "timelineId" TEXT NOT NULL,
    "visitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DashboardVisit_pkey" PRIMARY KEY ("userId","timelineId")
);

-- CreateIndex
CREATE INDEX "DashboardVisit_timelineId_idx" ON "DashboardVisit"("timelineId");

-- AddForeignKey
ALTER TABLE "DashboardVisit" ADD CONSTRAINT "DashboardVisit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DashboardVisit" ADD CONSTRAINT "DashboardVisit_timelineId_fkey" FOREIGN KEY ("timelineId") REFERENCES "Timeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;
