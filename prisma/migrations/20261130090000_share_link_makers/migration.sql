-- Share links are suspended when the person who made them is removed or demoted below the
-- link's role (createdById already exists; it stays nullable for links made before it was set).
ALTER TABLE "ShareLink" ADD COLUMN "suspendedAt" TIMESTAMP(3);
ALTER TABLE "ShareLink" ADD COLUMN "suspendedReason" TEXT;

-- CreateIndex
CREATE INDEX "ShareLink_createdById_idx" ON "ShareLink"("createdById");
