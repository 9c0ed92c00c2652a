/**
 * The database the assistant's schema tools read when the input names none: a small blog, in the
 * form the schema agent writes its DDL (quoted names, one statement each).
 */
export const SAMPLE_DATABASE = `CREATE TABLE "users" (
  "id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "email" text NOT NULL UNIQUE,
  "name" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE "posts" (
  "id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "author_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "title" text NOT NULL,
  "body" text NOT NULL,
  "published_at" timestamptz
);
CREATE TABLE "comments" (
  "id" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "post_id" integer NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE,
  "author_id" integer NOT NULL REFERENCES "users" ("id"),
  "body" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "posts_author_id_idx" ON "posts" ("author_id");
CREATE INDEX "comments_post_id_idx" ON "comments" ("post_id");
COMMENT ON TABLE "posts" IS 'Articles written by users.';
`;
