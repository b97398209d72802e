// The images and image_sizes tables (migrations/0001_create_images.sql).
import type { Database } from './db.ts';
import type { StoredRendition } from './store.ts';
import type { RenditionName } from './resize.ts';

/** A stored upload, as the pages and downloads need it. */
export interface ImageRecord {
  originalName: string;
  token: string;
  generatedName: string;
  /** Detected input format (jpeg, png…) and its media type. */
  type: string;
  contentType: string;
  /** The original rendition, relative to UPLOAD_DIR. */
  path: string;
  /** Bytes uploaded. */
  size: number;
  width: number;
  height: number;
  renditions: StoredRendition[];
}

/** One rendition with the names a download needs. */
export interface RenditionRecord extends StoredRendition {
  originalName: string;
  generatedName: string;
}

const UNIQUE_VIOLATION = '23505';

/** Inserts the image and its renditions in one statement; 'name_taken' on a cat-name collision. */
export async function insertImage(db: Database, image: ImageRecord): Promise<'inserted' | 'name_taken'> {
  const r = image.renditions;
  try {
    await db.query(
      `WITH image AS (
         INSERT INTO images (original_name, token, generated_name, type, content_type, path, size, width, height)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id)
       INSERT INTO image_sizes (image_id, name, width, height, size_bytes, content_type, path)
       SELECT image.id, s.name, s.width, s.height, s.size_bytes, s.content_type, s.path
       FROM image, unnest($10::text[], $11::int[], $12::int[], $13::bigint[], $14::text[], $15::text[])
         AS s(name, width, height, size_bytes, content_type, path)`,
      [image.originalName, image.token, image.generatedName, image.type, image.contentType, image.path, image.size, image.width, image.height,
        r.map((x) => x.name), r.map((x) => x.width), r.map((x) => x.height), r.map((x) => x.sizeBytes), r.map((x) => x.contentType), r.map((x) => x.path)],
    );
    return 'inserted';
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION && constraint === 'images_generated_name_key') return 'name_taken';
    throw error;
  }
}

const selectImage = `
  SELECT i.original_name, i.token, i.generated_name, i.type, i.content_type, i.path, i.size::float8 AS size, i.width, i.height,
         json_agg(json_build_object('name', s.name, 'width', s.width, 'height', s.height, 'sizeBytes', s.size_bytes,
                                    'contentType', s.content_type, 'path', s.path)) AS renditions
  FROM images i JOIN image_sizes s ON s.image_id = i.id`;

/** The image named `name`, or undefined. */
export async function findImageByName(db: Database, name: string): Promise<ImageRecord | undefined> {
  const { rows } = await db.query<Record<string, any>>(`${selectImage} WHERE i.generated_name = $1 GROUP BY i.id`, [name]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    originalName: row.original_name, token: row.token, generatedName: row.generated_name, type: row.type,
    contentType: row.content_type, path: row.path, size: row.size, width: row.width, height: row.height,
    renditions: (row.renditions as StoredRendition[]).map((s) => ({ ...s, sizeBytes: Number(s.sizeBytes) })),
  };
}

/** One rendition of the image with `token`, or undefined. */
export async function findRendition(db: Database, token: string, name: RenditionName): Promise<RenditionRecord | undefined> {
  const { rows } = await db.query<Record<string, any>>(
    `SELECT i.original_name, i.generated_name, s.name, s.width, s.height, s.size_bytes::float8 AS size_bytes, s.content_type, s.path
     FROM images i JOIN image_sizes s ON s.image_id = i.id WHERE i.token = $1 AND s.name = $2`,
    [token, name],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    originalName: row.original_name, generatedName: row.generated_name, name: row.name, width: row.width, height: row.height,
    sizeBytes: row.size_bytes, contentType: row.content_type, path: row.path,
  };
}
