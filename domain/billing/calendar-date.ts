/**
 * Calendar dates (`YYYY-MM-DD`, no time, no zone) for invoice, due and
 * effective dates. "Today" is the UTC date: an invoice becomes overdue the
 * day after its due date, as UTC counts days. Dates compare as strings.
 */
export const calendarDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Years the API accepts: wide enough for any invoice, narrow enough to keep dates four-digit and sortable. */
export const firstYear = 2000;
export const lastYear = 2999;

export const isCalendarDate = (value: string): boolean => {
  if (!calendarDatePattern.test(value)) return false;
  const year = Number(value.slice(0, 4));
  if (year < firstYear || year > lastYear) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** The UTC date of an instant. */
export const dateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export const todayUtc = (now: Date = new Date()): string => dateOf(now);

/** The day after `date` (for inclusive upper bounds on sort keys that continue past the date). */
export const nextDay = (date: string): string => dateOf(new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000));
