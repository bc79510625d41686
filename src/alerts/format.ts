/**
 * Wording for alerts: working durations in words (applicant names are masked by dossiers/masking.ts).
 */

/** 570 minutes with an 8-hour day → "1 ngày 1 giờ 30 phút làm việc". */
export function workingDurationText(minutes: number, dayMinutes: number): string {
  const m = Math.abs(Math.round(minutes));
  const days = Math.floor(m / dayMinutes);
  const hours = Math.floor((m % dayMinutes) / 60);
  const mins = m % 60;
  const parts = [days && `${days} ngày`, hours && `${hours} giờ`, mins && `${mins} phút`].filter(Boolean);
  return `${parts.length ? parts.join(' ') : '0 phút'} làm việc`;
}
