// Licences as SPDX license expressions (SPDX 2.3 annex D). package.json `license` is usually one
// already ("MIT", "(MIT OR Apache-2.0)"); "SEE LICENSE IN …", "UNLICENSED" and free text are not,
// and both formats then get NOASSERTION / a licence name instead of an invalid expression.

const TOKEN = /\s*(\(|\)|AND\b|OR\b|WITH\b|[A-Za-z0-9.-]+\+?|DocumentRef-[A-Za-z0-9.-]+:LicenseRef-[A-Za-z0-9.-]+)\s*/y;

/** True when `text` is a well-formed SPDX license expression (syntax only; ids are not looked up). */
export function isLicenseExpression(text: string): boolean {
  let depth = 0;
  let expectOperand = true;
  TOKEN.lastIndex = 0;
  const upper = text.trim();
  if (!upper || /^(UNLICENSED|SEE LICENSE IN)/i.test(upper)) return false;
  while (TOKEN.lastIndex < upper.length) {
    const match = TOKEN.exec(upper);
    if (!match) return false;
    const token = match[1]!;
    if (token === '(') { if (!expectOperand) return false; depth++; continue; }
    if (token === ')') { if (expectOperand || --depth < 0) return false; continue; }
    if (token === 'AND' || token === 'OR' || token === 'WITH') { if (expectOperand) return false; expectOperand = true; continue; }
    if (!expectOperand) return false;
    expectOperand = false;
  }
  return depth === 0 && !expectOperand;
}
