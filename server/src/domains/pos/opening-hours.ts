import type { OpeningPeriod } from '@innboard/shared';

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Weekday (0 = Sunday) and minutes since midnight of `now` on the property's wall clock. */
export function wallClock(timeZone: string, now: Date): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Is an outlet with these hours open at `now`? null hours: always. A period closing before it opens runs past midnight. */
export function isOpenAt(hours: readonly OpeningPeriod[] | null, timeZone: string, now: Date): boolean {
  if (hours === null) return true;
  const { weekday, minutes } = wallClock(timeZone, now);
  const yesterday = (weekday + 6) % 7;
  return hours.some((p) => {
    const opens = minutesOf(p.opens);
    const closes = minutesOf(p.closes);
    if (closes > opens) return p.days.includes(weekday) && minutes >= opens && minutes < closes;
    return (p.days.includes(weekday) && minutes >= opens) || (p.days.includes(yesterday) && minutes < closes);
  });
}
