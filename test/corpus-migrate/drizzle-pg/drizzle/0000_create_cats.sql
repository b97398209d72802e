CREATE TABLE "cats" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "cats" ("name") VALUES ('SublimeDandelionUkrainianLevkoy');
