// sharp loaded with require() from CommonJS (sharp/dist/sharp.cjs asks for its addon by a computed path).
const sharp = require('sharp');
const { createHash } = require('node:crypto');

async function main() {
  const width = 64, height = 48;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([x * 4, y * 5, (x + y) * 2], (y * width + x) * 3);
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } }).resize(16).png({ compressionLevel: 9 }).toBuffer();
  const meta = await sharp(png).metadata();
  console.log(`sharp ${meta.format} ${meta.width}x${meta.height} channels=${meta.channels} ${createHash('sha256').update(png).digest('hex').slice(0, 16)}`);
}
main();
