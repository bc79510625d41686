/**
 * Dates the way Vietnamese administrative documents write them (Decree
 * 30/2020/NĐ-CP, Appendix I: a day below 10 and the months 1 and 2 take a
 * leading zero, other months do not): "ngày 07 tháng 02 năm 2025",
 * "10 giờ 00 phút, ngày 24 tháng 7 năm 2025".
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ZONE, VIETNAMESE_WEEKDAYS, weekdayOf, localDayOf, localDayStart, dayFromIsoDate } from './local-time.js';

export function vietnameseDate(instantMs: number): string {
  const d = new TZDate(instantMs, ZONE);
  const month = d.getMonth() + 1;
  return `ngày ${format(d, 'dd')} tháng ${month <= 2 ? `0${month}` : month} năm ${format(d, 'yyyy')}`;
}

export function vietnameseInstant(instantMs: number): string {
  return `${format(new TZDate(instantMs, ZONE), "HH 'giờ' mm 'phút'")}, ${vietnameseDate(instantMs)}`;
}

/** "24/07/2025 10:00", for exports read by people (and by Excel under Vietnamese settings). */
export function exportInstant(instantMs: number): string {
  return format(new TZDate(instantMs, ZONE), 'dd/MM/yyyy HH:mm');
}

/** "Thứ Sáu, 07/02/2025" */
export function vietnameseShortDate(instantMs: number): string {
  return `${VIETNAMESE_WEEKDAYS[weekdayOf(localDayOf(instantMs))]}, ${format(new TZDate(instantMs, ZONE), 'dd/MM/yyyy')}`;
}

/** "10:00 Thứ Sáu, 07/02/2025" */
export function vietnameseShortInstant(instantMs: number): string {
  return `${format(new TZDate(instantMs, ZONE), 'HH:mm')} ${vietnameseShortDate(instantMs)}`;
}

/** "Thứ Sáu, 07/02/2025" for a calendar date `YYYY-MM-DD`. */
export function vietnameseShortIsoDate(date: string): string {
  return vietnameseShortDate(localDayStart(dayFromIsoDate(date)));
}
