-- AlterTable
ALTER TABLE "List" ADD COLUMN     "allowBroad" BOOLEAN NOT NULL DEFAULT false;

