-- The article's `images` table (original_name, token, generated_name, type, content_type, path,
-- size, timestamps), plus one row per rendition in `image_sizes`.
--
-- generated_name is the cat name in the URL (/SublimeDandelionUkrainianLevkoy): its UNIQUE
-- constraint is what makes names unique; the app retries with another name on a 23505 here.
-- token is the unguessable id in /img/:token URLs.
CREATE TABLE images (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  original_name  text        NOT NULL,
  token          text        NOT NULL,
  generated_name text        NOT NULL,
  type           text        NOT NULL,
  content_type   text        NOT NULL,
  path           text        NOT NULL,
  size           bigint      NOT NULL CHECK (size > 0),
  width          integer     NOT NULL CHECK (width > 0),
  height         integer     NOT NULL CHECK (height > 0),
  inserted_at    timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT images_token_key UNIQUE (token),
  CONSTRAINT images_generated_name_key UNIQUE (generated_name)
);

-- One row per stored rendition: the metadata-free full-size `original`, and the three widths
-- tiny (90 px), large (300 px) and monstrous (600 px).
CREATE TABLE image_sizes (
  image_id     bigint  NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  name         text    NOT NULL CHECK (name IN ('original', 'tiny', 'large', 'monstrous')),
  width        integer NOT NULL CHECK (width > 0),
  height       integer NOT NULL CHECK (height > 0),
  size_bytes   bigint  NOT NULL CHECK (size_bytes > 0),
  content_type text    NOT NULL,
  path         text    NOT NULL,
  PRIMARY KEY (image_id, name)
);
