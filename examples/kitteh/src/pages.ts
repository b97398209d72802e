// The pages: the upload form, an image's page, and errors. Assets come by digested URL.
import type { AssetStore } from 'seabuild/runtime';
import { html, type Html } from './html.ts';
import type { ImageRecord } from './images.ts';
import { sizeWidths, type RenditionName } from './resize.ts';
import { formatBytes, FILE_FIELD } from './upload.ts';

const labels: Record<RenditionName, string> = { tiny: 'Tiny', large: 'Large', monstrous: 'Monstrous', original: 'Original' };
const order: RenditionName[] = ['tiny', 'large', 'monstrous', 'original'];

function layout(assets: AssetStore, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" type="image/png" href="${assets.url('favicon.png')}">
<link rel="stylesheet" href="${assets.url('css/app.css')}">
<script type="module" src="${assets.url('js/app.js')}"></script>
</head>
<body>
<header><a class="brand" href="/">Kitteh</a></header>
<main>
${body}
</main>
<footer>Pictures get a cat name, and three sizes: Tiny (90 px), Large (300 px) and Monstrous (600 px).</footer>
</body>
</html>
`.value;
}

/** GET /: the upload form. */
export function renderIndex(assets: AssetStore, maxUploadBytes: number): string {
  return layout(assets, 'Kitteh', html`<h1>Upload a picture, get a cat name</h1>
<form class="upload" method="post" action="/upload" enctype="multipart/form-data" data-max-bytes="${maxUploadBytes}">
  <label class="drop">
    <span class="drop-text">Choose a JPEG, PNG, WebP, GIF, AVIF or TIFF picture (up to ${formatBytes(maxUploadBytes)})</span>
    <input type="file" name="${FILE_FIELD}" accept="image/jpeg,image/png,image/webp,image/gif,image/avif,image/tiff" required>
  </label>
  <img class="preview" alt="" hidden>
  <p class="problem" role="alert" hidden></p>
  <button type="submit">Upload</button>
</form>`);
}

/** GET /:name: the picture in its sizes, each with a download link. */
export function renderImage(assets: AssetStore, image: ImageRecord): string {
  const byName = new Map(image.renditions.map((r) => [r.name, r]));
  const cards = order.map((name) => {
    const r = byName.get(name);
    if (!r) return '';
    const src = name === 'original' ? `/img/${image.token}` : `/img/${image.token}/${name}`;
    const target = name === 'original' ? `${image.width} px` : `${sizeWidths[name]} px`;
    return html`<figure class="rendition rendition-${name}">
  <a href="${src}"><img src="${src}" width="${r.width}" height="${r.height}" alt="${image.generatedName}, ${labels[name]}" loading="lazy"></a>
  <figcaption><strong>${labels[name]}</strong> <span>${target} · ${r.width}×${r.height} · ${formatBytes(r.sizeBytes)}</span>
    <a class="download" href="${src}?download">Download</a></figcaption>
</figure>`;
  });
  return layout(assets, `${image.generatedName} · Kitteh`, html`<h1 class="cat-name">${image.generatedName}</h1>
<p class="meta">Uploaded as <code>${image.originalName}</code> (${image.type.toUpperCase()}, ${image.width}×${image.height}, ${formatBytes(image.size)}).
Location data and other metadata are removed from every size.</p>
<div class="renditions">${cards}</div>
<p><a class="again" href="/">Upload another picture</a></p>`);
}

/** Any error, for browsers. */
export function renderError(assets: AssetStore, status: number, code: string, message: string): string {
  return layout(assets, `${status} · Kitteh`, html`<h1>That did not work</h1>
<p class="error" data-code="${code}">${message}</p>
<p><a href="/">Back to the upload form</a></p>`);
}
