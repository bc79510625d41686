/**
 * Wording for alerts: masked applicant names (an e-mail may be forwarded:
 * the citizen's name is not needed to act) and working durations in words.
 */

/** "Lò Văn Hùng" → "L* V** H***". */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((w) => {
      const chars = [...w];
      return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
    })
    .join(' ');
}

/** 570 minutes with an 8-hour day → "1 ngày 1 giờ 30 phút làm việc". */
export function workingDurationText(minutes: number, dayMinutes: number): string {
  const m = Math.abs(Math.round(minutes));
  const days = Math.floor(m / dayMinutes);
  const hours = Math.floor((m % dayMinutes) / 60);
  const mins = m % 60;
  const parts = [days && `${days} ngày`, hours && `${hours} giờ`, mins && `${mins} phút`].filter(Boolean);
  return `${parts.length ? parts.join(' ') : '0 phút'} làm việc`;
}
