/**
 * Flat two-part SVG badges (label | message) in the shields.io look, for READMEs. Text widths are estimated
 * from character classes of Verdana 11px, which is what shields.io measures; close enough for short words.
 */
export type BadgeColour = 'green' | 'teal' | 'red' | 'amber' | 'grey'

const FILL: Record<BadgeColour, string> = {
  green: '#2e7d32',
  teal: '#00695c',
  red: '#c62828',
  amber: '#8d6e00',
  grey: '#555555',
}

function textWidth(text: string): number {
  let w = 0
  for (const ch of text) w += /[il.,:;|!'`]/.test(ch) ? 3.5 : /[mwMW@]/.test(ch) ? 10 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5
  return Math.ceil(w)
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function badgeSvg(label: string, message: string, colour: BadgeColour): string {
  const lw = textWidth(label) + 12
  const mw = textWidth(message) + 12
  const width = lw + mw
  const l = escapeXml(label)
  const m = escapeXml(message)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${l}: ${m}">`,
    `<title>${l}: ${m}</title>`,
    `<rect width="${lw}" height="20" fill="#555555"/>`,
    `<rect x="${lw}" width="${mw}" height="20" fill="${FILL[colour]}"/>`,
    '<g fill="#ffffff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${lw / 2}" y="14">${l}</text>`,
    `<text x="${lw + mw / 2}" y="14">${m}</text>`,
    '</g></svg>',
  ].join('')
}
