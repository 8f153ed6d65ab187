/**
 * The formats Treaty's matchers emit (`uuid()`, `datetime()`, `date()`), as ajv-formats 3.0.1 tests them in
 * its default ("full") mode, copied from ajv-formats/dist/formats.js (MIT, https://github.com/ajv-validator/ajv-formats).
 *
 * Why a copy: interpret.ts checks every matcher's example and every variant; requiring ajv-formats to get
 * these three functions cost 1.7-2 ms of CPU on a consumer test file's first expectation (module resolution
 * through the package, the CommonJS loader, compilation), most of a ten-expectation file's budget.
 * matcher-formats.test.ts checks each against ajv-formats' own function on generated strings, so an
 * ajv-formats upgrade that changes one fails there. Other formats are still taken from ajv-formats itself.
 */

const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i
const DATE_TIME_SEPARATOR = /t|\s/i

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
}

function date(str: string): boolean {
  const matches = DATE.exec(str)
  if (!matches) return false
  const year = +(matches[1] as string)
  const month = +(matches[2] as string)
  const day = +(matches[3] as string)
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : (DAYS[month] as number))
}

/** ajv-formats' `time` with a time zone required (its "full" mode). */
function time(str: string): boolean {
  const matches = TIME.exec(str)
  if (!matches) return false
  const hr = +(matches[1] as string)
  const min = +(matches[2] as string)
  const sec = +(matches[3] as string)
  const tz = matches[4]
  const tzSign = matches[5] === '-' ? -1 : 1
  const tzH = +(matches[6] || 0)
  const tzM = +(matches[7] || 0)
  if (tzH > 23 || tzM > 59 || !tz) return false
  if (hr <= 23 && min <= 59 && sec < 60) return true
  // leap second
  const utcMin = min - tzM * tzSign
  const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0)
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61
}

function dateTime(str: string): boolean {
  const parts = str.split(DATE_TIME_SEPARATOR)
  return parts.length === 2 && date(parts[0] as string) && time(parts[1] as string)
}

/** Format name → test, for the formats the matchers emit. */
export const MATCHER_FORMATS: ReadonlyMap<string, (value: string) => boolean> = new Map([
  ['uuid', (value: string) => UUID.test(value)],
  ['date', date],
  ['date-time', dateTime],
])
