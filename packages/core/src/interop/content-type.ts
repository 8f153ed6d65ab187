/** Treaty contracts describe JSON messages; a content type says whether a message is one (`application/json`, `…+json`). */
export function isJsonContentType(contentType: string): boolean {
  return /^(?:application|text)\/(?:[\w.-]+\+)?json\b/i.test(contentType)
}
