// Absolute timestamps as Wireshark writes them ("Nov 22, 2026 23:45:14.297143000 UTC"): the Frame
// layer's Arrival Time and the display-filter form of an absolute time field.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * `Mon dd, yyyy HH:MM:SS.nnnnnnnnn` (the day space-padded, as strftime's %e) in local time or UTC,
 * optionally followed by the zone's abbreviation (Wireshark's abs_time_to_str with the zone shown).
 */
export function absTimeText(sec: number, nsec: number, zone: 'local' | 'utc', showZone: boolean): string {
  const d = new Date(sec * 1000);
  const utc = zone === 'utc';
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const month = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const text = `${MONTHS[month]} ${String(day).padStart(2, ' ')}, ${year} ${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(nsec).padStart(9, '0')}`;
  if (!showZone) return text;
  return `${text} ${utc ? 'UTC' : zoneAbbreviation(d)}`;
}

let zoneFormat: Intl.DateTimeFormat | null = null;

/** The local zone's short name at `d` ("UTC", "CET", or "GMT+1" where no abbreviation exists). */
function zoneAbbreviation(d: Date): string {
  // One formatter for the process: making one costs about a millisecond, and the tree path asks
  // for every packet it dissects (a filter's tree pass, the fuzz harness).
  zoneFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const part = zoneFormat.formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}
